"""Tense of the clause a date sits in, and the event dates it gives, on real spaCy parses
(sentences of our own)."""

from __future__ import annotations

import pytest

from detente.code_text import code_text
from detente.coder import _date_clause
from detente.config import Settings
from detente.tense import points_forward

THURSDAY = "2024-06-20"


@pytest.mark.parametrize(
    ("text", "date_text", "forward"),
    [
        ("The envoy met the rebels on Tuesday.", "Tuesday", False),
        ("The leaders will meet on Friday.", "Friday", True),
        ("The two armies will start a truce on Friday morning.", "Friday", True),
        ("The ceasefire starts at 7 a.m. on Friday, the mediator said.", "Friday", True),
        ("The delegations are meeting on Monday.", "Monday", True),
        ("The envoy is to arrive in the capital on Tuesday.", "Tuesday", True),
        ("The truce is expected to begin at dawn on Saturday, officials said.", "Saturday",
         True),
        ("The talks were expected to start on Thursday.", "Thursday", False),
        ("The minister said on Thursday that talks would resume on Monday.", "Thursday", False),
        ("The minister said on Thursday that talks would resume on Monday.", "Monday", True),
        ("He said he would have signed the deal on Monday.", "Monday", False),
        ("The two sides have agreed on Monday to exchange prisoners.", "Monday", False),
        ("The president broke his pledge to hold elections in June.", "June", False),
        ("The general has not endorsed a pledge to free 300 prisoners by April 5.", "April 5",
         True),
    ],
)
def test_points_forward(nlp, text: str, date_text: str, forward: bool) -> None:
    doc = nlp(text)
    span = next(e for e in doc.ents if e.label_ == "DATE" and date_text in e.text)
    assert points_forward(_date_clause(span)) is forward


def _dated(text: str, event: str, published: str) -> dict:
    found = [e for e in code_text(text, published, Settings()) if e["event"] == event]
    assert found, text
    return found[0]


@pytest.mark.parametrize(
    ("text", "event", "published", "date", "method"),
    [
        # past and forward weekdays around a Thursday publication
        ("Sudan and Chad signed a border accord on Tuesday.", "SUPPORT", THURSDAY,
         "2024-06-18", "partial"),
        ("Sudan and Chad will sign a border accord on Tuesday.", "SUPPORT", THURSDAY,
         "2024-06-25", "partial"),
        ("Sudan and Chad signed a border accord early on Thursday.", "SUPPORT", THURSDAY,
         "2024-06-20", "partial"),
        ("Sudan and Chad will sign a border accord on Thursday.", "SUPPORT", THURSDAY,
         "2024-06-20", "partial"),
        ("Sudan and Chad signed a border accord Wednesday night.", "SUPPORT", THURSDAY,
         "2024-06-19", "partial"),
        # year boundary: a Saturday 31 December
        ("Peru will meet Chile on Monday.", "CONSULT", "2022-12-31", "2023-01-02", "partial"),
        ("Peru met Chile on Monday.", "CONSULT", "2022-12-31", "2022-12-26", "partial"),
        ("Peru will meet Chile on January 4.", "CONSULT", "2022-12-31", "2023-01-04",
         "partial"),
        # relative units and seasons
        ("Peru met Chile last week.", "CONSULT", THURSDAY, "2024-06-10/2024-06-16", "relative"),
        ("Peru met Chile in the spring of 2019.", "CONSULT", THURSDAY,
         "2019-03-01/2019-05-31", "fuzzy"),
        ("Peru met Chile in mid-March.", "CONSULT", THURSDAY, "2024-03-11/2024-03-20",
         "fuzzy"),
        ("Peru will meet Chile in mid-March.", "CONSULT", THURSDAY, "2025-03-11/2025-03-20",
         "fuzzy"),
        # no date in the text: the publication, marked as a fallback
        ("Peru met Chile.", "CONSULT", THURSDAY, "2024-06-20", "publication"),
    ],
)
def test_event_dates(text: str, event: str, published: str, date: str, method: str) -> None:
    ev = _dated(text, event, published)
    assert (ev["date"], ev["date_method"]) == (date, method)


def test_no_publication_date_leaves_weekdays_undated() -> None:
    ev = _dated("Peru will meet Chile on Monday.", "CONSULT", None)
    assert ev["date"] is None


@pytest.mark.parametrize(
    ("text", "event", "date", "method"),
    [
        # a date inside a noun phrase dates that noun, and a clause whose subject it is ...
        ("The 2016 accord was signed by Peru and Chile.", "SUPPORT", "2016-01-01/2016-12-31",
         "absolute"),
        ("The March 2019 talks between Peru and Chile failed.", "CONSULT",
         "2019-03-01/2019-03-31",
         "absolute"),
        # ... not another event of the sentence
        ("Peru rejected the 2016 accord with Chile.", "REJECT", THURSDAY, "publication"),
        # and it does not become the date of the sentences after it
        ("The 2016 accord was signed by Peru and Chile. Bolivia rejected the accord.",
         "REJECT", THURSDAY, "publication"),
        # a date that is the time of the clause still carries to the next sentence
        ("Peru and Chile signed an accord in March 2016. Bolivia rejected the accord.",
         "REJECT", "2016-03-01/2016-03-31", "paragraph"),
    ],
)
def test_attributive_dates(text: str, event: str, date: str, method: str) -> None:
    ev = _dated(text, event, THURSDAY)
    assert (ev["date"], ev["date_method"]) == (date, method)
