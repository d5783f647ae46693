"""Precision of events on sentences of our own (real spaCy parses): acts that are only hoped
for or prepared, dates of references to an agreement made earlier, and who is not a party
(venues, drafters, monitors, conveners)."""

from __future__ import annotations

import pytest

from detente.code_text import code_text
from detente.config import Settings

PUBLISHED = "2024-03-06"  # a Wednesday


def _events(text: str, trigger: str) -> list[dict]:
    return [e for e in code_text(text, PUBLISHED, Settings())
            if e["trigger"]["text"].lower() == trigger]


# -- modality from the words that govern an act ------------------------------------------
@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # hoped for or aimed at: hypothetical
        ("Chad released the prisoners in the hope of igniting peace talks between Chad and Niger.",
         "talks", "hypothetical"),
        ("Peru freed 40 detainees in a bid to revive negotiations between Peru and Bolivia.",
         "negotiations", "hypothetical"),
        # under a would/could verb: hypothetical
        ("Few expected that the meetings would yield an agreement between Chad and Niger.",
         "agreement", "hypothetical"),
        # a frame that points forward: future
        ("The accord sets the stage for further negotiations between Chad and Niger.",
         "negotiations", "future"),
        ("The truce paved the way for talks between Peru and Bolivia.", "talks", "future"),
        # done: asserted
        ("Talks between Chad and Niger opened in Doha on Monday.", "talks", "asserted"),
    ],
)
def test_governed_modality(text: str, trigger: str, modality: str) -> None:
    events = _events(text, trigger)
    assert events, text
    assert {e["modality"] for e in events} == {modality}


def test_hoped_for_act_takes_no_borrowed_date() -> None:
    text = ("Chad and Niger signed a truce on Monday. Chad then released 40 prisoners in the "
            "hope of igniting peace talks between Chad and Niger.")
    talks = _events(text, "talks")
    assert talks and all(e["date"] is None for e in talks)


def test_existing_agreement_stays_asserted() -> None:
    # "the agreement" exists; the would-verb governs the act done to it, not the agreement
    text = ("Chad and Niger signed an agreement on Monday. Both said they would defend the "
            "agreement.")
    events = _events(text, "agreement")
    assert all(e["modality"] != "hypothetical" for e in events)
