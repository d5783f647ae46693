"""The event coder on real spaCy parses, one table per construction, with sentences of our own."""

from __future__ import annotations

import pytest

from detente.code_text import code_text
from detente.config import Settings

PUBLISHED = "2023-05-17"  # a Wednesday


def _events(text: str, published: str = PUBLISHED) -> list[dict]:
    return code_text(text, published, Settings())


def _dyads(text: str, published: str = PUBLISHED) -> set[tuple]:
    return {((e["actor"] or {}).get("code"), e["event"], (e["recipient"] or {}).get("code"))
            for e in _events(text, published)}


def _one(text: str, event: str, published: str = PUBLISHED) -> dict:
    found = [e for e in _events(text, published) if e["event"] == event]
    assert found, (text, _events(text, published))
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # active voice, with and without a "with" object
        ("Armenia proposed talks with Azerbaijan on the border.", ("ARM", "AGREE", "AZE")),
        ("Egypt rejected the Ethiopian proposal.", ("EGY", "REJECT", "ETH")),  # implied
        ("Japan criticized China over the drills.", ("JPN", "ACCUSE", "CHN")),
        ("Paris condemned the attack on its embassy in Niger.", ("FRA", "ACCUSE", None)),
        ("Seoul urged Pyongyang to return to the negotiating table.", ("KOR", "REQUEST", "PRK")),
        ("Kenya hosted the talks.", ("KEN", "CONSULT", None)),
        # passive voice
        ("The ceasefire plan was rejected by Israel.", ("ISR", "REJECT", None)),
        ("Serbia was criticized by the European Union.", ("EU", "ACCUSE", "SRB")),
        # complements
        ("Moldova refused to negotiate with the separatists.", ("MDA", "REJECT", None)),
        ("Colombia offered to mediate between Venezuela and Guyana.", ("COL", "AGREE", "VEN")),
        ("India agreed to hold talks with Pakistan.", ("IND", "AGREE", "PAK")),
        # nominal events
        ("Norway's mediation offer was welcomed.", ("NOR", "AGREE", None)),
        ("The Indian rejection of the plan surprised observers.", ("IND", "REJECT", None)),
        # "to" objects and datives
        ("Qatar sent Washington a draft agreement.", ("QAT", "AGREE", "USA")),
        ("Brazil made an appeal to Venezuela for talks.", ("BRA", "REQUEST", "VEN")),
    ],
)
def test_roles_and_types(text, expected):
    assert expected in _dyads(text), _events(text)


def test_coordinated_subjects_meet_in_both_directions():
    dyads = _dyads("Sudan and South Sudan met in Addis Ababa.")
    assert ("SDN", "CONSULT", "SSD") in dyads and ("SSD", "CONSULT", "SDN") in dyads


def test_the_two_sides_refer_to_the_last_dyad():
    text = ("Georgia and Armenia disagreed over the border. The two sides met in Tbilisi "
            "on Tuesday.")
    dyads = _dyads(text)
    assert ("GEO", "CONSULT", "ARM") in dyads or ("ARM", "CONSULT", "GEO") in dyads


def test_pronoun_subject_takes_the_antecedent_in_the_paragraph():
    text = "Chile protested to Argentina on Monday. It rejected the new border proposal."
    assert ("CHL", "REJECT", None) in _dyads(text)


def test_apposition_gives_the_named_person():
    ev = _one("Hakan Fidan, the Turkish foreign minister, proposed talks on Monday.", "AGREE")
    assert ev["actor"]["code"] == "TUR"


@pytest.mark.parametrize(
    ("text", "event", "modality"),
    [
        ("Hungary rejected the proposal.", "REJECT", "asserted"),
        ("Hungary did not reject the proposal.", "REJECT", "negated"),
        ("Hungary never rejected the proposal.", "REJECT", "negated"),
        ("Austria would have accepted the proposal.", "AGREE", "hypothetical"),
        ("Slovakia will propose new talks with Poland.", "AGREE", "future"),
        ("Officials said Austria rejected the proposal.", "REJECT", "reported"),
        ("Spain denied that it had rejected the proposal.", "REJECT", "negated"),
    ],
)
def test_negation_and_modality(text, event, modality):
    assert _one(text, event)["modality"] == modality


