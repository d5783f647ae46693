"""Parties however a sentence names them: coordination inside role phrases, joint acts, "the two
sides", speakers who are not parties. Real spaCy parses, sentences of our own."""

from __future__ import annotations

import pytest

from detente.code_text import code_text
from detente.config import Settings

PUBLISHED = "2024-03-06"  # a Wednesday


def _dyads(text: str) -> set[tuple]:
    return {((e["actor"] or {}).get("code"), e["event"], (e["recipient"] or {}).get("code"))
            for e in code_text(text, PUBLISHED, Settings())}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # every owner of a role phrase is a party: "of", "from", coordinated modifiers
        ("The foreign ministers of Chile, Peru and Bolivia signed a joint accord.",
         {("CHL", "SUPPORT", "PER"), ("PER", "SUPPORT", "BOL"), ("BOL", "SUPPORT", "CHL")}),
        ("Technical delegations from Chad and Niger initialled the text of a treaty.",
         {("TCD", "SUPPORT", "NER"), ("NER", "SUPPORT", "TCD")}),
        ("Indian and Pakistani negotiators signed a water agreement on Monday.",
         {("IND", "SUPPORT", "PAK"), ("PAK", "SUPPORT", "IND")}),
        ("Greek and Turkish envoys met in Brussels.",
         {("GRC", "CONSULT", "TUR"), ("TUR", "CONSULT", "GRC")}),
        ("The presidents of Kenya and Uganda urged Burundi to release the detainees.",
         {("KEN", "REQUEST", "BDI"), ("UGA", "REQUEST", "BDI")}),
        # a joint act of coordinated subjects is done with each other
        ("Laos and Cambodia agreed on Tuesday to a three-day truce.",
         {("LAO", "RETREAT", "KHM"), ("KHM", "RETREAT", "LAO")}),
        ("Ecuador and Peru agreed to resume cooperation on border security.",
         {("ECU", "AGREE", "PER"), ("PER", "AGREE", "ECU")}),
        # "the two sides": the pair named together before, not the mediator who reports it
        ("Talks between Chad and Niger resumed in Doha. Qatar said the two sides agreed to a "
         "truce.", {("TCD", "RETREAT", "NER"), ("NER", "RETREAT", "TCD")}),
        ("Kenya hosted talks between Sudan and South Sudan. Both sides agreed to a ceasefire.",
         {("SDN", "RETREAT", "SSD"), ("SSD", "RETREAT", "SDN")}),
        # "A-B talks", "a summit of A and B", "between" under "of" phrases, "locked in talks"
        ("The Chad-Niger talks resumed on Monday.",
         {("TCD", "CONSULT", "NER"), ("NER", "CONSULT", "TCD")}),
        ("A summit of Chad and Niger opened in Doha.",
         {("TCD", "CONSULT", "NER"), ("NER", "CONSULT", "TCD")}),
        ("Kenya announced an agreement on the cessation of hostilities between Chad and Niger.",
         {("TCD", "SUPPORT", "NER"), ("NER", "SUPPORT", "TCD")}),
        ("Representatives of the Chadian government and the Polisario have been locked in "
         "peace talks since Tuesday.",
         {("TCD", "CONSULT", "POLISARIO"), ("POLISARIO", "CONSULT", "TCD")}),
        # a bare role noun is the actor of that sector named before ("the rebels": the ELN)
        ("Morocco has claimed the territory for decades. The Polisario fought in the desert. "
         "The government and the rebels have agreed to a ceasefire.",
         {("MAR", "RETREAT", "POLISARIO"), ("POLISARIO", "RETREAT", "MAR")}),
        ("The Sudanese army shelled the city. Later the army and the PKK met in Geneva.",
         {("SDN", "CONSULT", "PKK"), ("PKK", "CONSULT", "SDN")}),
    ],
)
def test_parties_found(text, expected):
    dyads = _dyads(text)
    assert expected <= dyads, dyads


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Talks between Chad and Niger resumed in Doha. Qatar said the two sides agreed to a "
         "truce.", "QAT"),
        ("According to Chinese officials, Chad agreed on Friday to protect civilians.", "CHN"),
        ("Mali rejected the offer, the French foreign minister said.", "FRA"),
    ],
)
def test_the_speaker_is_no_party(text, speaker):
    """Whoever reports an act is neither its source nor its addressee."""
    dyads = _dyads(text)
    assert dyads and not any(speaker in (s, t) for s, _e, t in dyads), dyads


