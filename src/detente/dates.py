"""Calendar dates with a precision: parsing of absolute date strings.

A :class:`PartialDate` is a day, a month or a year. Its ISO form keeps the precision
(``2024-06-20``, ``2024-06``, ``2024``) so that what a source said is never sharpened.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())
}
MONTHS["sept"] = 9
_MONTH_RE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"

DAY = "day"
MONTH = "month"
YEAR = "year"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, a month or a year."""

    start: date
    precision: str

    @property
    def end(self) -> date:
        if self.precision == DAY:
            return self.start
        if self.precision == MONTH:
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start.replace(month=12, day=31)

    def iso(self) -> str:
        if self.precision == DAY:
            return self.start.isoformat()
        if self.precision == MONTH:
            return self.start.strftime("%Y-%m")
        return str(self.start.year)

    @classmethod
    def day(cls, y: int, m: int, d: int) -> PartialDate:
        return cls(date(y, m, d), DAY)


_ISO_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")
# "June 20, 2024", "Dec. 15, 2021", "June 20 2024"
_MDY_RE = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
# "25 Mar 2024", "25 March, 2024"
_DMY_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE}),?\s+(\d{{4}})\b", re.I)
# "March 2022"
_MY_RE = re.compile(rf"\b({_MONTH_RE}),?\s+(\d{{4}})\b", re.I)


def _month(token: str) -> int | None:
    return MONTHS.get(token.lower().rstrip("."))


def _safe(y: int, m: int, d: int | None) -> PartialDate | None:
    try:
        if d is None:
            return PartialDate(date(y, m, 1), MONTH)
        return PartialDate(date(y, m, d), DAY)
    except ValueError:
        return None


def parse_partial(value: object) -> PartialDate | None:
    """Parse an ISO-like (``2024``, ``2024-06``, ``2024-06-20``) or written absolute date."""
    if value is None:
        return None
    if isinstance(value, date):
        return PartialDate(value, DAY)
    text = str(value).strip()
    if not text:
        return None
    m = _ISO_RE.match(text)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        if mo is None:
            return PartialDate(date(int(y), 1, 1), YEAR)
        return _safe(int(y), int(mo), int(d) if d else None)
    found = find_date(text)
    return found[0] if found else None


def find_date(text: str) -> tuple[PartialDate, int, int] | None:
    """The first absolute written date in ``text``, with its character span."""
    best: tuple[PartialDate, int, int] | None = None
    for regex, kind in ((_MDY_RE, "mdy"), (_DMY_RE, "dmy"), (_MY_RE, "my")):
        for m in regex.finditer(text):
            if kind == "mdy":
                mo, d, y = _month(m.group(1)), int(m.group(2)), int(m.group(3))
            elif kind == "dmy":
                d, mo, y = int(m.group(1)), _month(m.group(2)), int(m.group(3))
            else:
                mo, d, y = _month(m.group(1)), None, int(m.group(2))
            if mo is None:
                continue
            parsed = _safe(y, mo, d)
            if parsed is None:
                continue
            if best is None or m.start() < best[1]:
                best = (parsed, m.start(), m.end())
            break
    return best