def test_refused_to_talk_is_a_rejection_of_talks():
    ev = _one("Belarus refused to talk with Lithuania about the border.", "REJECT")
    assert ev["cameo"] == "125" and ev["actor"]["code"] == "BLR"
    assert not [e for e in _events("Belarus refused to talk with Lithuania.")
                if e["event"] == "CONSULT"]


def test_should_negotiate_is_an_appeal_not_a_negotiation():
    events = _events("Nigeria should negotiate with Niger, Ghana said.")
    assert not [e for e in events if e["event"] == "CONSULT"]
    appeal = [e for e in events if e["event"] == "REQUEST"]
    assert appeal and appeal[0]["modality"] == "demanded"
    assert appeal[0]["actor"]["code"] == "GHA" and appeal[0]["recipient"]["code"] == "NGA"


@pytest.mark.parametrize(
    ("text", "kind", "speaker"),
    [
        ("Peru rejected the proposal.", "author", None),
        ("Ecuador rejected the proposal, President Daniel Noboa said.", "named", "Daniel Noboa"),
        ("Ecuador rejected the proposal, a senior official told reporters.", "unnamed", None),
        ("According to Reuters, Ecuador rejected the proposal.", "outlet", "Reuters"),
        ("Peruvian officials said Ecuador rejected the proposal.", "unnamed", "officials"),
        ("Peru's Foreign Ministry said Ecuador rejected the proposal.", "named", "Ministry"),
    ],
)
def test_attribution(text, kind, speaker):
    ev = _one(text, "REJECT")
    assert ev["attribution"]["kind"] == kind
    if speaker:
        assert speaker in ev["attribution"]["text"]


def test_a_quotation_over_two_sentences_keeps_its_speaker():
    text = ("“We reject this plan. We will never accept talks under pressure,” "
            "the Iranian foreign minister said.")
    events = [e for e in _events(text) if e["event"] == "REJECT"]
    assert events and all(e["attribution"]["kind"] != "author" for e in events)


@pytest.mark.parametrize(
    ("text", "start", "end", "method"),
    [
        ("Malaysia proposed talks with Thailand on Dec. 15, 2021.", "2021-12-15", "2021-12-15",
         "absolute"),
        ("Malaysia proposed talks with Thailand on May 2.", "2023-05-02", "2023-05-02",
         "partial"),
        ("Malaysia proposed talks with Thailand in March.", "2023-03-01", "2023-03-31",
         "partial"),
        ("Malaysia proposed talks with Thailand last week.", "2023-05-08", "2023-05-14",
         "relative"),
        ("Malaysia proposed talks with Thailand two years ago.", "2021-01-01", "2021-12-31",
         "relative"),
        ("Malaysia proposed talks with Thailand in late 2022.", "2022-09-01", "2022-12-31",
         "fuzzy"),
        ("Malaysia proposed talks with Thailand.", "2023-05-17", "2023-05-17", "publication"),
    ],
)
def test_event_dates(text, start, end, method):
    ev = _one(text, "AGREE")
    assert (ev["date"].split("/")[0], ev["date_method"]) == (start, method)
    assert ev["date"].split("/")[-1] == end


def test_the_next_day_is_anchored_on_the_previous_event_date():
    text = ("Malaysia proposed talks with Thailand on March 3, 2022. Thailand rejected the "
            "proposal the next day.")
    ev = _one(text, "REJECT")
    assert ev["date"] == "2022-03-04" and ev["date_method"] == "anaphoric"


def test_a_section_heading_dates_what_follows():
    text = "Second Round — 2019\n\nMalaysia proposed talks with Thailand."
    ev = _one(text, "AGREE")
    assert ev["date"].startswith("2019") and ev["date_method"] == "section"


def test_every_event_has_provenance_and_codes():
    text = "Kosovo and Serbia signed an agreement in Brussels on Friday."
    events = _events(text)
    assert events, text
    for ev in events:
        assert text[ev["trigger"]["span"][0]:ev["trigger"]["span"][1]] == ev["trigger"]["text"]
        assert ev["actor"] is None or text[ev["actor"]["span"][0]:ev["actor"]["span"][1]]
        assert ev["goldstein"] is not None and ev["quad_class"] in (1, 2, 3, 4)
        assert ev["pattern"] and 0 < ev["confidence"] < 1


