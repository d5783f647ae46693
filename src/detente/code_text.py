"""Code sentences that users already have (PETRARCH-style batch mode), without a database."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .actors import load_resolver
from .coder import Coder
from .config import Settings
from .dates import parse_partial
from .nlp import load_model
from .patterns import load_patterns


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


def code_text(text: str, date: str | None, settings: Settings) -> list[dict[str, Any]]:
    """Events in ``text`` (one or more sentences), dated relative to ``date``."""
    nlp = load_model(settings.model)
    resolver = load_resolver(nlp, settings.actor_files)
    coder = Coder(load_patterns(settings.pattern_files))
    published = parse_partial(date) if date else None
    doc = nlp(text)
    mentions = resolver.mentions(doc, published.start if published else None)
    return [plover_event(e.as_row()) for e in coder.code_doc(doc, mentions, published)]


def code_records(lines: Iterable[str], settings: Settings) -> Iterator[dict[str, Any]]:
    """One output object per JSON line ``{"id", "text", "date"?}``; errors are reported inline."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": None, "line": number, "error": f"invalid JSON ({exc.msg})", "events": []}
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield {"id": record.get("id") if isinstance(record, dict) else None, "line": number,
                   "error": 'expected an object with a "text" string', "events": []}
            continue
        date = record.get("date")
        if date is not None and parse_partial(date) is None:
            yield {"id": record.get("id"), "line": number,
                   "error": f"unreadable date {date!r}; use YYYY-MM-DD", "events": []}
            continue
        yield {"id": record.get("id"), "events": code_text(record["text"], date, settings)}
