"""Quantitative claims: numbers, what they count, whose, when, who says so; and conflicts."""

from __future__ import annotations

import pytest

from detente import claims as claims_mod
from detente.claims import extract_claims, find_numbers
from detente.dates import parse_partial
from detente.disagreements import quantity_conflicts
from detente.rows import CLAIM


def _claims(nlp, resolver, text: str, published: str | None = "2024-03-01",
            doc_id: str = "doc") -> list[dict]:
    pub = parse_partial(published)
    doc = nlp(text)
    rows = extract_claims(doc, doc_id, resolver.mentions(doc, pub.start if pub else None), pub)
    for r in rows:  # as Store.claims() returns them
        r["doc_published"] = published
    return rows


def _one(nlp, resolver, text: str, **kw) -> dict:
    rows = _claims(nlp, resolver, text, **kw)
    assert len(rows) == 1, [r["text"] for r in rows]
    return rows[0]


# -- numbers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, counted", [
    ("Russia has lost half a million soldiers in the war.", 500_000, "casualties"),
    ("Some 1.5 million refugees have crossed into Poland.", 1_500_000, "refugees"),
    ("Two dozen drones were shot down over the capital.", 24, "drones"),
    ("A dozen prisoners were freed in the swap.", 12, "prisoners"),
    ("The army moved three hundred tanks to the border.", 300, "tanks"),
    ("Officials reported twenty-five thousand wounded.", 25_000, "wounded"),
    ("Moscow has mobilised 300k men since the autumn.", 300_000, "troops"),
])
def test_number_words_and_scales(nlp, resolver, text, value, counted):
    row = _one(nlp, resolver, text)
    assert row["value"] == value
    assert row["counted"] == counted


def test_half_a_million_is_not_what_quantulum_says(nlp, resolver):
    row = _one(nlp, resolver, "The war has left over half a million casualties.")
    assert (row["value"], row["approx"], row["counted"]) == (500_000, "over", "casualties")
    assert row["text"] == "over half a million casualties"
    assert row["method"] == "rules"


def test_vague_magnitudes_are_lower_bounds(nlp, resolver):
    row = _one(nlp, resolver, "Tens of thousands of civilians fled the city.")
    assert row["value"] == 20_000 and row["value_max"] is None
    assert row["approx"] == "tens of thousands"
    assert row["counted"] == "displaced" and row["category"] == "humanitarian"
    assert claims_mod.bound_of(row["approx"]) == "lower"


def test_ranges(nlp, resolver):
    row = _one(nlp, resolver, "Between 5,000 and 7,000 Russian troops were killed in March.")
    assert (row["value"], row["value_max"]) == (5000, 7000)
    assert row["counted"] == "dead" and row["whose"] == "RUS"
    row = _one(nlp, resolver, "Kyiv says 5 to 7 million shells are needed each year.")
    assert (row["value"], row["value_max"]) == (5_000_000, 7_000_000)
    assert row["rate"] == "per year"


def test_find_numbers_reads_the_figure_and_its_qualifiers():
    found = find_numbers("around 500,000 dead, 1,000 or more wounded, three hundred and ten")
    assert [(n.value, n.approx) for n in found] == [(500_000, "around"), (1000, "or more"),
                                                     (310, None)]


# -- units, categories, rates ---------------------------------------------------------------
def test_money(nlp, resolver):
    row = _one(nlp, resolver, "Congress approved $61 billion for Ukraine in April 2024.")
    assert (row["value"], row["unit"], row["category"], row["counted"]) == (
        61e9, "USD", "money", "money")
    assert row["text"] == "$61 billion"
    row = _one(nlp, resolver, "The European Union pledged €50bn to Kyiv.")
    assert (row["value"], row["unit"]) == (50e9, "EUR")


def test_area_and_the_percentage_restating_it(nlp, resolver):
    rows = _claims(nlp, resolver, "In 2023 Russia captured 240 square miles, or 0.1% of Ukraine.")
    area, share = rows
    assert (area["value"], area["unit"], area["category"]) == (240, "mi2", "area")
    assert area["whose"] == "RUS"
    assert (share["value"], share["unit"], share["counted"]) == (0.1, "percent", "area")
    assert share["whose"] == "RUS"  # the restated quantity's, not Ukraine's
    assert area["date_start"] == share["date_start"] == "2023-01-01"


