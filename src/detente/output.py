"""Plain-text tables and JSON lines for the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV/TSV cell that a spreadsheet will not run as a formula: text beginning with
    ``= + - @``, tab or carriage return gets a leading apostrophe (numbers are left alone);
    None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any, width: int | None) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: TextIO,
                widths: dict[str, int] | None = None) -> None:
    """Print ``rows`` as an aligned table with a header line."""
    widths = widths or {}
    cells = [[_cell(r.get(c), widths.get(c)) for c in columns] for r in rows]
    sizes = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(sizes[i]) for i, c in enumerate(columns)).rstrip() + "\n")
    out.write("  ".join("-" * n for n in sizes) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(sizes[i]) for i, v in enumerate(row)).rstrip() + "\n")


def print_json_lines(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None,
                     out: TextIO) -> None:
    """One JSON object per row, with the table's fields."""
    for row in rows:
        obj = {c: row.get(c) for c in columns} if columns else row
        out.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
