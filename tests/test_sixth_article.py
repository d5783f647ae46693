"""A sixth report on the Istanbul talks (29 March 2022) joins the seeds' episode about them
instead of starting one of its own; the episode's id follows its earliest article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detente.config import Settings

from .conftest import ROOT, SEEDS, needs_seeds

SIXTH = ROOT / "samples" / "more" / "istanbul_talks_report.txt"


def _istanbul_episode(store) -> dict[str, Any]:
    """The seeds' Russia–Ukraine talks of March 2022: talks between RUS and UKR dated in
    March–April 2022 that hold a sentence of seed 003 or 004 naming Turkey, their host."""
    found = []
    for row in store.episodes(kind="talks", date_from="2022-03-01", date_to="2022-04-30"):
        ep = store.episode(row["id"])
        if {"RUS", "UKR"} <= set(ep["proposer"]) | set(ep["addressee"]) and any(
                Path(m["doc_source"]).name.startswith(("003_", "004_"))
                and "Turkey" in m["sentence"] for m in ep["members"]):
            found.append(ep)
    assert len(found) == 1, [e["title"] for e in found]
    return found[0]


@needs_seeds
def test_sixth_article_joins_the_seeds_istanbul_episode(tmp_path, settings: Settings):
    from detente.ingest import ingest
    from detente.store import open_store

    store = open_store(tmp_path / "six.db")
    report = ingest([str(SEEDS)], store, settings)
    assert report.ok, report.failed
    before = store.episodes()
    old = _istanbul_episode(store)

    report = ingest([str(SIXTH)], store, settings)
    assert report.ok, report.failed
    new_doc = next(d["id"] for d in store.documents() if Path(d["source"]).name == SIXTH.name)
    after = store.episodes()
    new = _istanbul_episode(store)

    # (1) no new episode of talks: the report is about talks the store already holds. Only
    # Ukraine's own offer in them ("Ukraine proposed a neutral, non-nuclear status") is an
    # episode of its own, held by the report alone: one side's offer is kept apart from the
    # talks between the sides (docs/episodes.md)
    known = {e["id"] for e in before} | {new["id"]}
    added = [store.episode(e["id"]) for e in after if e["id"] not in known]
    assert len(after) - len(added) == len(before), [e["title"] for e in after]
    for ep in added:
        assert ep["kind"] == "proposal" and ep["proposer"] == ["UKR"], ep["title"]
        assert {m["doc_id"] for m in ep["members"]} == {new_doc}, ep["title"]
    # (2) the same episode, grown: every member it had is still in it, with one more source
    # and members from the report
    assert {m["id"] for m in old["members"]} <= {m["id"] for m in new["members"]}
    assert new["n_sources"] == old["n_sources"] + 1
    assert new_doc in new["sources"]
    assert any(m["doc_id"] == new_doc for m in new["members"])
    # (3) its id comes from its earliest article: the report, older than the seeds, now
    # anchors it, so the id is the one a fresh build of all six articles gives
    published = {d["id"]: d["published"] for d in store.documents()}
    if published[new_doc] < min(published[d] for d in old["sources"]):
        assert new["id"] != old["id"]
    else:
        assert new["id"] == old["id"]
    # every other episode is untouched
    assert {e["id"]: e["n_sources"] for e in after
            if e["id"] != new["id"] and e["id"] in known} == {
        e["id"]: e["n_sources"] for e in before if e["id"] != old["id"]}
    fresh = open_store(tmp_path / "fresh.db")
    assert ingest([str(SIXTH), str(SEEDS)], fresh, settings).ok
    assert _istanbul_episode(fresh)["id"] == new["id"]
    assert sorted(e["id"] for e in fresh.episodes()) == sorted(e["id"] for e in after)