def test_dates_relative_to_a_war_use_the_conflict_table():
    text = ("Israel and Hamas fought in Gaza for months. During the first three weeks of the war, "
            "Qatar proposed talks with Israel. Before the war broke out, Egypt had warned Israel "
            "of an attack.")
    ev = _one(text, "AGREE", published="2024-05-01")
    assert ev["date_method"] == "conflict"
    assert ev["date"] == "2023-10-07/2023-10-27"
    warn = _one(text, "THREATEN", published="2024-05-01")
    assert warn["date"].endswith("/2023-10-06") and warn["date_method"] == "conflict"


def test_coordinated_dates_widen_to_a_range():
    ev = _one("In late 2022 and early 2023, Japan proposed talks with China.", "AGREE")
    assert ev["date"] == "2022-09-01/2023-04-30"


def test_a_temporal_clause_dates_the_main_clause():
    ev = _one("When Mexico proposed talks on May 2, 2019, Guatemala rejected them.", "REJECT")
    assert ev["date"] == "2019-05-02"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iran and the United States held indirect talks in Muscat.", ("IRN", "CONSULT", "USA")),
        ("China threatened Taiwan with military action.", ("CHN", "THREATEN", "TWN")),
        ("The EU imposed new sanctions on Belarus.", ("EU", "COERCE", "BLR")),
        ("Turkey expelled two Swedish diplomats.", ("TUR", "SANCTION", "SWE")),
        ("The United States pledged military aid to Ukraine.", ("USA", "AGREE", "UKR")),
        ("Pakistan accused India of sponsoring terrorism.", ("PAK", "ACCUSE", "IND")),
        ("Ethiopian troops withdrew from the border town.", ("ETH", "RETREAT", None)),
        ("The UN Security Council demanded an immediate ceasefire.", ("UNSC", "REQUEST", None)),
        ("Russia mobilized 300,000 reservists.", ("RUS", "MOBILIZE", None)),
        ("Azerbaijan and Armenia signed a peace agreement.", ("AZE", "SUPPORT", "ARM")),
        ("Egypt mediated between Israel and Hamas.", ("EGY", "CONSULT", "ISR")),
        ("French President Emmanuel Macron praised Germany.", ("FRA", "SUPPORT", "DEU")),
        ("Iranian authorities arrested a French tourist.", ("IRN", "COERCE", "FRA")),
        ("Israel released 90 Palestinian prisoners.", ("ISR", "RETREAT", None)),
        ("Kenyan police dispersed the crowd with tear gas.", ("KEN", "ASSAULT", "KEN")),
    ],
)
def test_types_across_the_ontology(text, expected):
    assert expected in _dyads(text), _events(text)


def test_an_undated_paragraph_takes_the_date_of_the_paragraph_before():
    text = ("In early 2021, Oman proposed talks with Yemen.\n\n"
            "Qatar also suggested talks with Yemen during a visit.")
    ev = [e for e in _events(text) if e["actor"]["code"] == "QAT"][0]
    assert ev["date_method"] == "context" and ev["date"].startswith("2021-01-01")


def test_national_institutions_resolve_to_their_country():
    dyads = _dyads("The Knesset rejected the proposal. Congress criticized the Duma.")
    assert ("ISR", "REJECT", None) in dyads and ("USA", "ACCUSE", "RUS") in dyads


def test_circumstances_after_with_are_not_targets():
    dyads = _dyads("Chile will negotiate with Peru only with Bolivia's consent.")
    assert ("CHL", "CONSULT", "PER") in dyads
    assert not any(t == "BOL" for _, _, t in dyads)


