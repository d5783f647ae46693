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


class GoldFileError(ValueError):
    """A gold file that cannot be scored against; the message says where and why."""


# section -> (keys every entry needs, keys each of its listed sub-entries needs)
GOLD_SHAPE: dict[str, tuple[tuple[str, ...], tuple[str, tuple[str, ...]] | None]] = {
    "episodes": (("id",), ("mentions", ("file", "phrase"))),
    "other_events": (("id", "file", "phrase", "date"), None),
    "disagreements": (("id",), ("sides", ("file", "claim"))),
}


def load_gold(path: str | Path) -> dict[str, Any]:
    """The gold file at ``path``, checked: a mapping whose ``episodes``, ``other_events`` and
    ``disagreements`` lists have the keys scoring needs. Raises GoldFileError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"cannot read it ({exc})") from exc
    try:
        gold = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise GoldFileError(f"not valid YAML{where}: {problem}") from exc
    if gold is None:
        raise GoldFileError("the file is empty; it needs 'episodes' and/or 'other_events' "
                            "(see ../shared/gold/seeds_episodes.yaml)")
    if not isinstance(gold, dict):
        raise GoldFileError(f"the top level is {_kind(gold)}; it must be a mapping with the "
                            "keys episodes, other_events and disagreements")
    if not gold.get("episodes") and not gold.get("other_events"):
        raise GoldFileError("no 'episodes' or 'other_events' to score")
    for section, (keys, sub) in GOLD_SHAPE.items():
        entries = gold.get(section) or []
        if not isinstance(entries, list):
            raise GoldFileError(f"'{section}' is {_kind(entries)}; it must be a list")
        for n, entry in enumerate(entries, start=1):
            where = f"{section} entry {n}"
            if not isinstance(entry, dict):
                raise GoldFileError(f"{where} is {_kind(entry)}; it must be a mapping")
            where += f" (id {entry['id']})" if "id" in entry else ""
            _require(entry, keys, where)
            if section == "episodes" and "date" not in entry and "window" not in entry:
                raise GoldFileError(f"{where}: missing key 'date' (or 'window')")
            _check_dates(entry, where)
            if sub is not None:
                name, sub_keys = sub
                subs = entry.get(name) or []
                if not isinstance(subs, list):
                    raise GoldFileError(f"{where}: '{name}' must be a list")
                for k, item in enumerate(subs, start=1):
                    if not isinstance(item, dict):
                        raise GoldFileError(f"{where}, {name} {k}: must be a mapping")
                    _require(item, sub_keys, f"{where}, {name} {k}")
    return gold


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", str: "a string"}.get(type(value),
                                                                   type(value).__name__)


def _require(entry: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if k not in entry]
    if missing:
        raise GoldFileError(f"{where}: missing key {', '.join(repr(k) for k in missing)}")


def _check_dates(entry: dict[str, Any], where: str) -> None:
    window = entry.get("window")
    if window is not None and not (isinstance(window, list) and len(window) == 2):
        raise GoldFileError(f"{where}: 'window' must be a list of two dates")
    if window is None and "date" in entry:
        try:
            _window(entry["date"])
        except (ValueError, IndexError) as exc:
            raise GoldFileError(f"{where}: unreadable date {entry['date']!r}; use YYYY, "
                                "YYYY-MM or YYYY-MM-DD") from exc


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
    gold = load_gold(gold_path)
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
    all_events = [e for d in sorted(doc_ids) for e in store.events(doc_id=d)]
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
