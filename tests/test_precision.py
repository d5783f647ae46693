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


# -- a reference to an agreement made earlier takes the date it was made -------------------
def _dates(text: str, trigger: str) -> set[str | None]:
    return {e["date"] for e in _events(text, trigger)}


@pytest.mark.parametrize(
    ("text", "trigger", "date"),
    [
        # the making has a date of its own: later references take it, not the article's
        ("Chad and Niger signed a peace agreement on March 3, 2021.\n\n"
         "Three years on, Chad said the agreement between Chad and Niger was defective.",
         "agreement", "2021-03-03"),
        # a date of the agreement's start is not when it was made
        ("Chad and Niger signed an agreement in Doha on Monday.\n\n"
         "The agreement between Chad and Niger will begin on Friday, the mediator said.",
         "agreement", "2024-03-04"),
        # nor the date of something else the sides agreed to do
        ("Chad and Niger signed an agreement in Doha on Monday.\n\n"
         "The two sides agreed to respect the agreement between Chad and Niger and to resume "
         "consultations in January 2025.", "agreement", "2024-03-04"),
        # "the 2015 accord" dates the accord mentioned before it, too
        ("France said the accord between Iran and Germany was defective.\n\n"
         "The 2015 accord lifted sanctions against Iran.", "accord", "2015-01-01/2015-12-31"),
    ],
)
def test_reference_takes_the_making_date(text: str, trigger: str, date: str) -> None:
    assert date in _dates(text, trigger), _dates(text, trigger)


def test_other_time_with_no_making_date_is_publication() -> None:
    text = "The agreement between Chad and Niger will begin on Friday, the mediator said."
    events = _events(text, "agreement")
    assert events and {e["date_method"] for e in events} == {"publication"}


def test_agreeing_to_do_later_is_dated_by_the_agreeing() -> None:
    text = ("Chad and Niger agreed on Monday to resume consultations in January 2025.")
    assert _dates(text, "agreed") == {"2024-03-04"}


def test_reference_is_not_dated_by_a_start_still_to_come() -> None:
    text = ("Chad and Niger will start a truce on Friday, the mediator said.\n\n"
            "The agreement would begin at dawn and cover the whole border.")
    events = _events(text, "agreement")
    assert events and {(e["date"], e["date_method"]) for e in events} == {
        ("2024-03-06", "publication")}


# -- who is not a party ----------------------------------------------------------------------
def _actors(text: str, trigger: str) -> set[str | None]:
    return {(e["actor"] or {}).get("code") for e in _events(text, trigger)}


@pytest.mark.parametrize(
    ("text", "trigger", "actors"),
    [
        # a convening organisation named before the talks alone is no side
        ("Peru sent envoys to the final day of the UN peace talks on Tuesday.", "talks",
         set()),
        # ... but a side of a pair is
        ("The EU-China summit opened in Brussels on Tuesday.", "summit", {"EU", "CHN"}),
        # a country named besides the pair of sides is the venue
        ("Both leaders praised the first Switzerland Chad-Niger summit.", "summit",
         {"TCD", "NER"}),
        ("The Chad-Niger talks resumed on Monday.", "talks", {"TCD", "NER"}),
    ],
)
def test_conveners_and_venues(text: str, trigger: str, actors: set[str]) -> None:
    assert _actors(text, trigger) == actors


@pytest.mark.parametrize(
    "text",
    [
        "The measures include a Chad-Niger ceasefire monitoring mechanism.",
        "Officials set up a truce verification team for Chad and Niger.",
    ],
)
def test_act_named_as_a_topic_is_no_event(text: str) -> None:
    assert not [e for e in code_text(text, PUBLISHED, Settings())
                if e["trigger"]["text"].lower() in ("ceasefire", "truce")]


# -- parties named by title and organisation, and groups led by one actor --------------------
def _dyads(text: str, trigger: str) -> set[tuple]:
    return {((e["actor"] or {}).get("code"), (e["recipient"] or {}).get("code"))
            for e in _events(text, trigger)}


