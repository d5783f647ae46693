"""Answers in their many forms: the coder's answer verbs (table tests on sentences of our own)
and their linking to the episode they answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.code_text import code_text
from detente.config import Settings
from detente.ingest import ingest
from detente.store import Store, open_store

PUBLISHED = "2024-03-01"


def _events(text: str) -> list[dict]:
    return code_text(text, PUBLISHED, Settings())


def _coded(text: str) -> set[tuple]:
    return {((e["actor"] or {}).get("code"), e["cameo"], (e["recipient"] or {}).get("code"))
            for e in _events(text)}


@pytest.mark.parametrize(("text", "expected"), [
    # intransitive: the negotiation is the subject, its parties the sources
    ("The peace talks between Chile and Peru broke down in Lima.", ("CHL", "164", "PER")),
    ("Negotiations between Chile and Peru collapsed on Monday.", ("PER", "164", "CHL")),
    ("The truce between Chile and Peru collapsed after two days.", ("CHL", "1246", "PER")),
    # a negated signature is a refusal
    ("The Chilean president did not sign the border agreement.", ("CHL", "127", None)),
    ("Peru has not signed the accord with Chile.", ("PER", "127", "CHL")),
    # backing out, going back on, withdrawing from
    ("Chile backtracked on the agreement with Peru.", ("CHL", "127", "PER")),
    ("The United States withdrew from the nuclear deal with Iran.", ("USA", "161", None)),
    ("Chile's parliament voted down the treaty with Peru.", ("CHL", "127", "PER")),
    # a complaint reports its clause: the refusal in it is an event of its own
    ("Bolivia complained that Chile did not sign the border agreement.", ("CHL", "127", None)),
    # welcoming an agreement endorses it; welcoming a delegation hosts it
    ("Chile welcomed the ceasefire between Peru and Bolivia.", ("CHL", "051", "BOL")),
])
def test_answer_verbs(text: str, expected: tuple) -> None:
    assert expected in _coded(text), _events(text)


@pytest.mark.parametrize("text", [
    "Chile failed to reach the summit on time.",           # the subject is no negotiation
    "The Chilean economy collapsed in 1982.",
    "Chile did not meet Peru in March.",                     # a negated meeting is no refusal
])
def test_no_answer_where_none_is_given(text: str) -> None:
    assert not {c for _, c, _ in _coded(text) if c.startswith(("12", "164", "1246"))}, \
        _events(text)


def test_welcoming_a_visitor_is_still_hosting() -> None:
    assert ("CHL", "043", "PER") in _coded("Chile welcomed the Peruvian president in Santiago.")


def _store(tmp_path: Path, texts: dict[str, str]) -> Store:
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = open_store(tmp_path / "a.db")
    report = ingest([str(tmp_path / n) for n in texts], store, Settings())
    assert report.ok, report.failed
    return store


LEAD = """title: Lima rebuffs Santiago
published: 2024-03-01

Peru on Friday dismissed the plan.

On February 27, 2024, Chile proposed a peace plan to Peru for the disputed border.

Chile repeated its offer of talks to Peru on February 28, 2024.
"""

ACCEPTED = """title: Deal on the border
published: 2024-03-02

On February 20, 2024, Chile proposed a border settlement to Peru.

On February 29, 2024, Peru accepted Chile's proposal for the border settlement.

Bolivia welcomed the agreement.
"""

CONDITIONAL = """title: Conditions
published: 2024-03-03

On February 20, 2024, Chile proposed a border settlement to Peru.

Chile repeated its offer of a settlement to Peru on February 22, 2024.

Peru said it would accept the proposal only if Chile withdrew its troops.
"""


def _answers(store: Store) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for ep in store.episodes():
        d = store.episode(ep["id"])
        out[ep["id"]] = {(m["source_code"], m["answer_kind"]) for m in d["members"]
                         if m["role"] == "answer"}
    return out


def test_an_answer_in_the_lead_links_to_the_proposal_described_after_it(tmp_path: Path) -> None:
    found = _answers(_store(tmp_path, {"lead.txt": LEAD}))
    assert ("PER", "ignored") in set().union(*found.values()), found


def test_an_acceptance_answers_the_proposal_and_is_no_proposal_of_its_own(
        tmp_path: Path) -> None:
    store = _store(tmp_path, {"acc.txt": ACCEPTED})
    found = _answers(store)
    assert not [e for e in store.episodes() if e["proposer"] == ["PER"]]
    assert {("PER", "accepted"), ("BOL", "accepted")} <= set().union(*found.values()), found


def test_a_conditional_acceptance_is_an_answer_of_its_own_kind(tmp_path: Path) -> None:
    found = _answers(_store(tmp_path, {"cond.txt": CONDITIONAL}))
    assert ("PER", "conditional") in set().union(*found.values()), found


UNADDRESSED = """title: A plan put to no one
published: 2024-03-04

