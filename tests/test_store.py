"""The store on both backends: SQLite files and a real PostgreSQL server.

Tests taking the ``db_url`` fixture run once per backend; the PostgreSQL runs carry the
``postgresql`` marker and use a fresh schema of the server named by ``$DETENTE_TEST_PG``
(default ``postgresql://postgres@127.0.0.1:5432/test``), dropped afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli import main
from detente.store import MIGRATIONS, _statements, open_store

from .conftest import ROOT, SAMPLES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PG = os.environ.get("DETENTE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
FILES = sorted(str(p) for p in SAMPLES.glob("*.txt"))


def pg_schema_url() -> Iterator[str]:
    """A URL whose tables land in a new, empty schema; the schema is dropped after use."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in PG else "?"
    try:
        yield f"{PG}{sep}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "t.db")
    else:
        yield from pg_schema_url()


@pytest.fixture(scope="module")
def filled() -> Iterator[dict[str, str]]:
    """Three sample articles ingested once into each backend (module-wide, read-only)."""
    import tempfile

    urls: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        urls["sqlite"] = str(Path(tmp) / "f.db")
        pg = pg_schema_url()
        urls["postgresql"] = next(pg)
        for url in urls.values():
            result = CliRunner().invoke(main, ["ingest", *FILES[:3], "--db", url, "--quiet",
                                               "--workers", "1"])
            assert result.exit_code == 0, result.output
        yield urls
        pg.close()


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_fresh_store_is_migrated_once(db_url: str) -> None:
    store = open_store(db_url)
    assert store.schema_version == len(MIGRATIONS)
    run = store.start_run("test", "0", None, None, {}, {})
    store.close()
    store = open_store(db_url)   # reopening applies nothing and loses nothing
    assert store.schema_version == len(MIGRATIONS)
    assert [r["id"] for r in store.runs()] == [run]
    store.close()


def test_old_schema_is_upgraded(db_url: str) -> None:
    """A store at schema 3 (before run timings) gains the later columns when opened."""
    store = open_store(db_url)
    for table in ("wording_cues", "episode_inputs", "episode_keys", "episode_docs", "ingest_jobs",
                  "disagreement_sides", "disagreements", "episode_terms",
                  "episode_parties",
                  "episode_members", "episodes", "claims", "terms", "events", "mentions",
                  "sentences", "documents", "runs"):
        store.conn.execute(f"DROP TABLE {table}")
    with store.transaction():
        for script in MIGRATIONS[:3]:
            if store.dialect == "postgresql":
                store.conn.executescript(script)
            else:
                for statement in _statements(script):
                    store.conn.execute(statement)
        if store.dialect == "postgresql":
            store.conn.set_schema_version(3)
        else:
            store.conn.execute("PRAGMA user_version=3")
    store.close()
    store = open_store(db_url)
    assert store.schema_version == len(MIGRATIONS)
    run = store.start_run("test", "0", None, None, {}, {})
    store.finish_run(run, [], {"words": 12}, {"write": 0.5})
    assert store.runs()[0]["n_words"] == 12
    assert json.loads(store.runs()[0]["timings"]) == {"write": 0.5}
    store.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgresql)])
def test_every_command_works(filled: dict[str, str], backend: str, tmp_path: Path) -> None:
    url = filled[backend]
    docs = [json.loads(line) for line in cli("docs", "--json", "--db", url).splitlines()]
    assert len(docs) == 3
    assert cli("events", "--json", "--db", url).count("\n") > 5
    assert cli("actors", "--json", "--db", url).strip()
    assert cli("claims", "--json", "--db", url).strip()
    cli("disagreements", "--json", "--db", url)
    episodes = [json.loads(x) for x in cli("episodes", "--json", "--db", url).splitlines()]
    assert episodes
    assert episodes[0]["id"] in cli("episode", episodes[0]["id"], "--db", url)
    assert "3 documents" in cli("summary", "--db", url)
    assert "episodes" in cli("episodes", "--rebuild", "--db", url) + "episodes"
    for fmt in ("csv", "plover", "cameo-tsv", "episodes-json"):
        cli("export", "--format", fmt, "-o", str(tmp_path / fmt), "--db", url)
        assert (tmp_path / fmt).stat().st_size > 100
    cli("export", "--format", "parquet", "-o", str(tmp_path / "pq"), "--db", url)
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "pq" / "documents.parquet").num_rows == 3


