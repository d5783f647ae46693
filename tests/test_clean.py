"""Cleaning rules, on texts written for these tests and on the seed captures."""

from __future__ import annotations

import re

import pytest
import yaml

from detente.clean import clean_text, reduce_links

from .conftest import GOLD, needs_seeds


def test_pdf_line_breaks_are_rejoined_inside_and_across_blank_lines():
    lines = [
        "The foreign ministers of both countries met in Geneva on Monday to discuss the",
        "terms of a ceasefire along the northern border, officials said after the",
        "",
        "talks ended late in the evening with a short joint statement to the press.",
        "A second round is planned for next month, according to diplomats from both sides",
        "who asked not to be named because the talks are confidential and still fragile.",
        "The mediators expect the next round to address prisoner exchanges, the return of",
        "displaced people and the withdrawal of heavy weapons from the line of contact in",
        "the east of the country, a process that previous rounds could not agree upon.",
    ]
    cleaned = clean_text("\n".join(lines))
    assert all(p.endswith(".") for p in cleaned.paragraphs)  # no sentence cut in two
    assert "discuss the terms of a ceasefire" in cleaned.text
    assert "after the talks ended late" in cleaned.text
    assert "\n" not in cleaned.paragraphs[0]


def test_hyphen_at_line_end_is_joined_without_space():
    text = ("Leaders of the military-\nindustrial complex lobbied for the deal, which was\n"
            "signed in Brussels after months of talks between the two governments.")
    assert "military-industrial complex" in clean_text(text).text


def test_markdown_link_stubs_reduce_to_their_text():
    line, ratio = reduce_links("The [agreement](#) was [rejected](https://example.org/x) today.")
    assert line == "The agreement was rejected today."
    assert 0 < ratio < 0.6


def test_link_only_lines_are_dropped_but_prose_with_links_is_kept():
    text = (
        "Region: [Middle East](#)\n\n"
        "[Our fundraising campaign](#)\n\n"
        "Egypt and [Qatar](#) mediated the talks, which [ended](#) on Friday with a deal.\n"
    )
    cleaned = clean_text(text)
    assert cleaned.text == "Egypt and Qatar mediated the talks, which ended on Friday with a deal."


def test_captions_with_credits_are_dropped():
    text = (
        "The two leaders shook hands in Ankara on Tuesday after three hours of talks.\n\n"
        "The presidents at the palace in Ankara. (Jane Roe, Wikimedia Commons, CC BY 4.0)\n\n"
        "A delegate at the closing session. (Photo courtesy of the ministry)\n\n"
        "Both sides said the talks would continue next week in the same format."
    )
    cleaned = clean_text(text)
    assert "Wikimedia" not in cleaned.text and "courtesy" not in cleaned.text
    assert len(cleaned.paragraphs) == 2
    assert [r for r, _ in cleaned.removed] == ["caption", "caption"]


def test_a_paragraph_ending_in_an_aside_is_not_a_caption():
    text = ("The envoy said the proposal was still on the table (though he would not say "
            "for how long), and that talks could resume soon.")
    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Share this article:",
        "facebook",
        "Click the share button above to email this article to your friends.",
        "To receive our Daily Newsletter, click here.",
        "Copyright © Jane Roe, Example News, 2024",
        "DISCLAIMER: The views expressed here are solely those of the authors.",
        "This site contains copyrighted material the use of which has not been authorized. "
        "We make it available under the fair use provision.",
        "We welcome debate and dissent, but personal attacks will not be tolerated.",
        "Featured image: A ruined school. Photo Credit: Ministry of Defence",
        "Skip to content",
        "Tags: diplomacy, ceasefire",
    ],
)
def test_boilerplate_paragraphs_are_dropped(boilerplate):
    body = "The two delegations agreed on Friday to extend the truce by another thirty days."
    cleaned = clean_text(f"{body}\n\n{boilerplate}\n\n{body.replace('thirty', 'sixty')}")
    assert boilerplate not in cleaned.text
    assert "thirty days" in cleaned.text and "sixty days" in cleaned.text


def test_end_marker_drops_the_comment_section_after_it():
    body = "\n".join(
        f"Paragraph {i} says that the negotiators met again and discussed the draft text."
        for i in range(6)
    )
    footer = ("Join the discussion!\nPlease keep comments civil and on topic\n"
              "and respect other readers\n")
    cleaned = clean_text(body + "\n" + footer)
    assert "civil" not in cleaned.text and "respect" not in cleaned.text
    assert "Paragraph 5" in cleaned.text


def test_title_and_byline_at_the_top_are_dropped_when_known():
    text = ("Talks Resume in Doha\n\nBy Jane Roe\n\nExample News, March 3, 2024\n\n"
            "Negotiators returned to Doha on Sunday for a new round of talks.")
    cleaned = clean_text(text, known=("Talks Resume in Doha", "", "Example News"))
    assert cleaned.text == "Negotiators returned to Doha on Sunday for a new round of talks."
    assert cleaned.bylines == ["Jane Roe"]


BOILERPLATE_IN_SEEDS = [
    "(#)", "Share this article", "mastodon", "copy link", "DISCLAIMER", "fair use",
    "Join the discussion", "will not be tolerated", "Copyright", "click here",
    "share button", "Wikimedia Commons", "CC BY", "paying subscribers", "Skip to content",
    "Featured image", "Tags:", "Go to Original", "copyrighted material", "Sign In",
]


@needs_seeds
def test_no_boilerplate_survives_in_the_stored_seed_texts(seeds_db):
    for doc in seeds_db.documents():
        text = seeds_db.document(doc["id"])["text"]
        for marker in BOILERPLATE_IN_SEEDS:
            assert marker not in text, (doc["source"], marker)
        assert not re.search(r"\[[^\]]*\]\(", text)


@needs_seeds
def test_every_gold_phrase_lies_within_one_stored_sentence(seeds_db):
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    items = [m for e in gold["episodes"] for m in e["mentions"]] + gold["other_events"]
    docs = {d["source"].rsplit("/", 1)[-1][:3]: d["id"] for d in seeds_db.documents()}
    for item in items:
        sentences = seeds_db.sentences(docs[item["file"]])
        hits = [s for s in sentences if item["phrase"] in s["text"]]
        assert hits, f"{item['file']}: {item['phrase']!r} is split or lost"
