"""Score a store against a gold file (the format of ../shared/gold/seeds_episodes.yaml).

An item (an episode mention or an "other event") is hit when an event in the sentence that
holds its phrase has an accepted type (PLOVER type or CAMEO prefix), the right source, the
right target where the sentence names one, and a date overlapping the gold window.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .store import Store


@dataclass
class Item:
    """One gold item to find."""

    id: str
    file: str
    phrase: str
    plover: list[str]
    cameo: list[str]
    sources: list[str]
    targets: list[str]
    window: tuple[str, str]


@dataclass
class ItemResult:
    item: Item
    hit: bool
    reason: str
    event_ids: list[str] = field(default_factory=list)


@dataclass
class Report:
    items: list[ItemResult]
    unmatched: list[dict[str, Any]]
    n_events: int

    @property
    def items_hit(self) -> int:
        return sum(r.hit for r in self.items)

    def summary(self) -> dict[str, Any]:
        total = len(self.items)
        matched = self.n_events - len(self.unmatched)
        return {
            "items_hit": self.items_hit,
            "items_total": total,
            "recall": round(self.items_hit / total, 3) if total else 0.0,
            "precision": round(matched / self.n_events, 3) if self.n_events else 0.0,
            "events": self.n_events,
            "unmatched_events": len(self.unmatched),
        }


def _window(value: Any) -> tuple[str, str]:
    text = str(value)
    parts = text.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return f"{y}-01-01", f"{y}-12-31"
    m = int(parts[1])
    if len(parts) == 2:
        return f"{y}-{m:02d}-01", f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    return text, text


def load_items(gold: dict[str, Any]) -> list[Item]:
    items = []
    for ep in gold.get("episodes") or []:
        window = tuple(ep.get("window") or _window(ep["date"]))
        for n, m in enumerate(ep.get("mentions") or [], start=1):
            items.append(Item(
                id=f"{ep['id']}.{n}", file=m["file"], phrase=m["phrase"],
                plover=list(ep.get("plover") or []), cameo=[str(c) for c in ep.get("cameo") or []],
                sources=list(ep.get("proposer") or []),
                targets=list(ep.get("addressee_any") or []), window=window,  # type: ignore[arg-type]
            ))
    for o in gold.get("other_events") or []:
        items.append(Item(
            id=o["id"], file=o["file"], phrase=o["phrase"], plover=list(o.get("plover") or []),
            cameo=[str(c) for c in o.get("cameo") or []], sources=list(o.get("actor") or []),
            targets=list(o.get("target") or []), window=_window(o["date"]),
        ))
    return items


def _type_ok(ev: dict[str, Any], item: Item) -> bool:
    return ev["plover_type"] in item.plover or any(ev["cameo"].startswith(c) for c in item.cameo)


def _date_ok(ev: dict[str, Any], item: Item) -> bool:
    if not ev.get("date_start"):
        return False
    return ev["date_start"] <= item.window[1] and ev["date_end"] >= item.window[0]


def _judge(events: list[dict[str, Any]], item: Item, named: set[str]) -> tuple[bool, str, list]:
    """Whether the events of the item's sentence satisfy it, and why not."""
    if not events:
        return False, "no event in the sentence", []
    typed = [e for e in events if _type_ok(e, item)]
    if not typed:
        return False, "wrong type: " + ",".join(sorted({e["cameo"] for e in events})), []
    sourced = [e for e in typed if e["source_code"] in item.sources]
    if not sourced:
        return False, "wrong source: " + ",".join(
            sorted({str(e["source_code"]) for e in typed})), []
    need_target = bool(named & set(item.targets))
    targeted = [e for e in sourced if not need_target or e["target_code"] in item.targets]
    if not targeted:
        return False, "wrong target: " + ",".join(
            sorted({str(e["target_code"]) for e in sourced})), []
    dated = [e for e in targeted if _date_ok(e, item)]
    if not dated:
        return False, "date outside window: " + ",".join(
            sorted({f"{e['date_start']}..{e['date_end']}" for e in targeted})), []
    return True, "hit", [e["id"] for e in dated]


def _doc_for(store: Store, prefix: str) -> dict[str, Any] | None:
    for d in store.documents():
        if Path(d["source"].split("#")[0]).name.startswith(prefix):
            return d
    return None


def evaluate(store: Store, gold_path: str | Path) -> Report:
    """Score the events in ``store`` against the gold items."""
    gold = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8")) or {}
    items = load_items(gold)
    results: list[ItemResult] = []
    matched_ids: set[str] = set()
    doc_ids: set[str] = set()
    for item in items:
        doc = _doc_for(store, item.file)
        if doc is None:
            results.append(ItemResult(item, False, f"no document for file {item.file}"))
            continue
        doc_ids.add(doc["id"])
        sentences = [s for s in store.sentences(doc["id"]) if item.phrase in s["text"]]
        if not sentences:
            results.append(ItemResult(item, False, "phrase not found in any stored sentence"))
            continue
        idxs = {s["idx"] for s in sentences}
        events = [e for e in store.events(doc_id=doc["id"]) if e["sentence_idx"] in idxs]
        named = {m["code"] for m in store.mentions(doc["id"])  # places name no addressee
                 if m["sentence_idx"] in idxs and m["method"] != "place"}
        hit, reason, ids = _judge(events, item, named)
        matched_ids.update(ids)
        results.append(ItemResult(item, hit, reason, ids))
    all_events = [e for d in doc_ids for e in store.events(doc_id=d)]
    unmatched = [e for e in all_events if e["id"] not in matched_ids]
    return Report(results, unmatched, len(all_events))


def format_report(report: Report, show_unmatched: bool = True) -> Iterable[str]:
    """Lines for the terminal; the last is the key=value summary."""
    for r in report.items:
        mark = "HIT " if r.hit else "MISS"
        yield f"{mark} {r.item.id:<6} {r.item.file}  {r.item.phrase[:60]!r}  {r.reason}"
    if show_unmatched:
        yield ""
        yield f"Events matching no gold item ({len(report.unmatched)}), for a person to judge:"
        for e in report.unmatched:
            date_text = e.get("date_start") or "?"
            yield (f"  {e['id']}  {date_text}  {e['source_code'] or '-'} {e['cameo']} "
                   f"{e['plover_type']} {e['target_code'] or '-'} [{e['modality']}]  "
                   f"{e['trigger_text']!r}: {e['sentence'][:100]!r}")
    yield " ".join(f"{k}={v}" for k, v in report.summary().items())
