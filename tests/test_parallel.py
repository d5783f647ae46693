"""Several worker processes give the same database as one, row for row, ids included."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from detente.config import Settings
from detente.ingest import ingest
from detente.parallel import chunks, default_workers
from detente.store import open_store

from .conftest import SAMPLES

VOLATILE = {"run_id", "ingested_at", "built_at", "started_at", "finished_at"}
TABLES = ("documents", "sentences", "mentions", "events", "terms", "claims", "episodes",
          "episode_members", "episode_parties", "episode_terms", "disagreements",
          "disagreement_sides")


def dump(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    out = {}
    for table in TABLES:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")
                if r[1] not in VOLATILE]
        rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        out[table] = sorted(rows, key=repr)
    con.close()
    return out


def test_two_workers_store_what_one_does(tmp_path: Path) -> None:
    results = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        report = ingest([str(SAMPLES)], open_store(db), Settings(), workers=workers)
        assert report.ok and len(report.stored) >= 5
        results[workers] = dump(db)
    assert results[1]["events"] and results[1]["episodes"]
    for table in TABLES:
        assert results[1][table] == results[2][table], table


def test_dask_local_cluster_stores_what_one_process_does(tmp_path: Path) -> None:
    """The distributed path on a real LocalCluster of two worker processes."""
    results = {}
    for name, kwargs in (("one", {"workers": 1}), ("dask", {"workers": 2, "dask": "local"})):
        db = tmp_path / f"{name}.db"
        report = ingest([str(SAMPLES)], open_store(db), Settings(), **kwargs)
        assert report.ok and len(report.stored) >= 5
        results[name] = dump(db)
    for table in TABLES:
        assert results["one"][table] == results["dask"][table], table


def test_chunks_keep_order() -> None:
    assert list(chunks(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert default_workers() >= 1


def test_rerun_after_lost_episodes_rebuilds_them(tmp_path: Path) -> None:
    """A re-run that finds every document present still rebuilds stale episodes."""
    db = tmp_path / "r.db"
    store = open_store(db)
    ingest([str(SAMPLES)], store, Settings(), workers=1)
    built = store.count_episodes()
    assert built > 0
    with store.transaction() as con:  # what an interrupted run leaves behind
        con.execute("DELETE FROM episodes")
    report = ingest([str(SAMPLES)], store, Settings(), workers=1)
    assert not report.stored and len(report.duplicates) >= 5
    assert store.count_episodes() == built


def test_a_run_records_its_words_and_seconds_per_stage(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    report = ingest([str(SAMPLES)], store, Settings(), workers=1)
    run = store.runs()[-1]
    timings = json.loads(run["timings"])
    assert run["n_words"] == report.words > 1000
    assert {"prepare", "spacy", "detente_events", "detente_claims", "write", "episodes",
            "total"} <= set(timings)
    assert all(v >= 0 for v in timings.values())
    assert timings["total"] >= timings["spacy"] > 0
    assert "docs/s" in report.timing_line() and "events" in report.timing_line()
