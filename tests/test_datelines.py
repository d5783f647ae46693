"""Datelines at the start of an article or paragraph (text of our own)."""

from __future__ import annotations

import pytest

from detente.code_text import code_text
from detente.config import Settings
from detente.dates import dateline_date, find_dateline, parse_partial
from detente.metadata import resolve_published


@pytest.mark.parametrize(
    ("text", "place", "date_text", "agency"),
    [
        ("LIMA, June 3 (Reuters) - Peru said", "LIMA", "June 3", "Reuters"),
        ("QUITO (AP) — Ecuador said", "QUITO", None, "AP"),
        ("QUITO, June 12 (Reuters) -", "QUITO", "June 12", "Reuters"),  # a sentence alone
        ("LA PAZ, Bolivia (AP) — The talks", "LA PAZ, Bolivia", None, "AP"),
        ("SANTIAGO, Chile, Nov. 2, 2021 (AFP) — Chile", "SANTIAGO, Chile", "Nov. 2, 2021",
         "AFP"),
        ("BOGOTA, Tuesday, March 5 (Example News) - The envoy", "BOGOTA",
         "Tuesday, March 5", "Example News"),
        ("Feb 27, 2021 · The talks resumed", None, "Feb 27, 2021", None),
        ("Feb 27, 2021, 6:10 AM | Updated: Mar 9, 2022", None, "Feb 27, 2021", None),
    ],
)
def test_datelines_are_found(text, place, date_text, agency) -> None:
    found = find_dateline(text)
    assert found is not None
    assert (found.place, found.date_text, found.agency) == (place, date_text, agency)


@pytest.mark.parametrize(
    "text",
    ["The EU — and NATO — said so.", "UN - the talks", "LIMA – Peru said",
     "Peru and Chile met on June 3 - the first time in years."],
)
def test_other_openings_are_not_datelines(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    ("text", "published", "iso"),
    [
        ("LIMA, June 3 (Reuters) - x", "2023-06", "2023-06-03"),
        ("LIMA, Dec. 30 (Reuters) - x", "2024-01-02", "2023-12-30"),  # year boundary
        ("LIMA, Jan. 2 (Reuters) - x", "2024", "2024-01-02"),
        ("LIMA, Nov. 2, 2021 (AFP) - x", None, "2021-11-02"),
        ("LIMA, June 3 (Reuters) - x", None, None),  # no year anywhere
        ("QUITO (AP) — x", "2023-06", None),
    ],
)
def test_dateline_days(text: str, published: str | None, iso: str | None) -> None:
    found = dateline_date(text, parse_partial(published))
    assert (found.iso() if found else None) == iso


@pytest.mark.parametrize(
    ("meta", "text", "iso", "origin"),
    [
        # a month-precision publication is sharpened by a dateline inside it
        ({"published": "2023-06"}, "LIMA, June 3 (Reuters) - Peru met Chile.", "2023-06-03",
         "dateline"),
        # a dateline outside the month is not trusted
        ({"published": "2023-06"}, "LIMA, May 3 (Reuters) - Peru met Chile.", "2023-06", None),
        # a day-precision publication wins
        ({"published": "2023-06-04"}, "LIMA, June 3 (Reuters) - Peru met Chile.",
         "2023-06-04", None),
        ({}, "Feb 27, 2021 · Peru met Chile on Friday.", "2021-02-27", "dateline"),
    ],
)
def test_publication_from_a_dateline(meta, text, iso, origin) -> None:
    published, where = resolve_published(meta, text)
    assert published is not None and (published.iso(), where) == (iso, origin)


def _dated(text: str, event: str, published: str) -> list[tuple[str, str]]:
    return [(e["date"], e["date_method"]) for e in code_text(text, published, Settings())
            if e["event"] == event]


def test_a_paragraph_dateline_is_the_anchor_of_what_follows() -> None:
    text = ("LIMA, June 3 (Reuters) - Peru met Chile on Friday.\n\n"
            "QUITO, June 12 (Reuters) - Ecuador met Colombia on Monday.")
    assert _dated(text, "CONSULT", "2023-06") == [("2023-06-02", "partial"),
                                                 ("2023-06-12", "partial")]


def test_a_dateline_date_dates_no_event_itself() -> None:
    dated = _dated("LIMA, June 3 (Reuters) - Peru met Chile.", "CONSULT", "2023-06")
    assert dated == [("2023-06-03", "publication")]