def test_praising_together_is_not_praising_each_other():
    dyads = _dyads("Canada and Norway praised the deal.")
    assert {t for _s, _e, t in dyads} == {None}, dyads


def test_political_parties_are_not_the_sides():
    """ "opposition parties" are political parties, not the two sides of a negotiation."""
    dyads = _dyads("Talks between Chad and Niger resumed. The opposition parties rejected the "
                   "budget.")
    rejecting = {s for s, e, _t in dyads if e == "REJECT"}
    assert rejecting and "TCD" not in rejecting, dyads


def test_the_parties_fall_back_on_the_conflict():
    """With no pair named before, "the parties" are the two most named parties of the war."""
    text = ("Sudan's army and the RSF have fought since April. The RSF holds much of Khartoum.\n"
            "The parties agreed to a truce in Jeddah.")
    dyads = _dyads(text)
    assert ("SDN", "RETREAT", "RSF") in dyads or ("RSF", "RETREAT", "SDN") in dyads, dyads


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the agreement" refers back to the last agreement coded: its parties, its direction
        ("Chad and Niger signed a peace agreement on Monday. The agreement provides for the "
         "withdrawal of troops from the border.",
         {("TCD", "SUPPORT", "NER"), ("NER", "SUPPORT", "TCD")}),
        ("Peru and Ecuador agreed to a truce on Monday. The truce holds along the whole border.",
         {("PER", "RETREAT", "ECU"), ("ECU", "RETREAT", "PER")}),
        # one signatory of "the pact": with the other parties of the last agreement
        ("Chad and Niger signed a peace agreement on Monday. The Chadian envoy, Ali Mahamat, "
         "signed the pact as the president looked on.", {("TCD", "SUPPORT", "NER")}),
        # a passive agreement with no agent: the parties of the last one (an accord reached
        # is agreed terms, OEDA REACH * &TREATY 037)
        ("Chad and Niger signed a peace agreement on Monday. The accord was reached after two "
         "years of talks.", {("TCD", "AGREE", "NER"), ("NER", "AGREE", "TCD")}),
    ],
)
def test_the_agreement_refers_back(text, expected):
    """The dyads coded on the second sentence's own trigger ("agreement", "truce")."""
    offset = text.index(". ") + 2
    later = {((e["actor"] or {}).get("code"), e["event"], (e["recipient"] or {}).get("code"))
             for e in code_text(text, PUBLISHED, Settings()) if e["trigger"]["span"][0] >= offset}
    assert expected <= later, later


def test_an_agreement_drafted_by_others_is_their_proposal():
    dyads = _dyads("The agreement, drafted by France and Germany, calls for mutual recognition.")
    assert {a for a, e, _t in dyads if e == "AGREE"} == {"FRA", "DEU"}, dyads
    assert not any(e == "SUPPORT" for _a, e, _t in dyads), dyads


def test_an_agreement_with_no_antecedent_has_no_parties():
    assert _dyads("The agreement provides for the withdrawal of troops from the border.") == set()


def test_an_answered_deal_is_also_mentioned():
    """"Voters rejected a deal with X": the answer, and the agreement with X it answers."""
    dyads = _dyads("Voters in Chile have rejected a landmark peace deal with the Polisario in a "
                   "referendum.")
    assert ("CHL", "REJECT", "POLISARIO") in dyads, dyads
    assert ("CHL", "SUPPORT", "POLISARIO") in dyads, dyads


def test_a_deal_someone_is_pushed_to_forgo_is_no_agreement():
    dyads = _dyads("Britain pushed the Chilean president to forgo a deal with Bolivia.")
    assert not any(e == "SUPPORT" for _a, e, _t in dyads), dyads


def test_the_agreement_keeps_the_date_it_was_made():
    text = ("Chad and Niger signed a peace agreement on 3 May 2015.\n\n"
            "Critics say the agreement holds only on paper.")
    offset = text.index("Critics")
    later = [e for e in code_text(text, PUBLISHED, Settings())
             if e["trigger"]["span"][0] >= offset and e["event"] == "SUPPORT"]
    assert later and all(e["date"] == "2015-05-03" for e in later), later


