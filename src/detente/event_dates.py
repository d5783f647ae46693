"""Event dates: resolve the temporal expression of a sentence to a calendar interval.

An event is dated by what its sentence says ("on Monday", "late 2023", "the next day"),
read against the article's publication date (the *anchor*) or against the previous event
date in the text, never by the publication date itself except as a last resort.

Conventions:

* Month/day expressions without a year ("June 14", "in March", "the end of March") take
  the most recent occurrence whose start is not after the anchor (the past is preferred).
  When the publication date is only a month or a year, the anchor is its last day.
* Tense: a weekday, a year-less month or day, or a bare season in a clause that points
  forward ("will meet on Friday", "the truce starts on Friday", "is to sign in March"; the
  caller decides, ``future=True``) takes the first occurrence that ends on or after the
  publication instead (its first day when the publication is only a month or a year).
* Weekdays: "on Thursday" in a past clause is the most recent Thursday on or before the
  publication; in a forward clause the first Thursday on or after it. The publication's
  own weekday is that very day in both cases (news style: "on Thursday" in a Thursday
  article means the same day; a week later is written "next Thursday").
* Expressions relative to the publication or to the previous event ("yesterday", "last
  week", "on Monday", "the next day") are resolved at both ends of that interval and the
  results merged, so a coarse reference date gives a coarse (``range``) answer instead of
  a false day.
* Seasons are northern-hemisphere meteorological seasons; winter Y is Dec Y-1 .. Feb Y
  ("winter 2022-23" is Dec 2022 .. Feb 2023).
* Durations ("78 days", "for 78 days", "24 hours", "30-year") are not dates.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from detente.dates import DAY, MONTH, MONTHS, YEAR, PartialDate
from detente.wordlists import alt, number_words

SEASON = "season"
DECADE = "decade"
RANGE = "range"

ABSOLUTE = "absolute"
PARTIAL = "partial"
RELATIVE = "relative"
FUZZY = "fuzzy"
ANAPHORIC = "anaphoric"
SECTION = "section"
PUBLICATION = "publication"

# Methods from the most to the least direct; a combined range takes the weaker one.
_METHOD_ORDER = (ABSOLUTE, PARTIAL, FUZZY, RELATIVE, ANAPHORIC)

# number words of the quantity vocabulary, and the article forms a date phrase counts with
# ("a week ago", "a couple of days later")
NUMBER_WORDS: dict[str, int] = {"a": 1, "an": 1, "a couple of": 2, **number_words()}

WEEKDAYS: dict[str, int] = {calendar.day_name[i].lower(): i for i in range(7)}

# Meteorological seasons (first month, last month); winter straddles the new year.
SEASONS: dict[str, tuple[int, int]] = {
    "spring": (3, 5),
    "summer": (6, 8),
    "fall": (9, 11),
    "autumn": (9, 11),
    "winter": (12, 2),
}


class Part(NamedTuple):
    """The share of a year (months), of a month (days) and of a decade (years) a qualifier means.

    Negative days count from the end of the month (-1 is the last day). ``None``: not applicable.
    """

    months: tuple[int, int]
    days: tuple[int, int] | None
    years: tuple[int, int] | None


FUZZY_PARTS: dict[str, Part] = {
    "early": Part((1, 4), (1, 10), (0, 3)),
    "beginning": Part((1, 2), (1, 10), (0, 2)),
    "mid": Part((5, 8), (11, 20), (3, 6)),
    "late": Part((9, 12), (21, -1), (7, 9)),
    "end": Part((11, 12), (-10, -1), (8, 9)),
    "first half": Part((1, 6), (1, 15), (0, 4)),
    "second half": Part((7, 12), (16, -1), (5, 9)),
    "q1": Part((1, 3), None, None),
    "q2": Part((4, 6), None, None),
    "q3": Part((7, 9), None, None),
    "q4": Part((10, 12), None, None),
}

# Qualifier as written (after an optional "the") -> key of FUZZY_PARTS.
FUZZY_QUALIFIERS: dict[str, str] = {
    "early": "early",
    "beginning of": "beginning",
    "start of": "beginning",
    "mid": "mid",
    "middle of": "mid",
    "late": "late",
    "end of": "end",
    "close of": "end",
    "first half of": "first half",
    "second half of": "second half",
    "first quarter of": "q1",
    "second quarter of": "q2",
    "third quarter of": "q3",
    "fourth quarter of": "q4",
    "q1": "q1",
    "q2": "q2",
    "q3": "q3",
    "q4": "q4",
}

# Days from the anchor.
RELATIVE_DAYS: dict[str, int] = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "the day before yesterday": -2,
    "tomorrow": 1,
    "the day after tomorrow": 2,
}

# Vague recency -> (unit, count) looked back from the anchor.
RECENT: dict[str, tuple[str, int]] = {
    "recently": ("month", 3),
    "lately": ("month", 3),
    "in recent months": ("month", 3),
    "recent months": ("month", 3),
    "in recent weeks": ("week", 4),
    "recent weeks": ("week", 4),
    "in recent days": ("day", 7),
    "recent days": ("day", 7),
    "in recent years": ("year", 3),
    "recent years": ("year", 3),
}

# Leading words that do not change the interval ("in March", "during 2014").
FILLERS: tuple[str, ...] = (
    "in the course of",
    "sometime in",
    "some time in",
    "more than",
    "as early as",
    "as late as",
    "as of",
    "during",
    "throughout",
    "in",
    "on",
    "at",
    "over",
    "around",
    "about",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "circa",
    "some",
    "just",
)

# A word just before a bare year or month that marks it as a date in running text. ("and" and
# "to" are left out: "Johnson and May"; real ranges are matched whole.)
CUES: frozenset[str] = frozenset(
    {
        "in", "on", "at", "during", "throughout", "since", "by", "until", "till", "before",
        "after", "from", "of", "early", "late", "mid", "around", "circa",
    }
)  # fmt: skip


_MON_NAMES = alt(MONTHS)
_WD_NAMES = alt(WEEKDAYS)
_DAYPART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_NUM = rf"(?P<num>\d{{1,3}}|{alt(NUMBER_WORDS)})"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_QUAL = rf"(?:the\s+)?(?P<qual>{alt(FUZZY_QUALIFIERS)})(?:\s+|-)"
_SEASON = rf"(?P<season>{alt(SEASONS)})"
_TO = r"\s*(?:-|to|until|till|through|and)\s*"
_FILLER_RE = re.compile(rf"^(?:{alt(FILLERS)})\s+", re.I)


_FULL_MONTHS = [calendar.month_name[i].lower() for i in range(1, 13)]
_MON_FULL = alt(_FULL_MONTHS)
_MON_ABBR = alt(k for k in MONTHS if k not in _FULL_MONTHS)


def _mon(name: str = "mon") -> str:
    """A month name; only an abbreviation takes a period ("Dec.", not "March.")."""
    return rf"(?P<{name}>(?:{_MON_FULL})|(?:{_MON_ABBR})\.?)"


def _day(name: str = "day") -> str:
    return rf"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"


def _year(name: str = "year") -> str:
    return rf"(?P<{name}>[12]\d{{3}})"


_WD = rf"(?P<wd>{_WD_NAMES})"
_WD_PREFIX = rf"(?:(?:{_WD_NAMES}),?\s+)?"


@dataclass(frozen=True)
class EventDate:
    """The interval in which an event took place, and how it was found."""

    start: date
    end: date
    precision: str
    text: str | None
    method: str

    def iso(self) -> str:
        """``2024-06-14``, ``2024-06``, ``2023``, or ``start/end`` for any other interval."""
        s, e = self.start, self.end
        if self.precision == DAY and s == e:
            return s.isoformat()
        if self.precision == MONTH and (s, e) == _month_bounds(s.year, s.month):
            return s.strftime("%Y-%m")
        if self.precision == YEAR and (s, e) == (date(s.year, 1, 1), date(s.year, 12, 31)):
            return str(s.year)
        return f"{s.isoformat()}/{e.isoformat()}"


class _Iv(NamedTuple):
    """A resolved interval before it becomes an :class:`EventDate` (``method``: rule's own)."""

    start: date
    end: date
    precision: str
    method: str | None = None


@dataclass(frozen=True)
class _Ctx:
    published: PartialDate | None
    last: EventDate | None
    future: bool = False


_Handler = Callable[[re.Match[str], _Ctx], _Iv | None]


@dataclass(frozen=True)
class _Rule:
    full: re.Pattern[str]
    search: re.Pattern[str] | None
    handler: _Handler
    method: str
    needs_cue: bool


_RULES: list[_Rule] = []


def _rule(pattern: str, method: str, *, needs_cue: bool = False, findable: bool = True):
    """Register ``handler`` for expressions matching ``pattern`` (tried in definition order)."""

    def register(handler: _Handler) -> _Handler:
        full = re.compile(pattern, re.I)
        search = None
        if findable:
            filler = rf"(?P<filler>(?:{alt(FILLERS)})\s+)?"
            search = re.compile(rf"(?<![\w$£€]){filler}(?:{pattern})(?![\w%]|-\w)", re.I)
        _RULES.append(_Rule(full, search, handler, method, needs_cue))
        return handler

    return register


# --- calendar helpers -------------------------------------------------------------------------


def _month_bounds(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _month_iv(y: int, m: int) -> _Iv:
    return _Iv(*_month_bounds(y, m), MONTH)


def _year_iv(y: int) -> _Iv:
    return _Iv(date(y, 1, 1), date(y, 12, 31), YEAR)


def _day_iv(d: date) -> _Iv:
    return _Iv(d, d, DAY)


def _months_iv(y: int, m1: int, m2: int, precision: str = RANGE) -> _Iv:
    """Months ``m1``..``m2`` of year ``y``; ``m1`` falls in the previous year when ``m1 > m2``."""
    start = _month_bounds(y - 1 if m1 > m2 else y, m1)[0]
    return _Iv(start, _month_bounds(y, m2)[1], precision)


def _week_iv(d: date, weeks: int = 0) -> _Iv:
    """The Monday-Sunday week containing ``d``, moved by ``weeks``."""
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=weeks)
    return _Iv(monday, monday + timedelta(days=6), RANGE)


def _weekend_iv(d: date, weeks: int = 0) -> _Iv:
    week = _week_iv(d, weeks)
    return _Iv(week.end - timedelta(days=1), week.end, RANGE)


def _shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _add_months(d: date, n: int) -> date:
    y, m = _shift_month(d.year, d.month, n)
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _back(d: date, unit: str, n: int) -> date:
    """``d`` moved ``n`` units into the past (negative ``n``: into the future)."""
    if unit == "day":
        return d - timedelta(days=n)
    if unit == "week":
        return d - timedelta(weeks=n)
    if unit == "month":
        return _add_months(d, -n)
    years = n * 10 if unit == "decade" else n
    return _add_months(d, -12 * years)


def _unit_iv(d: date, unit: str) -> _Iv:
    """The calendar unit (day, week, weekend, month, year) containing ``d``."""
    if unit == "day":
        return _day_iv(d)
    if unit == "week":
        return _week_iv(d)
    if unit == "weekend":
        return _weekend_iv(d)
    if unit == "month":
        return _month_iv(d.year, d.month)
    return _year_iv(d.year)


def _unit_step(d: date, unit: str, n: int) -> _Iv:
    """The calendar unit ``n`` units after (``n < 0``: before) the one containing ``d``."""
    if unit in ("day", "week", "weekend"):
        return _unit_iv(d + timedelta(days=n * (1 if unit == "day" else 7)), unit)
    return _unit_iv(_back(d, unit, -n), unit)


def _span(d1: date, d2: date) -> _Iv:
    """The days ``d1``..``d2`` (a single day when they coincide or cross)."""
    return _day_iv(d1) if d2 <= d1 else _Iv(d1, d2, RANGE)


def _merge(a: _Iv | None, b: _Iv | None) -> _Iv | None:
    if a is None or b is None:
        return None
    if a == b:
        return a
    return _Iv(min(a.start, b.start), max(a.end, b.end), RANGE)


def _over(ref: PartialDate | EventDate | None, fn: Callable[[date], _Iv | None]) -> _Iv | None:
    """``fn`` applied at both ends of the reference interval, merged."""
    if ref is None:
        return None
    return _merge(fn(ref.start), fn(ref.end))


def _anchor(ctx: _Ctx) -> date | None:
    """The day against which year-less dates are placed: the last day of the publication."""
    return ctx.published.end if ctx.published else None


def _earliest(anchor: date | None, make: Callable[[int], _Iv]) -> _Iv | None:
    """The first ``make(year)`` that ends on or after ``anchor``."""
    if anchor is None:
        return None
    for y in range(anchor.year - 1, anchor.year + 9):
        try:
            iv = make(y)
        except ValueError:
            continue
        if iv.end >= anchor:
            return iv
    return None


def _occurrence(ctx: _Ctx, make: Callable[[int], _Iv]) -> _Iv | None:
    """A year-less date: the next occurrence in a forward clause, else the latest one."""
    if ctx.future:
        return _earliest(ctx.published.start if ctx.published else None, make)
    return _latest(_anchor(ctx), make)


def _latest(anchor: date | None, make: Callable[[int], _Iv]) -> _Iv | None:
    """The most recent ``make(year)`` that starts on or before ``anchor``."""
    if anchor is None:
        return None
    for y in range(anchor.year + 1, anchor.year - 9, -1):
        try:
            iv = make(y)
        except ValueError:
            continue
        if iv.start <= anchor:
            return iv
    return None


def _safe(make: Callable[[], _Iv]) -> _Iv | None:
    try:
        return make()
    except ValueError:
        return None


# --- reading matched pieces -------------------------------------------------------------------


def _m(match: re.Match[str], name: str = "mon") -> int:
    return MONTHS[match.group(name).lower().rstrip(".")]


def _num(match: re.Match[str]) -> int:
    raw = re.sub(r"\s+", " ", match.group("num").lower())
    return int(raw) if raw.isdigit() else NUMBER_WORDS[raw]


def _part(match: re.Match[str]) -> Part:
    return FUZZY_PARTS[FUZZY_QUALIFIERS[re.sub(r"\s+", " ", match.group("qual").lower())]]


def _unit(match: re.Match[str]) -> str:
    return match.group("unit").lower()


def _days_of_month(y: int, m: int, days: tuple[int, int]) -> _Iv:
    first, last = _month_bounds(y, m)
    d1, d2 = (last.day + 1 + d if d < 0 else d for d in days)
    return _Iv(first.replace(day=d1), last.replace(day=d2), RANGE)


def _season_iv(season: str, label: int) -> _Iv:
    m1, m2 = SEASONS[season.lower()]
    return _months_iv(label, m1, m2, SEASON)


def _decade_start(match: re.Match[str]) -> int:
    if match.group("dec"):
        return int(match.group("dec"))
    dd = int(match.group("dd"))
    return (1900 if dd >= 30 else 2000) + dd


# --- absolute ---------------------------------------------------------------------------------


@_rule(r"(?P<year>[12]\d{3})[-/](?P<mo>\d{1,2})[-/](?P<day>\d{1,2})", ABSOLUTE)
def _iso_day(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _safe(lambda: _day_iv(date(int(m["year"]), int(m["mo"]), int(m["day"]))))


@_rule(rf"{_WD_PREFIX}{_mon()}\s+{_day()},?\s+{_year()}", ABSOLUTE)
@_rule(rf"{_WD_PREFIX}(?:the\s+)?{_day()}\s+(?:of\s+)?{_mon()},?\s+{_year()}", ABSOLUTE)
def _full_date(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _safe(lambda: _day_iv(date(int(m["year"]), _m(m), int(m["day"]))))


@_rule(rf"{_mon()}\s+{_day('d1')}{_TO}{_day('d2')},?\s+{_year()}", ABSOLUTE)
@_rule(rf"{_day('d1')}{_TO}{_day('d2')}\s+(?:of\s+)?{_mon()},?\s+{_year()}", ABSOLUTE)
def _day_range(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    y, mo = int(m["year"]), _m(m)
    return _safe(lambda: _span(date(y, mo, int(m["d1"])), date(y, mo, int(m["d2"]))))


@_rule(rf"(?:from\s+|between\s+)?{_mon('m1')}{_TO}{_mon('m2')},?\s+{_year()}", ABSOLUTE)
def _month_range(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _months_iv(int(m["year"]), _m(m, "m1"), _m(m, "m2"))


@_rule(rf"{_mon()},?\s+(?:of\s+)?{_year()}", ABSOLUTE)
def _month_year(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _month_iv(int(m["year"]), _m(m))


@_rule(rf"(?:from\s+|between\s+)?{_year('y1')}{_TO}(?P<y2>[12]\d{{3}}|\d{{2}})", ABSOLUTE)
def _year_range(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    y1, raw = int(m["y1"]), m["y2"]
    if len(raw) == 2:
        y2 = y1 // 100 * 100 + int(raw)
        if y2 != y1 + 1 and int(raw) <= 12:
            return None  # "2021-12" is a month, "2022-23" a span of years
    else:
        y2 = int(raw)
    return _Iv(date(y1, 1, 1), date(y2, 12, 31), RANGE) if 0 < y2 - y1 <= 100 else None


@_rule(rf"{_year()}-(?P<mo>\d{{2}})", ABSOLUTE)
def _iso_month(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _safe(lambda: _month_iv(int(m["year"]), int(m["mo"])))


@_rule(rf"(?:the\s+year\s+(?:of\s+)?)?{_year()}", ABSOLUTE, needs_cue=True)
def _year_only(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _year_iv(int(m["year"]))


_DECADE = r"(?:(?P<dec>[12]\d{2}0)|'(?P<dd>\d0))'?s"


@_rule(rf"(?:the\s+)?{_DECADE}", ABSOLUTE)
def _decade(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    y = _decade_start(m)
    return _Iv(date(y, 1, 1), date(y + 9, 12, 31), DECADE)


# --- fuzzy ------------------------------------------------------------------------------------


@_rule(rf"{_QUAL}(?:the\s+)?{_DECADE}", FUZZY)
def _fuzzy_decade(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    years = _part(m).years
    if years is None:
        return None
    y = _decade_start(m)
    return _Iv(date(y + years[0], 1, 1), date(y + years[1], 12, 31), RANGE)


@_rule(rf"{_QUAL}(?:the\s+year\s+)?{_year()}", FUZZY)
def _fuzzy_year(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _months_iv(int(m["year"]), *_part(m).months)


@_rule(rf"{_QUAL}{_mon()},?\s+{_year()}", FUZZY)
def _fuzzy_month_year(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    days = _part(m).days
    return _days_of_month(int(m["year"]), _m(m), days) if days else None


@_rule(rf"{_QUAL}{_mon()}", FUZZY)
def _fuzzy_month(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    days = _part(m).days
    if days is None:
        return None
    return _occurrence(ctx, lambda y: _days_of_month(y, _m(m), days))


@_rule(
    rf"(?:the\s+)?{_SEASON}\s+(?:of\s+)?{_year()}(?:\s*[-/]\s*(?P<y2>[12]\d{{3}}|\d{{2}}))?", FUZZY
)
def _season_year(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    y = int(m["year"])
    if m["y2"]:
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else y // 100 * 100 + int(m["y2"])
        if y2 != y + 1 or m["season"].lower() != "winter":
            return None
        y = y2
    return _season_iv(m["season"], y)


# --- partial (no year: the latest occurrence not after the publication) -----------------------


@_rule(rf"{_WD_PREFIX}{_mon()}\s+{_day()}", PARTIAL)
@_rule(rf"{_WD_PREFIX}(?:the\s+)?{_day()}\s+(?:of\s+)?{_mon()}", PARTIAL)
def _month_day(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _occurrence(ctx, lambda y: _day_iv(date(y, _m(m), int(m["day"]))))


@_rule(rf"{_mon()}\s+{_day('d1')}{_TO}{_day('d2')}", PARTIAL)
@_rule(rf"{_day('d1')}{_TO}{_day('d2')}\s+(?:of\s+)?{_mon()}", PARTIAL)
def _partial_day_range(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    d1, d2, mo = int(m["d1"]), int(m["d2"]), _m(m)
    return _occurrence(ctx, lambda y: _span(date(y, mo, d1), date(y, mo, d2)))


@_rule(rf"(?:from\s+|between\s+)?{_mon('m1')}{_TO}{_mon('m2')}", PARTIAL, needs_cue=True)
def _partial_month_range(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    m1, m2 = _m(m, "m1"), _m(m, "m2")
    return _occurrence(ctx, lambda y: _months_iv(y, m1, m2))


@_rule(_mon(), PARTIAL, needs_cue=True)
def _month_only(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _occurrence(ctx, lambda y: _month_iv(y, _m(m)))


def _on_or_before(wd: int, strict: bool = False) -> Callable[[date], _Iv]:
    def at(d: date) -> _Iv:
        back = (d.weekday() - wd) % 7 or (7 if strict else 0)
        return _day_iv(d - timedelta(days=back))

    return at


def _after(wd: int, strict: bool = True) -> Callable[[date], _Iv]:
    return lambda d: _day_iv(d + timedelta(days=(wd - d.weekday()) % 7 or (7 if strict else 0)))


@_rule(rf"(?:(?:early|late)\s+(?:on\s+)?)?{_WD}{_DAYPART}", PARTIAL)
def _weekday(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    wd = WEEKDAYS[m["wd"].lower()]
    return _over(ctx.published, _after(wd, strict=False) if ctx.future else _on_or_before(wd))


@_rule(rf"(?:the\s+)?{_SEASON}", PARTIAL, needs_cue=True)
def _season_only(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _occurrence(ctx, lambda y: _season_iv(m["season"], y))


# --- relative to the publication --------------------------------------------------------------


@_rule(rf"(?P<key>{alt(RELATIVE_DAYS)}){_DAYPART}", RELATIVE)
def _relative_day(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n = RELATIVE_DAYS[re.sub(r"\s+", " ", m["key"].lower())]
    return _over(ctx.published, lambda d: _day_iv(d + timedelta(days=n)))


@_rule(rf"{_NUM}\s+{_UNIT}\s+ago", RELATIVE)
def _ago(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n, unit = _num(m), _unit(m)
    if unit in ("day", "week"):
        return _over(ctx.published, lambda d: _day_iv(_back(d, unit, n)))
    coarse = "month" if unit == "month" else "year"
    return _over(ctx.published, lambda d: _unit_iv(_back(d, unit, n), coarse))


_STEP = {"last": -1, "this past": -1, "this": 0, "next": 1, "this coming": 1}
_STEP_RE = r"(?P<rel>this\s+past|this\s+coming|last|this|next)"


def _step(m: re.Match[str]) -> int:
    return _STEP[re.sub(r"\s+", " ", m["rel"].lower())]


@_rule(rf"{_STEP_RE}\s+(?P<unit>week|weekend|month|year)", RELATIVE)
def _calendar_unit(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n, unit = _step(m), _unit(m)
    return _over(ctx.published, lambda d: _unit_step(d, unit, n))


@_rule(rf"{_STEP_RE}\s+{_WD}{_DAYPART}", RELATIVE)
def _relative_weekday(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n, wd = _step(m), WEEKDAYS[m["wd"].lower()]
    fn = _after(wd) if n > 0 else _on_or_before(wd, strict=n < 0)
    return _over(ctx.published, fn)


@_rule(rf"{_STEP_RE}\s+{_mon()}", RELATIVE)
def _relative_month(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n, mo, anchor = _step(m), _m(m), _anchor(ctx)
    if anchor is None:
        return None
    if n == 0:
        return _month_iv(anchor.year, mo)
    if n < 0:
        return _month_iv(anchor.year - (mo >= anchor.month), mo)
    return _month_iv(anchor.year + (mo <= anchor.month), mo)


@_rule(rf"{_STEP_RE}\s+{_SEASON}", RELATIVE)
def _relative_season(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n, season, anchor = _step(m), m["season"], _anchor(ctx)
    if anchor is None:
        return None
    around = [_season_iv(season, y) for y in range(anchor.year - 2, anchor.year + 3)]
    if n > 0:
        return next((iv for iv in around if iv.start > anchor), None)
    if n < 0:
        return next((iv for iv in reversed(around) if iv.end < anchor), None)
    current = [iv for iv in around if iv.start <= anchor <= iv.end]
    return current[0] if current else _season_iv(season, anchor.year)


@_rule(r"(?P<rel>earlier|later)\s+this\s+(?P<unit>week|month|year)", RELATIVE)
def _earlier_later(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _over(ctx.published, _within(m["rel"].lower(), _unit(m)))


def _within(rel: str, unit: str) -> Callable[[date], _Iv]:
    """The part of the unit containing ``d`` before (``earlier``) or after (``later``) ``d``."""

    def at(d: date) -> _Iv:
        whole = _unit_iv(d, unit)
        if rel == "earlier":
            return _span(whole.start, max(whole.start, d - timedelta(days=1)))
        return _span(min(whole.end, d + timedelta(days=1)), whole.end)

    return at


@_rule(rf"(?:the\s+)?(?:past|last)\s+(?:{_NUM}\s+)?{_UNIT}(?!\s+of\b)", RELATIVE)
def _rolling(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    """A window back from the publication ("the past two years"); "last week" matched before."""
    n, unit = (_num(m) if m["num"] else 1), _unit(m)
    if m["num"] is None and (unit == "day" or m.group(0).lower().endswith("s")):
        return None  # "the last day" (of the talks) is not relative; "the past years" is vague
    return _over(ctx.published, lambda d: _span(_back(d, unit, n), d))


@_rule(rf"(?P<key>{alt(RECENT)})", RELATIVE)
def _recent(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    unit, n = RECENT[re.sub(r"\s+", " ", m["key"].lower())]
    return _over(ctx.published, lambda d: _span(_back(d, unit, n), d))


# --- anaphoric: relative to the previous event date -------------------------------------------

_DIRECTION = {
    "next": 1,
    "following": 1,
    "after": 1,
    "later": 1,
    "afterwards": 1,
    "afterward": 1,
    "previous": -1,
    "preceding": -1,
    "prior": -1,
    "before": -1,
    "earlier": -1,
    "previously": -1,
}
_DAY_UNITS = r"day|morning|afternoon|evening|night"
# "after"/"before" closing the expression: "two days after the vote" counts from the vote.
_ALONE = r"(?!\s+[\w'])"


def _dir(m: re.Match[str]) -> int:
    return _DIRECTION[m["dir"].lower()]


def _norm_unit(unit: str) -> str:
    return "day" if re.fullmatch(_DAY_UNITS, unit, re.I) else unit.lower()


@_rule(
    r"(?:the\s+)?(?P<dir>next|following|previous|preceding|prior)\s+"
    rf"(?P<unit>{_DAY_UNITS}|week|weekend|month|year)",
    ANAPHORIC,
)
@_rule(rf"the\s+(?P<unit>{_DAY_UNITS}|week|month|year)\s+(?P<dir>before|after){_ALONE}", ANAPHORIC)
def _adjacent(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n, unit = _dir(m), _norm_unit(m["unit"])
    return _over(ctx.last, lambda d: _unit_step(d, unit, n))


@_rule(
    rf"{_NUM}\s+{_UNIT}\s+(?P<dir>later|afterwards?|earlier|previously|(?:after|before){_ALONE})",
    ANAPHORIC,
)
def _offset(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    n, unit = _num(m) * _dir(m), _unit(m)
    if unit in ("day", "week"):
        return _over(ctx.last, lambda d: _day_iv(_back(d, unit, -n)))
    coarse = "month" if unit == "month" else "year"
    return _over(ctx.last, lambda d: _unit_iv(_back(d, unit, -n), coarse))


@_rule(
    r"(?:hours|minutes|moments)\s+later|(?:later|earlier)\s+(?:that|the\s+same)\s+day"
    rf"|(?:the\s+)?same\s+(?:{_DAY_UNITS})|that\s+(?:{_DAY_UNITS})",
    ANAPHORIC,
)
def _same_day(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    last = ctx.last
    return _Iv(last.start, last.end, last.precision) if last else None


@_rule(r"(?:the\s+same|that)\s+(?P<unit>week|month|year)", ANAPHORIC)
def _same_unit(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _over(ctx.last, lambda d: _unit_iv(d, _unit(m)))


@_rule(r"(?P<rel>earlier|later)\s+(?:that|the\s+same)\s+(?P<unit>week|month|year)", ANAPHORIC)
def _earlier_later_that(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    return _over(ctx.last, _within(m["rel"].lower(), _unit(m)))


# --- combined ranges --------------------------------------------------------------------------


@_rule(
    r"(?:from|between)\s+(?P<a>.+?)\s+(?:to|and|until|till|through)\s+(?P<b>.+)",
    ABSOLUTE,
    findable=False,
)
def _between(m: re.Match[str], ctx: _Ctx) -> _Iv | None:
    a = resolve_expression(m["a"], ctx.published, ctx.last, future=ctx.future)
    b = resolve_expression(m["b"], ctx.published, ctx.last, future=ctx.future)
    if a is None or b is None or b.end < a.start:
        return None
    return _Iv(a.start, b.end, RANGE, max(a.method, b.method, key=_METHOD_ORDER.index))


# --- dateparser fallback ----------------------------------------------------------------------

_DP_GATE = re.compile(rf"\b(?:{_MON_NAMES})\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b", re.I)
_HAS_YEAR = re.compile(r"\b[12]\d{3}\b")
_DP_PRECISION = {"day": DAY, "time": DAY, "month": MONTH, "year": YEAR}


@lru_cache(maxsize=64)
def _date_parser(anchor: date | None, future: bool = False):
    from dateparser.date import DateDataParser  # slow to import; only needed as a fallback

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
    }
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    return DateDataParser(languages=["en"], settings=settings)


def _fallback(expr: str, published: PartialDate | None, future: bool = False
              ) -> EventDate | None:
    """dateparser, only for written dates this module does not parse itself."""
    has_year = bool(_HAS_YEAR.search(expr))
    if not _DP_GATE.search(expr) or (published is None and not has_year):
        return None
    anchor = (published.start if future else published.end) if published else None
    data = _date_parser(anchor, future).get_date_data(expr)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    precision = _DP_PRECISION.get(data.period or "day", DAY)
    if precision == MONTH:
        iv = _month_iv(d.year, d.month)
    elif precision == YEAR:
        iv = _year_iv(d.year)
    else:
        iv = _day_iv(d)
    return EventDate(iv.start, iv.end, iv.precision, expr, ABSOLUTE if has_year else PARTIAL)


# --- public API -------------------------------------------------------------------------------


def _normalize(text: str) -> str:
    text = re.sub(r"[\u2012\u2013\u2014]", "-", text).replace("\u2019", "'")
    text = re.sub(r"\s+", " ", text).strip(' ,;:()"')
    text = re.sub(r"(?<=\d)\.$", "", text)
    return re.sub(r"(?<=[a-z])'s$", "", text, flags=re.I)


def _apply(expr: str, ctx: _Ctx) -> EventDate | None:
    for rule in _RULES:
        m = rule.full.fullmatch(expr)
        if not m:
            continue
        iv = rule.handler(m, ctx)
        if iv is not None:
            return EventDate(iv.start, iv.end, iv.precision, None, iv.method or rule.method)
    return None


def resolve_expression(
    text: str, published: PartialDate | None, last: EventDate | None = None, *,
    future: bool = False,
) -> EventDate | None:
    """Resolve one temporal expression (e.g. the text of a spaCy DATE entity) to an interval.

    ``future``: the expression's clause points forward ("will meet on Friday"), so year-less
    and weekday expressions take their next occurrence instead of the latest one."""
    written = _normalize(text)
    ctx = _Ctx(published, last, future)
    expr = written
    while expr:
        found = _apply(expr, ctx)
        if found is not None:
            return _plausible(replace(found, text=written), published)
        stripped = _FILLER_RE.sub("", expr, count=1)
        if stripped == expr:
            break
        expr = stripped
    found = _fallback(written, published, future)
    return _plausible(replace(found, text=written), published) if found else None


# How far after the publication (or today) a date may lie: plans reach a few decades ahead;
# a number beyond that is a resolution, a flight or a count, not a year ("Resolution 2202").
MAX_YEARS_AHEAD = 30


def _plausible(found: EventDate, published: PartialDate | None) -> EventDate | None:
    base = published.end.year if published else date.today().year
    return None if found.start.year > base + MAX_YEARS_AHEAD else found


_NAMED = re.compile(rf"\b(?:{_MON_NAMES}|{_WD_NAMES})\b", re.I)


def _capitalized(span: str) -> bool:
    """Month and weekday names must be capitalized in running text ("may", "march")."""
    return all(w.group(0)[0].isupper() for w in _NAMED.finditer(span))


def _cued(text: str, m: re.Match[str]) -> bool:
    if m["filler"]:
        return True
    before = re.search(r"(\w+)[\s,]*$", text[: m.start()])
    return bool(before) and before.group(1).lower() in CUES


# Any real expression resolves against these; impossible ones ("June 31") do not.
_PROBE = _Ctx(
    PartialDate.day(2100, 6, 15),
    EventDate(date(2100, 6, 1), date(2100, 6, 1), DAY, None, ABSOLUTE),
)


def _candidates(text: str) -> list[tuple[int, int]]:
    spans = []
    for rule in _RULES:
        if rule.search is None:
            continue
        for m in rule.search.finditer(text):
            if not _capitalized(m.group(0)) or (rule.needs_cue and not _cued(text, m)):
                continue
            if rule.handler(m, _PROBE) is not None:
                spans.append((m.start(), m.end()))
    return spans


def _non_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda se: (se[0] - se[1], se[0])):
        if all(e <= ks or s >= ke for ks, ke in kept):
            kept.append((s, e))
    return sorted(kept)


def find_expressions(text: str) -> list[tuple[int, int]]:
    """Character spans of temporal expressions in a sentence that spaCy's NER may miss or split
    (e.g. "Dec. 15, 2021", "late 2023", "the next day", "in March", "at the end of March",
    "two years ago"). Used in addition to spaCy DATE entities."""
    return _non_overlapping(_candidates(text))


_BARE_YEAR = re.compile(r"(?<![\w$£€.,])(?:1[89]\d\d|20\d\d)(?![\w%]|[.,]\d)")


def section_date(heading: str, published: PartialDate | None) -> EventDate | None:
    """The date a heading ("Second Proposal — 2014", "March 2022: talks") gives the paragraphs
    under it (method "section"), or None when the heading holds no date."""
    spans = _candidates(heading)
    latest = published.end.year + 1 if published else 9999
    spans += [(m.start(), m.end()) for m in _BARE_YEAR.finditer(heading) if int(m[0]) <= latest]
    for s, e in _non_overlapping(spans):
        found = resolve_expression(heading[s:e], published)
        if found is not None:
            return replace(found, method=SECTION)
    return None


def publication_fallback(published: PartialDate | None) -> EventDate | None:
    """Last resort: the publication date, method "publication"."""
    if published is None:
        return None
    return EventDate(published.start, published.end, published.precision, None, PUBLICATION)


# -- dates of agreements referred to again within a document -------------------------------
# Methods of dates an event only borrows from its surroundings, not from its own clause.
BORROWED_METHODS = ("paragraph", "context", "section", PUBLICATION)


@dataclass
class MadeDates:
    """When the agreements of one document were made, for a later reference to one ("the
    agreement", "the deal", "the accord") to take that date instead of the article's, or of a
    date in its sentence that belongs to something else ("the agreement would begin at 7
    a.m."). Within-document object coreference only: the agreement's own dated mention (its
    signing or agreeing with a date of its own, or "the 2015 accord") dates the later ones.

    ``made`` holds (CAMEO code, date) in text order; ``named`` the dates of mentions like "the
    2015 accord" anywhere in the document, for references that come before them."""

    made: list[tuple[str, EventDate, frozenset[str]]] = field(default_factory=list)
    named: list[tuple[str, EventDate]] = field(default_factory=list)

    def note(self, cameo: str, when: EventDate | None, nouns: frozenset[str] = frozenset()
             ) -> None:
        """An agreement made at ``when``, called by the nouns ``nouns`` ("deal", "accord")."""
        if when is not None and when.method not in BORROWED_METHODS:
            self.made.append((cameo, when, nouns))

    def name(self, cameo: str, when: EventDate | None) -> None:
        """A mention that names an agreement by its date ("the 2015 accord")."""
        if when is not None:
            self.named.append((cameo, when))

    def of(self, prefer: tuple[str, ...], noun: str = "") -> EventDate | None:
        """The date of the agreement a reference of one of the codes ``prefer`` is to: the
        last one made so far called by the same noun, else of those codes, else any; with none
        made so far, the only one the document names by its date."""
        for found in ([d for _c, d, n in self.made if noun in n],
                      [d for c, d, _n in self.made if c.startswith(prefer)],
                      [d for _c, d, _n in self.made]):
            if found:
                return found[-1]
        named = {(d.start, d.end): d for _c, d in self.named}
        return next(iter(named.values())) if len(named) == 1 else None
