"""Episodes: merging and splitting, answers, stable ids, mediators, disagreements.

Every text here is our own; the facts are made up or simplified.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.config import Settings
from detente.episodes import load_rules, named_objects
from detente.ingest import ingest
from detente.store import Store, open_store

BRAZIL_A = """title: Brazil offers to broker talks
published: 2023-05-10

On March 3, 2023, Brazil proposed peace talks between Russia and Ukraine.

Brazilian President Lula said his government was ready to host the negotiations.

Ukraine rejected the proposal on March 5, 2023.
"""

BRAZIL_B = """title: Kyiv turns down Brazilian plan
published: 2023-05-12

Brazil proposed negotiations between Moscow and Kyiv on March 3, 2023.

Two days later, Ukraine rejected the Brazilian offer.

Separately, on April 20, 2023, Japan proposed talks with China on fishing rights.

Japan repeated its offer of talks to China on April 28, 2023.
"""


def _store(tmp_path: Path, texts: dict[str, str], settings: Settings) -> Store:
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = open_store(tmp_path / "e.db")
    report = ingest([str(tmp_path / n) for n in texts], store, settings)
    assert report.ok, report.failed
    return store


@pytest.fixture(scope="module")
def brazil(tmp_path_factory, settings: Settings) -> Store:
    return _store(tmp_path_factory.mktemp("brazil"), {"a.txt": BRAZIL_A, "b.txt": BRAZIL_B},
                  settings)


def _by_proposer(store: Store, code: str) -> list[dict]:
    return [e for e in store.episodes() if code in e["proposer"]]


def test_mentions_in_two_articles_merge_into_one_episode(brazil: Store) -> None:
    [ep] = _by_proposer(brazil, "BRA")
    assert ep["kind"] == "proposal"
    assert set(ep["addressee"]) == {"RUS", "UKR"}
    assert ep["n_sources"] == 2
    assert (ep["date_start"], ep["date_end"]) == ("2023-03-03", "2023-03-03")
    dossier = brazil.episode(ep["id"])
    reasons = {m["reason"] for m in dossier["members"] if m["role"] == "mention"}
    assert any(r.startswith("same proposer BRA") for r in reasons)


def test_a_different_proposal_is_a_different_episode(brazil: Store) -> None:
    [japan] = _by_proposer(brazil, "JPN")
    [brazil_ep] = _by_proposer(brazil, "BRA")
    assert japan["id"] != brazil_ep["id"]
    assert japan["addressee"] == ["CHN"]
    assert japan["n_mentions"] == 2


def test_answers_link_to_the_proposal_with_their_own_source(brazil: Store) -> None:
    [ep] = _by_proposer(brazil, "BRA")
    answers = [m for m in brazil.episode(ep["id"])["members"] if m["role"] == "answer"]
    assert {(a["source_code"], a["answer_kind"]) for a in answers} == {("UKR", "rejected")}
    assert len({a["doc_id"] for a in answers}) == 2
    assert all(a["attribution_kind"] == "author" for a in answers)
    [japan] = _by_proposer(brazil, "JPN")
    assert japan["answers"] == []


def test_episodes_json_lists_the_required_fields(brazil: Store) -> None:
    from click.testing import CliRunner

    from detente.cli import main

    result = CliRunner().invoke(main, ["episodes", "--json", "--db", str(brazil.path)])
    assert result.exit_code == 0, result.output
    import json

    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 2
    for key in ("id", "kind", "proposer", "addressee", "date_start", "date_end", "terms",
                "answers", "sources"):
        assert all(key in r for r in rows)


def test_adding_an_article_updates_episodes_without_duplicates(tmp_path: Path,
                                                               settings: Settings) -> None:
    (tmp_path / "a.txt").write_text(BRAZIL_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(BRAZIL_B, encoding="utf-8")
    store = open_store(tmp_path / "e.db")
    ingest([str(tmp_path / "a.txt")], store, settings)
    [first] = _by_proposer(store, "BRA")
    assert first["n_sources"] == 1
    ingest([str(tmp_path / "b.txt")], store, settings)
    [again] = _by_proposer(store, "BRA")
    assert again["id"] == first["id"]
    assert again["n_sources"] == 2
    ingest([str(tmp_path / "b.txt")], store, settings)   # a re-run changes nothing
    assert [e["id"] for e in store.episodes()] == [e["id"] for e in store.episodes()]
    assert len(_by_proposer(store, "BRA")) == 1


SAME_MONTH = """title: Two offers in one month
published: 2019-06-30

On June 3, 2019, Chile proposed talks with Peru on the maritime border.

Chile repeated its proposal of talks to Peru on June 10, 2019.

On June 4, 2019, Chile proposed negotiations with Bolivia on access to the sea.

Chile again proposed negotiations to Bolivia on June 12, 2019.
"""


def test_same_proposer_same_month_different_addressees_stay_apart(tmp_path: Path,
                                                                  settings: Settings) -> None:
    store = _store(tmp_path, {"c.txt": SAME_MONTH}, settings)
    eps = _by_proposer(store, "CHL")
    assert sorted(tuple(e["addressee"]) for e in eps) == [("BOL",), ("PER",)]


NAMED = """title: Accord signed
published: 2020-06-20

Kenya and Ethiopia signed the Nairobi Accord on June 2, 2020.

The African Union endorsed the Nairobi Accord on June 10, 2020.