@pytest.mark.parametrize(
    ("text", "trigger", "dyads"),
    [
        # names the dictionary does not know, each after its title: the titles' actors
        ("Chadian Deputy Foreign Minister Ali Mahamat, adviser to the Chadian president, and "
         "Polisario representative Moussa Issa signed the peace agreement.", "signed",
         {("TCD", "POLISARIO"), ("POLISARIO", "TCD")}),
        # "the A-led coalition": A's
        ("The Saudi-led coalition and the Polisario agreed on Monday to a series of measures.",
         "agreed", {("SAU", "POLISARIO"), ("POLISARIO", "SAU")}),
    ],
)
def test_titled_and_led_parties(text: str, trigger: str, dyads: set[tuple]) -> None:
    assert _dyads(text, trigger) == dyads


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # an act a plan or timetable is for: future
        ("The accord sets out a timetable for Chad to withdraw its troops from Niger.",
         "withdraw", "future"),
        # a gerund clause under a could-verb: hypothetical
        ("One compromise could involve Chad agreeing to a truce with Niger.", "agreeing",
         "hypothetical"),
    ],
)
def test_planned_and_possible_acts(text: str, trigger: str, modality: str) -> None:
    events = _events(text, trigger)
    assert events and {e["modality"] for e in events} == {modality}


def test_event_between_no_known_actors_is_not_coded() -> None:
    # neither side names an actor: nothing to code
    assert not code_text("Some 24 million people will require humanitarian assistance in "
                         "2025.", PUBLISHED, Settings())
    # a role noun with a known other side still is
    assert _events("Unidentified gunmen attacked Chad's border posts on Monday.", "attacked")


def test_purpose_of_a_future_act_is_future() -> None:
    events = _events("The accord says Chad will work to release the Niger prisoners.", "release")
    assert events and {e["modality"] for e in events} == {"future"}


def test_name_after_under_is_no_addressee() -> None:
    # a legal basis ("under UN Security Council resolutions") is not whom one asks
    events = _events("Chad asked for lifting five sanctions under United Nations Security "
                     "Council resolutions.", "asked")
    assert events and all((e["recipient"] or {}).get("code") != "UNSC" for e in events)


# -- references to an earlier meeting or agreement; states lasting since a date ------------
@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Chad's minister praised the principle acknowledged in the previous Chad-Niger summit.",
         "summit"),
        ("Peru said the plan follows the lines agreed at the last meeting between Peru and "
         "Bolivia.", "meeting"),
        ("Chad said the offer was made in the first Doha summit between Chad and Niger.",
         "summit"),
    ],
)
def test_earlier_meeting_is_not_dated_by_the_article(text: str, trigger: str) -> None:
    events = _events(text, trigger)
    assert events and {e["date"] for e in events} == {None}


def test_earlier_meeting_with_a_date_of_its_own_keeps_it() -> None:
    text = "Chad recalled the previous summit between Chad and Niger on March 4, 2021."
    assert _dates(text, "summit") == {"2021-03-04"}


def test_meeting_without_earlier_word_keeps_the_article_date() -> None:
    text = "Chad's minister praised the principle acknowledged in the Chad-Niger summit."
    assert _dates(text, "summit") == {"2024-03-06"}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Chad praised the truce between Chad and Niger, in force since February 12.",
         "2024-02-12"),
        # a lasting state said to go on is what is said now: not dated by its start
        ("Chad said that the bilateral ceasefire with Niger that has been in place since "
         "29 February would continue.", None),
    ],
)
def test_state_lasting_since_a_date_is_dated_by_its_start(text: str, date: str | None) -> None:
    dates = _dates(text, "truce") | _dates(text, "ceasefire")
    if date is None:
        assert "2024-02-29" not in dates
    else:
        assert dates == {date}


