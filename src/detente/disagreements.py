"""Where sources disagree: quantities, an episode's mediators or hosts, characterisations
of whether negotiation was tried, and a report set against its denial.

Each disagreement lists its sides with the document, sentence and words that carry them.
The rules are conservative: a listed disagreement must be one a reader can check and defend.

``quantity_conflicts`` compares claims of different documents by the rules of ``conflicts``
in ``data/claims/quantities.yaml``: same category and rate, overlapping known ``whose``,
comparable periods and publication dates, and either values more than 10% apart or a
narrower count ("dead") as large as a broader one ("casualties").
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from datetime import date, timedelta
from typing import Any

from . import wording
from .claims import Vocabulary, bound_of, load_vocabulary
from .dates import parse_partial
from .episodes import Built, Rules
from .store import Store


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
    found += wording.find(store, built, rules)
    return rows_and_sides(found)


def rows_and_sides(found: list[tuple[dict[str, Any], list[dict[str, Any]]]],
                   seen: set[str] | None = None
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The disagreement rows and side rows of ``found``, each id once and none of ``seen``
    (which grows with the ids returned)."""
    seen = set() if seen is None else seen
    rows: list[dict[str, Any]] = []
    sides: list[dict[str, Any]] = []
    for row, row_sides in found:
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        rows.append(row)
        sides += [{"disagreement_id": row["id"], **s} for s in row_sides]
    return rows, sides