def test_places_can_be_targets_but_not_sources():
    assert ("RUS", "ASSAULT", "UKR") in _dyads("Russia shelled Kharkiv on Monday.")
    assert not _events("Kharkiv rejected the proposal.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # agreements named as declarations and joint statements
        ("The foreign ministers of Chile, Peru and Bolivia signed a joint statement.",
         ("PER", "SUPPORT", "BOL")),
        ("Chad and Niger signed a declaration on border security.", ("TCD", "SUPPORT", "NER")),
        # plans unveiled, published, outlined: proposals
        ("The prime minister of Peru unveiled a six-point plan for the border.",
         ("PER", "AGREE", None)),
        ("Austria published a draft treaty on water sharing.", ("AUT", "AGREE", None)),
        # the talks concluded, commitments, keeping an accord, starting a truce
        ("Bolivia and Chile have concluded negotiations on the text of a treaty.",
         ("BOL", "CONSULT", "CHL")),
        ("Chad and Niger committed themselves to the protection of civilians.",
         ("TCD", "AGREE", "NER")),
        ("Greece said it would try to salvage the accord with Turkey.", ("GRC", "AGREE", "TUR")),
        ("Peru and Ecuador will start a four-day truce on Friday.", ("PER", "RETREAT", "ECU")),
        # answers: particles carry the object; a phrase wins over its head word alone
        ("Chile walked away from the talks with Bolivia.", ("CHL", "REJECT", "BOL")),
        ("Iran backed away from the deal with France.", ("IRN", "REJECT", "FRA")),
        ("Serbia did not sign the agreement with Kosovo.", ("SRB", "REJECT", "XKX")),
        ("The talks between Chad and Niger collapsed on Monday.", ("TCD", "SANCTION", "NER")),
        # sanctions instituted or restored; aid withdrawn is aid cut, troops withdrawn retreat
        ("Chile will be instituting the highest level of economic sanction on Peru.",
         ("CHL", "COERCE", "PER")),
        ("Chile restored sanctions on Peru.", ("CHL", "COERCE", "PER")),
        ("Chile withdrew its military assistance for Peru.", ("CHL", "SANCTION", "PER")),
        ("Chile withdrew its troops from Peru.", ("CHL", "RETREAT", "PER")),
    ],
)
def test_ordinary_negotiation_verbs(text, expected):
    assert expected in _dyads(text), _events(text)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # terms reached are an agreement to settle (OEDA: REACH * DEAL/TREATY), not a signature
        ("Chile and Peru reached an agreement on fishing rights on Monday.",
         ("CHL", "AGREE", "PER"), ("CHL", "SUPPORT", "PER")),
        ("Chile and Peru signed an agreement on fishing rights on Monday.",
         ("CHL", "SUPPORT", "PER"), None),
        # "X signed the accord": its other party is that of the last accord X made, not of
        # other talks reported in between
        ("Chad and Niger signed a border accord on Monday. Talks between Mali and Burkina Faso "
         "began on Tuesday. Chad signed the accord at a ceremony in Niamey.",
         ("TCD", "SUPPORT", "NER"), ("TCD", "SUPPORT", "BFA")),
        # "the treaty" after terms accepted: agreed terms of both parties, not a signature
        ("Georgia has accepted Armenia's proposals on the border treaty. The treaty sets out a "
         "new crossing regime.", ("ARM", "AGREE", "GEO"), ("GEO", "SUPPORT", "ARM")),
    ],
)
def test_agreements_reached_and_referred_back(text, expected, absent):
    dyads = _dyads(text)
    assert expected in dyads, _events(text)
    assert absent is None or absent not in dyads, _events(text)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # an announcer of an agreement is not its party; with no agent named, the agreement
        # is the war's sides'
        ("Sudan's army and the RSF have fought for a year. The UN envoy announced on Monday "
         "that a truce had been agreed in Khartoum.",
         ("SDN", "RETREAT", "RSF"), ("UN", "RETREAT", None)),
        ("A ceasefire was agreed on Tuesday between the army and the rebels in Kachin state.",
         None, ("UN", "RETREAT", None)),
        # the maker of an agreement named before a preposition: "succeeded in signing"
        ("Serbia succeeded in signing an agreement with Kosovo.",
         ("SRB", "SUPPORT", "XKX"), None),
        ("Colombia succeeded in reaching a deal with the FARC.",
         ("COL", "AGREE", "FARC"), None),
    ],
)
def test_agreements_without_a_named_maker(text, expected, absent):
    dyads = _dyads(text, "2024-03-06")
    assert expected is None or expected in dyads, _events(text, "2024-03-06")
    assert absent is None or absent not in dyads, _events(text, "2024-03-06")


