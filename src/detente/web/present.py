"""How values read on the pages: dates at their precision, numbers, and who to cite."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def when(start: Any, end: Any = None, precision: Any = None) -> str:
    """A date or interval as written at its precision: '1999', 'January 1999',
    '3 March 2023', '1970 – 1975'; 'undated' when there is none. An episode that no
    mention dates shows its articles' publication: 'published 3 March 2023', or 'before 3
    March 2023' for an object they refer back to."""
    if not start:
        return "undated"
    if precision in ("publication", "before publication"):   # an undated episode
        shown = when(start, end, "day")
        return f"published {shown}" if precision == "publication" else \
            f"before {when(end, end, 'day')}"
    s, e = str(start)[:10], str(end or start)[:10]
    whole_years = s[4:] in ("", "-01-01") and e[4:] in ("", "-12-31")
    if precision in ("year", "decade") or whole_years:
        return s[:4] if s[:4] == e[:4] else f"{s[:4]} – {e[:4]}"
    if precision == "month" and s[:7] == e[:7]:
        return _month(s)
    return _day(s) if s == e else f"{_day(s)} – {_day(e)}"


def _month(iso: str) -> str:
    try:
        return f"{MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"
    except (ValueError, IndexError):
        return iso


def _day(iso: str) -> str:
    if len(iso) == 4:
        return iso
    if len(iso) == 7:
        return _month(iso)
    try:
        return f"{int(iso[8:10])} {MONTHS[int(iso[5:7]) - 1][:3]} {iso[:4]}"
    except (ValueError, IndexError):
        return iso


def number(value: Any) -> str:
    """A number for reading: 16.6 billion, 5,000, 0.25."""
    if value is None or value == "":
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    for scale, word in SCALES:
        if abs(x) >= scale:
            return f"{x / scale:,.3g} {word}"
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.4g}"


def quantity(c: dict[str, Any]) -> str:
    """A claim's value in words: 'more than 5,000', '10,000–12,000 USD'."""
    text = number(c.get("value"))
    if c.get("value_max") is not None:
        text += f"–{number(c['value_max'])}"
    unit = c.get("unit")
    if unit and unit != "count":
        text += f" {unit}"
    if c.get("approx"):
        text = f"{c['approx']} {text}"
    return text.strip()


def cite(outlet: Any, title: Any = None, fallback: str = "untitled document") -> str:
    """How a document is named in a citation: its outlet, else its title (never a path)."""
    return str(outlet or title or fallback)


def install(env: Environment) -> None:
    env.filters["number"] = number
    env.globals["when"] = when
    env.globals["quantity"] = quantity
    env.globals["cite"] = cite