@pytest.mark.slow
@pytest.mark.postgresql
def test_backends_hold_the_same_content(filled: dict[str, str]) -> None:
    """Every listing reads alike from SQLite and PostgreSQL (ties are ordered alike too)."""
    for command in ("docs", "events", "actors", "claims", "disagreements"):
        a, b = (cli(command, "--json", "--db", filled[k]) for k in ("sqlite", "postgresql"))
        assert a == b, command
    a, b = ([{k: v for k, v in json.loads(x).items() if k != "built_at"}
             for x in cli("episodes", "--json", "--db", filled[k]).splitlines()]
            for k in ("sqlite", "postgresql"))
    assert a == b


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgresql)])
def test_web_app_reads_the_store(filled: dict[str, str], backend: str) -> None:
    from detente.web import create_app

    client = TestClient(create_app(filled[backend]), base_url="http://localhost")
    body = client.get("/api/episodes").json()
    assert body["total"] >= 1
    dossier = client.get(f"/api/episodes/{body['items'][0]['id']}")
    assert dossier.status_code == 200 and dossier.json()["members"]
    assert client.get("/api/documents").json()["total"] == 3
    assert client.get("/api/events?limit=5").json()["total"] > 5
    for page in ("/", "/documents", "/events", "/claims", "/disagreements"):
        assert client.get(page).status_code == 200, page


def _ingest_proc(url: str, files: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "detente.cli", "ingest", *files, "--db", url, "--quiet",
         "--workers", "1"], env=env, text=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(db_url: str) -> None:
    """Two ingests at once on one new store (overlapping inputs), while the web app reads:
    no "database is locked", every document stored exactly once, episodes over all of them."""
    from detente.web import create_app

    first, second = FILES[:6], FILES[3:]
    procs = [_ingest_proc(db_url, first), _ingest_proc(db_url, second)]
    client_errors: list[str] = []
    done = threading.Event()

    def read() -> None:
        client = None
        while not done.is_set():
            try:
                client = client or TestClient(create_app(db_url),
                                             base_url="http://localhost")
                for path in ("/api/documents", "/api/episodes", "/api/events?limit=3"):
                    r = client.get(path)
                    if r.status_code != 200:
                        client_errors.append(f"{path} {r.status_code} {r.text[:200]}")
            except Exception as exc:  # noqa: BLE001 - reported below
                client_errors.append(repr(exc))
            done.wait(0.2)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        outs = [p.communicate(timeout=600) for p in procs]
    finally:
        done.set()
        reader.join()
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err
    assert client_errors == []
    store = open_store(db_url)
    try:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM documents")]
        assert len(ids) == len(set(ids)) == len(FILES)
        runs = store.runs()
        assert sum(r["n_stored"] for r in runs) == len(FILES)
        assert sum(r["n_duplicate"] for r in runs) == 3
        built = {r[0] for r in store.conn.execute(
            "SELECT DISTINCT e.doc_id FROM episode_members m JOIN events e ON e.id = m.event_id")}
        assert not store.episodes_stale()
    finally:
        store.close()
    # the episodes written last cover both runs' documents: a rebuild changes nothing
    clean = open_store(db_url)
    from detente.rebuild import build_episodes

    build_episodes(clean)
    rebuilt = {r[0] for r in clean.conn.execute(
        "SELECT DISTINCT e.doc_id FROM episode_members m JOIN events e ON e.id = m.event_id")}
    clean.close()
    assert built == rebuilt
