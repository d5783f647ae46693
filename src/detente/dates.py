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


# -- datelines -------------------------------------------------------------------------------
# "KHARTOUM, June 3 (Reuters) -", "OHRID, North Macedonia, March 18, 2023 (AP) —",
# "WASHINGTON (AP) —": a capitalised place, an optional date, an optional agency, a dash.
_DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'\-]+(?:[ \-][A-Z][A-Z.'\-]+)*"
    r"(?:,\s*(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)[A-Z][\w.'\-]*"
    r"(?:\s+[A-Z][\w.'\-]*){0,3})?)"
    rf"(?:,?\s+(?P<date>(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?{_MONTH_RE}\s+"
    r"\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&'\-]{0,30})\))?\s*[-\u2013\u2014]{1,2}(?:\s|$)")
# "Feb 28, 2019 ·", "Feb 28, 2019, 5:40 AM | Updated: ...", "28 February 2019 -": a line
# that starts with a full date and a time or a separator.
_DATE_LINE_RE = re.compile(
    rf"^\s*(?P<date>(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?|\d{{1,2}}\s+{_MONTH_RE},?)"
    r"\s+\d{4})(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?"
    r"\s*(?:[|\u00b7\u2022\u2013\u2014-]|$)", re.M)


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of an article or paragraph; ``end``: where the story begins."""

    place: str | None
    date_text: str | None
    agency: str | None
    end: int


def find_dateline(text: str) -> Dateline | None:
    """The dateline that opens ``text`` (a paragraph or an article's first lines), if any.

    Only a dateline with a date or an agency counts ("WASHINGTON –" alone may be a heading)."""
    m = _DATELINE_RE.match(text)
    if m and (m["date"] or m["agency"]) and len(m["place"]) >= 3:
        return Dateline(m["place"], m["date"], m["agency"], m.end())
    m = _DATE_LINE_RE.match(text)
    if m:
        return Dateline(None, m["date"], None, m.end())
    return None


def dateline_date(text: str, published: PartialDate | None) -> PartialDate | None:
    """The day a dateline at the start of ``text`` gives. A dateline without a year
    ("KHARTOUM, June 3 (Reuters) -") takes its year from ``published``: the latest such day
    on or before the publication's last day; without a publication date it gives nothing."""
    found = find_dateline(text)
    if found is None or found.date_text is None:
        return None
    written = re.sub(r"^[A-Za-z]+day,?\s+", "", found.date_text)
    full = find_date(written)
    if full is not None and full[0].precision == DAY:
        return full[0]
    m = re.match(rf"({_MONTH_RE})\s+(\d{{1,2}})", written)
    month = _month(m.group(1)) if m else None
    if m is None or month is None or published is None:
        return None
    anchor = published.end
    for year in (anchor.year, anchor.year - 1):
        day = _safe(year, month, int(m.group(2)))
        if day is not None and day.start <= anchor:
            return day
    return None
