"""Exports that other tools read: PLOVER JSON lines, a GDELT-like CAMEO TSV, CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from .code_text import plover_event
from .output import spreadsheet_cell
from .rows import EVENT

FORMATS = ("plover", "cameo-tsv", "csv")

CAMEO_TSV_COLUMNS = (
    "GlobalEventID", "Day", "MonthYear", "Year", "DatePrecision", "Actor1Code", "Actor1Name",
    "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2Type1Code", "EventCode",
    "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "PloverType", "PloverMode",
    "Modality", "Attribution", "SOURCEURL", "DocId", "SentenceIdx", "SentenceStart",
    "SentenceEnd", "TriggerStart", "TriggerEnd",
)


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """One event as a PLOVER record (id, date, actor, recipient, event, mode, context, text,
    text_info, cite_info, coder)."""
    ev = plover_event(row)
    return {
        "id": row["id"],
        "date": ev["date"],
        "actor": ev["actor"],
        "recipient": ev["recipient"],
        "event": ev["event"],
        "mode": ev["mode"],
        "context": ev["context"],
        "text": row.get("sentence"),
        "text_info": {
            "doc_id": row["doc_id"], "sentence_idx": row["sentence_idx"],
            "sentence_span": [row.get("sentence_start"), row.get("sentence_end")],
            "trigger": ev["trigger"], "modality": ev["modality"], "attribution": ev["attribution"],
            "date_text": ev["date_text"], "date_method": ev["date_method"], "cameo": ev["cameo"],
            "goldstein": ev["goldstein"], "quad_class": ev["quad_class"],
        },
        "cite_info": {"url": row.get("doc_url"), "source": row.get("doc_source"),
                      "title": row.get("doc_title"), "published": row.get("doc_published")},
        "coder": f"{row['coder_version']}:{row['pattern_id']}",
    }


def _cameo_row(row: dict[str, Any]) -> list[Any]:
    start = row.get("date_start") or ""
    cameo = row["cameo"]
    return [
        row["id"], start.replace("-", ""), start[:7].replace("-", ""), start[:4],
        row.get("date_precision"), row.get("source_code"), row.get("source_text"),
        row.get("source_sector"), row.get("target_code"), row.get("target_text"),
        row.get("target_sector"), cameo, cameo[:3], cameo[:2], row["quad_class"],
        row["goldstein"], row["plover_type"], row["plover_mode"], row["modality"],
        row["attribution_kind"], row.get("doc_url") or row.get("doc_source"), row["doc_id"],
        row["sentence_idx"], row.get("sentence_start"), row.get("sentence_end"),
        row["trigger_start"], row["trigger_end"],
    ]


def write_events(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> int:
    """Write event rows in ``fmt``; returns how many were written."""
    n = 0
    if fmt == "plover":
        for row in rows:
            out.write(json.dumps(plover_record(row), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "cameo-tsv":
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(CAMEO_TSV_COLUMNS)
        for row in rows:
            writer.writerow([spreadsheet_cell(v) for v in _cameo_row(row)])
            n += 1
    elif fmt == "csv":
        columns = (*EVENT.names, "sentence")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([spreadsheet_cell(row.get(c)) for c in columns])
            n += 1
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return n


def write_episodes(store: Any, out: TextIO) -> int:
    """One JSON object per episode: parties, dates, terms, answers, mentions with their
    sentences and spans, mediators and disagreements."""
    n = 0
    for summary in store.episodes():
        ep = store.episode(summary["id"])
        out.write(json.dumps(ep, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n