def test_they_after_the_leaders_of_several_countries_is_each_of_them():
    dyads = _dyads("The leaders of Chile, Peru and Bolivia met on Monday and said they would "
                   "try to salvage the accord with Ecuador.")
    assert {a for a, e, t in dyads if e == "AGREE" and t == "ECU"} == {"CHL", "PER", "BOL"}, dyads


@pytest.mark.parametrize(
    "text",
    [
        # "the parties": those of the last agreement coded, not the host named since
        "Chad and Niger signed a framework agreement.\n\nSweden hosted the second round in "
        "Stockholm. The parties agreed to a truce.",
        # "parties to the conflict" are the sides too, and a country's "rival factions"
        "Chad and Niger signed a framework agreement. Parties to the conflict agreed to a truce.",
        "Chad and Niger signed a framework agreement. Chad's rival factions agreed to a truce.",
        # an act that is no agreement between them does not become "the agreement"'s parties
        "Chad and Niger signed a framework agreement. Niger agreed to release prisoners to "
        "Mali. The agreement holds.",
    ],
)
def test_the_parties_are_those_of_the_last_agreement(text):
    offset = text.rindex(". ") + 2
    later = {((e["actor"] or {}).get("code"), (e["recipient"] or {}).get("code"))
             for e in code_text(text, PUBLISHED, Settings()) if e["trigger"]["span"][0] >= offset}
    assert ("TCD", "NER") in later and ("NER", "TCD") in later, later


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # "the parties to the war in X": the principal sides of the war under way in X, not the
        # venue of their meeting
        ("On Monday the parties to the war in Sudan met in Geneva and agreed on a humanitarian "
         "corridor.", ("SDN", "CONSULT", "RSF"), ("SDN", "CONSULT", "CHE")),
        # with a war named by its sides, a later venue is no side either
        ("Sudan's army and the RSF have fought for a year. In Switzerland, the parties met on "
         "Monday and agreed to a truce.",
         ("SDN", "RETREAT", "RSF"), ("RSF", "RETREAT", "CHE")),
        # coordinated subjects that agree do so with each other: no third party named in the
        # object is their addressee
        ("Chile and Peru agreed to set up a joint fisheries committee with observers from "
         "Brazil.", ("CHL", "AGREE", "PER"), ("CHL", "AGREE", "BRA")),
    ],
)
def test_sides_are_parties_not_venues(text, expected, absent):
    dyads = _dyads(text)
    assert expected in dyads, dyads
    assert absent not in dyads, dyads


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a named declaration is the agreement its parties signed; a common one is not
        ("Chad and Niger signed a border accord on Monday. The Declaration of Principles "
         "commits both to joint patrols.", ("TCD", "SUPPORT", "NER"), None),
        ("Somaliland issued a declaration of independence.", None, ("SOM", "SUPPORT", None)),
        # "the X signed on DATE": the agreement of the participle's noun, dated by its clause
        ("Chad and Niger initialled a peace accord on Monday. The accord builds on the "
         "memorandum signed in March.", ("TCD", "SUPPORT", "NER"), None),
        # a quoted "you" is whom the speaker addresses, never the speaker
        ("The UN envoy told the delegations: \"You have reached an agreement on the port.\"",
         None, ("UN", "AGREE", None)),
    ],
)
def test_named_declarations_participles_and_you(text, expected, absent):
    dyads = _dyads(text)
    assert expected is None or expected in dyads, dyads
    assert absent is None or absent not in dyads, dyads
    if expected is None and absent is not None:
        assert all(a != absent[0] for a, _e, _t in dyads), dyads


def test_a_participle_signs_the_agreement_it_modifies():
    text = ("Chad and Niger initialled a peace accord on Monday. The accord builds on the "
            "memorandum signed on January 12, 2024.")
    signed = [e for e in code_text(text, PUBLISHED, Settings()) if e["trigger"]["text"] == "signed"]
    assert {(e["actor"]["code"], (e["recipient"] or {}).get("code")) for e in signed} >= {
        ("TCD", "NER")}, signed
    assert all(e["date"] == "2024-01-12" for e in signed), signed


def test_people_sign_for_whom_they_represent():
    dyads = _dyads("Karen Grigoryan and Elnur Mammadov, representing Armenia and Azerbaijan, "
                   "signing a border protocol in Almaty.")
    assert ("ARM", "SUPPORT", "AZE") in dyads and ("AZE", "SUPPORT", "ARM") in dyads, dyads
