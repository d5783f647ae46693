"""Score episodes, answers, terms and disagreements against a gold file.

A gold episode is found when an extracted episode holds one of its mention sentences and
has a gold proposer, a gold addressee (or mediator), a start date inside the gold window and
a member of an accepted type; a sentence that states one of an episode's terms counts as a
mention of it. Two extracted episodes that both match split it; one extracted
episode holding mentions of two gold episodes merges them. An answer is found when an
answer of the matched episode comes from a gold party with an accepted type. Terms are
compared as sets of provision names (micro F1). A disagreement is found when one extracted
disagreement has a side in the sentence of every gold side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .evaluate import _doc_for, _window, load_gold
from .store import Store


@dataclass
class EpisodeResult:
    gold_id: str
    hit: bool
    reason: str
    episode_ids: list[str] = field(default_factory=list)
    responses: list[tuple[str, bool]] = field(default_factory=list)
    terms: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()))


@dataclass
class EpisodeReport:
    episodes: list[EpisodeResult]
    disagreements: list[tuple[str, bool, str]]
    spurious: list[dict[str, Any]]
    split: list[str]
    merged: list[str]

    def summary(self) -> dict[str, Any]:
        tp = sum(len(r.terms[0] & r.terms[1]) for r in self.episodes)
        found = sum(len(r.terms[1]) for r in self.episodes)
        gold = sum(len(r.terms[0]) for r in self.episodes)
        p = tp / found if found else 0.0
        r = tp / gold if gold else 0.0
        return {
            "episodes_hit": sum(e.hit for e in self.episodes),
            "episodes_total": len(self.episodes),
            "responses_hit": sum(ok for e in self.episodes for _, ok in e.responses),
            "responses_total": sum(len(e.responses) for e in self.episodes),
            "terms_precision": round(p, 3), "terms_recall": round(r, 3),
            "terms_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "disagreements_hit": sum(ok for _, ok, _ in self.disagreements),
            "disagreements_total": len(self.disagreements),
            "split": len(self.split), "merged": len(self.merged),
            "spurious_episodes": len(self.spurious),
        }


def _sentences_with(store: Store, file: str, phrase: str) -> set[tuple[str, int]]:
    doc = _doc_for(store, file)
    if doc is None:
        return set()
    parts = [p.strip() for p in phrase.split("...") if p.strip()]
    return {(doc["id"], s["idx"]) for s in store.sentences(doc["id"])
            if all(p in s["text"] for p in parts)}


def _type_ok(ev: dict[str, Any], plover: list[str], cameo: list[str]) -> bool:
    return ev["plover_type"] in plover or any(ev["cameo"].startswith(str(c)) for c in cameo)


def evaluate_episodes(store: Store, gold_path: str | Path) -> EpisodeReport:
    gold = load_gold(gold_path)
    dossiers = {e["id"]: store.episode(e["id"]) for e in store.episodes()}
    where: dict[tuple[str, int], set[str]] = {}
    for ep_id, d in dossiers.items():
        for m in d["members"] if d else []:
            if m["role"] == "mention":
                where.setdefault((m["doc_id"], m["sentence_idx"]), set()).add(ep_id)
        for t in d["terms_detail"] if d else []:  # a sentence stating a term mentions it
            where.setdefault((t["doc_id"], t["sentence_idx"]), set()).add(ep_id)
    results: list[EpisodeResult] = []
    gold_of: dict[str, set[str]] = {}
    split, merged = [], []
    for g in gold.get("episodes") or []:
        sentences = set().union(*(_sentences_with(store, m["file"], m["phrase"])
                                  for m in g.get("mentions") or []))
        candidates = sorted(set().union(*(where.get(s, set()) for s in sentences)))
        for c in candidates:
            gold_of.setdefault(c, set()).add(g["id"])
        window = tuple(g.get("window") or _window(g["date"]))
        matched, reasons = [], []
        for c in candidates:
            ok, why = _match(dossiers[c], g, window)
            (matched if ok else reasons).append(c if ok else f"{c}: {why}")
        if len(matched) > 1:
            split.append(g["id"])
        result = EpisodeResult(g["id"], bool(matched),
                               "hit" if matched else ("; ".join(reasons) or
                                                      "no episode holds its mentions"),
                               matched)
        best = dossiers[matched[0]] if matched else None
        for resp in g.get("responses") or []:
            ok = best is not None and any(
                m["role"] == "answer" and m["source_code"] in resp["by_any"]
                and _type_ok(m, resp.get("plover") or [], resp.get("cameo") or [])
                for m in best["members"])
            result.responses.append((resp.get("kind") or resp.get("phrase", ""), ok))
        result.terms = (set(g.get("terms") or []), set(best["terms"]) if best else set())
        results.append(result)
    for ep_id, golds in gold_of.items():
        matched_here = [r.gold_id for r in results if ep_id in r.episode_ids]
        if len(golds) > 1 and len(matched_here) > 1:
            merged.append(ep_id)
    other = set()
    for o in gold.get("other_events") or []:
        for s in _sentences_with(store, o["file"], o["phrase"]):
            other |= where.get(s, set())
    matched_any = {i for r in results for i in r.episode_ids} | set(gold_of) | other
    spurious = [e for e in store.episodes() if e["id"] not in matched_any]
    disagreements = []
    found = store.disagreements()
    for d in gold.get("disagreements") or []:
        need = [_sentences_with(store, s["file"], s["claim"]) for s in d["sides"]]
        hit = next((x for x in found if all(
            any((s["doc_id"], s["sentence_idx"]) in n for s in x["sides"]) for n in need)),
            None)
        disagreements.append((d["id"], hit is not None,
                              hit["id"] if hit else "no disagreement covers every side"))
    return EpisodeReport(results, disagreements, spurious, split, merged)


def _match(d: dict[str, Any], g: dict[str, Any], window: tuple[str, str]) -> tuple[bool, str]:
    if not set(d["proposer"]) & set(g.get("proposer") or []):
        return False, f"proposer {d['proposer']}"
    others = set(d["addressee"]) | set(d["mediators"]) | set(d["proposer"][1:])
    if not others & (set(g.get("addressee_any") or []) | set(g.get("mediators_any") or [])):
        return False, f"addressee {d['addressee']}"
    if not (window[0] <= d["date_start"] <= window[1]):
        return False, f"date {d['date_start']} outside {window[0]}..{window[1]}"
    if not any(_type_ok(m, g.get("plover") or [], g.get("cameo") or [])
               for m in d["members"] if m["role"] == "mention"):
        return False, "no member of an accepted type"
    return True, "hit"


def format_episode_report(report: EpisodeReport) -> Iterable[str]:
    yield ""
    yield "Episodes"
    for r in report.episodes:
        yield f"{'HIT ' if r.hit else 'MISS'} {r.gold_id:<4} {', '.join(r.episode_ids) or '-'}  " \
              f"{'' if r.hit else r.reason}".rstrip()
        for kind, ok in r.responses:
            yield f"     answer  {'HIT ' if ok else 'MISS'} {kind}"
        gold, found = r.terms
        yield (f"     terms   found {len(gold & found)}/{len(gold)}"
               + (f"  missed {', '.join(sorted(gold - found))}" if gold - found else "")
               + (f"  extra {', '.join(sorted(found - gold))}" if found - gold else ""))
    for g in report.split:
        yield f"SPLIT {g}: more than one episode matches it"
    for e in report.merged:
        yield f"MERGED {e}: holds mentions of several gold episodes"
    yield ""
    yield "Disagreements"
    for gid, ok, why in report.disagreements:
        yield f"{'HIT ' if ok else 'MISS'} {gid:<4} {why}"
    yield ""
    yield f"Episodes matching no gold item ({len(report.spurious)}), for a person to judge:"
    for e in report.spurious:
        yield (f"  {e['id']}  {e['date_start']}  {e['kind']}  {e['title']}  "
               f"sources={len(e['sources'])}")