# -- "today" in a quotation is the day it was said, when the article says which -------------
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Chad's minister travelled to Niger yesterday. After his visit the minister said: "
         "“Today's agreement between Chad and Niger is an important step.”", "2024-03-05"),
        ("Peru's envoy met Bolivia's president on Monday. Afterwards he said: “Today's "
         "agreement between Peru and Bolivia is a good start.”", "2024-03-04"),
        # the article does not say when it was said: the article's day
        ("Chad's minister said: “Today's agreement between Chad and Niger is an important "
         "step.”", "2024-03-06"),
    ],
)
def test_quoted_today_is_the_speech_day(text: str, date: str) -> None:
    assert _dates(text, "agreement") == {date}


# -- a reflexive or reciprocal object: the sides are each other's targets -------------------
@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The government of Chad and the rebels of Niger also committed themselves to the "
         "protection of civilians.", "committed"),
        ("Peru and Bolivia pledged to refrain from filing claims against each other.",
         "pledged"),
    ],
)
def test_reciprocal_object_makes_each_side_the_others_target(text: str, trigger: str) -> None:
    pairs = {(e["actor"]["code"], (e["recipient"] or {}).get("code"))
             for e in _events(text, trigger)}
    codes = {a for a, _ in pairs}
    assert len(codes) == 2, pairs
    a, b = sorted(codes)
    assert pairs == {(a, b), (b, a)}


# -- what is still to come is not dated by a past day the paragraph told of ------------------
@pytest.mark.parametrize(
    ("text", "trigger", "date"),
    [
        ("Chad attacked Niger on Feb. 7, killing 100 people. Both sides have said they will go "
         "back to fighting once the truce is over.", "go", "2024-03-06"),
        ("Peru shelled Bolivia's border posts on February 20. Peru will release the prisoners "
         "held by Bolivia.", "release", "2024-03-06"),
    ],
)
def test_future_act_is_not_dated_by_a_past_day_before(text: str, trigger: str,
                                                       date: str) -> None:
    assert _dates(text, trigger) <= {date, None} and _dates(text, trigger), _dates(text, trigger)


def test_act_of_both_sides_without_target_is_at_each_other() -> None:
    text = ("Chad and Niger agreed to a four-day truce on Monday. Both sides have said they will "
            "go back to fighting once the truce is over.")
    pairs = {(e["actor"]["code"], (e["recipient"] or {}).get("code"))
             for e in _events(text, "go")}
    assert pairs == {("TCD", "NER"), ("NER", "TCD")}


@pytest.mark.parametrize(
    "text",
    ["Chad blamed the failure on Niger's demands.", "Chad blamed the failure on Niger."],
)
def test_blame_on_names_the_target(text: str) -> None:
    pairs = {(e["actor"]["code"], (e["recipient"] or {}).get("code"))
             for e in _events(text, "blamed")}
    assert pairs == {("TCD", "NER")}


def test_blame_on_a_day_names_no_target() -> None:
    events = _events("Chad condemned the attack on Monday.", "condemned")
    assert events and all(e["recipient"] is None for e in events)


def test_detention_named_by_a_participle_is_a_state_without_a_date() -> None:
    text = ("Chad and Niger agreed on Monday to a truce to allow the release of Nigeriens "
            "imprisoned in Chad.")
    assert _dates(text, "imprisoned") == {None}
    assert _dates("Chad imprisoned 40 Nigeriens on Monday.", "imprisoned") == {"2024-03-04"}


# -- CAMEO codes of violent acts and withdrawals (OEDA: TAKE/SEIZE &HOSTAGE [181], ASSASSINATE
#    [186], MASSACRE [202], WITHDRAW &MILITARY [0874]) ------------------------------------
@pytest.mark.parametrize(
    ("text", "trigger", "cameo"),
    [
        ("Rebels from Chad stormed the village, seizing 30 hostages.", "seizing", "181"),
        ("Chad seized Niger's oil tanker on Monday.", "seized", "171"),
        ("Chad assassinated the leader of Niger.", "assassinated", "186"),
        ("Chad killed the leader of Niger in an ambush.", "killed", "1823"),
        ("Dozens of Nigeriens have been killed by Chadian bombardment since May.", "killed",
         "195"),
        ("Ten Nigerien soldiers were killed by Chadian artillery on Monday.", "killed", "194"),
        ("The main term is a phased Chadian troop withdrawal from Niger.", "withdrawal", "0874"),
        ("Niger criticised the Chadian withdrawal of forces from the border.", "withdrawal",
         "0874"),
        ("Niger regretted the Chadian withdrawal from the talks.", "withdrawal", "164"),
    ],
)
def test_violence_and_withdrawal_codes(text: str, trigger: str, cameo: str) -> None:
    events = _events(text, trigger)
    assert events, text
    assert {e["cameo"] for e in events} == {cameo}