On February 20, 2024, Chile unveiled a peace treaty for the border.

Chile repeated its peace treaty offer on February 22, 2024.

Peru rejected the treaty on February 23, 2024.
"""


def test_an_episode_that_names_no_addressee_takes_its_answerer(tmp_path: Path) -> None:
    store = _store(tmp_path, {"plan.txt": UNADDRESSED})
    [ep] = [e for e in store.episodes() if e["proposer"] == ["CHL"]]
    assert ("PER", "rejected") in _answers(store)[ep["id"]]
    assert ep["addressee"] == ["PER"]


@pytest.mark.parametrize(("word", "lemma", "expected"), [
    ("withdrew", "withdraw", True), ("withdrawing", "withdraw", True),
    ("agreed", "agree", True), ("agreeing", "agree", True), ("scrapped", "scrap", True),
    ("ratified", "ratify", True), ("backtracked", "backtrack", True),
    ("pulled out", "pull", True), ("broke", "break", True),
    ("brokered", "break", False), ("brokered", "broke", False),
    ("background", "back", False), ("backtracked", "back", False),
    ("showcased", "show", False), ("signature", "sign", False),
])
def test_answer_kinds_match_whole_lemmas(word: str, lemma: str, expected: bool) -> None:
    from detente.episodes import is_form_of, load_rules
    assert is_form_of(word, lemma, load_rules()) is expected


def test_a_brokered_deal_is_no_abandoned_one() -> None:
    from detente.episodes import answer_kind, load_rules
    ev = {"trigger_text": "brokered", "plover_type": "AGREE", "sentence": "Chile brokered it."}
    assert answer_kind(ev, load_rules()) == "accepted"


TWO_SIDED = """title: Border talks
published: 2024-03-05

On February 20, 2024, Chile and Peru concluded their border negotiations.

Peru accepted Chile's proposals on the two open articles of the border treaty.

While Chile had proposed a joint commission for the border treaty, Peru dismissed the idea.
"""


def test_a_party_to_talks_answers_the_other_sides_position(tmp_path: Path) -> None:
    found = set().union(*_answers(_store(tmp_path, {"two.txt": TWO_SIDED})).values())
    assert {("PER", "accepted"), ("PER", "ignored")} <= found, found


JUDGED = """title: Reactions
published: 2024-03-06

On February 20, 2024, Chile and Peru signed a border agreement in Lima.

Chile and Peru agreed to open two crossings under the border agreement.

Bolivia praised the border agreement on February 21, 2024.

Ecuador criticised the agreement on February 22, 2024.
"""


def test_praise_and_criticism_of_an_agreement_are_answers(tmp_path: Path) -> None:
    found = set().union(*_answers(_store(tmp_path, {"judged.txt": JUDGED})).values())
    assert {("BOL", "accepted"), ("ECU", "rejected")} <= found, found


def test_praise_of_a_person_is_no_answer(tmp_path: Path) -> None:
    text = JUDGED.replace("Bolivia praised the border agreement", "Bolivia praised Peru's "
                          "footballers").replace("Ecuador criticised the agreement",
                                                 "Ecuador criticised the weather")
    found = set().union(*_answers(_store(tmp_path, {"judged.txt": text})).values())
    assert not {a for a in found if a[0] in ("BOL", "ECU")}, found


SHARED_PLAN = """title: A shared plan
published: 2024-03-07

On February 20, 2024, Chile and Peru agreed on a border plan drafted by Brazil.

Although it agreed to the plan, Peru seemed to backtrack on some of its points.
"""


def test_a_party_backtracking_on_a_shared_plan_abandons_it(tmp_path: Path) -> None:
    found = set().union(*_answers(_store(tmp_path, {"plan.txt": SHARED_PLAN})).values())
    assert ("PER", "abandoned") in found, found


FAR = """title: A long report
published: 2024-03-08

On March 1, 2024, Chile and Peru signed a border agreement in Lima.

The ministers spoke for an hour.

Lunch was served at noon.

The weather was fine.

The delegations left in the afternoon.

Journalists waited outside.

Cars lined the street.

