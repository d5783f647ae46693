"""The command line, run in-process with click's runner against a real database."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from detente import __version__
from detente.cli import main

from .conftest import ingest_article

ARTICLE = (
    "title: Talks in Geneva\noutlet: Test Wire\npublished: 2024-05-02\n\n"
    "Russian Foreign Minister Sergei Lavrov met his Turkish counterpart in Ankara on Monday. "
    "Lavrov said Moscow was ready for talks, a senior Russian official told reporters.\n"
)


@pytest.fixture()
def db(tmp_path):
    return ingest_article(tmp_path, ARTICLE)


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", ["ingest", "docs", "actors", "resolve", "summary"])
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_docs_json_has_the_table_fields(db):
    result = CliRunner().invoke(main, ["docs", "--db", str(db), "--json"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 1
    assert rows[0]["title"] == "Talks in Geneva" and rows[0]["published"] == "2024-05-02"
    assert rows[0]["outlet"] == "Test Wire" and rows[0]["n_mentions"] >= 4


def test_actors_filter_by_document_and_code(db):
    result = CliRunner().invoke(main, ["actors", "--db", str(db), "--doc", "a.txt", "--json",
                                       "--code", "RUS"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    texts = {r["text"] for r in rows}
    assert "Russian Foreign Minister Sergei Lavrov" in texts and "Moscow" in texts
    assert all(r["code"] == "RUS" for r in rows)
    lavrov = [r for r in rows if r["text"] == "Lavrov"]
    assert lavrov and lavrov[0]["person"] == "Sergei Lavrov"
    bad = CliRunner().invoke(main, ["actors", "--db", str(db), "--doc", "nothing-like-it"])
    assert bad.exit_code != 0 and "no document" in bad.output


def test_resolve_reads_stdin_and_prints_json(tmp_path):
    result = CliRunner().invoke(
        main, ["resolve", "-", "--json", "--date", "2008-06-01"],
        input="Medvedev\nthe Kremlin\nsomething unknown\n",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in rows] == ["Medvedev", "the Kremlin", "something unknown"]
    assert rows[0]["code"] == "RUS" and rows[0]["person"] == "Dmitry Medvedev"
    assert rows[0]["role"] == "president"
    assert rows[1]["sector"] == "GOV"
    assert rows[2]["code"] is None and rows[2]["person"] is None and rows[2]["sector"] is None


def test_ingest_exit_code_reports_failures_but_stores_the_rest(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert "1 stored" in result.output


def test_bad_published_option_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--published", "soon",
                                       "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "--published" in result.output