Ethiopia later abandoned the accord.
"""


def test_a_named_agreement_joins_its_mentions_and_is_not_a_place(tmp_path: Path,
                                                                 settings: Settings) -> None:
    store = _store(tmp_path, {"n.txt": NAMED}, settings)
    assert not [m for m in store.mentions() if m["text"] == "Nairobi"]
    [ep] = store.episodes()
    assert ep["named_object"] == "Nairobi Accord"
    assert ep["kind"] == "agreement"
    assert {"KEN", "ETH"} <= set(ep["proposer"]) | set(ep["addressee"])


@pytest.mark.parametrize(("sentence", "names"), [
    ("The Minsk II agreement was signed in February 2015.", {"minsk ii"}),
    ("Following the collapse of the Minsk II agreement, Moscow proposed talks.", set()),
    ("The president talks to the prime minister every week.", set()),
    ("Turkish President Erdogan talks to Putin often.", set()),
    ("The Russian plan was rejected.", set()),
    ("Both sides referred to the Istanbul Communique.", {"istanbul"}),
])
def test_named_objects(sentence: str, names: set[str]) -> None:
    assert set(named_objects(sentence, load_rules())) == names


MEDIATED_A = """title: Talks in Doha
published: 2021-03-10

On March 1, 2021, Armenia and Azerbaijan held talks hosted by Qatar.

Armenia and Azerbaijan negotiated again in March 2021.
"""
MEDIATED_B = """title: Talks mediated
published: 2021-03-12

On March 1, 2021, Armenia and Azerbaijan held talks with the mediation of Qatar and Oman.

The two sides negotiated for ten hours.
"""


def test_different_hosts_for_one_episode_are_a_disagreement(tmp_path: Path,
                                                           settings: Settings) -> None:
    store = _store(tmp_path, {"m1.txt": MEDIATED_A, "m2.txt": MEDIATED_B}, settings)
    talks = [e for e in store.episodes() if {"ARM", "AZE"} <= set(e["proposer"])
             | set(e["addressee"])]
    assert len(talks) == 1
    assert set(talks[0]["mediators"]) == {"QAT", "OMN"}
    [d] = store.disagreements(kind="parties")
    assert d["episode_id"] == talks[0]["id"]
    assert {s["text"] for s in d["sides"]} == {"Qatar", "Oman"}
    assert len({s["doc_id"] for s in d["sides"]}) == 2


NEVER = """title: Opinion
published: 2023-01-10

The government has refused to negotiate on every occasion since the war began.
"""
ALWAYS = """title: Reply
published: 2023-01-12

Negotiation has been tried, and it is being tried all the time.
"""
NEUTRAL = """title: News
published: 2023-01-13

Negotiators met in Vienna on January 5, 2023.
"""


def test_opposite_characterisations_in_two_articles(tmp_path: Path,
                                                   settings: Settings) -> None:
    store = _store(tmp_path, {"x.txt": NEVER, "y.txt": ALWAYS, "z.txt": NEUTRAL}, settings)
    [d] = store.disagreements(kind="characterisation")
    positions = {s["position"]: s["text"] for s in d["sides"]}
    assert positions["refused or never tried"].startswith("refused to negotiate")
    assert "all the time" in positions["tried all the time"]


def test_one_article_alone_has_no_characterisation_disagreement(tmp_path: Path,
                                                               settings: Settings) -> None:
    store = _store(tmp_path, {"x.txt": NEVER}, settings)
    assert store.disagreements(kind="characterisation") == []


DENIAL = """title: Contacts
published: 2024-02-20

Egypt proposed a ceasefire to Ethiopia in January 2024.

Egyptian officials said Ethiopia agreed to meet Egyptian envoys in January 2024.

Ethiopian officials said Ethiopia did not meet Egyptian envoys.

Egypt repeated its ceasefire proposal to Ethiopia in February 2024.
"""


def test_report_and_denial(tmp_path: Path, settings: Settings) -> None:
    store = _store(tmp_path, {"d.txt": DENIAL}, settings)
    [d] = store.disagreements(kind="denial")
    codes = {s["position"]: s["source_code"] for s in d["sides"]}
    assert codes == {"reported": "EGY", "denied": "ETH"}


HOSTED_A = """title: Talks in Doha
published: 2021-09-20

Qatar hosted talks between Sudan and South Sudan in Doha on September 14, 2021.
"""
HOSTED_B = """title: Sudan and South Sudan meet
published: 2021-09-21

Sudan and South Sudan held negotiations on their border on September 14, 2021.

Diplomats said the two delegations met again the next day.
"""


def test_a_host_of_other_parties_talks_is_a_host_not_a_proposer(tmp_path: Path,
                                                               settings: Settings) -> None:
    store = _store(tmp_path, {"h1.txt": HOSTED_A, "h2.txt": HOSTED_B}, settings)
    eps = store.episodes()
    assert not [e for e in eps if "QAT" in e["proposer"]]
    [talks] = [e for e in eps if {"SDN", "SSD"} <= set(e["proposer"]) | set(e["addressee"])]
    assert talks["n_sources"] == 2
    assert talks["mediators"] == ["QAT"]
    dossier = store.episode(talks["id"])
    [host] = [p for p in dossier["parties"] if p["role"] == "host"]
    assert (host["code"], host["text"]) == ("QAT", "Qatar")


def test_a_sentence_naming_two_hosts_is_shown_once_per_side() -> None:
    from detente.dossier import distinct_sides

    sides = [{"side": 1, "doc_id": "a", "sentence_idx": 3, "text": "Turkey"},
             {"side": 1, "doc_id": "a", "sentence_idx": 3, "text": "Israel"},
             {"side": 2, "doc_id": "b", "sentence_idx": 7, "text": "Turkey"}]
    assert [(s["side"], s["text"]) for s in distinct_sides(sides)] == [(1, "Turkey"),
                                                                        (2, "Turkey")]
