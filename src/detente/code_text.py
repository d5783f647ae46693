"""Code sentences that users already have (PETRARCH-style batch mode), without a database."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.tokens import Doc

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


MAX_RECORD_CHARS = 1_000_000  # spaCy's own limit for one text (E088)


def code_text(text: str, date: str | None, settings: Settings) -> list[dict[str, Any]]:
    """Events in ``text`` (one or more sentences), dated relative to ``date``."""
    events, error = next(_code_batch([(text, parse_partial(date) if date else None)], settings))
    if error:
        raise RuntimeError(error)
    return events


def _code_batch(items: list[tuple[str, PartialDate | None]], settings: Settings
                ) -> Iterator[tuple[list[dict[str, Any]], str | None]]:
    """Events of each ``(text, published)``, parsed together with ``nlp.pipe``, each with the
    reason it failed (or None); a batch that fails is parsed again one text at a time."""
    nlp = build_pipeline(settings)
    disable = [s for s in EVENT_STAGES_ONLY if s in nlp.pipe_names]

    def make(text: str, published: PartialDate | None) -> Doc:
        doc = nlp.make_doc(text)
        doc._.published = published
        return doc

    try:
        docs: list[Doc | str] = list(nlp.pipe([make(t, p) for t, p in items], disable=disable))
    except Exception:  # parse one by one, so that only the bad record fails
        docs = []
        for text, published in items:
            try:
                docs.append(next(iter(nlp.pipe([make(text, published)], disable=disable))))
            except Exception as exc:
                docs.append(f"processing failed ({type(exc).__name__}: {exc})")
    for doc in docs:
        if isinstance(doc, str):
            yield [], doc
        elif doc._.errors:
            stage, reason = doc._.errors[0]
            yield [], f"processing failed in {stage} ({reason})"
        else:
            yield [plover_event(e.as_row()) for e in doc._.events or []], None


def code_records(lines: Iterable[str | bytes], settings: Settings,
                 batch_size: int = 32) -> Iterator[dict[str, Any]]:
    """One output object per JSON line ``{"id", "text", "date"?}``; a bad line gives an object
    with ``line`` and ``error`` and the others are coded all the same. ``lines`` may be bytes
    (each decoded as UTF-8 on its own, so one bad byte spoils only its line)."""
    pending: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                pending.append(_bad(None, number, f"invalid UTF-8 (byte {exc.start + 1} of the "
                                                  "line); save the input as UTF-8"))
                continue
        if not line.strip():
            continue
        pending.append(_read_record(number, line))
        if len(pending) >= batch_size:
            yield from _code_records(pending, settings)
            pending = []
    yield from _code_records(pending, settings)


def _bad(record_id: Any, number: int, reason: str) -> dict[str, Any]:
    return {"id": record_id, "line": number, "error": reason, "events": []}


def _read_record(number: int, line: str) -> dict[str, Any]:
    """The output object of a bad line, or ``{"id", "text", "published"}`` to code."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return _bad(None, number, f"invalid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return _bad(record.get("id") if isinstance(record, dict) else None, number,
                    'expected an object with a "text" string')
    record_id = record.get("id")
    if len(record["text"]) > MAX_RECORD_CHARS:
        return _bad(record_id, number, f"text too long ({len(record['text']):,} characters, "
                                       f"limit {MAX_RECORD_CHARS:,}); split it into records")
    date = record.get("date")
    published = parse_partial(date) if isinstance(date, str) else None
    if date is not None and published is None:
        return _bad(record_id, number, f"unreadable date {date!r}; use YYYY-MM-DD")
    return {"id": record_id, "text": record["text"], "published": published, "line": number}


def _code_records(pending: list[dict[str, Any]], settings: Settings) -> Iterator[dict[str, Any]]:
    todo = [r for r in pending if "text" in r]
    coded = iter(_code_batch([(r["text"], r["published"]) for r in todo], settings))
    for record in pending:
        if "text" not in record:
            yield record
            continue
        events, error = next(coded)
        yield _bad(record["id"], record["line"], error) if error else {
            "id": record["id"], "events": events}
