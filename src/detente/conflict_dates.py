"""Dates relative to a war: "before the war broke out", "the first two months of the war".

Wars and their dates are data (``data/events/conflicts.yaml``). The war a text means is the
one whose parties it names most among those under way when it was published.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .datafiles import DataFile, load_all, merged
from .dates import PartialDate
from .event_dates import NUMBER_WORDS, EventDate

DATA = "events/conflicts.yaml"
CONFLICT = "conflict"
_WAR = r"(?:the |this )?(?:full-scale )?(?:war|invasion|conflict)(?: in [A-Z][\w-]+)?"
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
BEFORE_DAYS = 90  # "before the war": the run-up, taken as the three months before it
START_DAYS = 30  # "at the start of the war": its first month

_FORMS = [
    ("before", re.compile(
        rf"\b(?:just |shortly |right )?before {_WAR}(?: (?:broke out|began|started))?", re.I)),
    ("first", re.compile(
        rf"\b(?:during |in |within |over )?the first (\w+) (day|week|month|year)s? of {_WAR}",
        re.I)),
    ("start", re.compile(
        rf"\b(?:at |after |soon after |shortly after )?the (?:start|beginning|outbreak|onset) of "
        rf"{_WAR}", re.I)),
    ("start", re.compile(rf"\bwhen {_WAR} (?:broke out|began|started)", re.I)),
]


@dataclass(frozen=True)
class Conflict:
    id: str
    name: str
    start: date
    end: date | None
    parties: tuple[str, ...]


def conflict_files() -> list[DataFile]:
    return load_all(DATA, "conflicts")


@lru_cache(maxsize=1)
def conflicts() -> tuple[Conflict, ...]:
    data = merged(conflict_files())
    return tuple(
        Conflict(c["id"], c["name"], date.fromisoformat(str(c["start"])),
                 date.fromisoformat(str(c["end"])) if c.get("end") else None,
                 tuple(c.get("parties") or ()))
        for c in data.get("conflicts") or []
    )


def pick_conflict(codes: Counter[str], published: PartialDate | None) -> Conflict | None:
    """The war a text most likely means by "the war"."""
    best: tuple[int, date, Conflict] | None = None
    for c in conflicts():
        if published is not None and c.start > published.end:
            continue
        score = sum(codes.get(p, 0) for p in c.parties)
        if score == 0 or sum(1 for p in c.parties if codes.get(p)) < min(2, len(c.parties)):
            continue
        if published is not None and c.end is not None and c.end < published.start - timedelta(
                days=365 * 3):
            score //= 2  # long over: "the war" more likely means a later one
        key = (score, c.start, c)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def conflict_of(code: str, published: PartialDate | None) -> Conflict | None:
    """The latest war with ``code`` among its parties that was under way at publication."""
    found = [c for c in conflicts() if code in c.parties and (published is None or (
        c.start <= published.end and (c.end is None or c.end >= published.start)))]
    return max(found, key=lambda c: c.start) if found else None


def find_conflict_expressions(text: str) -> list[tuple[int, int, str, int]]:
    """Spans of war-relative expressions: (start, end, kind, number of days)."""
    out = []
    for kind, regex in _FORMS:
        for m in regex.finditer(text):
            days = 0
            if kind == "first":
                n = NUMBER_WORDS.get(m.group(1).lower()) or (
                    int(m.group(1)) if m.group(1).isdigit() else None)
                if n is None:
                    continue
                days = n * _UNIT_DAYS[m.group(2).lower()]
            out.append((m.start(), m.end(), kind, days))
    return out


def resolve_conflict(kind: str, days: int, text: str, conflict: Conflict) -> EventDate:
    start = conflict.start
    if kind == "before":
        return EventDate(start - timedelta(days=BEFORE_DAYS), start - timedelta(days=1), "range",
                         text, CONFLICT)
    if kind == "first":
        return EventDate(start, start + timedelta(days=days - 1), "range", text, CONFLICT)
    return EventDate(start, start + timedelta(days=START_DAYS - 1), "range", text, CONFLICT)
