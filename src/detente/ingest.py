"""Ingest: read sources, process each document, store the rows, record the run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .actors import ActorDictionary
from .claims import load_vocabulary
from .clean import default_rules
from .config import Settings
from .episodes import load_rules
from .nlp import load_model, model_version
from .patterns import pattern_versions
from .pipeline import DocumentRows, process_document
from .readers import RawDocument, ReadError, read_sources
from .rebuild import build_episodes
from .store import Store, now
from .terms import load_taxonomy


@dataclass
class IngestReport:
    """What one ingest run did."""

    run_id: int = 0
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[ReadError] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        return {
            "read": len(self.inputs),
            "stored": len(self.stored),
            "duplicate": len(self.duplicates),
            "failed": len(self.failed),
        }


def data_versions(settings: Settings) -> dict[str, str]:
    versions = dict(ActorDictionary.load(settings.actor_files).versions)
    versions["boilerplate.yaml"] = default_rules().version
    versions.update(pattern_versions(settings.pattern_files))
    versions["episodes.yaml"] = load_rules().version
    versions["provisions.yaml"] = load_taxonomy().version
    versions["quantities.yaml"] = load_vocabulary().version
    return versions


def ingest(
    sources: Iterable[str],
    store: Store,
    settings: Settings,
    overrides: dict[str, Any] | None = None,
    on_item: Callable[[str, str, str], None] | None = None,
    episodes: bool = True,
) -> IngestReport:
    """Ingest ``sources`` into ``store``. One bad document never stops the batch.

    When documents were added (and ``episodes`` is true), episodes, answers and
    disagreements are rebuilt over the whole store; episode ids survive the rebuild.

    ``on_item(source, status, detail)`` is called once per document, with status
    ``stored``, ``duplicate`` or ``failed``.
    """
    return ingest_documents(read_sources(sources, settings, overrides), store, settings,
                            on_item, episodes)


def ingest_documents(
    items: Iterable[RawDocument | ReadError],
    store: Store,
    settings: Settings,
    on_item: Callable[[str, str, str], None] | None = None,
    episodes: bool = True,
    command: str = "ingest",
) -> IngestReport:
    """Ingest documents already read (e.g. text pasted or uploaded in the web app).

    The same processing, storage, run record and episode rebuild as :func:`ingest`.
    """
    nlp = load_model(settings.model)
    report = IngestReport()
    report.run_id = store.start_run(
        command, __version__, settings.model, model_version(nlp), data_versions(settings),
        settings.as_dict(),
    )
    try:
        for item in items:
            _handle(item, store, settings, report, on_item)
        if episodes and report.stored:
            build_episodes(store)
    finally:
        store.finish_run(report.run_id, report.inputs, report.counts())
    return report


def _handle(item: RawDocument | ReadError, store: Store, settings: Settings,
            report: IngestReport, on_item: Callable[[str, str, str], None] | None) -> None:
    if isinstance(item, ReadError):
        _fail(item, report, on_item, None)
        return
    try:
        result = process_document(item, settings)
    except Exception as exc:  # a bug or a pathological text must not stop the batch
        result = ReadError(item.source, f"processing failed ({type(exc).__name__}: {exc})")
    if isinstance(result, ReadError):
        _fail(result, report, on_item, item.input_hash)
        return
    assert isinstance(result, DocumentRows)
    result.document["run_id"] = report.run_id
    result.document["ingested_at"] = now()
    stored = store.add_document(result.document, result.sentences, result.mentions,
                                result.events, getattr(result, "terms", []),
                                getattr(result, "claims", []))
    status = "stored" if stored else "duplicate"
    (report.stored if stored else report.duplicates).append(result.id)
    report.inputs.append({"source": item.source, "input_hash": item.input_hash,
                          "doc_id": result.id, "status": status})
    if on_item:
        on_item(item.source, status, result.id[:12])


def _fail(error: ReadError, report: IngestReport,
          on_item: Callable[[str, str, str], None] | None, input_hash: str | None) -> None:
    report.failed.append(error)
    report.inputs.append({"source": error.source, "input_hash": input_hash, "doc_id": None,
                          "status": "failed", "reason": error.reason})
    if on_item:
        on_item(error.source, "failed", error.reason)
