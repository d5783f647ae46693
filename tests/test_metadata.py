"""Metadata precedence and publication dates with their precision."""

from __future__ import annotations

import json
from datetime import date

import pytest

from detente.config import Settings
from detente.dates import DAY, MONTH, YEAR, find_date, parse_partial
from detente.metadata import header_metadata, resolve_published
from detente.readers import RawDocument, read_sources

BODY = "The two governments agreed on Monday to resume talks on a ceasefire next week.\n"


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        ("2024-06-20", "2024-06-20", DAY),
        ("2024-06", "2024-06", MONTH),
        ("2022", "2022", YEAR),
        ("June 20, 2024", "2024-06-20", DAY),
        ("25 Mar 2024", "2024-03-25", DAY),
        ("Dec. 15, 2021", "2021-12-15", DAY),
        ("March 2022", "2022-03", MONTH),
        ("2024-03-02T10:00:00+00:00", "2024-03-02", DAY),
    ],
)
def test_parse_partial_keeps_precision(value, iso, precision):
    parsed = parse_partial(value)
    assert parsed is not None and parsed.iso() == iso and parsed.precision == precision


def test_partial_dates_span_their_period():
    month = parse_partial("2024-02")
    assert month.start == date(2024, 2, 1) and month.end == date(2024, 2, 29)
    assert parse_partial("2023").end == date(2023, 12, 31)
    assert parse_partial("not a date") is None and parse_partial("2024-13") is None


def test_find_date_returns_the_span():
    text = "Example News, 25 Mar 2024, updated later"
    found = find_date(text)
    assert found is not None and text[found[1] : found[2]] == "25 Mar 2024"


def test_header_lines_are_split_from_the_body():
    fields, body = header_metadata("title: Talks\noutlet: Example\npublished: 2024-01\n\n" + BODY)
    assert fields == {"title": "Talks", "outlet": "Example", "published": "2024-01"}
    assert body.strip() == BODY.strip()


def test_a_body_line_with_a_colon_is_not_a_header():
    fields, body = header_metadata("Note: this is prose.\n" + BODY)
    assert fields == {} and body.startswith("Note:")


def test_date_in_text_is_the_last_resort():
    published, origin = resolve_published({}, "Example News, June 20, 2024\n\n" + BODY)
    assert published.iso() == "2024-06-20" and origin == "text"
    published, origin = resolve_published({"published": "2023-05"}, "June 20, 2024\n" + BODY)
    assert published.iso() == "2023-05" and origin is None


def _one(items) -> RawDocument:
    docs = [d for d in items if isinstance(d, RawDocument)]
    assert len(docs) == 1, items
    return docs[0]


def test_precedence_option_over_sidecar_over_header_over_text(tmp_path):
    (tmp_path / "a.txt").write_text(
        "title: Header title\noutlet: Header outlet\npublished: 2021-01-01\n\n"
        "Wire, 5 May 2020\n\n" + BODY, encoding="utf-8")
    (tmp_path / "meta.jsonl").write_text(
        json.dumps({"file": "a.txt", "outlet": "Sidecar outlet", "published": "2022-02"}) + "\n",
        encoding="utf-8")
    doc = _one(read_sources([str(tmp_path)], Settings()))
    assert doc.meta["title"] == "Header title" and doc.meta_origin["title"] == "header"
    assert doc.meta["outlet"] == "Sidecar outlet" and doc.meta_origin["outlet"] == "meta.jsonl"
    assert doc.meta["published"] == "2022-02"
    doc = _one(read_sources([str(tmp_path)], Settings(), {"published": "2023-03-03"}))
    assert doc.meta["published"] == "2023-03-03" and doc.meta_origin["published"] == "option"
    assert doc.meta["outlet"] == "Sidecar outlet"


def test_html_metadata_is_used_below_header_and_sidecar(tmp_path):
    html = (
        "<html><head><title>Ignored</title><meta name='author' content='Jane Roe'>"
        "<meta property='article:published_time' content='2024-03-02'>"
        "<meta property='og:site_name' content='Example Wire'></head><body><article>"
        "<h1>Truce extended</h1><p>" + BODY * 3 + "</p><p>The mediators welcomed the "
        "decision and said a new round would start soon in the capital.</p></article></body></html>"
    )
    (tmp_path / "b.html").write_text(html, encoding="utf-8")
    doc = _one(read_sources([str(tmp_path / "b.html")], Settings()))
    assert doc.meta["author"] == "Jane Roe" and doc.meta_origin["author"] == "html"
    assert doc.meta["published"] == "2024-03-02"
    assert "resume talks" in doc.text
