"""The actor resolver on real spaCy parses: tables of phrases and expected actors."""

from __future__ import annotations

from datetime import date

import pytest

from detente.actors import ActorDictionary

from .conftest import needs_seeds


@pytest.mark.parametrize(
    ("phrase", "on", "code", "sector", "person"),
    [
        ("two Iranian diplomats", "2024-01-01", "IRN", "GOV", None),
        ("a British frigate", "2024-01-01", "GBR", "MIL", None),
        ("riot police", "2024-01-01", None, "COP", None),
        ("the Kremlin", "2024-01-01", "RUS", "GOV", None),
        ("the White House", "2024-01-01", "USA", "GOV", None),
        ("Downing Street", "2024-01-01", "GBR", "GOV", None),
        ("Washington", "2024-01-01", "USA", "GOV", None),
        ("Moscow", "2024-01-01", "RUS", "GOV", None),
        ("Kiev", "2014-01-01", "UKR", "GOV", None),
        ("Kyiv", "2024-01-01", "UKR", "GOV", None),
        ("NATO", "2024-01-01", "NATO", "IGO", None),
        ("the UN Security Council", "2024-01-01", "UNSC", "IGO", None),
        ("Turkey's Foreign Ministry", "2022-03-01", "TUR", "GOV", None),
        ("Russian intermediaries", "2024-01-01", "RUS", "GOV", None),
        ("US officials", "2024-01-01", "USA", "GOV", None),
        ("a senior Russian official", "2024-01-01", "RUS", "GOV", None),
        ("Ukrainians", "2024-01-01", "UKR", None, None),
        ("Russian Foreign Minister Sergei Lavrov", "2024-01-01", "RUS", "GOV", "Sergei Lavrov"),
        ("President Putin", "2024-06-14", "RUS", "GOV", "Vladimir Putin"),
        ("National Security Advisor Jake Sullivan", "2024-01-01", "USA", "GOV", "Jake Sullivan"),
        ("Zelenskyy", "2022-03-01", "UKR", "GOV", "Volodymyr Zelensky"),
        ("Zelensky", "2022-03-01", "UKR", "GOV", "Volodymyr Zelensky"),
        ("Biden", "2022-03-01", "USA", "GOV", "Joe Biden"),
        ("Boris Johnson", "2022-04-09", "GBR", "GOV", "Boris Johnson"),
        ("Erdogan", "2022-07-22", "TUR", "GOV", None),
        ("Macron", "2022-10-01", "FRA", "GOV", "Emmanuel Macron"),
        ("Yuri Ushakov", "2024-01-01", "RUS", "GOV", "Yuri Ushakov"),
        ("Yanukovych", "2013-03-01", "UKR", "GOV", "Viktor Yanukovych"),
        ("Poroshenko", "2015-02-12", "UKR", "GOV", "Petro Poroshenko"),
        ("Angela Merkel", "2015-02-12", "DEU", "GOV", "Angela Merkel"),
        ("Hollande", "2015-02-12", "FRA", "GOV", None),
        ("the weather in spring", "2024-01-01", None, None, None),
    ],
)
def test_phrase_resolution(nlp, resolver, phrase, on, code, sector, person):
    res = resolver.resolve_phrase(nlp(phrase), date.fromisoformat(on))
    assert (res.code, res.sector) == (code, sector), res
    if person:
        assert res.person_name == person
    if code is None and sector is None:
        assert res.method == "unresolved"


@pytest.mark.parametrize(
    ("phrase", "on", "role"),
    [
        ("Medvedev", "2008-06-01", "president"),
        ("Medvedev", "2015-01-01", "prime minister"),
        ("Putin", "2010-01-01", "prime minister"),
        ("Putin", "2024-01-01", "president"),
        ("Lavrov", "2024-01-01", "foreign minister"),
    ],
)
def test_roles_depend_on_the_date(nlp, resolver, phrase, on, role):
    res = resolver.resolve_phrase(nlp(phrase), date.fromisoformat(on))
    assert res.role == role and res.code == "RUS" and res.role_current


def test_a_title_selects_the_role_it_names(nlp, resolver):
    res = resolver.resolve_phrase(nlp("President Dmitry Medvedev"), date(2024, 1, 1))
    assert res.role == "president" and res.role_current is False


def test_possessive_role_belongs_to_the_possessors_country(nlp, resolver):
    doc = nlp("Putin's adviser, Yuri Ushakov, suggested a call.")
    found = {m.text: m for m in resolver.mentions(doc, date(2024, 1, 10))}
    assert found["Putin"].person_name == "Vladimir Putin"
    assert found["adviser"].code == "RUS" and found["adviser"].person is None
    assert found["Yuri Ushakov"].person_name == "Yuri Ushakov"


