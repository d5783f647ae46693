"""Document metadata: header lines, HTML metadata, dates found in the text, precedence.

Precedence, highest first: explicit options, the sidecar ``meta.jsonl``, header lines at the
top of a text file, HTML metadata, a date written near the top of the text.
"""

from __future__ import annotations

import re
from typing import Any

from .dates import PartialDate, find_date, parse_partial

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


def resolve_published(meta: dict[str, Any], text: str) -> tuple[PartialDate | None, str | None]:
    """The publication date and where it came from, falling back to a date in the text."""
    parsed = parse_partial(meta.get("published"))
    if parsed is not None:
        return parsed, None
    found = date_in_text(text)
    return (found, "text") if found else (None, None)
