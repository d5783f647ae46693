"""Disagreements in the wording of reports of one negotiation (``detente.wording``): dates,
settled or open, all or part, figures, what a text says, who the parties were.

Every text here is our own; the facts are made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.config import Settings
from detente.store import Store

LIMA = """title: Chile and Peru agree a border truce
published: 2021-09-15

Chile and Peru agreed in Lima to a truce along their border.

The truce between Chile and Peru is expected to start on Thursday, officials said.

Peru has accepted Chile's proposals on the river clause, the Chilean foreign minister said.

Peru insisted that all the sanctions imposed by Chile be lifted.

The accord says Chile will withdraw its troops by March, but a joint statement only said \
Chile will consider a withdrawal.

In the referendum held in Peru on the plan, the no vote won 52.4% of the ballots.

Ana Torres and Luis Vega, representing the Chilean navy and the Peruvian navy, met in Lima.
"""

TACNA = """title: Truce to begin on Friday
published: 2021-09-16

Chile and Peru will start a truce on Friday, mediators from Ecuador said.

The agreement on the river clause between Peru and Chile remains unclear.

Peru asked Chile for only partial sanctions relief.

Peru's voters rejected the plan, with 51.9% voting against it in the referendum.

Ecuador and Peru signed the truce in Tacna.

Ecuadorian representative Luis Vega spoke to reporters in Tacna.
"""

TOKYO = """title: Japan and China talk fishing
published: 2021-09-15

Japan and China agreed in Tokyo to resume talks on fishing.

China insisted that all the sanctions imposed by Japan be lifted.

Japan said the talks with China would start on Monday.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory, settings: Settings) -> Store:
    from detente.ingest import ingest
    from detente.store import open_store

    tmp = tmp_path_factory.mktemp("wording")
    for name, text in {"lima.txt": LIMA, "tacna.txt": TACNA, "tokyo.txt": TOKYO}.items():
        (tmp / name).write_text(text, encoding="utf-8")
    st = open_store(tmp / "w.db")
    report = ingest([str(tmp / n) for n in ("lima.txt", "tacna.txt", "tokyo.txt")], st,
                    settings)
    assert report.ok, report.failed
    return st


def _found(store: Store, kind: str) -> list[list[tuple[str, str]]]:
    """Each disagreement of ``kind`` as (document title, sentence words) per side."""
    titles = {d["id"]: d["title"] for d in store.documents()}
    out = []
    for d in store.disagreements():
        if d["kind"] != kind:
            continue
        out.append([(titles[s["doc_id"]], s["text"]) for s in d["sides"]])
    return out


def _doc(sides: list[tuple[str, str]], title: str, words: str) -> bool:
    return any(t.startswith(title) and words in text for t, text in sides)


def test_two_reports_give_different_start_days(store: Store) -> None:
    [sides] = _found(store, "date")
    assert _doc(sides, "Chile and Peru", "start on Thursday")
    assert _doc(sides, "Truce to begin", "start a truce on Friday")


def test_settled_in_one_report_open_in_another(store: Store) -> None:
    found = _found(store, "outcome")
    assert any(_doc(s, "Chile and Peru", "has accepted") and _doc(s, "Truce", "remains unclear")
               for s in found)


def test_all_against_part_only_within_related_reports(store: Store) -> None:
    [sides] = _found(store, "scope")
    assert _doc(sides, "Chile and Peru", "all the sanctions")
    assert _doc(sides, "Truce", "partial sanctions")
    assert not _doc(sides, "Japan", "sanctions")   # an unrelated negotiation


def test_two_shares_of_the_no_vote(store: Store) -> None:
    [sides] = _found(store, "figure")
    assert {t for t, _ in sides} == {"Chile and Peru agree a border truce",
                                     "Truce to begin on Friday"}
    assert {text for _, text in sides} == {"52.4%", "51.9%"}


def test_what_one_text_says_against_what_another_only_says(store: Store) -> None:
    [sides] = _found(store, "statement")
    assert _doc(sides, "Chile", "The accord says Chile will withdraw")
    assert _doc(sides, "Chile", "only said Chile will consider")


def test_one_report_names_another_party_to_the_agreement(store: Store) -> None:
    # one disagreement per pair of related reports (or one report): Lima against Tacna
    found = _found(store, "signatories")
    assert any(_doc(sides, "Chile and Peru", "Chile and Peru agreed")
               and _doc(sides, "Truce", "Ecuador and Peru signed") for sides in found)
    assert all(len({t for t, _ in sides}) <= 2 for sides in found)


def test_two_reports_name_different_bodies_for_one_representative(store: Store) -> None:
    [sides] = _found(store, "affiliation")
    assert _doc(sides, "Chile and Peru", "Luis Vega, representing")
    assert _doc(sides, "Truce", "representative Luis Vega")
    positions = {s["position"] for d in store.disagreements(kind="affiliation")
                 for s in d["sides"]}
    assert positions == {"Luis Vega: the Peruvian navy", "Luis Vega: Ecuadorian"}


def test_unrelated_reports_do_not_disagree(store: Store) -> None:
    found = store.disagreements()
    assert found
    for d in found:
        assert not any(s["doc_title"].startswith("Japan") for s in d["sides"]), d


def test_the_cues_are_data(tmp_path: Path, store: Store) -> None:
    """Without the start cues there is no date disagreement: the words come from the rules."""
    from detente.episodes import load_rules
    from detente.rebuild import build_episodes

    rules = load_rules()
    empty = type(rules)(**{**rules.__dict__, "wording": {**rules.wording, "date_steps": {}}})
    build_episodes(store, rules=empty)   # rules given in code: a full build
    try:
        assert _found(store, "date") == []
    finally:
        build_episodes(store)   # and the next build under the data files is a full one too
    assert _found(store, "date") != []


def test_every_kind_found_is_a_kind_the_cli_and_the_web_accept(store: Store) -> None:
    from typing import get_args

    from detente.rows import DISAGREEMENT_KINDS
    from detente.web.filters import DisagreementKind

    assert get_args(DisagreementKind) == DISAGREEMENT_KINDS
    assert {d["kind"] for d in store.disagreements()} <= set(DISAGREEMENT_KINDS)


def test_a_disagreement_over_one_episode_shows_in_its_dossier(store: Store) -> None:
    [d] = store.disagreements(kind="date")
    assert d["episode_id"] is not None
    ep = store.episode(d["episode_id"])
    assert {"CHL", "PER"} <= set(ep["proposer"]) | set(ep["addressee"])
    assert d["id"] in {x["id"] for x in ep["disagreements"]}
    for other in store.disagreements():   # none is put on an episode of other parties
        if other["episode_id"]:
            ep = store.episode(other["episode_id"])
            assert "JPN" not in set(ep["proposer"]) | set(ep["addressee"])
