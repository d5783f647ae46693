"""Document metadata: header lines, HTML metadata, dates found in the text, precedence.

Precedence, highest first: explicit options, the sidecar ``meta.jsonl``, header lines at the
top of a text file, HTML metadata, a date written near the top of the text. A publication
date known only to a month or a year is sharpened to the day by a dateline in the first lines
("KHARTOUM, June 3 (Reuters) -", "Feb 28, 2019 ·") that falls inside it.
"""

from __future__ import annotations

import re
from typing import Any

from .dates import DAY, PartialDate, dateline_date, find_date, parse_partial

META_FIELDS = ("title", "author", "outlet", "published", "url")
HEADER_KEYS = {
    "title": "title",
    "author": "author",
    "by": "author",
    "outlet": "outlet",
    "source": "outlet",
    "published": "published",
    "date": "published",
    "url": "url",
}
_HEADER_RE = re.compile(r"^([A-Za-z]+):[ \t]*(.*\S)[ \t]*$")
TEXT_DATE_WINDOW = 800
DATELINE_LINES = 6  # non-empty lines at the top of the text searched for a dateline


def header_metadata(text: str) -> tuple[dict[str, str], str]:
    """Split ``key: value`` header lines (url, title, outlet, published, ...) off a text.

    The header is a run of such lines at the very top, ended by a blank line or the first
    line of another shape. Returns the fields and the remaining body.
    """
    fields: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    consumed = 0
    for line in lines:
        m = _HEADER_RE.match(line.rstrip("\r\n"))
        if not m or m.group(1).lower() not in HEADER_KEYS:
            break
        fields[HEADER_KEYS[m.group(1).lower()]] = m.group(2)
        consumed += 1
    if not fields:
        return {}, text
    return fields, "".join(lines[consumed:])


def html_metadata(extracted: Any) -> dict[str, Any]:
    """Fields from trafilatura's extraction result."""
    return {
        "title": getattr(extracted, "title", None),
        "author": getattr(extracted, "author", None),
        "outlet": getattr(extracted, "sitename", None),
        "published": getattr(extracted, "date", None),
        "url": getattr(extracted, "url", None),
    }


def date_in_text(text: str) -> PartialDate | None:
    """A publication date written near the top of the text ("June 20, 2024", "25 Mar 2024")."""
    found = find_date(text[:TEXT_DATE_WINDOW])
    return found[0] if found else None


def top_dateline(text: str, published: PartialDate | None) -> PartialDate | None:
    """The day given by a dateline in the first lines of ``text``, if it falls within
    ``published`` (any day when there is no publication date)."""
    lines = [ln for ln in text[:TEXT_DATE_WINDOW].splitlines() if ln.strip()][:DATELINE_LINES]
    for line in lines:
        found = dateline_date(line, published)
        if found is not None and (
                published is None or published.start <= found.start <= published.end):
            return found
    return None


def resolve_published(meta: dict[str, Any], text: str) -> tuple[PartialDate | None, str | None]:
    """The publication date and where it came from: the metadata, sharpened by a dateline
    when it is coarser than a day; else a dateline or a date near the top of the text."""
    parsed = parse_partial(meta.get("published"))
    if parsed is not None and parsed.precision == DAY:
        return parsed, None
    found = top_dateline(text, parsed)
    if found is not None:
        return found, "dateline"
    if parsed is not None:
        return parsed, None
    found = date_in_text(text)
    return (found, "text") if found else (None, None)
