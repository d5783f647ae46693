"""An episode dossier as terminal text: parties, terms, answers, mentions by source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _mark(sentence: str, offset: int, spans: list[tuple[int | None, int | None, str]]) -> str:
    """The sentence with [trigger], <source> and {target} marked (by character offsets)."""
    marks = sorted(((s - offset, e - offset, kind) for s, e, kind in spans
                    if s is not None and e is not None and 0 <= s - offset < e - offset
                    <= len(sentence)), reverse=True)
    open_close = {"trigger": ("[", "]"), "source": ("<", ">"), "target": ("{", "}")}
    out = sentence
    last = len(sentence) + 1
    for s, e, kind in marks:
        if e > last:
            continue
        a, b = open_close[kind]
        out = out[:s] + a + out[s:e] + b + out[e:]
        last = s
    return " ".join(out.split())


def dossier_lines(ep: dict[str, Any]) -> Iterator[str]:
    when = ep["date_start"] if ep["date_start"] == ep["date_end"] else \
        f"{ep['date_start']}..{ep['date_end']}"
    yield f"{ep['title']}  ({ep['id']})"
    yield f"  kind: {ep['kind']}   date: {when} ({ep['date_precision']})   " \
          f"independent sources: {ep['n_sources']}   mentions: {ep['n_mentions']}"
    for role, key in (("proposer", "proposer"), ("addressee", "addressee"),
                      ("mediators", "mediators"), ("signatories", "signatories")):
        if ep[key]:
            yield f"  {role}: {', '.join(ep[key])}"
    if ep.get("named_object"):
        yield f"  named: {ep['named_object']}"
    yield ""
    yield "Terms"
    if not ep["terms_detail"]:
        yield "  (none found)"
    for t in ep["terms_detail"]:
        extra = ", ".join(x for x in (t.get("stance"), t.get("scope")) if x)
        yield f"  {t['provision_id']} {t['provision']}: \"{t['text']}\"" + \
              (f" ({extra})" if extra else "")
    yield ""
    yield "Answers"
    answers = [m for m in ep["members"] if m["role"] == "answer"]
    if not answers:
        yield "  (none found)"
    for m in answers:
        says = m["attribution_text"] or m["attribution_kind"]
        yield f"  {m['source_code']} {m['answer_kind']} ({m['cameo']} {m['plover_type']}), " \
              f"per {says}; {m.get('outlet') or m['doc_source']} {m['doc_published'] or ''}"
        yield f"      {_mark(m['sentence'], m['sentence_start'], _spans(m))}"
    yield ""
    yield "Mentions by source  ([trigger] <source> {target})"
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in ep["members"]:
        if m["role"] != "answer":
            by_doc.setdefault(m["doc_id"], []).append(m)
    for members in by_doc.values():
        first = members[0]
        yield f"  {first.get('outlet') or first['doc_source']}  {first['doc_published'] or ''}" \
              f"  {first.get('doc_title') or ''}"
        shown: set[int] = set()
        for m in members:
            if m["sentence_idx"] in shown:
                continue
            shown.add(m["sentence_idx"])
            same = [x for x in members if x["sentence_idx"] == m["sentence_idx"]]
            spans = [s for x in same for s in _spans(x)]
            codes = "; ".join(f"{x['source_code']}>{x['target_code'] or '-'} {x['cameo']}"
                              f"{' denied' if x['role'] == 'denial' else ''}" for x in same)
            yield f"    s{m['sentence_idx']} ({codes}; {m['reason']})"
            yield f"      {_mark(m['sentence'], m['sentence_start'], spans)}"
    if ep["parties"]:
        extra = [p for p in ep["parties"] if p["role"] in ("mediator", "host")]
        if extra:
            yield ""
            yield "Mediators and hosts"
            for p in extra:
                yield f"  {p['role']} {p['code']}: \"{p['text']}\" ({p['doc_id'][:8]} " \
                      f"s{p['sentence_idx']})"
    if ep["disagreements"]:
        yield ""
        yield "Disagreements"
        for d in ep["disagreements"]:
            yield f"  {d['kind']}: {d['about']}"
            for s in distinct_sides(d["sides"]):
                yield f"    side {s['side']} [{s['position']}] {s.get('outlet') or ''}: " \
                      f"{' '.join(s['sentence'].split())}"


def distinct_sides(sides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One side row per side, document and sentence (a sentence naming two hosts is one)."""
    seen: set[tuple[Any, Any, Any]] = set()
    out = []
    for s in sides:
        key = (s["side"], s["doc_id"], s["sentence_idx"])
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _spans(m: dict[str, Any]) -> list[tuple[int | None, int | None, str]]:
    return [(m["trigger_start"], m["trigger_end"], "trigger"),
            (m["source_start"], m["source_end"], "source"),
            (m["target_start"], m["target_end"], "target")]
