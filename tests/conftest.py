"""Shared fixtures: the real spaCy pipeline and actor resolver, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.actors import Resolver, load_resolver
from detente.config import Settings
from detente.nlp import load_model

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds_episodes.yaml"
SAMPLES = ROOT / "samples" / "articles"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def nlp(settings: Settings):
    return load_model(settings.model)


@pytest.fixture(scope="session")
def resolver(nlp) -> Resolver:
    return load_resolver(nlp)


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory, settings: Settings):
    """The five seed articles ingested once into a fresh database."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds not present")
    from detente.ingest import ingest
    from detente.store import open_store

    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    store = open_store(path)
    report = ingest([str(SEEDS)], store, settings)
    assert report.ok, report.failed
    return store


def ingest_article(tmp_path: Path, text: str) -> Path:
    """Write ``text`` to a.txt, ingest it with the CLI into a fresh database, return its path."""
    from click.testing import CliRunner

    from detente.cli import main

    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "t.db"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db