def test_percentage_needs_a_subject(nlp, resolver):
    row = _one(nlp, resolver, "A poll found that 70% of Ukrainians reject territorial "
                              "concessions, while inflation rose 12%.")
    assert (row["value"], row["unit"], row["category"], row["whose"]) == (
        70, "percent", "population", "UKR")


def test_rates_and_elliptic_figures(nlp, resolver):
    rows = _claims(nlp, resolver, "Russia is firing 10,000 artillery shells per day, while "
                                  "Ukraine can only fire 2,000.")
    assert [(r["value"], r["counted"], r["category"], r["rate"], r["whose"]) for r in rows] == [
        (10_000, "shells", "military", "per day", "RUS"),
        (2_000, "shells", "military", "per day", "UKR"),
    ]
    row = _one(nlp, resolver, "Ukraine is losing 1,000 or more dead and wounded in a single day.")
    assert (row["counted"], row["rate"], row["approx"]) == ("casualties", "per day", "or more")


# -- whose, period, attribution -------------------------------------------------------------
def test_whose_from_the_clause_and_the_phrase(nlp, resolver):
    row = _one(nlp, resolver, "Since the invasion, Ukraine has lost around 300,000 dead.")
    assert (row["value"], row["approx"], row["counted"], row["whose"]) == (
        300_000, "around", "dead", "UKR")
    assert row["whose_text"] == "Ukraine"
    row = _one(nlp, resolver, "Russian and Ukrainian casualties now exceed 400,000.")
    assert (row["whose"], row["counted"]) == ("RUS,UKR", "casualties")
    row = _one(nlp, resolver, "The strike killed 40 civilians in Kharkiv.")
    assert row["counted"] == "dead"
    assert row["whose"] is None  # the subject of "kill" is not whose losses they are


def test_periods(nlp, resolver):
    row = _one(nlp, resolver, "Ukraine has lost 70,000 soldiers since February 2022.")
    assert (row["period_text"], row["date_start"], row["date_end"], row["date_precision"]) == (
        "since February 2022", "2022-02-01", "2024-03-01", "range")
    row = _one(nlp, resolver, "Russia fired 4 million shells in 2023.")
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        "2023-01-01", "2023-12-31", "year")


def test_attribution(nlp, resolver):
    row = _one(nlp, resolver, "Russia has lost 350,000 soldiers, according to British "
                              "intelligence.")
    assert row["attribution_kind"] == "named" and row["attribution_code"] == "GBR"
    row = _one(nlp, resolver, "Zelensky said that 31,000 Ukrainian soldiers had been killed.")
    assert (row["attribution_kind"], row["attribution_code"], row["whose"]) == (
        "named", "UKR", "UKR")
    row = _one(nlp, resolver, "Ukraine has lost 31,000 soldiers.")
    assert (row["attribution_kind"], row["attribution_text"]) == ("author", None)


@pytest.mark.parametrize("text", [
    "The talks began in 2014 and resumed on March 3, 2022.",
    "In the 1990s, the first and second rounds of talks lasted 24 hours.",
    "He was 45 years old and one of the two sides' negotiators.",
    "The meeting ended at 10 p.m. on page 5 of Article 4 of the treaty.",
    "Russia produces 5 times more shells than the West, a 30-year high.",
    "NATO enlarged by 14 countries between 1999 and 2020.",
    "Five peace proposals were made, and three were rejected.",
])
def test_non_claims_are_skipped(nlp, resolver, text):
    assert _claims(nlp, resolver, text) == []


# -- rows ------------------------------------------------------------------------------------
def test_rows_have_the_store_columns_and_stable_ids(nlp, resolver):
    text = "The talks failed.\nRussia lost 2,000 tanks. Ukraine lost 500 tanks."
    rows = _claims(nlp, resolver, text)
    again = _claims(nlp, resolver, text)
    assert [r["id"] for r in rows] == [r["id"] for r in again]
    assert len({r["id"] for r in rows}) == 2
    assert all(set(CLAIM.names) <= set(r) for r in rows)
    assert [r["sentence_idx"] for r in rows] == [1, 2]
    assert [text[r["start"]:r["end"]] for r in rows] == [r["text"] for r in rows]


