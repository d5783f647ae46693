"""Episode ids and titles depend on the articles only: not on the order they were ingested
in, not on earlier builds, not on Python's hash seed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from detente.config import Settings
from detente.store import Store

from .conftest import ROOT, SEEDS, needs_seeds


def _ids_and_titles(store: Store) -> dict[str, str]:
    return {e["id"]: e["title"] for e in store.episodes()}


@needs_seeds
def test_two_ingest_orders_give_the_same_ids_and_titles(tmp_path: Path, settings: Settings,
                                                        seeds_db: Store) -> None:
    from detente.ingest import ingest
    from detente.store import open_store

    files = sorted(SEEDS.glob("*.txt"))
    found = []
    for name, order in (("forward", files), ("backward", files[::-1])):
        store = open_store(tmp_path / f"{name}.db")
        for f in order:   # one article at a time: every ingest rebuilds the episodes
            assert ingest([str(f)], store, settings).ok
        found.append(_ids_and_titles(store))
    assert found[0], "the seeds give episodes"
    assert found[0] == found[1]
    assert found[0] == _ids_and_titles(seeds_db)   # and the same as all at once


@needs_seeds
def test_ids_and_titles_do_not_depend_on_the_hash_seed(tmp_path: Path,
                                                       seeds_db: Store) -> None:
    outputs = []
    for seed in ("0", "1", "4242"):
        db = tmp_path / f"seed{seed}.db"
        with sqlite3.connect(db) as copy:   # the seeds' store, WAL pages included
            seeds_db.conn.backup(copy)
        env = {**os.environ, "PYTHONHASHSEED": seed,
               "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                              os.environ.get("PYTHONPATH", "")])}
        done = subprocess.run(
            [sys.executable, "-m", "detente.cli", "episodes", "--rebuild", "--json",
             "--db", str(db)], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        outputs.append(sorted((r["id"], r["title"], tuple(r["proposer"]),
                               tuple(r["addressee"])) for r in rows))
    assert outputs[0]
    assert outputs[0] == outputs[1] == outputs[2]
