"""Data files: schema checks with file:line errors, the merge rule, the runs record, and the
user's own files reached from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.claims import load_vocabulary
from detente.cli import main
from detente.config import Settings
from detente.datafiles import DataFileError, load, merge
from detente.episodes import load_rules
from detente.ingest import data_files
from detente.store import open_store

DATA = Path(__file__).parent / "data"
PATTERNS = DATA / "compliment_patterns.yaml"
PROVISIONS = DATA / "fishing_provisions.yaml"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_builtin_file_passes_its_schema():
    files = data_files(Settings())
    names = {f.name for f in files}
    assert {"patterns.yaml", "conflicts.yaml", "provisions.yaml", "quantities.yaml",
            "episodes.yaml", "boilerplate.yaml", "countries.yaml", "persons.yaml",
            "cameo_codes.tsv", "cameo_to_plover.tsv", "cameo_to_plover_extra.tsv",
            "tense.yaml", "speakers.yaml", "coder_words.yaml", "roles.yaml"} <= names
    assert all(f.builtin and len(f.sha256) == 64 and f.version != "?" for f in files)


@pytest.mark.parametrize(("kind", "text", "line", "expected"), [
    ("patterns",
     "version: t\nverbs:\n  - id: a\n    lemmas: [hail]\n    cameo: '051'\n"
     "  - id: b\n    lemmass: [laud]\n    cameo: '051'\n",
     7, "unknown key 'lemmass' in verbs[1] "
        "(expected one of: anaphoric, cameo, draft_cameo, episode_subject, id"),
    ("provisions",
     "version: t\nprovisions:\n  - id: Z1\n    name: Z\n    patern: ['zz']\n",
     5, "unknown key 'patern' in provisions[0] (expected one of: definition, group, id, name"),
    ("episodes",
     "version: t\nanswer_windw: 3\n",
     2, "unknown key 'answer_windw' in the top level"),
    ("quantities",
     "version: t\nnumbers:\n  words: {dozen: 12}\n  scale: {lakh: 100000}\n",
     4, "unknown key 'scale' in numbers (expected one of: abbreviations, compounds"),
])
def test_a_misspelt_key_names_file_key_and_line(tmp_path, kind, text, line, expected):
    path = _write(tmp_path, f"my_{kind}.yaml", text)
    with pytest.raises(DataFileError) as err:
        load(path, kind)
    assert str(err.value).startswith(f"{path}:{line}: {expected}")
    assert err.value.line == line


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("patterns", "verbs:\n  - id: a\n    lemmas: hail\n    cameo: '051'\n",
     ":3: verbs[0].lemmas should be a list, not str 'hail'"),
    ("patterns", "verbs:\n  - id: a\n    lemmas: [hail]\n    cameo: 051\n",
     ":4: verbs[0].cameo should be a string, not int '051' (quote it: '051')"),
    ("patterns", "verbs:\n  - id: a\n    lemmas: [hail]\n",
     ":2: verbs[0] lacks the required key 'cameo'"),
    ("quantities", "owner_preps: [to, on]\n",
     ":1: owner_preps[1] should be a string, not bool 'on' (YAML reads 'on' as true/false"),
    ("conflicts", "conflicts:\n  - id: w\n    name: W\n    start: 2001-02-03\n    sides: [A]\n",
     ":5: unknown key 'sides' in conflicts[0]"),
])
def test_wrong_types_and_missing_keys_are_named(tmp_path, kind, text, message):
    path = _write(tmp_path, "mine.yaml", text)
    with pytest.raises(DataFileError, match=None) as err:
        load(path, kind)
    assert message in str(err.value), str(err.value)


def test_a_tsv_with_an_unknown_column_or_a_bad_number_fails(tmp_path):
    bad_column = _write(tmp_path, "a.tsv", "# version: 1\ncode\tname\tgoldstien\tquad_class\n")
    with pytest.raises(DataFileError, match=r"a\.tsv:2: unknown column 'goldstien'"):
        load(bad_column, "cameo_codes")
    bad_number = _write(tmp_path, "b.tsv", "code\tname\tgoldstein\tquad_class\n"
                                           "01\tSay\t0.0\t1\n02\tAsk\tthree\t1\n")
    with pytest.raises(DataFileError, match=r"b\.tsv:3: 'goldstein' should be a number"):
        load(bad_number, "cameo_codes")


def test_one_merge_rule():
    base = {"a": [1], "m": {"x": 1, "y": [1]}, "n": 5,
            "items": [{"id": "p", "words": ["u"], "code": "1"}, {"id": "q"}]}
    extra = {"a": [2], "m": {"y": [2], "z": 3}, "n": 6,
             "items": [{"id": "p", "words": ["v"], "code": "2"}, {"id": "r"}]}
    assert merge(base, extra) == {
        "a": [1, 2], "m": {"x": 1, "y": [1, 2], "z": 3}, "n": 6,
        "items": [{"id": "p", "words": ["u", "v"], "code": "2"}, {"id": "q"}, {"id": "r"}]}


def test_user_episode_rules_and_quantities_merge_over_the_builtin(tmp_path):
    rules = _write(tmp_path, "rules.yaml", "named_heads: [compact]\nanswer_window: 9\n")
    merged = load_rules([rules])
    assert "compact" in merged.named_heads and "accord" in merged.named_heads
    assert merged.answer_window == 9 and load_rules().answer_window != 9
    assert [f.name for f in merged.files] == ["episodes.yaml", str(rules)]
    vocab = _write(tmp_path, "q.yaml", "counted:\n  humanitarian:\n    stowaways: [stowaways]\n")
    v = load_vocabulary([str(vocab)])
    assert "stowaways" in v.nouns and "stowaways" not in load_vocabulary().nouns
    assert v.words == load_vocabulary().words


ARTICLE = ("title: Neighbours\npublished: 2021-03-04\n\n"
           "Finland complimented Norway on its handling of the border crossing. "
           "Iceland proposed talks with Norway on fishing quotas in the northern sea.\n")


def _ingest(tmp_path: Path, *options: str) -> tuple[Path, object]:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / f"t{len(options)}.db"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db),
                                       *options])
    assert result.exit_code == 0, result.output
    return db, open_store(str(db))


def test_user_patterns_and_provisions_from_the_cli(tmp_path):
    _, plain = _ingest(tmp_path)
    assert not [e for e in plain.events() if e["cameo"] == "051"]
    assert "FISHING_QUOTAS" not in {t["provision"] for t in plain.terms()}

    db, store = _ingest(tmp_path, "--patterns", str(PATTERNS), "--provisions", str(PROVISIONS))
    praise = [e for e in store.events() if e["cameo"] == "051"]
    assert [(e["source_code"], e["target_code"], e["pattern_id"]) for e in praise] == [
        ("FIN", "NOR", "compliment")]
    terms = [t for t in store.terms() if t["provision"] == "FISHING_QUOTAS"]
    assert [t["text"].lower() for t in terms] == ["fishing quotas"]

    listed = CliRunner().invoke(main, ["events", "--db", str(db), "--cameo", "051", "--json"])
    assert [json.loads(line)["source_code"] for line in listed.output.splitlines()] == ["FIN"]

    recorded = json.loads(store.runs()[-1]["data_versions"])
    for path in (PATTERNS, PROVISIONS):
        entry = recorded[str(path)]
        assert entry["version"] == "test-1" and len(entry["sha256"]) == 64
    for name in ("conflicts.yaml", "cameo_codes.tsv", "cameo_to_plover_extra.tsv",
                 "patterns.yaml", "quantities.yaml", "episodes.yaml"):
        assert len(recorded[name]["sha256"]) == 64 and recorded[name]["version"] != "?"
    settings = json.loads(store.runs()[-1]["settings"])
    assert settings["pattern_files"] == [str(PATTERNS)]


def test_code_command_takes_user_patterns():
    record = json.dumps({"id": "x", "text": "Sweden complimented Denmark on the bridge.",
                         "date": "2020-01-01"})
    plain = CliRunner().invoke(main, ["code", "-"], input=record + "\n")
    assert plain.exit_code == 0 and "051" not in plain.output
    result = CliRunner().invoke(main, ["code", "-", "--patterns", str(PATTERNS)],
                                input=record + "\n")
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)["events"]
    assert [(e["cameo"], e["actor"]["code"], e["recipient"]["code"]) for e in events] == [
        ("051", "SWE", "DNK")]


def test_a_bad_user_file_is_a_usage_error(tmp_path):
    bad = _write(tmp_path, "bad.yaml", "verbs:\n  - id: a\n    lemma: [hail]\n    cameo: '051'\n")
    result = CliRunner().invoke(main, ["code", "-", "--patterns", str(bad)], input="")
    assert result.exit_code != 0
    assert f"{bad}:3: unknown key 'lemma' in verbs[0]" in result.output
