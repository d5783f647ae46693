"""The terms coder: provisions, stance, scope, conditionality and episode term lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.terms import extract_terms, load_taxonomy, terms_for_episode


def _terms(nlp, text: str) -> list[dict]:
    return extract_terms(nlp(text), "doc")


def _by_name(rows: list[dict]) -> dict[str, dict]:
    return {r["provision"]: r for r in rows}


def _sentences(nlp, text: str) -> list[dict]:
    """Sentence rows as the pipeline stores them: a blank line starts a paragraph."""
    doc = nlp(text)
    rows, para, prev = [], 0, 0
    for idx, sent in enumerate(doc.sents):
        start = sent.start_char + len(sent.text) - len(sent.text.lstrip())
        if "\n" in text[prev:start]:
            para += 1
        prev = sent.start_char + len(sent.text.rstrip())
        rows.append({"idx": idx, "paragraph": para, "text": sent.text.strip()})
    return rows


def test_provisions_and_stances_in_one_sentence(nlp):
    rows = _by_name(_terms(nlp, "The plan called for a ceasefire along the current line of "
                                "contact and the lifting of sanctions."))
    assert {"CEASEFIRE", "LINE_OF_CONTACT", "SANCTIONS"} <= set(rows)
    assert rows["CEASEFIRE"]["stance"] == "demand"
    assert rows["SANCTIONS"]["text"] == "lifting of sanctions"


def test_span_offsets_point_at_the_cue(nlp):
    text = "Seoul proposed a demilitarised zone along the border."
    for r in _terms(nlp, text):
        assert text[r["start"]:r["end"]] == r["text"]
    assert "FORCE_LIMITS_DEMILITARIZATION" in _by_name(_terms(nlp, text))


@pytest.mark.parametrize(("text", "provision", "stance", "negated"), [
    ("Kyiv rejected any autonomy for the Donbas.", "AUTONOMY_SPECIAL_STATUS", "reject", 0),
    ("Armenia offered to hold a referendum on the status of Karabakh.",
     "TERRITORIAL_STATUS", "offer", 0),
    ("The minister said his country would never accept neutrality.",
     "NEUTRALITY_NON_ALIGNMENT", "reject", 1),
])
def test_stance_and_negation(nlp, text, provision, stance, negated):
    row = _by_name(_terms(nlp, text))[provision]
    assert (row["stance"], row["negated"]) == (stance, negated)


def test_scope_names_the_region(nlp):
    assert _by_name(_terms(nlp, "Kyiv rejected any autonomy for the Donbas."))[
        "AUTONOMY_SPECIAL_STATUS"]["scope"] == "Donbas"


def test_precondition_to_talks(nlp):
    row = _by_name(_terms(nlp, "Before any talks begin, Russia must withdraw its troops, "
                               "the president said."))["WITHDRAWAL_OF_FORCES"]
    assert row["conditionality"] == "precondition-to-talks"
    assert row["stance"] == "demand"


def test_sectoral_truce_suppresses_ceasefire(nlp):
    names = set(_by_name(_terms(nlp, "Both sides agreed to an energy truce for thirty days.")))
    assert "SECTORAL_TRUCE" in names
    assert "CEASEFIRE" not in names


def test_no_terms_in_unrelated_text(nlp):
    assert _terms(nlp, "The weather in Geneva was cold and the delegates ate lunch.") == []


def test_term_list_following_a_proposal(nlp):
    text = ("Belgrade received a draft with three conditions.\n\n"
            "Serbia should recognise Kosovo. It should also hold elections within six "
            "months.\n\n"
            "In a separate move, Turkey offered a ceasefire in Syria.")
    doc = nlp(text)
    sents = _sentences(nlp, text)
    terms = extract_terms(doc, "doc")
    stop = {s["idx"] for s in sents if s["text"].startswith("In a separate move")}
    picked = _by_name(terms_for_episode(sents, terms, {0}, stop))
    assert {"TERRITORIAL_STATUS", "ELECTIONS"} <= set(picked)
    assert "CEASEFIRE" not in picked  # belongs to another episode
    assert picked["ELECTIONS"]["scope"] == "six months"
    assert "list following sentence 0" in picked["ELECTIONS"]["reason"]


def test_without_a_list_cue_the_next_paragraph_is_not_taken(nlp):
    text = ("Brussels invited Belgrade to talks in June.\n\n"
            "Serbia should recognise Kosovo.")
    sents = _sentences(nlp, text)
    assert terms_for_episode(sents, extract_terms(nlp(text), "doc"), {0}) == []


def test_user_file_extends_the_taxonomy(nlp, tmp_path: Path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("provisions:\n"
                     "  - id: X01\n"
                     "    name: WATER_SHARING\n"
                     "    group: 'Z. Local'\n"
                     "    patterns: ['water%HY%sharing', 'quotas? of (?:river )?water']\n",
                     encoding="utf-8")
    tax = load_taxonomy(extra=[extra])
    rows = extract_terms(nlp("Egypt demanded a water-sharing deal on the Nile."), "d", tax)
    water = [r for r in rows if r["provision"] == "WATER_SHARING"]
    assert len(water) == 1 and water[0]["stance"] == "demand"
    assert "WATER_SHARING" not in {r["provision"] for r in _terms(nlp, "A water-sharing deal.")}