def test_quantulum_runs_only_on_sentences_with_digits(nlp, resolver, monkeypatch):
    def boom(text: str):
        raise AssertionError(f"quantulum3 called on {text!r}")

    monkeypatch.setattr(claims_mod, "_quantulum", boom)
    row = _one(nlp, resolver, "Three hundred soldiers were captured near the river.")
    assert (row["value"], row["counted"]) == (300, "prisoners")


# -- conflicts -------------------------------------------------------------------------------
def _pair(nlp, resolver, a: str, b: str, pub_a: str = "2024-02-01",
          pub_b: str = "2024-06-01") -> list[dict]:
    rows = _claims(nlp, resolver, a, pub_a, "doc-a") + _claims(nlp, resolver, b, pub_b, "doc-b")
    assert {r["doc_id"] for r in rows} == {"doc-a", "doc-b"}
    return quantity_conflicts(rows)


def test_dead_vs_casualties_conflict_with_a_note(nlp, resolver):
    found = _pair(nlp, resolver, "Ukraine has lost around 500,000 dead.",
                  "Russians and Ukrainians have suffered over half a million casualties.")
    assert len(found) == 1
    conflict = found[0]
    assert conflict["kind"] == "quantity"
    assert "dead vs casualties" in conflict["note"] and "wounded" in conflict["note"]
    assert {c["counted"] for c in conflict["claims"]} == {"dead", "casualties"}
    assert {c["doc_id"] for c in conflict["claims"]} == {"doc-a", "doc-b"}


def test_different_values_conflict_but_not_for_different_countries(nlp, resolver):
    same = _pair(nlp, resolver, "Russia has lost 150,000 soldiers.",
                 "Russia has lost 450,000 soldiers.")
    assert len(same) == 1 and "apart" in same[0]["note"]
    assert _pair(nlp, resolver, "Russia has lost 150,000 soldiers.",
                 "Ukraine has lost 450,000 soldiers.") == []


def test_same_value_and_compatible_bounds_do_not_conflict(nlp, resolver):
    assert _pair(nlp, resolver, "Russia has lost 300,000 soldiers.",
                 "Russia has lost about 310,000 soldiers.") == []
    assert _pair(nlp, resolver, "Russia has lost 300,000 soldiers.",
                 "Russia has lost more than 200,000 soldiers.") == []


def test_money_and_deaths_do_not_conflict():
    base = {"sentence_idx": 0, "start": 0, "end": 5, "value_max": None, "approx": None,
            "rate": None, "whose": "UKR", "period_text": None, "date_start": None,
            "date_end": None, "doc_published": "2024-03-01"}
    money = {**base, "id": "m", "doc_id": "a", "text": "$400,000", "value": 400_000.0,
             "unit": "USD", "counted": "money", "category": "money"}
    dead = {**base, "id": "d", "doc_id": "b", "text": "500,000 dead", "value": 500_000.0,
            "unit": "count", "counted": "dead", "category": "casualties"}
    assert quantity_conflicts([money, dead]) == []
    assert len(quantity_conflicts([{**dead, "id": "d2", "doc_id": "a", "value": 400_000.0},
                                   dead])) == 1  # the same values as deaths would conflict


def test_different_periods_or_distant_articles_do_not_conflict(nlp, resolver):
    assert _pair(nlp, resolver, "Russia fired 4 million shells in 2022.",
                 "Russia fired 10 million shells in 2023.") == []
    assert len(_pair(nlp, resolver, "Russia fired 4 million shells in 2023.",
                     "Russia fired 10 million shells in 2023.")) == 1
    assert _pair(nlp, resolver, "Russia has lost 150,000 soldiers.",
                 "Russia has lost 450,000 soldiers.", "2022-06-01", "2024-06-01") == []


def test_seed_loss_figures_disagree(seeds_db):
    conflicts = quantity_conflicts(seeds_db.claims())
    pairs = [{(c["counted"], c["value"], c["whose"]) for c in x["claims"]} for x in conflicts]
    assert {("dead", 500_000, "UKR"), ("casualties", 500_000, "RUS,UKR")} in pairs
    assert all(len({c["doc_id"] for c in x["claims"]}) == 2 for x in conflicts)
