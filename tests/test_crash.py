"""Crash safety: an ingest killed with SIGKILL in the middle, then run again, leaves the same
database as a clean run (every document once, no orphan rows, the same episodes)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT

COUNTRIES = ["Chile", "Peru", "Bolivia", "Kenya", "Ethiopia", "Norway", "Qatar", "Egypt"]
SENTENCES = [
    "{a} offered talks to {b} on {day} to end the dispute over the border.",
    "Officials in {b} rejected the proposal on {day}, saying {a} must first withdraw.",
    "The foreign ministers of {a} and {b} met in {c} and agreed to a ceasefire.",
    "{c} said it was ready to mediate and would host a second round of negotiations.",
    "According to {b}, at least {n} people were killed in the fighting.",
]
N_DOCS = 40

# rows that belong to a document or an event, and the row they must point to
ORPHANS = {
    "sentences": "doc_id NOT IN (SELECT id FROM documents)",
    "mentions": "doc_id NOT IN (SELECT id FROM documents)",
    "events": "doc_id NOT IN (SELECT id FROM documents)",
    "terms": "doc_id NOT IN (SELECT id FROM documents)",
    "claims": "doc_id NOT IN (SELECT id FROM documents)",
    "episode_members": "event_id NOT IN (SELECT id FROM events) OR episode_id NOT IN "
                       "(SELECT id FROM episodes)",
    "episode_parties": "episode_id NOT IN (SELECT id FROM episodes)",
    "episode_terms": "term_id NOT IN (SELECT id FROM terms)",
    "disagreement_sides": "disagreement_id NOT IN (SELECT id FROM disagreements)",
}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for i in range(N_DOCS):
        a, b, c = (COUNTRIES[(i + k * 3) % len(COUNTRIES)] for k in range(3))
        day = f"{1 + i % 27} March 2021"
        text = " ".join(s.format(a=a, b=b, c=c, day=day, n=10 + i) for s in SENTENCES)
        (folder / f"a{i:03d}.txt").write_text(f"published: 2021-03-{1 + i % 27:02d}\n\n{text}\n",
                                             encoding="utf-8")
    return folder


def _command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "detente.cli", "ingest", str(corpus), "--db", str(db),
            "--quiet", "--workers", "1"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return int(con.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:   # not created yet
        return 0


def _episodes(db: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "detente.cli", "episodes", "--json", "--db",
                          str(db)], env=_env(), capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    return [{k: v for k, v in r.items() if k != "built_at"} for r in rows]


@pytest.mark.slow
def test_killed_ingest_resumes_to_a_clean_result(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    crashed, clean = tmp_path / "crashed.db", tmp_path / "clean.db"
    proc = subprocess.Popen(_command(corpus, crashed), env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _count(crashed) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _count(crashed)
    assert 3 <= killed_at < N_DOCS, "the ingest was not killed in the middle"

    subprocess.run(_command(corpus, crashed), env=_env(), check=True, capture_output=True)
    subprocess.run(_command(corpus, clean), env=_env(), check=True, capture_output=True)

    con = sqlite3.connect(crashed)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = [r[0] for r in con.execute("SELECT id FROM documents")]
        assert len(ids) == len(set(ids)) == N_DOCS
        for table, orphan in ORPHANS.items():
            assert con.execute(f"SELECT COUNT(*) FROM {table} WHERE {orphan}").fetchone()[0] \
                == 0, table
        counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ORPHANS}
    finally:
        con.close()
    con = sqlite3.connect(clean)
    try:
        assert counts == {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                          for t in ORPHANS}
    finally:
        con.close()
    episodes = _episodes(crashed)
    assert episodes and episodes == _episodes(clean)