The border agreement was also welcomed by Bolivia.
"""


def test_a_definite_reference_links_an_answer_far_down_the_article(tmp_path: Path) -> None:
    found = set().union(*_answers(_store(tmp_path, {"far.txt": FAR})).values())
    assert ("BOL", "accepted") in found, found


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The peace agreement was also welcomed by Bolivia.", True),
    ("Bolivia welcomed this accord.", True),
    ("Bolivia welcomed a new agreement.", False),
    ("Bolivia welcomed the visitors.", False),
])
def test_refers_back(sentence: str, expected: bool) -> None:
    from detente.episodes import load_rules, refers_back
    assert refers_back(sentence, load_rules()) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # a judgement of an agreement or talks, by whoever says it
    ("Foreign Secretary David Cameron travelled to Lima on Monday.\n\nThe Foreign Secretary "
     "said the border agreement between Peru and Bolivia was an important step towards "
     "peace.", ("GBR", "051", None)),
    ("Peru said the deal with Bolivia was a mistake.", ("PER", "111", None)),
    ("Chile said the talks with Peru were a breakthrough.", ("CHL", "051", None)),
])
def test_judgements_of_a_negotiation(text: str, expected: tuple) -> None:
    assert expected in _coded(text), _events(text)


@pytest.mark.parametrize("text", [
    "Chile said the weather was a step toward summer.",     # no negotiation judged
    "The agreement is a triumph for the Peruvian president.",  # the author's, no speaker
    "Chile took a step towards a deal with Peru.",           # no copular judgement
])
def test_no_judgement_without_a_judged_negotiation_and_a_speaker(text: str) -> None:
    assert not {c for _, c, _ in _coded(text) if c in ("051", "111")}, _events(text)


def test_a_bare_title_names_the_person_last_named_with_it() -> None:
    text = ("Foreign Secretary David Cameron arrived in Lima on Monday.\n\n"
            "The Foreign Secretary praised Peru.")
    assert ("GBR", "051", "PER") in _coded(text), _events(text)


def test_he_names_the_last_titled_speaker() -> None:
    text = ("UN Secretary-General Antonio Guterres spoke in Lima.\n\n"
            "He added that the talks between Peru and Chile were a breakthrough.")
    assert ("UN", "051", None) in _coded(text), _events(text)


KEPT = """title: Still seeking peace
published: 2024-03-09

On February 20, 2024, Chile and Peru signed a border agreement in Lima.

Chile and Peru agreed to open two crossings under the border agreement.

The Chilean president said Chile would continue seeking peace with Peru.
"""


def test_continuing_a_negotiation_is_an_answer_not_a_new_proposal(tmp_path: Path) -> None:
    store = _store(tmp_path, {"kept.txt": KEPT})
    found = set().union(*_answers(store).values())
    assert ("CHL", "accepted") in found, found
    assert len(store.episodes()) == 1


SALVAGE = """title: Leaving the deal
published: 2024-03-10

On February 20, 2024, Chile and Peru signed a border agreement in Lima.

Chile and Peru agreed to open two crossings under the border agreement.

Chile withdrew from the border agreement with Peru on March 9, 2024.

