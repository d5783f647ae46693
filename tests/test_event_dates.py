"""Event dates resolved from temporal expressions against the publication date (no spaCy)."""

from __future__ import annotations

from datetime import date

import pytest

from detente.dates import PartialDate
from detente.event_dates import (
    EventDate,
    find_expressions,
    publication_fallback,
    resolve_expression,
    section_date,
)

D = date
PUB = PartialDate.day(2024, 6, 20)  # a Thursday
PUB_FEB = PartialDate.day(2024, 2, 22)
PUB_MONDAY = PartialDate.day(2024, 6, 17)
PUB_MONTH = PartialDate(D(2024, 6, 1), "month")
PUB_MONTH_FEB = PartialDate(D(2024, 2, 1), "month")
LAST = EventDate(D(2024, 3, 5), D(2024, 3, 5), "day", "March 5", "partial")  # a Tuesday
LAST_MONTH = EventDate(D(2022, 3, 1), D(2022, 3, 31), "month", "March 2022", "absolute")


def check(found: EventDate | None, start: date, end: date, precision: str, method: str) -> None:
    assert found is not None
    assert (found.start, found.end, found.precision, found.method) == (
        start,
        end,
        precision,
        method,
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("Dec. 15, 2021", D(2021, 12, 15), D(2021, 12, 15), "day"),
        ("December 15, 2021", D(2021, 12, 15), D(2021, 12, 15), "day"),
        ("15 December 2021", D(2021, 12, 15), D(2021, 12, 15), "day"),
        ("the 15th of December, 2021", D(2021, 12, 15), D(2021, 12, 15), "day"),
        ("Wednesday, Dec. 15, 2021", D(2021, 12, 15), D(2021, 12, 15), "day"),
        ("on Feb. 21, 2014", D(2014, 2, 21), D(2014, 2, 21), "day"),
        ("2021-12-15", D(2021, 12, 15), D(2021, 12, 15), "day"),
        ("March 2022", D(2022, 3, 1), D(2022, 3, 31), "month"),
        ("in Sept. 2019", D(2019, 9, 1), D(2019, 9, 30), "month"),
        ("2021-12", D(2021, 12, 1), D(2021, 12, 31), "month"),
        ("2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("in 2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("in the course of 2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("during 2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("the 1990s", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("the '90s", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("2014-2016", D(2014, 1, 1), D(2016, 12, 31), "range"),
        ("between 2014 and 2016", D(2014, 1, 1), D(2016, 12, 31), "range"),
        ("2022-23", D(2022, 1, 1), D(2023, 12, 31), "range"),
        ("from March to May 2022", D(2022, 3, 1), D(2022, 5, 31), "range"),
        ("June 14-16, 2022", D(2022, 6, 14), D(2022, 6, 16), "range"),
        ("from June 14, 2022 to March 2023", D(2022, 6, 14), D(2023, 3, 31), "range"),
    ],
)
def test_absolute(text: str, start: date, end: date, precision: str) -> None:
    check(resolve_expression(text, PUB), start, end, precision, "absolute")
    check(resolve_expression(text, None), start, end, precision, "absolute")


@pytest.mark.parametrize(
    ("text", "published", "start", "end", "precision"),
    [
        ("June 14", PUB, D(2024, 6, 14), D(2024, 6, 14), "day"),
        ("14 June", PUB, D(2024, 6, 14), D(2024, 6, 14), "day"),
        ("June 21", PUB, D(2023, 6, 21), D(2023, 6, 21), "day"),
        ("Feb. 29", PUB_FEB, D(2020, 2, 29), D(2020, 2, 29), "day"),
        ("in March", PUB_FEB, D(2023, 3, 1), D(2023, 3, 31), "month"),
        ("in March", PUB, D(2024, 3, 1), D(2024, 3, 31), "month"),
        ("in June", PUB, D(2024, 6, 1), D(2024, 6, 30), "month"),
        ("in March", PUB_MONTH_FEB, D(2023, 3, 1), D(2023, 3, 31), "month"),
        ("June 14", PUB_MONTH, D(2024, 6, 14), D(2024, 6, 14), "day"),
        ("June 14-16", PUB, D(2024, 6, 14), D(2024, 6, 16), "range"),
        ("on Monday", PUB, D(2024, 6, 17), D(2024, 6, 17), "day"),
        ("Tuesday", PUB, D(2024, 6, 18), D(2024, 6, 18), "day"),
        ("Thursday", PUB, D(2024, 6, 20), D(2024, 6, 20), "day"),
        ("Friday", PUB, D(2024, 6, 14), D(2024, 6, 14), "day"),
        ("on Monday", PUB_MONDAY, D(2024, 6, 17), D(2024, 6, 17), "day"),
        ("Monday's", PUB, D(2024, 6, 17), D(2024, 6, 17), "day"),
        ("late on Tuesday night", PUB, D(2024, 6, 18), D(2024, 6, 18), "day"),
        ("on Monday", PUB_MONTH, D(2024, 5, 27), D(2024, 6, 24), "range"),
        ("in the summer", PUB, D(2024, 6, 1), D(2024, 8, 31), "season"),
        ("in the winter", PUB_FEB, D(2023, 12, 1), D(2024, 2, 29), "season"),
        ("December the 15th", PUB, D(2023, 12, 15), D(2023, 12, 15), "day"),
    ],
)
def test_partial(text: str, published: PartialDate, start: date, end: date, precision: str) -> None:
    check(resolve_expression(text, published), start, end, precision, "partial")


@pytest.mark.parametrize(
    ("text", "published", "start", "end", "precision"),
    [
        ("today", PUB, D(2024, 6, 20), D(2024, 6, 20), "day"),
        ("yesterday", PUB, D(2024, 6, 19), D(2024, 6, 19), "day"),
        ("yesterday afternoon", PUB, D(2024, 6, 19), D(2024, 6, 19), "day"),
        ("last night", PUB, D(2024, 6, 19), D(2024, 6, 19), "day"),
        ("tomorrow", PUB, D(2024, 6, 21), D(2024, 6, 21), "day"),
        ("three days ago", PUB, D(2024, 6, 17), D(2024, 6, 17), "day"),
        ("10 days ago", PUB, D(2024, 6, 10), D(2024, 6, 10), "day"),
        ("two weeks ago", PUB, D(2024, 6, 6), D(2024, 6, 6), "day"),
        ("six months ago", PUB, D(2023, 12, 1), D(2023, 12, 31), "month"),
        ("two years ago", PUB, D(2022, 1, 1), D(2022, 12, 31), "year"),
        ("about twelve years ago", PUB, D(2012, 1, 1), D(2012, 12, 31), "year"),
        ("a decade ago", PUB, D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("last week", PUB, D(2024, 6, 10), D(2024, 6, 16), "range"),
        ("last week", PUB_MONDAY, D(2024, 6, 10), D(2024, 6, 16), "range"),
        ("this week", PUB, D(2024, 6, 17), D(2024, 6, 23), "range"),
        ("next week", PUB, D(2024, 6, 24), D(2024, 6, 30), "range"),
        ("last weekend", PUB, D(2024, 6, 15), D(2024, 6, 16), "range"),
        ("last month", PUB, D(2024, 5, 1), D(2024, 5, 31), "month"),
        ("next month", PUB, D(2024, 7, 1), D(2024, 7, 31), "month"),
        ("last year", PUB, D(2023, 1, 1), D(2023, 12, 31), "year"),
        ("this year", PUB, D(2024, 1, 1), D(2024, 12, 31), "year"),
        ("earlier this month", PUB, D(2024, 6, 1), D(2024, 6, 19), "range"),
        ("later this week", PUB, D(2024, 6, 21), D(2024, 6, 23), "range"),
        ("earlier this year", PUB, D(2024, 1, 1), D(2024, 6, 19), "range"),
        ("recently", PUB, D(2024, 3, 20), D(2024, 6, 20), "range"),
        ("in recent months", PUB, D(2024, 3, 20), D(2024, 6, 20), "range"),
        ("in recent days", PUB, D(2024, 6, 13), D(2024, 6, 20), "range"),
        ("the past two years", PUB, D(2022, 6, 20), D(2024, 6, 20), "range"),
        ("over the last three months", PUB, D(2024, 3, 20), D(2024, 6, 20), "range"),
        ("last Monday", PUB_MONDAY, D(2024, 6, 10), D(2024, 6, 10), "day"),
        ("next Monday", PUB_MONDAY, D(2024, 6, 24), D(2024, 6, 24), "day"),
        ("last March", PUB, D(2024, 3, 1), D(2024, 3, 31), "month"),
        ("last June", PUB, D(2023, 6, 1), D(2023, 6, 30), "month"),
        ("next March", PUB, D(2025, 3, 1), D(2025, 3, 31), "month"),
        ("last summer", PUB, D(2023, 6, 1), D(2023, 8, 31), "season"),
        ("this summer", PUB_FEB, D(2024, 6, 1), D(2024, 8, 31), "season"),
        ("next spring", PUB, D(2025, 3, 1), D(2025, 5, 31), "season"),
        # A month-precision publication: the whole month's worth of answers.
        ("last month", PUB_MONTH, D(2024, 5, 1), D(2024, 5, 31), "month"),
        ("yesterday", PUB_MONTH, D(2024, 5, 31), D(2024, 6, 29), "range"),
        ("recently", PUB_MONTH, D(2024, 3, 1), D(2024, 6, 30), "range"),
    ],
)
def test_relative(
    text: str, published: PartialDate, start: date, end: date, precision: str
) -> None:
    check(resolve_expression(text, published), start, end, precision, "relative")


@pytest.mark.parametrize(
    ("text", "published", "start", "end", "precision"),
    [
        ("late 2023", None, D(2023, 9, 1), D(2023, 12, 31), "range"),
        ("early 2024", None, D(2024, 1, 1), D(2024, 4, 30), "range"),
        ("mid-2023", None, D(2023, 5, 1), D(2023, 8, 31), "range"),
        ("the middle of 2023", None, D(2023, 5, 1), D(2023, 8, 31), "range"),
        ("the end of 2021", None, D(2021, 11, 1), D(2021, 12, 31), "range"),
        ("at the end of 2021", None, D(2021, 11, 1), D(2021, 12, 31), "range"),
        ("the beginning of 2021", None, D(2021, 1, 1), D(2021, 2, 28), "range"),
        ("the first half of 2022", None, D(2022, 1, 1), D(2022, 6, 30), "range"),
        ("the third quarter of 2022", None, D(2022, 7, 1), D(2022, 9, 30), "range"),
        ("the late 1990s", None, D(1997, 1, 1), D(1999, 12, 31), "range"),
        ("late March 2022", None, D(2022, 3, 21), D(2022, 3, 31), "range"),
        ("the end of March", PUB, D(2024, 3, 22), D(2024, 3, 31), "range"),
        ("at the end of March", PUB_FEB, D(2023, 3, 22), D(2023, 3, 31), "range"),
        ("the beginning of March", PUB, D(2024, 3, 1), D(2024, 3, 10), "range"),
        ("mid-June", PUB, D(2024, 6, 11), D(2024, 6, 20), "range"),
        ("late June", PUB, D(2023, 6, 21), D(2023, 6, 30), "range"),
        ("spring 2022", None, D(2022, 3, 1), D(2022, 5, 31), "season"),
        ("the spring of 2022", None, D(2022, 3, 1), D(2022, 5, 31), "season"),
        ("in the summer of 2022", None, D(2022, 6, 1), D(2022, 8, 31), "season"),
        ("fall 2022", None, D(2022, 9, 1), D(2022, 11, 30), "season"),
        ("autumn 2022", None, D(2022, 9, 1), D(2022, 11, 30), "season"),
        ("winter 2022", None, D(2021, 12, 1), D(2022, 2, 28), "season"),
        ("the winter of 2022-23", None, D(2022, 12, 1), D(2023, 2, 28), "season"),
    ],
)
def test_fuzzy(
    text: str, published: PartialDate | None, start: date, end: date, precision: str
) -> None:
    check(resolve_expression(text, published), start, end, precision, "fuzzy")


@pytest.mark.parametrize(
    ("text", "last", "start", "end", "precision"),
    [
        ("the next day", LAST, D(2024, 3, 6), D(2024, 3, 6), "day"),
        ("the following day", LAST, D(2024, 3, 6), D(2024, 3, 6), "day"),
        ("a day later", LAST, D(2024, 3, 6), D(2024, 3, 6), "day"),
        ("the day after", LAST, D(2024, 3, 6), D(2024, 3, 6), "day"),
        ("the next morning", LAST, D(2024, 3, 6), D(2024, 3, 6), "day"),
        ("on the same day", LAST, D(2024, 3, 5), D(2024, 3, 5), "day"),
        ("that day", LAST, D(2024, 3, 5), D(2024, 3, 5), "day"),
        ("later that day", LAST, D(2024, 3, 5), D(2024, 3, 5), "day"),
        ("two days later", LAST, D(2024, 3, 7), D(2024, 3, 7), "day"),
        ("a week later", LAST, D(2024, 3, 12), D(2024, 3, 12), "day"),
        ("three weeks earlier", LAST, D(2024, 2, 13), D(2024, 2, 13), "day"),
        ("the previous day", LAST, D(2024, 3, 4), D(2024, 3, 4), "day"),
        ("the day before", LAST, D(2024, 3, 4), D(2024, 3, 4), "day"),
        ("the following week", LAST, D(2024, 3, 11), D(2024, 3, 17), "range"),
        ("the previous week", LAST, D(2024, 2, 26), D(2024, 3, 3), "range"),
        ("that week", LAST, D(2024, 3, 4), D(2024, 3, 10), "range"),
        ("the following month", LAST, D(2024, 4, 1), D(2024, 4, 30), "month"),
        ("two months later", LAST, D(2024, 5, 1), D(2024, 5, 31), "month"),
        ("a year later", LAST, D(2025, 1, 1), D(2025, 12, 31), "year"),
        ("later that month", LAST, D(2024, 3, 6), D(2024, 3, 31), "range"),
        # A coarse previous date stays coarse.
        ("the next day", LAST_MONTH, D(2022, 3, 2), D(2022, 4, 1), "range"),
        ("that day", LAST_MONTH, D(2022, 3, 1), D(2022, 3, 31), "month"),
        ("the following month", LAST_MONTH, D(2022, 4, 1), D(2022, 4, 30), "month"),
    ],
)
def test_anaphoric(text: str, last: EventDate, start: date, end: date, precision: str) -> None:
    check(resolve_expression(text, PUB, last), start, end, precision, "anaphoric")


@pytest.mark.parametrize(
    "text", ["the next day", "the same day", "two days later", "the following week", "that day"]
)
def test_anaphoric_needs_a_previous_date(text: str) -> None:
    assert resolve_expression(text, PUB) is None


@pytest.mark.parametrize(
    "text", ["June 14", "in March", "on Monday", "yesterday", "last week", "recently", "late June"]
)
def test_relative_and_partial_need_a_publication_date(text: str) -> None:
    assert resolve_expression(text, None) is None


@pytest.mark.parametrize(
    "text",
    [
        "the war",
        "the first two months of the war",
        "for 78 days",
        "78 days",
        "30-year",
        "24 hours",
        "several days",
        "the last day",
        "the past years",
        "two days after the vote",
        "weeks",
        "Monday Night Football",
        "",
        "2021-13-40",
        "February 30, 2022",
    ],
)
def test_not_dates(text: str) -> None:
    assert resolve_expression(text, PUB, LAST) is None


def test_dateparser_fallback_for_other_written_dates() -> None:
    check(
        resolve_expression("12/15/2021", PUB), D(2021, 12, 15), D(2021, 12, 15), "day", "absolute"
    )


def test_text_keeps_the_expression_as_written() -> None:
    found = resolve_expression("  late 2023, ", PUB)
    assert found is not None and found.text == "late 2023"


@pytest.mark.parametrize(
    ("event", "iso"),
    [
        (EventDate(D(2024, 6, 14), D(2024, 6, 14), "day", None, "absolute"), "2024-06-14"),
        (EventDate(D(2024, 6, 1), D(2024, 6, 30), "month", None, "absolute"), "2024-06"),
        (EventDate(D(2023, 1, 1), D(2023, 12, 31), "year", None, "absolute"), "2023"),
        (
            EventDate(D(2023, 10, 1), D(2023, 12, 31), "range", None, "fuzzy"),
            "2023-10-01/2023-12-31",
        ),
        (
            EventDate(D(2021, 12, 1), D(2022, 2, 28), "season", None, "fuzzy"),
            "2021-12-01/2022-02-28",
        ),
    ],
)
def test_iso(event: EventDate, iso: str) -> None:
    assert event.iso() == iso


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On Dec. 15, 2021, the envoys met, and the next day the talks collapsed.",
            ["On Dec. 15, 2021", "the next day"],
        ),
        (
            "Talks resumed in March and ended at the end of March.",
            ["in March", "at the end of March"],
        ),
        (
            "Two years ago the parties met; late 2023 saw a new round.",
            ["Two years ago", "late 2023"],
        ),
        ("In 2014 the first proposal failed.", ["In 2014"]),
        ("The truce lasted for 78 days over the first two months of the war.", []),
        ("Theresa May said 2014 people attended a 30-year-old forum.", []),
        ("Officials may march on Monday.", ["on Monday"]),
        ("The ministers met between 2014 and 2016.", ["between 2014 and 2016"]),
        ("Two days after the vote, talks began on the last day of May.", ["May"]),
        ("The day before, Johnson and May met in June 2008.", ["The day before", "in June 2008"]),
    ],
)
def test_find_expressions(sentence: str, expected: list[str]) -> None:
    assert [sentence[s:e] for s, e in find_expressions(sentence)] == expected


@pytest.mark.parametrize(
    ("heading", "start", "end", "precision"),
    [
        ("Second Proposal — 2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("Fourth Proposal — 2022", D(2022, 1, 1), D(2022, 12, 31), "year"),
        ("March 2022: talks", D(2022, 3, 1), D(2022, 3, 31), "month"),
        ("Talks in late 2023", D(2023, 9, 1), D(2023, 12, 31), "range"),
    ],
)
def test_section_date(heading: str, start: date, end: date, precision: str) -> None:
    check(section_date(heading, PUB), start, end, precision, "section")


@pytest.mark.parametrize("heading", ["Background", "Resolution 2334", "The 30-year dispute"])
def test_section_without_date(heading: str) -> None:
    assert section_date(heading, PUB) is None


def test_publication_fallback() -> None:
    check(publication_fallback(PUB), D(2024, 6, 20), D(2024, 6, 20), "day", "publication")
    check(publication_fallback(PUB_MONTH), D(2024, 6, 1), D(2024, 6, 30), "month", "publication")
    assert publication_fallback(None) is None


@pytest.mark.parametrize("text", ["2202", "in 2202", "2150"])
def test_numbers_far_beyond_the_publication_are_not_years(text):
    assert resolve_expression(text, PartialDate.day(2015, 2, 20)) is None


def test_plans_decades_ahead_are_still_dates():
    check(resolve_expression("in 2040", PUB), D(2040, 1, 1), D(2040, 12, 31), "year", "absolute")


# --- tense: a forward clause takes the next occurrence -----------------------------------------
PUB_SAT_NYE = PartialDate.day(2022, 12, 31)  # a Saturday, last day of the year
PUB_MON_NEWYEAR = PartialDate.day(2024, 1, 1)  # a Monday, first day of the year


@pytest.mark.parametrize(
    ("text", "published", "future", "start", "end", "precision"),
    [
        # weekdays against a Thursday publication (2024-06-20)
        ("on Friday", PUB, False, D(2024, 6, 14), D(2024, 6, 14), "day"),
        ("on Friday", PUB, True, D(2024, 6, 21), D(2024, 6, 21), "day"),
        ("early on Friday", PUB, True, D(2024, 6, 21), D(2024, 6, 21), "day"),
        ("Friday morning", PUB, True, D(2024, 6, 21), D(2024, 6, 21), "day"),
        ("Wednesday night", PUB, False, D(2024, 6, 19), D(2024, 6, 19), "day"),
        ("Wednesday night", PUB, True, D(2024, 6, 26), D(2024, 6, 26), "day"),
        # the publication's own weekday is that day, in both readings
        ("on Thursday", PUB, False, D(2024, 6, 20), D(2024, 6, 20), "day"),
        ("on Thursday", PUB, True, D(2024, 6, 20), D(2024, 6, 20), "day"),
        ("late on Thursday", PUB, True, D(2024, 6, 20), D(2024, 6, 20), "day"),
        # year boundaries
        ("on Monday", PUB_SAT_NYE, True, D(2023, 1, 2), D(2023, 1, 2), "day"),
        ("on Monday", PUB_SAT_NYE, False, D(2022, 12, 26), D(2022, 12, 26), "day"),
        ("on Friday", PUB_MON_NEWYEAR, False, D(2023, 12, 29), D(2023, 12, 29), "day"),
        ("on Friday", PUB_MON_NEWYEAR, True, D(2024, 1, 5), D(2024, 1, 5), "day"),
        # a month-precision publication: every Monday the month allows
        ("on Monday", PUB_MONTH, True, D(2024, 6, 3), D(2024, 7, 1), "range"),
        # year-less days and months
        ("by June 25", PUB, False, D(2023, 6, 25), D(2023, 6, 25), "day"),
        ("by June 25", PUB, True, D(2024, 6, 25), D(2024, 6, 25), "day"),
        ("on June 20", PUB, True, D(2024, 6, 20), D(2024, 6, 20), "day"),
        ("by January 10", PUB_SAT_NYE, True, D(2023, 1, 10), D(2023, 1, 10), "day"),
        ("on December 30", PUB_MON_NEWYEAR, False, D(2023, 12, 30), D(2023, 12, 30), "day"),
        ("in March", PUB, True, D(2025, 3, 1), D(2025, 3, 31), "month"),
        ("in June", PUB, True, D(2024, 6, 1), D(2024, 6, 30), "month"),
        ("in June", PUB_MONTH, True, D(2024, 6, 1), D(2024, 6, 30), "month"),
        ("June 14", PUB_MONTH, True, D(2024, 6, 14), D(2024, 6, 14), "day"),
        ("mid-March", PUB, True, D(2025, 3, 11), D(2025, 3, 20), "range"),
        ("mid-March", PUB, False, D(2024, 3, 11), D(2024, 3, 20), "range"),
        ("in the spring", PUB, True, D(2025, 3, 1), D(2025, 5, 31), "season"),
        ("in the spring", PUB, False, D(2024, 3, 1), D(2024, 5, 31), "season"),
        # forms that carry their own year or direction ignore the clause's tense
        ("in the spring of 2019", PUB, True, D(2019, 3, 1), D(2019, 5, 31), "season"),
        ("late 2019", PUB, True, D(2019, 9, 1), D(2019, 12, 31), "range"),
        ("last week", PUB, True, D(2024, 6, 10), D(2024, 6, 16), "range"),
        ("next Friday", PUB, False, D(2024, 6, 21), D(2024, 6, 21), "day"),
    ],
)
def test_tense(text: str, published: PartialDate, future: bool, start: date, end: date,
               precision: str) -> None:
    found = resolve_expression(text, published, future=future)
    assert found is not None
    assert (found.start, found.end, found.precision) == (start, end, precision)


@pytest.mark.parametrize("future", [False, True])
def test_weekday_without_publication(future: bool) -> None:
    """Without a publication date a weekday cannot be placed: no date rather than a guess."""
    assert resolve_expression("on Friday", None, future=future) is None
    assert resolve_expression("by June 25", None, future=future) is None
    found = resolve_expression("in the spring of 2019", None, future=future)
    assert found is not None and found.iso() == "2019-03-01/2019-05-31"
