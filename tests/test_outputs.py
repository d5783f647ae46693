"""`detente code`, `events`, `export` and `eval`, end to end on real parses and databases."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from detente.cli import main

from .conftest import GOLD, ingest_article, needs_seeds

ARTICLE = (
    "title: Border talks\noutlet: Test Wire\npublished: 2023-05-17\nurl: https://example.org/x\n\n"
    "Armenia proposed talks with Azerbaijan on May 2. Azerbaijan rejected the proposal the "
    "next day, officials said.\n"
)


def _db(tmp_path):
    return ingest_article(tmp_path, ARTICLE)


def test_code_reads_records_and_keeps_ids():
    records = [
        {"id": "s1", "text": "Chile rejected Bolivia's proposal for talks.", "date": "2018-10-01"},
        {"id": "s2", "text": "The weather was fine."},
        "not json",
    ]
    stdin = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"
    result = CliRunner().invoke(main, ["code", "-"], input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["s1", "s2", None]
    ev = [e for e in lines[0]["events"] if e["event"] == "REJECT"][0]
    assert ev["actor"]["code"] == "CHL" and ev["cameo"].startswith("12")
    assert {"actor", "recipient", "event", "mode", "cameo", "goldstein", "modality"} <= set(ev)
    assert lines[1]["events"] == []
    assert "invalid JSON" in lines[2]["error"]
    assert result.exit_code == 1


def test_events_filters(tmp_path):
    db = _db(tmp_path)
    run = CliRunner().invoke
    all_rows = [json.loads(x) for x in run(main, ["events", "--db", str(db), "--json"]).output
                .splitlines()]
    assert {r["plover_type"] for r in all_rows} >= {"AGREE", "REJECT"}
    rejects = [json.loads(x) for x in run(main, ["events", "--db", str(db), "--json", "--type",
                                                 "reject"]).output.splitlines()]
    assert rejects and all(r["plover_type"] == "REJECT" for r in rejects)
    assert rejects[0]["date_start"] == "2023-05-03" and rejects[0]["modality"] == "reported"
    by_code = run(main, ["events", "--db", str(db), "--json", "--cameo", "03"]).output
    assert all(json.loads(x)["cameo"].startswith("03") for x in by_code.splitlines())
    early = run(main, ["events", "--db", str(db), "--json", "--to", "2023-05-02"]).output
    assert {json.loads(x)["plover_type"] for x in early.splitlines()} == {"AGREE"}
    bad = run(main, ["events", "--db", str(db), "--from", "someday"])
    assert bad.exit_code == 2


def test_export_formats(tmp_path):
    db = _db(tmp_path)
    run = CliRunner().invoke
    plover = [json.loads(x) for x in run(main, ["export", "--format", "plover", "--db", str(db)])
              .output.splitlines()]
    keys = {"id", "date", "actor", "recipient", "event", "mode", "context", "text", "text_info",
            "cite_info", "coder"}
    assert plover and all(keys <= set(r) for r in plover)
    assert plover[0]["cite_info"]["url"] == "https://example.org/x"
    sentence = plover[0]["text"]
    span = plover[0]["text_info"]["trigger"]["span"]
    doc_text = ARTICLE.split("\n\n", 1)[1].strip()
    assert doc_text[span[0]:span[1]] in sentence
    tsv = run(main, ["export", "--format", "cameo-tsv", "--db", str(db)]).output
    rows = list(csv.DictReader(io.StringIO(tsv), delimiter="\t"))
    assert rows and rows[0]["Actor1Code"] in ("ARM", "AZE") and rows[0]["QuadClass"]
    assert rows[0]["SOURCEURL"] == "https://example.org/x"
    out = tmp_path / "e.csv"
    res = run(main, ["export", "--format", "csv", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0 and len(list(csv.DictReader(out.open()))) == len(plover)


@needs_seeds
def test_eval_prints_items_and_a_final_key_value_line(seeds_db):
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--db", str(seeds_db.path)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert any(line.startswith(("HIT", "MISS")) for line in lines)
    figures = dict(kv.split("=") for kv in lines[-1].split())
    assert {"items_hit", "items_total", "recall", "precision"} <= set(figures)
    assert int(figures["items_total"]) == 24


def test_eval_fails_clearly_on_a_bad_gold_file(tmp_path):
    bad = tmp_path / "g.yaml"
    bad.write_text("episodes:\n  - {id: X}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(bad), "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2 and "error: gold file" in result.output
    assert "missing key" in result.output