def quantity_disagreements(store: Store, vocab: Vocabulary | None = None,
                           new_docs: set[str] | None = None
                           ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Different values, or different things counted, for the same quantity; with
    ``new_docs``, only those with a claim of one of these documents (the others were
    found before), looked up by category, actor and date rather than by every pair."""
    out = []
    if new_docs is None:
        conflicts = quantity_conflicts(store.claims(), vocab)
    else:
        conflicts = _new_conflicts(store, vocab or load_vocabulary(), new_docs)
    for conflict in conflicts:
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
    by_episode: dict[str, list[dict[str, Any]]] = {}
    for p in built.parties:
        if p["role"] in ("mediator", "host"):
            by_episode.setdefault(p["episode_id"], []).append(p)
    for ep in built.episodes:
        rows = by_episode.get(ep["id"], [])
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
    # an item pairs with an item of the other polarity from another document
    neg_docs, pos_docs = {a["doc_id"] for a in neg}, {b["doc_id"] for b in pos}
    paired = {"negative": [a for a in neg if pos_docs - {a["doc_id"]}],
              "positive": [b for b in pos if neg_docs - {b["doc_id"]}]}
    if not paired["negative"]:
        return out
    docs = sorted({a["doc_id"] for a in paired["negative"]}
                  | {b["doc_id"] for b in paired["positive"]})
    row = {"id": _id("characterisation", docs), "kind": "characterisation",
           "about": "whether negotiation has been tried",
           "note": "one source generalises that negotiation is refused or never tried; "
                   "another that it is tried all the time", "episode_id": None}
    sides = []
    for n, (label, items) in enumerate((("refused or never tried", paired["negative"]),
                                        ("tried all the time", paired["positive"])), start=1):
        for s in items:
            sides.append({"side": n, **s, "position": label, "source_code": None,
                          "ref": None})
    out.append((row, sides))
    return out


def _first(text: str, phrases: list[str]) -> tuple[int, int] | None:
    hits = [m.span() for p in phrases for m in [re.search(rf"\b{re.escape(p)}\b", text)] if m]
    return min(hits) if hits else None


def denial_disagreements(store: Store, built: Built,
                         events: dict[str, dict[str, Any]] | None = None
                         ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """An episode's reported contact set against a denial by another source (``events``:
    the member events by id, by default read from the store)."""
    out = []
    if events is None:
        events = {e["id"]: e for e in store.events()}
    by_episode: dict[str, list[dict[str, Any]]] = {}
    for m in built.members:
        by_episode.setdefault(m["episode_id"], []).append(m)
    for ep in built.episodes:
        members = by_episode.get(ep["id"], [])
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


# -- quantities ------------------------------------------------------------------------------
def quantity_conflicts(claims: list[dict[str, Any]],
                       vocab: Vocabulary | None = None) -> list[dict[str, Any]]:
    """Pairs of claims from different documents about the same quantity that disagree.

    Returns ``{"kind": "quantity", "about", "note", "claims": [two rows]}`` items. Two claims
    are about the same quantity when they have the same category and rate, comparable units,
    known and overlapping ``whose``, and comparable periods (see ``_same_subject``). They
    disagree when their values are more than the tolerance apart, or when one counts a
    narrower thing (dead, one side) and is nearly as large as the broader count.
    """
    v = vocab or load_vocabulary()
    rules = v.conflicts
    out = []
    ordered = sorted(claims, key=lambda r: (str(r.get("doc_published") or ""), r["doc_id"],
                                            r["start"]))
    # what _same_subject requires first (same category, rate and unit family; shared
    # ``whose``), computed once per claim: only the claims that share it are compared
    keys = [(r.get("category"), r.get("rate"), _family(r, v)) for r in ordered]
    owners = [set(_codes(r)) for r in ordered]
    alike: dict[tuple[Any, ...], list[int]] = {}
    for i, key in enumerate(keys):
        alike.setdefault(key, []).append(i)
    for i, a in enumerate(ordered):
        if keys[i][0] in (None, "other") or not owners[i]:
            continue
        same = alike[keys[i]]
        for j in same[bisect_right(same, i):]:
            b = ordered[j]
            if (a["doc_id"] == b["doc_id"] or not owners[i] & owners[j]
                    or not _same_subject(a, b, v)):
                continue
            row = _conflict_row(a, b, v, rules)
            if row is not None:
                out.append(row)
    return out


def _conflict_row(a: dict[str, Any], b: dict[str, Any], v: Vocabulary,
                  rules: dict[str, Any]) -> dict[str, Any] | None:
    """The disagreement row of two claims of one quantity, or None when they agree."""
    note = _disagreement(a, b, v, rules)
    if note is None:
        return None
    whose = sorted(set(_codes(a)) | set(_codes(b)))
    about = f"{a['category']} ({', '.join(whose)})"
    if a.get("rate"):
        about += f" {a['rate']}"
    return {"kind": "quantity", "about": about, "note": note, "claims": [a, b]}


def _new_conflicts(store: Store, v: Vocabulary, new_docs: set[str]) -> list[dict[str, Any]]:
    """The conflicts of :func:`quantity_conflicts` in which a claim of ``new_docs`` takes
    part: each new claim against the stored claims of its category that share an actor of
    its ``whose`` (``_same_subject`` needs one), paired in the same order."""
    new = [c for d in sorted(new_docs) for c in store.claims(doc_id=d)
           if c.get("category") not in (None, "other") and _codes(c)]
    pool: dict[str, dict[str, Any]] = {}
    found: dict[str, list[str]] = {}
    gap = timedelta(days=int(v.conflicts["max_publication_gap_days"]))
    for c in new:
        found[c["id"]] = []
        for other in _candidates(store, c, gap):
            pool[other["id"]] = other
            found[c["id"]].append(other["id"])
    order = {cid: n for n, cid in enumerate(r["id"] for r in sorted(
        pool.values(), key=lambda r: (str(r.get("doc_published") or ""), r["doc_id"],
                                      r["start"])))}
    pairs = set()
    for c in new:
        for other in found[c["id"]]:
            a, b = sorted((pool[c["id"]], pool[other]), key=lambda r: order[r["id"]])
            if a["doc_id"] != b["doc_id"]:
                pairs.add((order[a["id"]], order[b["id"]], a["id"], b["id"]))
    out = []
    for _, _, ida, idb in sorted(pairs):
        a, b = pool[ida], pool[idb]
        if not _same_subject(a, b, v):
            continue
        row = _conflict_row(a, b, v, v.conflicts)
        if row is not None:
            out.append(row)
    return out


def _candidates(store: Store, claim: dict[str, Any], gap: timedelta) -> list[dict[str, Any]]:
    """Stored claims that could be about the same quantity as ``claim``: same category, an
    actor of its ``whose``, and a stated period or a publication date within ``gap`` of its
    own (a superset of what ``_same_subject`` accepts; it decides)."""
    codes = _codes(claim)
    likes = " OR ".join(["(',' || c.whose || ',') LIKE ?"] * len(codes))
    pub = _pub(claim)
    dates, params = "", []
    if pub is not None and not (claim.get("date_start") or claim.get("date_end")):
        dates = (" AND (c.date_start IS NOT NULL OR c.date_end IS NOT NULL OR "
                 "(d.published >= ? AND d.published <= ?))")
        params = [str((pub - gap).year), f"{(pub + gap).isoformat()}~"]
    sql = (f"SELECT c.*, s.text AS sentence, d.title AS doc_title, d.outlet AS outlet, "
           f"d.published AS doc_published FROM claims c "
           f"JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence_idx "
           f"JOIN documents d ON d.id = c.doc_id WHERE c.category = ? AND ({likes}){dates}")
    return [dict(r) for r in store.conn.execute(
        sql, [claim["category"], *(f"%,{x},%" for x in codes), *params])]


def _codes(row: dict[str, Any]) -> list[str]:
    return [c for c in str(row.get("whose") or "").split(",") if c]


def _family(row: dict[str, Any], v: Vocabulary) -> str:
    unit = row.get("unit") or "count"
    return "area" if unit in v.km2 else unit


def _same_subject(a: dict[str, Any], b: dict[str, Any], v: Vocabulary) -> bool:
    rules = v.conflicts
    if a.get("category") != b.get("category") or a.get("category") in (None, "other"):
        return False
    if a.get("rate") != b.get("rate") or _family(a, v) != _family(b, v):
        return False
    wa, wb = set(_codes(a)), set(_codes(b))
    if not wa or not wb or not wa & wb:
        return False
    if a.get("counted") != b.get("counted") and _pair(a, b, v) is None:
        return False
    ka, kb = _period_key(a, v), _period_key(b, v)
    if ka[0] == "fixed" or kb[0] == "fixed":
        return ka == kb  # the same stated period
    if ka[1] and kb[1] and ka[1] != kb[1]:
        return False  # totals since different dates
    if a.get("category") not in rules["cumulative"]:
        return False
    pa, pb = _pub(a), _pub(b)
    if pa is None or pb is None:
        return False
    return abs((pa - pb).days) <= int(rules["max_publication_gap_days"])


def _period_key(row: dict[str, Any], v: Vocabulary) -> tuple[str, Any, Any]:
    """("fixed", start, end) for a stated period; ("to date", since or None, None) for a
    total up to the article ("since February 2022", "since that date", or no period)."""
    words = str(row.get("period_text") or "").lower().split()
    if words and words[0] in v.since:
        return "to date", row.get("date_start"), None
    if row.get("date_start") or row.get("date_end"):
        return "fixed", row.get("date_start"), row.get("date_end")
    return "to date", None, None


def _pub(row: dict[str, Any]) -> date | None:
    found = parse_partial(row.get("doc_published"))
    return found.start if found else None


def _pair(a: dict[str, Any], b: dict[str, Any], v: Vocabulary) -> dict[str, str] | None:
    for item in v.conflicts["comparable"]:
        if {a.get("counted"), b.get("counted")} == {item["narrow"], item["broad"]}:
            return item
    return None


def _interval(row: dict[str, Any], v: Vocabulary) -> tuple[float, float]:
    value = float(row["value"])
    top = float(row["value_max"]) if row.get("value_max") is not None else value
    unit = row.get("unit")
    if unit in v.km2:
        value, top = value * v.km2[unit], top * v.km2[unit]
    bound = bound_of(row.get("approx"), v)
    if bound == "lower":
        return value, float("inf")
    if bound == "upper":
        return 0.0, top
    return value, top


def _point(row: dict[str, Any], v: Vocabulary) -> float:
    lo, hi = _interval(row, v)
    return lo if hi == float("inf") else (lo + hi) / 2 if lo else hi


def _disagreement(a: dict[str, Any], b: dict[str, Any], v: Vocabulary,
                  rules: dict[str, Any]) -> str | None:
    """Why ``a`` and ``b`` disagree, or None."""
    tol = float(rules["tolerance"])
    pa, pb = _point(a, v), _point(b, v)
    if not pa or not pb or max(pa, pb) / min(pa, pb) > float(rules["max_ratio"]):
        return None
    wa, wb = set(_codes(a)), set(_codes(b))
    pair = _pair(a, b, v)
    narrow, broad = a, b
    if (a.get("counted") == pair["broad"]) if pair is not None else wb < wa:
        narrow, broad = b, a
    wn, wbr = set(_codes(narrow)), set(_codes(broad))
    reasons = []
    if pair is not None:
        reasons.append(f"{pair['narrow']} vs {pair['broad']}: {pair['note']}")
    if wn != wbr:
        if not wn < wbr:
            return None  # neither side's figure covers the other's
        reasons.append(f"{'/'.join(sorted(wn))} alone vs {'/'.join(sorted(wbr))} together")
    if reasons:
        share = max([float(rules["narrower_share"]["counted"])] * (pair is not None)
                    + [float(rules["narrower_share"]["whose"])] * (wn != wbr))
        if _point(narrow, v) < share * _point(broad, v):
            return None  # the narrower figure leaves room for the rest
        ratio = _point(narrow, v) / _point(broad, v)
        reasons.append(f"the narrower figure is {ratio:.0%} of the broader one")
        return "; ".join(reasons)
    lo_a, hi_a = _interval(a, v)
    lo_b, hi_b = _interval(b, v)
    if lo_a <= hi_b * (1 + tol) and lo_b <= hi_a * (1 + tol):
        return None
    return f"{_fmt(a)} vs {_fmt(b)}: more than {tol:.0%} apart"


def _fmt(row: dict[str, Any]) -> str:
    value = f"{row['value']:,.0f}" if float(row["value"]).is_integer() else f"{row['value']:,}"
    if row.get("value_max") is not None:
        value += f"-{row['value_max']:,.0f}"
    if row.get("approx"):
        value = f"{row['approx']} {value}"
    return f"{value} {row.get('counted') or row.get('unit') or ''}".strip()