Bolivia and Ecuador said they would try to salvage the border agreement with Peru.
"""


def test_keeping_to_an_agreement_another_party_left_is_an_answer(tmp_path: Path) -> None:
    found = set().union(*_answers(_store(tmp_path, {"salvage.txt": SALVAGE})).values())
    assert {("CHL", "abandoned"), ("BOL", "accepted"), ("ECU", "accepted")} <= found, found


@pytest.mark.parametrize(("text", "expected"), [
    ("Peru said it would maintain the ceasefire with Chile.", ("PER", "0356", "CHL")),
    ("Peru vowed to uphold the peace agreement with Chile.", ("PER", "037", "CHL")),
])
def test_keeping_verbs(text: str, expected: tuple) -> None:
    assert expected in _coded(text), _events(text)


@pytest.mark.parametrize(("text", "expected", "absent"), [
    # "the rebel group", "the insurgent group": the armed group named before (coder_words)
    ("The government signed a peace deal with the FARC in 2016.\n\nA commander said the "
     "rebel group would maintain the ceasefire with the government.", "FARC", None),
    # not an indefinite or plural one
    ("The government signed a peace deal with the FARC in 2016.\n\nA rebel group said it "
     "would maintain the ceasefire with the government.", None, "FARC"),
])
def test_the_rebel_group_names_the_group_last_named(text: str, expected: str | None,
                                                     absent: str | None) -> None:
    keeping = {s for s, c, _ in _coded(text) if c in ("0356", "037", "030")}
    assert (expected in keeping) if expected else (absent not in keeping), _events(text)


@pytest.mark.parametrize(("trigger", "plover", "kind"), [
    ("refusal", "REJECT", "refused"), ("dismissal", "REJECT", "ignored"),
    ("withdrawal", "SANCTION", "abandoned"), ("acceptance", "AGREE", "accepted"),
    ("rejection", "REJECT", "rejected"),
])
def test_nominal_answers_have_their_kind(trigger: str, plover: str, kind: str) -> None:
    from detente.episodes import answer_kind, load_rules
    ev = {"trigger_text": trigger, "plover_type": plover, "sentence": f"Chile's {trigger}."}
    assert answer_kind(ev, load_rules()) == kind


@pytest.mark.parametrize(("text", "expected"), [
    # going back to armed action, said of the future: a threat to use force (138)
    ("Chile and Peru signed a truce in May.\n\nBoth sides have said they will go back to "
     "fighting once the truce is over.", {("CHL", "138", "PER"), ("PER", "138", "CHL")}),
    # (both sides threaten each other: each is the other's target, tests/test_precision.py)
    ("Chile and Peru agreed to a truce. Peru said it would resume fighting if the truce "
     "failed.", {("PER", "138", None)}),
    ("Chile warned that it would return to war with Peru after the ceasefire.",
     {("CHL", "138", None)}),
])
def test_a_threat_to_resume_fighting(text: str, expected: set) -> None:
    assert expected <= _coded(text), _events(text)


def test_resumed_fighting_is_fighting_not_a_threat() -> None:
    coded = _coded("Chile and Peru resumed fighting on Monday.")
    assert not {c for _, c, _ in coded if c.startswith("13")}, coded
    assert ("CHL", "190", "PER") in coded, coded


@pytest.mark.parametrize(("text", "expected"), [
    # "They" opening a paragraph: the actors named together last in the paragraph before
    ("The mediator said that Chile and Peru had reached an agreement on the border.\n\n"
     "They agreed in May to the wording of a border plan.", {"CHL", "PER"}),
    # not one actor alone
    ("Chile praised the mediator on Monday.\n\nThey agreed in May to the wording of a "
     "border plan.", set()),
])
def test_they_opening_a_paragraph(text: str, expected: set) -> None:
    agreeing = {s for s, c, _ in _coded(text) if c.startswith("03") and "May" in text}
    assert agreeing == expected, _events(text)


TRUCE = """title: A truce
published: 2024-03-11

On March 1, 2024, Chile and Peru agreed to a truce in Lima.

The truce between Chile and Peru began on March 2, 2024.

Both sides have said they will go back to fighting once the truce is over.
"""


def test_a_threat_to_resume_fighting_answers_the_truce(tmp_path: Path) -> None:
    store = _store(tmp_path, {"truce.txt": TRUCE})
    found = set().union(*_answers(store).values())
    assert {("CHL", "threatened"), ("PER", "threatened")} <= found, found
    assert len(store.episodes()) == 1


def test_threats_have_their_kind() -> None:
    from detente.episodes import answer_kind, load_rules
    ev = {"trigger_text": "resume", "plover_type": "THREATEN", "cameo": "138",
          "sentence": "Peru would resume fighting only if the truce failed."}
    assert answer_kind(ev, load_rules()) == "threatened"


ACCLAIM = """version: t
verbs:
  - id: acclaim
    lemmas: [acclaim]
    cameo: "051"
    target: object
    target_preps: []
    judges: true
"""


def test_judging_patterns_of_the_users_pattern_files_give_answers(tmp_path: Path) -> None:
    """A judging pattern of a ``--patterns`` file: its praise of an agreement answers it."""
    (tmp_path / "mine.yaml").write_text(ACCLAIM, encoding="utf-8")
    text = JUDGED.replace("Bolivia praised", "Bolivia acclaimed")
    (tmp_path / "judged.txt").write_text(text, encoding="utf-8")
    store = open_store(tmp_path / "a.db")
    settings = Settings(pattern_files=(str(tmp_path / "mine.yaml"),))
    report = ingest([str(tmp_path / "judged.txt")], store, settings)
    assert report.ok, report.failed
    found = set().union(*_answers(store).values())
    assert ("BOL", "accepted") in found, found


CONFIRMED = """title: The truce holds
published: 2024-03-04

Chile and Peru agreed on March 1, 2024 to a ceasefire along the border.

The ceasefire between Chile and Peru starts on March 5, 2024.

Peru confirmed on its radio channel that all hostilities from its forces would cease.
"""


def test_a_party_confirming_it_stops_fighting_keeps_to_the_truce(tmp_path: Path) -> None:
    found = set().union(*_answers(_store(tmp_path, {"conf.txt": CONFIRMED})).values())
    assert any(src == "PER" for src, _ in found), found