# -- a refusal's target: the owner named inside the noun phrase of what is refused --------
@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Chad said on Monday that it has not signed off on a Niger peace plan pledge to free "
         "50 detainees.", "NER"),
        ("Chad did not sign the Nigerien draft agreement.", "NER"),
        ("Chad complained that Niger did not sign the border deal on Monday.", None),
    ],
)
def test_refusal_target_is_owner_of_refused(text: str, target: str | None) -> None:
    events = [e for e in _events(text, "signed") + _events(text, "sign") if e["cameo"] == "127"]
    assert events, text
    assert {(e["recipient"] or {}).get("code") for e in events} == {target}


# -- a bare statement whose reported clause is coded as the same source's act -----------
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The foreign ministry of Chad informed the foreign ministry of Niger that Chad accepts "
         "Niger's proposals on the border.", False),
        ("The foreign ministry of Chad informed Niger through official channels that Chad "
         "accepts the Nigerien proposals.", False),
    ],
)
def test_statement_of_coded_act_is_not_another_event(text: str, kept: bool) -> None:
    assert bool(_events(text, "informed")) is kept
    assert {e["cameo"] for e in _events(text, "accepts")} == {"037"}


# -- what has gone on "since then" lasts from the day told before to the publication ------
@pytest.mark.parametrize(
    ("text", "trigger", "date"),
    [
        ("Chadian gunmen attacked Niger on Feb. 10. Since then, more than 300 Nigeriens have "
         "been killed by Chadian bombardment.", "killed", "2024-02-10/2024-03-06"),
        ("Chadian gunmen attacked Niger on Feb. 10. Chad has detained 40 Nigeriens since then.",
         "detained", "2024-02-10/2024-03-06"),
        ("Chadian gunmen attacked Niger on Feb. 10. Chad detained 40 Nigeriens two days later.",
         "detained", "2024-02-12"),
    ],
)
def test_since_then_lasts_to_publication(text: str, trigger: str, date: str) -> None:
    events = _events(text, trigger)
    assert events, text
    assert {e["date"] for e in events} == {date}


# -- a passive participle's noun is what is done to: the target of an object pattern ------
@pytest.mark.parametrize(
    ("text", "trigger", "target"),
    [
        ("Chad released 40 Nigeriens detained by Chadian police.", "detained", "NER"),
        ("Chad freed the Nigerien students arrested by its police last year.", "arrested",
         "NER"),
    ],
)
def test_participle_noun_is_target(text: str, trigger: str, target: str) -> None:
    events = _events(text, trigger)
    assert events, text
    assert {(e["recipient"] or {}).get("code") for e in events} == {target}


# -- the other side of "this meeting", named before, is the addressee of an act done there --
@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("The leaders of Chad and Niger held talks in Doha on Monday. Chad offered a realistic "
         "proposal in this meeting, its minister said.", "NER"),
        ("The leaders of Chad and Niger held talks in Doha on Monday. Chad offered a realistic "
         "proposal at the summit, its minister said.", "NER"),
        ("The leaders of Chad and Niger held talks in Doha on Monday. Chad offered a realistic "
         "proposal at a meeting in Paris.", None),
        ("Chad offered a realistic proposal in this meeting, its minister said.", None),
    ],
)
def test_act_in_this_meeting_is_at_its_other_side(text: str, target: str | None) -> None:
    events = _events(text, "offered")
    assert events, text
    assert {(e["recipient"] or {}).get("code") for e in events} == {target}