def test_list_items_under_an_agreement_are_its_terms():
    text = ("Chad and Niger agreed on Monday to a three-day truce.\n\nUnder the truce:\n\n"
            "• 40 prisoners to be freed\n\n• no flights over the border\n\n"
            "The region remained calm.")
    events = _events(text)
    items = [e for e in events if e["trigger"]["text"] in ("prisoners", "freed", "no", "flights")]
    assert {(e["actor"]["code"], e["event"], e["recipient"]["code"]) for e in items} >= {
        ("TCD", "RETREAT", "NER"), ("NER", "RETREAT", "TCD")}, events
    assert not [e for e in events if e["trigger"]["text"] in ("region", "remained")], events


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # talks that end with an agreement are not broken off
        ("The Kenyan talks between Sudan and South Sudan ended with a border deal.", "SANCTION"),
        # a topic or a noun modifier is no act: "a standoff over sanctions", "sanctions relief"
        ("The summit failed over a standoff about Japanese sanctions.", "COERCE"),
        ("Iran asked for partial French sanctions relief.", "COERCE"),
        # a passive subordinate clause is not done by the main clause's subject
        ("Moldova protested after the talks were cut short by a storm.", "SANCTION"),
    ],
)
def test_states_and_topics_are_not_acts(text, absent):
    assert all(e["event"] != absent for e in _events(text)), _events(text)


def test_numbered_victims_are_no_target():
    ev = [e for e in _events("Gunmen from Hamas burst across the fence on Monday, killing 40 "
                             "people.") if e["cameo"].startswith("18")]
    assert all(not (e["recipient"] or {}).get("code") for e in ev), ev


def test_a_venue_is_not_the_implied_addressee():
    dyads = _dyads("At the Geneva meeting, Serbia pledged never to recognise Kosovo.")
    assert not any(t == "CHE" for _a, _e, t in dyads), dyads


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # "it" stating the terms of the agreement just coded mentions that agreement again
        ("Chad and Niger signed a border accord on Monday. It includes joint patrols along the "
         "river.", "includes"),
        ("Chad and Niger signed a border accord on Monday. It also stipulates that both armies "
         "withdraw by June.", "stipulates"),
        # a verb that names its object does not hide the object's own event
        ("Chad and Niger signed a border accord on Monday. Mediator Qatar called the accord "
         "a \"historic step\".", "accord"),
    ],
)
def test_later_sentences_about_the_agreement(text, trigger):
    later = [e for e in _events(text) if e["trigger"]["text"] == trigger
             and e["trigger"]["span"][0] > text.index(".")]
    assert {(e["actor"]["code"], (e["recipient"] or {}).get("code")) for e in later} >= {
        ("TCD", "NER"), ("NER", "TCD")}, _events(text)


def test_it_with_other_verbs_is_no_agreement():
    text = "Chad and Niger signed a border accord on Monday. It rained in Niamey."
    assert not [e for e in _events(text) if e["trigger"]["text"] == "rained"]


def test_parts_of_the_agreement_state_its_terms():
    text = ("Chad and Niger signed a border accord on Monday. Its final clauses cover the "
            "river crossings.")
    later = [e for e in _events(text) if e["trigger"]["text"] == "cover"]
    assert {(e["actor"]["code"], (e["recipient"] or {}).get("code")) for e in later} >= {
        ("TCD", "NER")}, _events(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chad and Niger committed in a joint declaration to a truce.", ("TCD", "AGREE", "NER")),
        ("Chad committed more troops on Monday.", None),
        ("Chad committed abuses in the north.", None),
    ],
)
def test_commit_needs_an_agreement(text, expected):
    events = _events(text)
    if expected is None:
        assert not [e for e in events if e["trigger"]["text"] == "committed"], events
    else:
        assert expected in _dyads(text) or (expected[0], "RETREAT", expected[2]) in _dyads(text)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # the party that answers a proposal in the main clause is its addressee
        ("While Peru had proposed joint patrols on the river, Chile rejected the idea.",
         ("PER", "AGREE", "CHL"), None),
        # a reporting subject is still no addressee
        ("Chilean officials say Peru proposed joint patrols on the river.",
         None, ("PER", "AGREE", "CHL")),
    ],
)
def test_a_contrasting_main_clause_names_the_addressee(text, expected, absent):
    dyads = _dyads(text)
    assert expected is None or expected in dyads, dyads
    assert absent is None or absent not in dyads, dyads
