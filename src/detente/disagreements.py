"""Where sources disagree: quantities, an episode's mediators or hosts, characterisations
of whether negotiation was tried, and a report set against its denial.

Each disagreement lists its sides with the document, sentence and words that carry them.
The rules are conservative: a listed disagreement must be one a reader can check and defend.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from .store import Store

if TYPE_CHECKING:
    from .claims import Vocabulary
    from .episodes import Built, Rules


def _id(kind: str, parts: list[str]) -> str:
    return f"dis-{kind[:4]}-" + hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:8]


def find_disagreements(store: Store, built: Built, rules: Rules,
                       vocab: Vocabulary | None = None
                       ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All disagreements in the store, as (disagreement rows, side rows); ``vocab`` is the
    quantity vocabulary (by default the packaged one)."""
    found: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    found += quantity_disagreements(store, vocab)
    found += party_disagreements(built)
    found += characterisation_disagreements(store, rules)
    found += denial_disagreements(store, built)
    rows, sides = [], []
    seen: set[str] = set()
    for row, row_sides in found:
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        rows.append(row)
        sides += [{"disagreement_id": row["id"], **s} for s in row_sides]
    return rows, sides


def quantity_disagreements(store: Store, vocab: Vocabulary | None = None
                           ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Different values, or different things counted, for the same quantity."""
    from .claims import quantity_conflicts

    out = []
    for conflict in quantity_conflicts(store.claims(), vocab):
        claims = conflict["claims"]
        row = {"id": _id("quantity", [c["id"] for c in claims]), "kind": "quantity",
               "about": conflict["about"], "note": conflict.get("note"), "episode_id": None}
        sides = [{"side": n, "doc_id": c["doc_id"], "sentence_idx": c["sentence_idx"],
                  "start": c["start"], "end": c["end"], "text": c["text"],
                  "position": f"{c['text']} ({c.get('counted') or c.get('unit')})",
                  "source_code": c.get("attribution_code"), "ref": c["id"]}
                 for n, c in enumerate(claims, start=1)]
        out.append((row, sides))
    return out


def party_disagreements(built: Built) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Articles naming different mediators or hosts for the same episode."""
    out = []
    for ep in built.episodes:
        rows = [p for p in built.parties if p["episode_id"] == ep["id"]
                and p["role"] in ("mediator", "host")]
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for p in rows:
            by_doc.setdefault(p["doc_id"], []).append(p)
        sets = {doc: frozenset(p["code"] for p in ps) for doc, ps in by_doc.items()}
        if len(set(sets.values())) < 2:
            continue
        docs = sorted(by_doc)
        row = {"id": _id("parties", [ep["id"], *docs]), "kind": "parties",
               "about": f"who mediated or hosted: {ep['title']}",
               "note": "; ".join(f"{len(by_doc[d])} named in one source: "
                                 f"{', '.join(sorted(sets[d]))}" for d in docs),
               "episode_id": ep["id"]}
        sides = []
        for n, doc in enumerate(docs, start=1):
            for p in by_doc[doc]:
                sides.append({"side": n, "doc_id": doc, "sentence_idx": p["sentence_idx"],
                              "start": p["start"], "end": p["end"], "text": p["text"],
                              "position": f"{p['role']}: {', '.join(sorted(sets[doc]))}",
                              "source_code": None, "ref": f"party:{p['code']}"})
        out.append((row, sides))
    return out


def characterisation_disagreements(store: Store, rules: Rules
                                   ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Opposite generalisations about negotiation ("never" vs "all the time") in two
    different articles."""
    cues = rules.characterisation
    found: dict[str, list[dict[str, Any]]] = {"negative": [], "positive": []}
    for doc in store.documents():
        for sent in store.sentences(doc["id"]):
            low = sent["text"].lower()
            if not any(re.search(rf"\b{re.escape(t)}", low) for t in cues["topic"]):
                continue
            universal = _first(low, cues["universal"])
            if universal is None:
                continue
            for polarity in ("negative", "positive"):
                hit = _first(low, cues[polarity])
                if hit is not None and hit != universal:
                    span = (min(hit[0], universal[0]), max(hit[1], universal[1]))
                    found[polarity].append({"doc_id": doc["id"], "sentence_idx": sent["idx"],
                                            "start": sent["start"] + span[0],
                                            "end": sent["start"] + span[1],
                                            "text": sent["text"][span[0]:span[1]]})
                    break
    out = []
    neg, pos = found["negative"], found["positive"]
    pairs = [(a, b) for a in neg for b in pos if a["doc_id"] != b["doc_id"]]
    if not pairs:
        return out
    docs = sorted({a["doc_id"] for a, _ in pairs} | {b["doc_id"] for _, b in pairs})
    row = {"id": _id("characterisation", docs), "kind": "characterisation",
           "about": "whether negotiation has been tried",
           "note": "one source generalises that negotiation is refused or never tried; "
                   "another that it is tried all the time", "episode_id": None}
    sides = []
    for n, (label, items) in enumerate((("refused or never tried", neg),
                                        ("tried all the time", pos)), start=1):
        for s in items:
            if any(s is a or s is b for a, b in pairs):
                sides.append({"side": n, **s, "position": label, "source_code": None,
                              "ref": None})
    out.append((row, sides))
    return out


def _first(text: str, phrases: list[str]) -> tuple[int, int] | None:
    hits = [m.span() for p in phrases for m in [re.search(rf"\b{re.escape(p)}\b", text)] if m]
    return min(hits) if hits else None


def denial_disagreements(store: Store, built: Built
                         ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """An episode's reported contact set against a denial by another source."""
    out = []
    events = {e["id"]: e for e in store.events()}
    for ep in built.episodes:
        members = [m for m in built.members if m["episode_id"] == ep["id"]]
        denials = [events[m["event_id"]] for m in members if m["role"] == "denial"]
        reports = [events[m["event_id"]] for m in members if m["role"] == "mention"
                   and events[m["event_id"]]["attribution_kind"] in ("named", "unnamed",
                                                                      "outlet")]
        for d in denials:
            if d["attribution_kind"] == "author" or not d["attribution_code"]:
                continue
            rivals = [r for r in reports if r["attribution_code"]
                      and r["attribution_code"] != d["attribution_code"]]
            if not rivals:
                continue
            r = min(rivals, key=lambda r: (r["doc_id"] != d["doc_id"],
                                           abs(r["sentence_idx"] - d["sentence_idx"])))
            row = {"id": _id("denial", [r["id"], d["id"]]), "kind": "denial",
                   "about": f"{ep['title']}: did it happen?",
                   "note": f"{r['attribution_text'] or r['attribution_code']} report it; "
                           f"{d['attribution_text'] or d['attribution_code']} deny it",
                   "episode_id": ep["id"]}
            sides = [{"side": n, "doc_id": e["doc_id"], "sentence_idx": e["sentence_idx"],
                      "start": e["trigger_start"], "end": e["trigger_end"],
                      "text": e["trigger_text"], "position": position,
                      "source_code": e["attribution_code"], "ref": e["id"]}
                     for n, (e, position) in enumerate(((r, "reported"), (d, "denied")),
                                                       start=1)]
            out.append((row, sides))
    return out
