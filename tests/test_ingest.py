"""Ingest: bad inputs are reported by name and reason, good ones stored, re-runs change nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from detente.config import Settings
from detente.ingest import ingest
from detente.store import open_store

from .conftest import SEEDS, needs_seeds

GOOD = (
    "The foreign ministers of Armenia and Azerbaijan met in Washington on Tuesday "
    "for a new round of talks on a peace treaty, officials said. The two sides agreed "
    "to meet again next month, according to a statement from the State Department.\n"
)
FRENCH = (
    "Les ministres des affaires étrangères se sont rencontrés mardi à Genève pour discuter "
    "d'un cessez-le-feu. Les deux parties ont convenu de se revoir le mois prochain, selon "
    "un communiqué publié par le ministère. La délégation a déclaré que les discussions "
    "avaient été constructives mais que de nombreuses questions restaient ouvertes.\n"
)


def _bad_corpus(root):
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "copy_of_good.txt").write_text(GOOD, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("   \n\n  ", encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "latin1.txt").write_bytes(GOOD.replace("Tuesday", "Tuesday in Genève").encode("cp1252"))
    (root / "french.txt").write_text(FRENCH, encoding="utf-8")
    (root / "broken.html").write_text("<html><body><div><<<>>></div>", encoding="utf-8")
    (root / "huge.txt").write_bytes(b"word " * (50 * 1024 * 1024 // 5))
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    lines = [
        json.dumps({"id": "a", "text": GOOD.replace("Armenia", "Serbia").replace(
            "Azerbaijan", "Kosovo"), "published": "2023-09-12"}),
        "{this is not json",
        json.dumps({"id": "c", "title": "no text field"}),
        json.dumps({"id": "d", "text": GOOD.replace("Washington", "Brussels")}),
    ]
    (root / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_bad_inputs_are_reported_and_good_ones_stored(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _bad_corpus(corpus)
    store = open_store(tmp_path / "t.db")
    report = ingest([str(corpus), "http://127.0.0.1:9/unreachable", str(tmp_path / "nope.txt")],
                    store, Settings(url_timeout=3))
    reasons = {e.source.rsplit("/", 1)[-1]: e.reason for e in report.failed}
    assert "empty" in reasons["empty.txt"]
    assert "empty" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "not English" in reasons["french.txt"]
    assert "HTML" in reasons["broken.html"]
    assert "too large" in reasons["huge.txt"]
    assert "unsupported file type" in reasons["image.png"]
    assert "invalid JSON" in reasons["batch.jsonl:2"]
    assert '"text"' in reasons["batch.jsonl:3"]
    assert "could not fetch URL" in reasons["unreachable"]
    assert "no such file" in reasons["nope.txt"]
    assert len(report.failed) == 11
    # stored: good, latin1, two JSON lines; the copy is a duplicate
    assert len(report.stored) == 4 and len(report.duplicates) == 1
    texts = [store.document(d)["text"] for d in report.stored]
    assert any("Genève" in t for t in texts)
    dates = {d["published"] for d in store.documents()}
    assert "2023-09-12" in dates


def test_rerun_is_idempotent_and_keeps_what_was_stored(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "one.txt").write_text("published: 2024-05-01\n\n" + GOOD, encoding="utf-8")
    store = open_store(tmp_path / "t.db")
    first = ingest([str(corpus)], store, Settings())
    counts = _counts(store)
    second = ingest([str(corpus)], store, Settings())
    assert len(first.stored) == 1 and second.stored == [] and len(second.duplicates) == 1
    assert _counts(store) == counts
    runs = store.runs()
    assert len(runs) == 2 and runs[1]["n_duplicate"] == 1
    assert json.loads(runs[0]["inputs"])[0]["status"] == "stored"
    assert "countries.yaml" in json.loads(runs[0]["data_versions"])


def _counts(store):
    return {t: store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "sentences", "mentions")}


def test_store_is_sqlite_in_wal_mode_with_a_schema_version(tmp_path):
    store = open_store(tmp_path / "t.db")
    assert store.schema_version >= 1
    store.close()
    conn = sqlite3.connect(tmp_path / "t.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path):
    from detente.store import StoreError

    bad = tmp_path / "x.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a Detente database"):
        open_store(bad)


@needs_seeds
def test_seeds_store_five_documents_with_sidecar_dates(seeds_db):
    meta = [json.loads(line) for line in (SEEDS / "meta.jsonl").read_text().splitlines()]
    expected = {m["file"]: m["published"] for m in meta}
    docs = seeds_db.documents()
    assert len(docs) == 5
    for d in docs:
        assert d["published"] == expected[d["source"].rsplit("/", 1)[-1]]
    assert {d["published_precision"] for d in docs} == {"day", "month"}
