"""Grouping rules of docs/episodes.md, on events written here (no parsing): name classes,
short names, objects referred back to as earlier, one side's offers kept apart from talks
between the sides, and the dates an undated episode shows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from detente.episodes import (
    _mention,
    _refers_back,
    _shared_names,
    group_mentions,
    load_rules,
    mentions_of,
    object_class,
    shown_dates,
    to_reach,
)

RULES = load_rules()


def event(sentence: str, trigger: str, source: str | None, target: str | None, cameo: str,
          *, doc: str = "d1", idx: int = 0, when: tuple[str, str] = ("2020-05-05",
                                                                    "2020-05-05"),
          method: str = "partial", precision: str = "day", modality: str = "asserted",
          published: str = "2020-05-06") -> dict[str, Any]:
    at = sentence.index(trigger)
    return {
        "id": f"{doc}-{idx}-{at}-{source}>{target}", "doc_id": doc, "sentence_idx": idx,
        "sentence": sentence, "sentence_start": 0, "trigger_text": trigger,
        "trigger_start": at, "trigger_end": at + len(trigger), "cameo": cameo,
        "plover_type": "CONSULT" if cameo.startswith("04") else "AGREE",
        "source_code": source, "target_code": target, "modality": modality,
        "date_start": when[0], "date_end": when[1], "date_precision": precision,
        "date_method": method, "doc_published": published,
        "source_start": 0, "source_end": 1, "source_text": source or "",
    }


@pytest.mark.parametrize(("text", "cls"), [
    ("Minsk II agreement", "agreement"),
    ("Declaration of Principles", "declaration"),
    ("Geneva Talks", "talks"),
    ("Helsinki summit", "talks"),
    ("20-point plan", "plan"),
    ("Minsk II", None),
])
def test_object_class(text: str, cls: str | None) -> None:
    assert object_class(text, RULES) == cls


@pytest.mark.parametrize(("ours", "theirs", "shared"), [
    ({"charter of paris"}, {"charter of paris for a new europe"}, {"charter of paris"}),
    ({"charter of paris for a new europe"}, {"charter of paris"},
     {"charter of paris for a new europe"}),
    ({"charter"}, {"charter of paris"}, set()),          # one word is no short form
    ({"minsk ii"}, {"minsk iii"}, set()),
])
def test_short_names(ours: set[str], theirs: set[str], shared: set[str]) -> None:
    assert _shared_names(ours, theirs) == shared


@pytest.mark.parametrize(("sentence", "trigger", "modality", "earlier"), [
    ("Ruritania pulled out on Tuesday from the existing accord with Freedonia.", "accord",
     "asserted", True),
    ("The signatories of the treaty met in Vienna on Monday.", "treaty", "asserted", True),
    ("The envoys recalled the principles set at the first summit of the two leaders.",
     "summit", "asserted", True),
    ("Ruritania and Freedonia signed the accord on Tuesday.", "accord", "asserted", False),
    ("Ruritania and Freedonia signed a landmark accord on Tuesday.", "signed", "asserted",
     False),                                  # the signing itself: a verb, not the object
    ("The first summit of the two leaders will take place next week.", "summit", "future",
     False),
    ("The former president of Ruritania praised the accord on Monday.", "accord", "asserted",
     False),                                  # "former" is not in the object's phrase
    ("Ruritania said on Monday that it would respect the old accord.", "accord",
     "asserted", True),
])
def test_refers_back(sentence: str, trigger: str, modality: str, earlier: bool) -> None:
    ev = event(sentence, trigger, "RUR", "FRE", "057", modality=modality)
    assert _refers_back([ev], RULES) is earlier


@pytest.mark.parametrize(("sentence", "date_text", "earlier"), [
    # the date of the withdrawal, not of the accord
    ("On 5 May 2020 Ruritania pulled out of the accord with Freedonia.", "5 May 2020", True),
    # the sentence dates the accord itself: an object of that date, not referred back to
    ("Ruritania pulled out of the 2011 accord with Freedonia.", "2011", False),
])
def test_an_absolute_date_dates_the_object_only_in_its_phrase(sentence: str, date_text: str,
                                                             earlier: bool) -> None:
    ev = {**event(sentence, "accord", "RUR", "FRE", "057", method="absolute"),
          "date_text": date_text}
    assert _refers_back([ev], RULES) is earlier


def test_a_mention_referring_back_joins_the_earlier_agreement_of_its_article() -> None:
    made = event("The 2011 accord between Ruritania and Freedonia ended the war.", "accord",
                 "RUR", "FRE", "057", idx=1, when=("2011-01-01", "2011-12-31"),
                 method="absolute", precision="year")
    left = event("Ruritania withdrew on Tuesday from the accord with Freedonia.", "accord",
                 "RUR", "FRE", "057", idx=3)
    mentions, _ = mentions_of([made, left], RULES)
    episodes = group_mentions(mentions, RULES)
    assert len(episodes) == 1
    ep = episodes[0]
    assert ep.window() == (date(2011, 1, 1), date(2011, 12, 31))
    late = next(m for m in ep.mentions if m.sentence_idx == 3)
    assert late.earlier and ep.reasons[id(late)].startswith("refers back to the earlier")


TALKS = "Ruritania and Freedonia held talks in Geneva on Tuesday."


def _talks() -> list[dict[str, Any]]:
    return [event(TALKS, "talks", "RUR", "FRE", "046"),
            event(TALKS, "talks", "FRE", "RUR", "046")]


def test_one_sides_offer_is_kept_apart_from_the_talks_and_put_to_the_other_side() -> None:
    offer = event("Ruritania proposed a prisoner exchange.", "proposed", "RUR", None, "036",
                  idx=2, method="publication")
    mentions, _ = mentions_of([*_talks(), offer], RULES)
    episodes = group_mentions(mentions, RULES)
    assert len(episodes) == 2
    apart = next(ep for ep in episodes if ep.mentions[0].sentence_idx == 2)
    assert apart.proposers == ["RUR"] and apart.addressees == ["FRE"]
    assert apart.mentions[0].apart
    assert "apart from the talks with FRE" in apart.reasons[id(apart.mentions[0])]


def test_an_offer_linked_to_the_talks_joins_them() -> None:
    offer = event("Ruritania proposed a prisoner exchange at the talks.", "proposed", "RUR",
                  None, "036", idx=2, method="publication")
    mentions, _ = mentions_of([*_talks(), offer], RULES)
    assert len(group_mentions(mentions, RULES)) == 1


def test_an_offer_without_talks_in_its_article_stays_an_offer() -> None:
    offer = event("Ruritania proposed a prisoner exchange.", "proposed", "RUR", None, "036",
                  doc="d2", idx=2, method="publication")
    mentions, _ = mentions_of([*_talks(), offer], RULES)
    episodes = group_mentions(mentions, RULES)
    apart = next(ep for ep in episodes if ep.mentions[0].doc_id == "d2")
    assert not apart.mentions[0].apart and apart.addressees == []


def test_an_undated_episode_shows_the_publication_period_of_its_articles() -> None:
    a = event("Ruritania proposed a prisoner exchange.", "proposed", "RUR", "FRE", "036",
              method="publication", published="2020-05-06")
    b = event("Ruritania again proposed a prisoner exchange.", "proposed", "RUR", "FRE",
              "036", doc="d2", method="publication", published="2020-05-09",
              when=("2020-05-09", "2020-05-09"))
    ep = group_mentions([_mention([a], "d1", 0, RULES), _mention([b], "d2", 0, RULES)],
                        RULES)
    assert len(ep) == 1
    assert shown_dates(ep[0]) == (date(2020, 5, 6), date(2020, 5, 9), "publication")


def test_only_an_object_after_the_offer_links_it_to_the_talks() -> None:
    # the talks named before the offer word are the setting, not what is offered
    offer = event("At the close of the talks, Ruritania called for a prisoner exchange.",
                  "called", "RUR", None, "020", idx=2, method="publication")
    mentions, _ = mentions_of([*_talks(), offer], RULES)
    assert len(group_mentions(mentions, RULES)) == 2


def test_a_counter_offer_is_an_episode_of_its_own() -> None:
    offer = event("Ruritania proposed a prisoner exchange.", "proposed", "RUR", "FRE", "036",
                  idx=2, method="publication")
    counter = event("Freedonia proposed a border commission instead.", "proposed", "FRE",
                    "RUR", "036", doc="d2", idx=0, method="publication")
    mentions, _ = mentions_of([offer, counter], RULES)
    episodes = group_mentions(mentions, RULES)
    assert sorted(ep.proposers[0] for ep in episodes) == ["FRE", "RUR"]


def test_publication_dates_are_marked_where_shown() -> None:
    from detente.cli import _date_range
    from detente.web.present import when
    assert _date_range("2020-05-06", "2020-05-09", "publication") == \
        "2020-05-06..2020-05-09 (publication)"
    assert _date_range("2020-05-06", "2020-05-06", "day") == "2020-05-06"
    assert when("2020-05-06", "2020-05-06", "publication").startswith("published ")
    assert when("2020-01-07", "2020-05-05", "before publication").startswith("before ")


@pytest.mark.parametrize("trigger", ["withdrew", "withdraws", "withdrawal"])
def test_leaving_an_accord_is_abandoning_it(trigger: str) -> None:
    from detente.episodes import answer_kind
    sentence = f"Ruritania {trigger} from the accord with Freedonia."
    ev = {**event(sentence, trigger, "RUR", None, "161"), "plover_type": "SANCTION"}
    assert answer_kind(ev, RULES) == "abandoned"


def test_a_summit_named_as_a_venue_is_no_object_of_the_mention() -> None:
    from detente.episodes import _own_objects
    venue = event("Ruritania proposed talks to Freedonia at the Lisbon Summit.", "proposed",
                  "RUR", "FRE", "036")
    assert _own_objects([venue], RULES) == {}
    summit = event("The leaders recalled the Lisbon Summit of the two states.", "Summit",
                   "RUR", "FRE", "046")
    assert set(_own_objects([summit], RULES)) == {"lisbon"}


def test_an_answer_naming_a_summit_as_its_venue_still_answers_the_proposal() -> None:
    from detente.episodes import link_answers
    offer = event("Ruritania proposed a prisoner exchange to Freedonia.", "proposed", "RUR",
                  "FRE", "036", idx=0)
    again = event("Ruritania repeated its proposal to Freedonia.", "proposal", "RUR", "FRE",
                  "036", idx=1)
    answer = {**event("Freedonia rejected the proposal at the Lisbon Summit.", "rejected",
                      "FRE", "RUR", "125", idx=2), "plover_type": "REJECT"}
    mentions, answers = mentions_of([offer, again, answer], RULES)
    episodes = group_mentions(mentions, RULES)
    linked = link_answers(episodes, answers, RULES)
    assert [a[0]["source_code"] for a in linked.get(0, [])] == ["FRE"]


def test_an_offer_and_talks_of_one_sentence_are_two_mentions() -> None:
    # the offering party is in the talks too, but what it offered is its own
    text = "During the talks in Geneva with Freedonia, Ruritania offered a prisoner exchange."
    talks = event(text, "talks", "RUR", "FRE", "046", idx=2, method="publication")
    offer = event(text, "offered", "RUR", None, "036", idx=2, method="publication")
    mentions, _ = mentions_of([*_talks(), talks, offer], RULES)
    assert sorted(m.offer for m in mentions if m.sentence_idx == 2) == [False, True]
    episodes = group_mentions(mentions, RULES)
    apart = next(ep for ep in episodes if any(m.offer for m in ep.mentions))
    assert apart.proposers == ["RUR"] and apart.addressees == ["FRE"]
    assert all(not m.offer for ep in episodes if ep is not apart for m in ep.mentions)


@pytest.mark.parametrize(("text", "noun", "trigger", "cameo"), [
    ("Ruritania said the truce could last longer if Freedonia frees the prisoners.",
     "truce", "last", "0356"),
    ("Ruritania would extend the ceasefire as long as Freedonia keeps its troops back.",
     "ceasefire", "extend", "0356"),
    ("Ruritania said the truce will be extended if Freedonia frees the hostages.", "truce",
     "extended", "0356"),
])
def test_a_conditional_offer_is_one_sides_offer_apart_from_the_agreement(
        text: str, noun: str, trigger: str, cameo: str) -> None:
    # "the truce could last longer if ...": an offer on a condition, whatever its code
    agreed = "Ruritania and Freedonia agreed on a truce on Tuesday."
    made = [event(agreed, "agreed", "RUR", "FRE", "0871"),
            event(agreed, "agreed", "FRE", "RUR", "0871")]
    # the noun is what is offered: it goes with the offer, not the agreement
    obj = event(text, noun, "FRE", "RUR", "0871", idx=3, method="publication")
    cond = {**event(text, trigger, "RUR", "FRE", cameo, idx=3, method="publication"),
            "pattern_id": "conditional_offer"}
    mentions, _ = mentions_of([*made, obj, cond], RULES)
    episodes = group_mentions(mentions, RULES)
    assert len(episodes) == 2
    offer = next(ep for ep in episodes if ep.mentions[0].sentence_idx == 3)
    assert offer.proposers == ["RUR"] and offer.addressees == ["FRE"]
    assert offer.kind(RULES) == "proposal"
    assert {e["trigger_text"] for m in offer.mentions for e in m.events} == {noun, trigger}
    # the same offer reported again (another article) joins it: what it offers is no truce
    # between the sides
    again = [event(text, noun, "FRE", "RUR", "0871", doc="d2", method="publication"),
             {**event(text, trigger, "RUR", "FRE", cameo, doc="d2", method="publication"),
              "pattern_id": "conditional_offer"}]
    mentions, _ = mentions_of([*made, obj, cond, *again], RULES)
    episodes = group_mentions(mentions, RULES)
    assert sorted(len(ep.mentions) for ep in episodes) == [1, 2]
    assert offer.mentions[0].apart and "apart from the talks" in offer.reasons[
        id(offer.mentions[0])]


def test_an_offer_with_an_object_after_it_is_no_lone_offer() -> None:
    from detente.episodes import _lone_offer
    linked = event("Ruritania offered talks on the peace plan.", "offered", "RUR", "FRE", "036")
    lone = event("Ruritania offered a prisoner exchange.", "offered", "RUR", "FRE", "036")
    cond = {**event("Ruritania would talk if Freedonia withdrew.", "talk", "RUR", "FRE",
                    "036"), "pattern_id": "conditional_offer"}
    conditions = frozenset({"conditional_offer"})
    assert not _lone_offer(linked, RULES, conditions)
    assert _lone_offer(lone, RULES, conditions) and _lone_offer(cond, RULES, conditions)


@pytest.mark.parametrize(("modality", "kept"), [
    ("asserted", True), ("reported", True), ("future", False), ("hypothetical", False)])
def test_a_lone_mention_is_kept_by_an_answer_that_was_given(modality: str, kept: bool) -> None:
    from detente.episodes import is_kept
    text = "If anyone signs an agreement with Ruritania, nothing guarantees it will honour it."
    lone = event(text, "agreement", "FRE", None, "057")
    mentions, _ = mentions_of([lone], RULES)
    episodes = group_mentions(mentions, RULES)
    answer = {**event(text, "honour", "RUR", None, "037"), "modality": modality}
    assert is_kept(episodes[0], [(answer, "accepted", "")], RULES) is kept
    assert not is_kept(episodes[0], [], RULES)


@pytest.mark.parametrize(("sentence", "trigger", "classes"), [
    ("The envoys will focus on reaching a deal on a truce.", "reaching",
     {"agreement", "ceasefire"}),
    ("The two armies pledged in a text to work towards an armistice.", "pledged",
     {"ceasefire"}),
    ("Both governments aim to sign a treaty by June.", "sign", {"agreement"}),
    ("Both governments signed a treaty in June.", "signed", set()),             # no frame
    ("They will focus on the economy, and later sign a truce.", "sign", set()),  # not its own
])
def test_what_a_mention_is_still_to_reach(sentence: str, trigger: str,
                                          classes: set[str]) -> None:
    found, _ = to_reach([event(sentence, trigger, "RUR", "FRE", "037")], RULES)
    assert found == classes


SIGNED = "Ruritania and Freedonia signed the Lakeside Declaration on Tuesday."


def _declaration_and_next_step(next_step: str, trigger: str, cameo: str = "037"
                               ) -> list[Any]:
    events = [event(SIGNED, "signed", "RUR", "FRE", "057"),
              event(SIGNED, "signed", "FRE", "RUR", "057"),
              event(next_step, trigger, "RUR", "FRE", cameo, idx=1),
              event(next_step, trigger, "FRE", "RUR", cameo, idx=1)]
    mentions, _ = mentions_of(events, RULES)
    return group_mentions(mentions, RULES)


@pytest.mark.parametrize(("next_step", "trigger", "apart"), [
    # a truce still to be reached is not the declaration signed before it
    ("The Lakeside Talks will now focus on reaching a deal on a truce.", "reaching", True),
    ("The two sides committed in the text to work towards a truce.", "committed", True),
    # a frame of reaching the declaration itself, and a truce agreed, stay with it
    ("The two sides will now focus on reaching the Lakeside Declaration.", "reaching", False),
    ("The two sides also agreed on a truce.", "agreed", False),
])
def test_an_agreement_still_to_reach_does_not_join_a_signed_one_of_another_class(
        next_step: str, trigger: str, apart: bool) -> None:
    episodes = _declaration_and_next_step(next_step, trigger)
    assert len(episodes) == (2 if apart else 1)


def test_what_was_agreed_goes_with_what_was_done_not_with_what_is_to_be() -> None:
    events = [event(SIGNED, "signed", "RUR", "FRE", "057"),
              event(SIGNED, "signed", "FRE", "RUR", "057")]
    step = "The Lakeside Talks will focus on reaching a deal on a truce."
    done = "As agreed by the parties, prisoners will be exchanged."
    for idx, (text, trigger, cameo) in enumerate([(step, "reaching", "037"),
                                                  (done, "agreed", "036")], start=1):
        events += [event(text, trigger, "RUR", "FRE", cameo, idx=idx),
                   event(text, trigger, "FRE", "RUR", cameo, idx=idx)]
    mentions, _ = mentions_of(events, RULES)
    episodes = group_mentions(mentions, RULES)
    assert len(episodes) == 2
    signed = next(ep for ep in episodes if ep.mentions[0].sentence_idx == 0)
    assert sorted(m.sentence_idx for m in signed.mentions) == [0, 2]