def test_surname_repeats_link_to_the_full_name_seen_before(nlp, resolver):
    doc = nlp("The journalist Maria Okonkwo-Smithers interviewed him. "
              "Later, Okonkwo-Smithers said the talks had stalled.")
    mentions = resolver.mentions(doc, date(2024, 1, 10))
    repeat = [m for m in mentions if m.method == "same-doc"]
    assert repeat and repeat[0].person_name == "Maria Okonkwo-Smithers"


def test_unknown_names_are_kept_as_unresolved_mentions(nlp, resolver):
    doc = nlp("Zorbania's envoy Jaxon Quillfeather met the mediators in Geneva on Monday.")
    mentions = resolver.mentions(doc, date(2024, 1, 10))
    unresolved = [m for m in mentions if m.method == "unresolved"]
    assert any("Quillfeather" in m.text for m in unresolved)


def test_user_actor_file_extends_the_dictionary(tmp_path, nlp):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        'version: "1"\norganisations:\n'
        "  - {code: ZLF, name: Zorbanian Liberation Front, names: [Zorbanian Liberation Front,"
        " ZLF], sector: REB, country: null}\n",
        encoding="utf-8",
    )
    from detente.actors import Resolver

    resolver = Resolver(nlp, ActorDictionary.load([str(extra)]))
    res = resolver.resolve_phrase(nlp("the ZLF"), date(2024, 1, 1))
    assert (res.code, res.sector) == ("ZLF", "REB")
    assert "mine.yaml" in res.entry
    assert resolver.resolve_phrase(nlp("NATO"), date(2024, 1, 1)).code == "NATO"


def test_every_country_has_an_iso_code_and_names():
    d = ActorDictionary.load()
    countries = [c for c in d.names if len(c) == 3 and c.isupper()]
    assert len(countries) >= 240
    for code in ("RUS", "UKR", "USA", "GBR", "FRA", "DEU", "TUR", "ISR", "CHN", "PSE"):
        assert code in d.names


SEED_ACTORS = [
    # (text as it stands in a seed, code, sector, person)
    ("President Vladimir Putin", "RUS", "GOV", "Vladimir Putin"),
    ("Russian President Dmitry Medvedev", "RUS", "GOV", "Dmitry Medvedev"),
    ("U.S. National Security Advisor Jake Sullivan", "USA", "GOV", "Jake Sullivan"),
    ("Ukraine’s President Vladimir Zelensky", "UKR", "GOV", "Volodymyr Zelensky"),
    ("Ukraine's President Volodymyr Zelenskyy", "UKR", "GOV", "Volodymyr Zelensky"),
    ("U.K. Prime Minister Boris Johnson", "GBR", "GOV", "Boris Johnson"),
    ("Turkish President Recep Tayyip Erdogan", "TUR", "GOV", "Recep Tayyip Erdoğan"),
    ("French President Emmanuel Macron", "FRA", "GOV", "Emmanuel Macron"),
    ("Yuri Ushakov", "RUS", "GOV", "Yuri Ushakov"),
    ("Chancellor Angela Merkel", "DEU", "GOV", "Angela Merkel"),
    ("White House", "USA", "GOV", None),
    ("Washington", "USA", "GOV", None),
    ("Kiev", "UKR", "GOV", None),
    ("Kremlin", "RUS", "GOV", None),
    ("NATO", "NATO", "IGO", None),
    ("Foreign Ministry of Turkey", "TUR", "GOV", None),
    ("Russian intermediaries", "RUS", "GOV", None),
    ("US officials", "USA", "GOV", None),
]


@needs_seeds
@pytest.mark.parametrize(("text", "code", "sector", "person"), SEED_ACTORS)
def test_seed_mentions_resolve(seeds_db, text, code, sector, person):
    rows = [m for m in seeds_db.mentions() if m["text"] == text]
    assert rows, f"{text!r} not found as a mention"
    assert all((m["code"], m["sector"], m["person"]) == (code, sector, person) for m in rows)


@needs_seeds
def test_medvedev_in_the_seeds_is_the_2008_president(seeds_db):
    rows = [m for m in seeds_db.mentions() if m["person"] == "Dmitry Medvedev"]
    assert rows and {m["role"] for m in rows} == {"president"}


def test_places_resolve_to_their_country(nlp, resolver):
    res = resolver.resolve_phrase(nlp("Avdiivka"), date(2024, 2, 1))
    assert (res.code, res.sector, res.method) == ("UKR", None, "place")
