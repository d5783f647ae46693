"""Code sentences that users already have (PETRARCH-style batch mode), without a database."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .components import build_pipeline
from .config import Settings
from .dates import PartialDate, parse_partial


def plover_event(row: dict[str, Any]) -> dict[str, Any]:
    """An event row in the record shape of `detente code` and the PLOVER export."""

    def party(prefix: str) -> dict[str, Any] | None:
        if row.get(f"{prefix}_code") is None and row.get(f"{prefix}_text") is None:
            return None
        return {
            "code": row.get(f"{prefix}_code"),
            "sector": row.get(f"{prefix}_sector"),
            "person": row.get(f"{prefix}_person"),
            "text": row.get(f"{prefix}_text"),
            "span": [row.get(f"{prefix}_start"), row.get(f"{prefix}_end")],
        }

    return {
        "actor": party("source"),
        "recipient": party("target"),
        "event": row["plover_type"],
        "mode": row["plover_mode"],
        "context": row["plover_context"],
        "cameo": row["cameo"],
        "goldstein": row["goldstein"],
        "quad_class": row["quad_class"],
        "modality": row["modality"],
        "date": row["date_start"] if row.get("date_precision") == "day" else _interval(row),
        "date_text": row.get("date_text"),
        "date_method": row.get("date_method"),
        "trigger": {"text": row["trigger_text"],
                    "span": [row["trigger_start"], row["trigger_end"]]},
        "attribution": {"kind": row["attribution_kind"], "text": row.get("attribution_text"),
                        "code": row.get("attribution_code")},
        "pattern": row["pattern_id"],
        "confidence": row["confidence"],
    }


def _interval(row: dict[str, Any]) -> str | None:
    if row.get("date_start") is None:
        return None
    return f"{row['date_start']}/{row['date_end']}"


EVENT_STAGES_ONLY = ("detente_terms", "detente_claims")  # `detente code` prints events only


def code_text(text: str, date: str | None, settings: Settings) -> list[dict[str, Any]]:
    """Events in ``text`` (one or more sentences), dated relative to ``date``."""
    return next(_code_batch([(text, parse_partial(date) if date else None)], settings))


def _code_batch(items: list[tuple[str, PartialDate | None]],
                settings: Settings) -> Iterator[list[dict[str, Any]]]:
    """Events of each ``(text, published)``, parsed together with ``nlp.pipe``."""
    nlp = build_pipeline(settings)
    docs = []
    for text, published in items:
        doc = nlp.make_doc(text)
        doc._.published = published
        docs.append(doc)
    for doc in nlp.pipe(docs, disable=[s for s in EVENT_STAGES_ONLY if s in nlp.pipe_names]):
        if doc._.errors:
            stage, reason = doc._.errors[0]
            raise RuntimeError(f"{stage} failed: {reason}")
        yield [plover_event(e.as_row()) for e in doc._.events or []]


def code_records(lines: Iterable[str], settings: Settings,
                 batch_size: int = 32) -> Iterator[dict[str, Any]]:
    """One output object per JSON line ``{"id", "text", "date"?}``; errors are reported inline."""
    pending: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pending.append(_read_record(number, line))
        if len(pending) >= batch_size:
            yield from _code_records(pending, settings)
            pending = []
    yield from _code_records(pending, settings)


def _read_record(number: int, line: str) -> dict[str, Any]:
    """The output object of a bad line, or ``{"id", "text", "published"}`` to code."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "line": number, "error": f"invalid JSON ({exc.msg})", "events": []}
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return {"id": record.get("id") if isinstance(record, dict) else None, "line": number,
                "error": 'expected an object with a "text" string', "events": []}
    date = record.get("date")
    published = parse_partial(date) if date is not None else None
    if date is not None and published is None:
        return {"id": record.get("id"), "line": number,
                "error": f"unreadable date {date!r}; use YYYY-MM-DD", "events": []}
    return {"id": record.get("id"), "text": record["text"], "published": published}


def _code_records(pending: list[dict[str, Any]], settings: Settings) -> Iterator[dict[str, Any]]:
    todo = [r for r in pending if "text" in r]
    coded = iter(_code_batch([(r["text"], r["published"]) for r in todo], settings))
    for record in pending:
        if "text" in record:
            yield {"id": record["id"], "events": next(coded)}
        else:
            yield record
