"""Incremental episodes: a corpus ingested in five runs, each building its documents into the
stored episodes by lookup, gives the same rows as the same corpus ingested in one run (a full
build): episode ids, members, parties, terms, answers and disagreements, the wording ones
(dates, settled or open, all or part, vote shares) included."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from detente.config import Settings
from detente.ingest import ingest, ingest_documents
from detente.readers import RawDocument
from detente.rebuild import build_episodes
from detente.store import Store, open_store

from .conftest import SAMPLES

COUNTRIES = ["Chile", "Peru", "Bolivia", "Kenya", "Ethiopia", "Norway", "Qatar", "Egypt"]
SENTENCES = [
    "{a} offered talks to {b} on {day} to end the dispute over the border.",
    "Officials in {b} rejected the proposal, saying {a} must first withdraw its troops.",
    "The foreign ministers of {a} and {b} met in {c} on {day} and agreed to a ceasefire.",
    "{c} said it was ready to mediate and would host a second round of negotiations.",
    "According to {b}, at least {n} people were killed in the fighting last month.",
    "{a} and {b} signed the {name} Accord in {c} on {day}.",
    "{b} denied that any talks with {a} had taken place.",
    "The plan includes a prisoner exchange, a demilitarised zone and elections.",
]
WORDING = [
    # wording disagreements: a start day, settled or open, all or part, a vote share
    "The truce between {a} and {b} is due to start on {day}, officials in {a} said.",
    "{b} has accepted the proposals of {a} on the {name} border clause.",
    "Whether {b} and {a} settled the {name} border clause remains unclear.",
    "{b} demanded that all the sanctions imposed by {a} be lifted.",
    "{a} offered {b} partial sanctions relief.",
    "In the {name} referendum held by {a} and {b}, the no vote won {pct}% of the ballots.",
]
NAMES = ["Lakeside", "Riverbend"]
TABLES = ("episodes", "episode_members", "episode_parties", "episode_terms", "disagreements",
          "disagreement_sides")


def _corpus(n: int, first: date = date(2021, 3, 1), name: str = "gen",
            wording: bool = False) -> list[RawDocument]:
    """``n`` generated articles two days apart; with ``wording``, six sentences of
    ``SENTENCES + WORDING`` each (named objects there join episodes across years), else
    five of ``SENTENCES``."""
    rng = random.Random(3)
    docs = []
    for i in range(n):
        a, b, c = rng.sample(COUNTRIES, 3)
        published = first + timedelta(days=2 * i)
        day = (published - timedelta(days=rng.randint(0, 3))).strftime("%-d %B %Y")
        lines = [s.format(a=a, b=b, c=c, day=day, n=rng.randint(10, 900),
                          name=rng.choice(NAMES),
                          pct=rng.choice(["51.2", "53.9"]) if wording else "")
                 for s in (rng.sample(SENTENCES + WORDING, 6) if wording
                           else rng.sample(SENTENCES, 5))]
        docs.append(RawDocument(source=f"{name}-{i}.txt", text=" ".join(lines), format="text",
                                input_hash=f"{name}-{i}",
                                meta={"published": published.isoformat()},
                                meta_origin={"published": "test"}))
    return docs


def _rows(store: Store) -> dict[str, list[str]]:
    out = {}
    for table in TABLES:
        rows = [dict(r) for r in store.conn.execute(f"SELECT * FROM {table}")]
        for r in rows:
            r.pop("built_at", None)
        out[table] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return out


@pytest.mark.slow
def test_five_runs_equal_one_run(tmp_path: Path) -> None:
    docs = _corpus(40, wording=True)
    one = open_store(tmp_path / "one.db")
    ingest_documents(iter(docs), one, Settings())
    five = open_store(tmp_path / "five.db")
    for k in range(5):
        report = ingest_documents(iter(docs[k * 8:(k + 1) * 8]), five, Settings())
        assert len(report.stored) == 8
    expected, found = _rows(one), _rows(five)
    assert expected["episodes"] and expected["disagreements"]
    kinds = {json.loads(r)["kind"] for r in expected["disagreements"]}
    assert {"date", "outcome", "scope", "figure"} <= kinds, kinds   # wording ones too
    assert any('"answer"' in r for r in expected["episode_members"])
    for table in TABLES:
        assert found[table] == expected[table], table
    # the full build over the five runs' store (``detente episodes --rebuild``) agrees too
    build_episodes(five, full=True)
    assert _rows(five) == expected


@pytest.mark.slow
def test_sample_articles_in_five_runs(tmp_path: Path) -> None:
    files = sorted(SAMPLES.glob("*.txt"))
    assert len(files) >= 5
    one = open_store(tmp_path / "one.db")
    ingest([str(f) for f in files], one, Settings())
    five = open_store(tmp_path / "five.db")
    for k in range(5):
        ingest([str(f) for f in files[k::5]], five, Settings())
    expected = _rows(one)
    assert expected["episodes"]
    assert _rows(five) == expected


@pytest.mark.slow
def test_a_new_document_touches_only_its_episodes(tmp_path: Path) -> None:
    """Documents a year apart: the update for a late document makes only the episode it
    joins again, not the earlier ones; a rules change makes the next build a full one."""
    docs = _corpus(12)
    late = _corpus(2, date(2023, 6, 1), "late")
    store = open_store(tmp_path / "x.db")
    ingest_documents(iter(docs), store, Settings())
    before = {r["id"] for r in store.episodes()}
    ingest_documents(iter(late[:1]), store, Settings(), episodes=False)
    built = build_episodes(store)
    assert len(built.episodes) < len(before)
    assert before <= {r["id"] for r in store.episodes()}
    store.conn.execute("UPDATE episode_inputs SET rules = 'other'")
    ingest_documents(iter(late[1:]), store, Settings(), episodes=False)
    built = build_episodes(store)   # another fingerprint: a full build
    assert len(built.episodes) == store.count_episodes()
