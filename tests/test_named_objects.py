"""Agreement and plan names as episode anchors, on sentences of our own."""

from __future__ import annotations

import pytest

from detente.episodes import load_rules, named_objects


@pytest.mark.parametrize(("sentence", "names"), [
    ("Delegates discussed the Sharm el-Sheikh memorandum on Monday.", {"sharm el-sheikh"}),
    ("The Cessation of Hostilities Agreement was signed in Nairobi.",
     {"cessation of hostilities"}),
    ("The two sides signed the Declaration of Principles on April 2.",
     {"declaration of principles"}),
    ("Leaders signed the Joint Comprehensive Plan of Action (JCPOA) in Vienna.",
     {"joint comprehensive plan of action", "jcpoa"}),
    ("Chile unveiled a six-point plan for the border.", {"6-point plan"}),
    ("They agreed to the wording of a 14-point EU plan.", {"14-point plan"}),
    ("The Tashkent Declaration ended the war.", {"tashkent"}),
    # no names: a year, a weekday, a party's plan, a verb
    ("The 2015 accord lifted sanctions.", set()),
    ("On Saturday Agreement was reached.", set()),
    ("The Chilean plan was rejected.", set()),
    ("Peru plans to talk with Chile.", set()),
    ("The Peace Agreement was initialled in June.", set()),
])
def test_agreement_names(sentence: str, names: set[str]) -> None:
    assert set(named_objects(sentence, load_rules())) == names


def test_the_name_as_written_is_kept_for_titles() -> None:
    found = named_objects("Both sides referred to the Lisbon Protocol.", load_rules())
    assert found == {"lisbon": "Lisbon Protocol"}
