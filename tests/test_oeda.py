"""The OEDA base lexicon: the converter reproduces the committed file, and every CAMEO root
fires on an ordinary news verb and on a nominal form, in sentences of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.code_text import code_text
from detente.config import Settings
from detente.oeda import OUT, write

OEDA = Path(__file__).resolve().parents[2] / "shared" / "ontology" / "oeda"


@pytest.mark.skipif(not (OEDA / "CAMEO.2.0.txt").is_file(), reason="OEDA dictionaries absent")
def test_the_converter_reproduces_the_committed_lexicon(tmp_path):
    out = tmp_path / "oeda_verbs.yaml"
    write(OEDA, out)
    assert out.read_text(encoding="utf-8") == OUT.read_text(encoding="utf-8")
    assert "Copyright (c) 2016 Open Event Data Alliance" in out.read_text(encoding="utf-8")


ROOTS = [
    ("01", "Turkey's foreign minister commented on the Cyprus dispute."),
    ("01", "The Turkish announcement on Cyprus angered Athens."),
    ("02", "Lebanon petitioned the United Nations for help."),
    ("03", "Chile promised Bolivia access to the sea."),
    ("04", "The Greek prime minister visited Ankara."),
    ("04", "The Greek prime minister's visit to Ankara was brief."),
    ("05", "Peru and Ecuador initialled a border treaty."),
    ("06", "The Spanish extradition of a Russian banker angered Moscow."),
    ("07", "Japan donated food to Nepal."),
    ("08", "The Serbian withdrawal from the border surprised Kosovo."),
    ("09", "Dutch prosecutors investigated the Russian unit."),
    ("09", "The Dutch investigation into the Russian missile ended."),
    ("10", "Kosovo demanded compensation from Serbia."),
    ("11", "Venezuela's accusation against Guyana was rejected."),
    ("11", "Morocco's denunciation of Algeria was sharp."),
    ("12", "Ethiopia rejected the Egyptian proposal."),
    ("13", "North Korea threatened Japan."),
    ("14", "The Serbian protest against the sanctions grew."),
    ("15", "The Russian mobilization worried Finland."),
    ("16", "Lithuania expelled two Russian diplomats."),
    ("16", "The Lithuanian boycott of Russian goods angered Moscow."),
    ("17", "The Iranian arrest of a British journalist angered London."),
    ("18", "Hamas's abduction of Israeli soldiers prompted the war."),
    ("19", "Russian forces shelled Kharkiv."),
    ("19", "The Israeli bombardment of Gaza continued."),
    ("20", "The Serbian massacre of Bosnian civilians shocked Europe."),
]


@pytest.mark.parametrize(("root", "text"), ROOTS)
def test_every_cameo_root_fires(root, text):
    events = code_text(text, "2023-05-17", Settings())
    assert any(e["cameo"].startswith(root) for e in events), events


@pytest.mark.parametrize("text", [
    "The minister said the deal was fair.",
    "Officials expected Armenia to sign the treaty.",
    "Thousands of people died in the floods.",
])
def test_reporting_and_general_verbs_are_no_events(text):
    events = code_text(text, "2023-05-17", Settings())
    assert not any(e["pattern"].startswith("oeda.") for e in events), events
