"""The row definitions (detente.rows) are the one place a stored field is named: the tables,
the inserts, the API models, the exports and the extractors' rows all follow them."""

from __future__ import annotations

import ast
import csv
import io
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from detente import rows
from detente.rows import CLAIM, EVENT, ROWS, TEXT, Field
from detente.store import (
    FULLTEXT,
    MIGRATIONS,
    StoreError,
    add_column_sql,
    create_table_sql,
    insert_sql,
    open_store,
    schema_differences,
)

SRC = Path(rows.__file__).parent
# the per-document stages: they produce rows and must not depend on storage
EXTRACTION = ("actors", "attribution", "claims", "clean", "coder", "code_text", "dates",
              "event_dates", "language", "metadata", "nlp", "patterns", "pipeline", "readers",
              "terms")


def _table(conn: sqlite3.Connection, table: str) -> tuple[list[tuple], list[tuple]]:
    info = [tuple(r) for r in conn.execute(f"PRAGMA table_info({table})")]
    keys = sorted(tuple(r)[2:] for r in conn.execute(f"PRAGMA foreign_key_list({table})"))
    return info, keys


@pytest.mark.parametrize("row_type", ROWS, ids=lambda r: r.table)
def test_the_migrated_tables_are_the_definitions(tmp_path, row_type):
    """Columns, order, types, NOT NULL, defaults, keys and references: the table the
    migrations made equals the table the definition makes."""
    store = open_store(tmp_path / "t.db")
    derived = sqlite3.connect(":memory:")
    derived.execute(create_table_sql(row_type))
    assert _table(store.conn, row_type.table) == _table(derived, row_type.table)
    assert schema_differences(store.conn, row_type) == []


def test_every_table_has_a_definition(tmp_path):
    store = open_store(tmp_path / "t.db")
    tables = {r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    # the full-text index (and its shadow tables) is derived from sentences, not a row type
    assert {t for t in tables if not t.startswith(FULLTEXT)} == {r.table for r in ROWS}


def test_a_database_of_an_older_schema_opens_and_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + ";PRAGMA user_version=1;")
    conn.execute("INSERT INTO documents (id, source, format, text, input_hash, n_sentences, "
                 "n_mentions, ingested_at) VALUES ('d1', 'a.txt', 'txt', 'Hi.', 'h', 1, 0, "
                 "'2024-01-01')")
    conn.commit()
    conn.close()
    store = open_store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.document("d1")["source"] == "a.txt"


def test_a_field_added_to_a_definition_appears_in_the_insert_the_model_and_the_check(tmp_path):
    from detente.web.models import row_model

    field = Field("mood", TEXT, "How the speaker sounded.")
    events = replace(EVENT, fields=(*EVENT.fields, field))
    assert '"mood"' in insert_sql(events)
    assert insert_sql(events).count("?") == len(EVENT.fields) + 1
    model = row_model("EventWithMood", events)
    assert model.model_fields["mood"].description == "How the speaker sounded."
    assert "mood" in model.model_json_schema()["required"]

    store = open_store(tmp_path / "t.db")
    assert schema_differences(store.conn, events) == ["events lacks mood"]
    store.conn.execute(add_column_sql(events, "mood"))
    assert schema_differences(store.conn, events) == []


def test_a_store_whose_table_lacks_a_defined_field_does_not_open(tmp_path):
    path = tmp_path / "t.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE claims DROP COLUMN method")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="claims lacks method.*migration"):
        open_store(path)


def test_a_required_field_cannot_be_added_without_a_default():
    field = Field("mood", TEXT, "How the speaker sounded.", required=True)
    with pytest.raises(ValueError, match="default"):
        add_column_sql(replace(EVENT, fields=(*EVENT.fields, field)), "mood")


def test_a_definition_rejects_a_name_twice_and_an_unknown_type():
    with pytest.raises(ValueError, match="twice"):
        rows.Row("x", "", (Field("a", TEXT, ""), Field("a", TEXT, "")))
    with pytest.raises(ValueError, match="VARCHAR"):
        rows.Row("x", "", (Field("a", "VARCHAR", ""),))


def test_the_api_models_follow_the_definitions():
    from detente.web import models

    for model, row_type, left_out in (
            (models.Event, rows.EVENT, ()), (models.Claim, rows.CLAIM, ()),
            (models.TermDetail, rows.TERM, ()), (models.Party, rows.PARTY, ("episode_id",)),
            (models.Sentence, rows.SENTENCE, ("doc_id",)),
            (models.Episode, rows.EPISODE, ("answers_summary",)),
            (models.DocumentDetail, rows.DOCUMENT, ())):
        fields = model.model_fields
        assert set(row_type.names) - set(left_out) <= set(fields), model
        for f in row_type.fields:
            if f.name not in left_out:
                assert fields[f.name].description == f.doc
                assert fields[f.name].is_required()
    assert models.Event.model_fields["cameo_name"].annotation == str | None
    assert models.Event.model_fields["cameo"].annotation is str
    assert models.Episode.model_fields["proposer"].annotation == list[str]


def test_the_csv_exports_have_the_defined_columns():
    from detente.export import write_events
    from detente.web.data import CLAIM_CSV_COLUMNS, csv_lines

    out = io.StringIO()
    write_events([], "csv", out)
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [*EVENT.names, "sentence"]
    header = next(csv.reader(io.StringIO("".join(csv_lines(CLAIM_CSV_COLUMNS, [])))))
    assert header[:len(CLAIM.names)] == list(CLAIM.names)


@pytest.mark.parametrize("module", EXTRACTION)
def test_extraction_does_not_import_the_store(module):
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m and m.split(".")[-1] == "store"}, imported


@pytest.mark.slow
def test_the_rows_of_a_processed_document_have_the_defined_fields(settings):
    from detente.pipeline import process_document
    from detente.readers import RawDocument

    text = ("Chile offered to host talks between Peru and Bolivia on 3 May 2021. "
            "Bolivia rejected the offer a day later, its foreign ministry said.\n\n"
            "Officials said 40 soldiers were killed in the border clashes in April. "
            "Peru demanded a ceasefire and the withdrawal of troops.")
    raw = RawDocument("mine.txt", text, "txt", "h", meta={"published": "2021-05-05"})
    result = process_document(raw, settings)
    assert not isinstance(result, Exception), result
    assert set(result.document) == set(rows.DOCUMENT.names) - {"run_id", "ingested_at"}
    for row_type, produced, unset in (
            (rows.SENTENCE, result.sentences, set()),
            (rows.MENTION, result.mentions, {"id"}),
            (rows.EVENT, result.events, set()),
            (rows.TERM, result.terms, set()),
            (rows.CLAIM, result.claims, set())):
        assert produced, row_type.table
        for row in produced:
            assert set(row) == set(row_type.names) - unset, (row_type.table, row)
