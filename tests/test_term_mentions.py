"""A sentence that states one of an episode's terms counts as a mention of it (own article)."""

from __future__ import annotations

from pathlib import Path

import yaml

from detente.evaluate_episodes import evaluate_episodes
from detente.store import open_store

from .conftest import ingest_article

ARTICLE = (
    "BRASILIA, 3 March 2023 - Brazil proposed a peace plan to Russia and Ukraine on Friday, "
    "the foreign minister said.\n\n"
    "Brazil presented the plan to Russia and Ukraine in Brasilia on Friday.\n\n"
    "The plan includes:\n\n"
    "• the withdrawal of all troops from the border region\n\n"
    "• the release of all prisoners held by both sides\n"
)


def _gold(tmp_path: Path, phrase: str) -> Path:
    gold = {"episodes": [{
        "id": "E1", "date": "2023-03-03", "window": ["2023-03-01", "2023-03-05"],
        "proposer": ["BRA"], "addressee_any": ["RUS", "UKR"],
        "plover": ["AGREE", "REQUEST"], "cameo": ["03", "02", "10"],
        "terms": ["WITHDRAWAL_OF_FORCES", "PRISONERS_AND_DETAINEES"],
        "mentions": [{"file": "a", "phrase": phrase}]}]}
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump(gold), encoding="utf-8")
    return path


def test_a_list_item_stating_a_term_is_a_mention(tmp_path: Path) -> None:
    store = open_store(ingest_article(tmp_path, ARTICLE))
    [ep] = [e for e in store.episodes() if "BRA" in e["proposer"]]
    detail = store.episode(ep["id"])["terms_detail"]
    texts = {s["idx"]: s["text"] for s in store.sentences(detail[0]["doc_id"])}
    # each item is its own evidence, in its own sentence
    by_term = {t["provision"]: texts[t["sentence_idx"]] for t in detail}
    assert "withdrawal" in by_term["WITHDRAWAL_OF_FORCES"]
    assert "prisoners" in by_term["PRISONERS_AND_DETAINEES"]
    # the gold names only the item's sentence: it still finds the episode
    report = evaluate_episodes(store, _gold(tmp_path, "the release of all prisoners"))
    [result] = report.episodes
    assert result.hit, result.reason
    assert result.terms[0] == result.terms[1]
    # a sentence that is neither a member nor a term does not
    report = evaluate_episodes(store, _gold(tmp_path, "The plan includes"))
    assert not report.episodes[0].hit
