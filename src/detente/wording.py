"""Disagreements in the wording of reports of one negotiation.

Two articles about the same negotiation (or two sentences of one article) can disagree on
when a step happened, whether a point is settled, how much was asked, who signed, or what a
text commits a party to. Each detector here compares sentences of *related* documents:
the same document, documents that share an episode, or documents published close together
that name the same actors. The cue words are the ``disagreements`` section of
``data/episodes/episodes.yaml``.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from . import __version__
from .dates import parse_partial
from .episodes import Built, Rules
from .event_dates import find_expressions, resolve_expression
from .store import Store

Found = tuple[dict[str, Any], list[dict[str, Any]]]


@dataclass
class Sentence:
    """One sentence with what the detectors need: its text, codes named in it, date."""

    doc_id: str
    idx: int
    start: int
    text: str
    published: str | None
    codes: frozenset[str]

    @property
    def low(self) -> str:
        return self.text.lower()

    def side(self, n: int, position: str, span: tuple[int, int] | None = None,
             source: str | None = None) -> dict[str, Any]:
        s, e = span or (0, len(self.text))
        return {"side": n, "doc_id": self.doc_id, "sentence_idx": self.idx,
                "start": self.start + s, "end": self.start + e, "text": self.text[s:e],
                "position": position, "source_code": source, "ref": None}


class Corpus:
    """Sentences of the store's documents (all of them, or those an update needs), with the
    documents related to each document (:func:`related_docs`)."""

    def __init__(self, store: Store, related: dict[str, set[str]],
                 docs: Iterable[str] | None = None, focus: set[str] | None = None):
        """``related``: document -> its related documents, for every document of ``focus``
        (or every document when ``focus`` is None); pairs are then only those with a
        document of ``focus``. ``docs``: the documents to load (by default all)."""
        self.store, self.related, self.focus = store, related, focus
        self.outcome_docs: set[str] | None = None   # whose open points to test (None: all)
        self.cues: dict[tuple[str, int], dict[str, Any]] = {}   # see :meth:`read_cues`
        self.docs: dict[str, dict[str, Any]] = {}
        self.sentences: dict[str, list[Sentence]] = {}
        if docs is None:
            for d in store.documents():
                self.docs[d["id"]] = d
            self._read(list(self.docs))
        else:
            self.add(docs)

    def add(self, docs: Iterable[str]) -> None:
        """Load more documents, keeping the order of ``store.documents()``."""
        store = self.store
        fresh = sorted(set(docs) - set(self.docs))
        if not fresh:
            return
        rows = [dict(r) for d in fresh for r in store.conn.execute(
            f"SELECT id, published, source, {store._row} AS row_ FROM documents WHERE id = ?",
            (d,))]
        rows += list(self.docs.values())
        rows.sort(key=lambda r: (r["published"] is not None, r["published"] or "",
                                 r["source"], r["row_"]))
        self.docs = {r["id"]: r for r in rows}
        self._read(fresh)
        self.sentences = {d: self.sentences[d] for d in self.docs}

    def _read(self, doc_ids: list[str]) -> None:
        for doc_id in doc_ids:
            doc = self.docs[doc_id]
            mentions = sorted((m for m in self.store.mentions(doc_id=doc_id) if m["code"]),
                              key=lambda m: m["start"])
            starts = [m["start"] for m in mentions]
            rows = []
            for s in self.store.sentences(doc_id):
                end = s["start"] + len(s["text"])
                codes = frozenset(m["code"] for m in mentions[
                    bisect_left(starts, s["start"]):bisect_left(starts, end)])
                rows.append(Sentence(doc_id, s["idx"], s["start"], s["text"],
                                     doc.get("published"), codes))
            self.sentences[doc_id] = rows

    def read_cues(self, cues: dict[str, Any], stored: bool = True) -> None:
        """What the detectors read of each loaded sentence alone (:func:`sentence_cues`):
        from the table ``wording_cues`` when it was stored under the same cue words and code
        version (and ``stored``), else derived and stored, once per document. The store
        holds them so that an update reads them for a new document's related documents
        instead of deriving them again."""
        stamp = cue_stamp(cues)
        rows = {} if not stored else {r["doc_id"]: json.loads(r["cues"]) for r in _select(
            self.store, "SELECT doc_id, cues FROM wording_cues WHERE doc_id IN ({marks}) AND "
                        "rules = ?", self.docs, (stamp,))}
        made = []
        for doc_id, sentences in self.sentences.items():
            if doc_id in rows:
                for s in sentences:
                    self.cues[(doc_id, s.idx)] = _decode(rows[doc_id].get(str(s.idx), {}))
                continue
            found = {s.idx: sentence_cues(s, cues) for s in sentences}
            for idx, c in found.items():
                self.cues[(doc_id, idx)] = c
            made.append((doc_id, stamp, json.dumps(
                {str(i): _encode(c) for i, c in found.items() if any(c.values())},
                sort_keys=True)))
        with self.store.transaction():
            self.store.conn.executemany("DELETE FROM wording_cues WHERE doc_id = ?",
                                        [(d,) for d, _, _ in made])
            self.store.conn.executemany("INSERT INTO wording_cues (doc_id, rules, cues) "
                                        "VALUES (?, ?, ?)", made)

    def cue(self, s: Sentence, name: str) -> Any:
        """One cue of a loaded sentence (after :meth:`read_cues`)."""
        return self.cues[(s.doc_id, s.idx)][name]

    def is_related(self, a: str, b: str) -> bool:
        """Whether documents ``a`` and ``b`` are related and one of them is in focus."""
        if self.focus is not None and a not in self.focus and b not in self.focus:
            return False
        return b in self.related[a] if a in self.related else a in self.related[b]

    def pairable(self) -> list[Sentence]:
        """The sentences that can be in a pair: those of the documents in focus and of the
        documents related to them (all when there is no focus)."""
        docs = set(self.docs) if self.focus is None else self.focus.union(
            *(self.related[d] for d in self.focus))
        return [s for d, rows in self.sentences.items() if d in docs for s in rows]

    def in_focus(self, doc_id: str) -> bool:
        return self.focus is None or doc_id in self.focus

    def events(self) -> list[dict[str, Any]]:
        """The events of the loaded documents."""
        if self.focus is None:
            return self.store.events()
        return [e for d in sorted(self.docs) for e in self.store.events(doc_id=d)]

    def pairs(self, same_doc: bool = True, keep: Callable[[Sentence], bool] | None = None
              ) -> Iterable[tuple[Sentence, Sentence]]:
        """Ordered sentence pairs of related documents (and of one document if asked), of the
        sentences ``keep`` accepts (all if None): pairing only those keeps a long article's
        pairs few."""
        ids = sorted(self.docs)
        kept = {d: [x for x in self.sentences[d] if keep is None or keep(x)] for d in ids}
        ids = [d for d in ids if kept[d]]
        for i, a in enumerate(ids):
            for b in ids[i:]:
                if a == b and not same_doc or not self.is_related(a, b):
                    continue
                for x in kept[a]:
                    for y in kept[b]:
                        if a != b or x.idx < y.idx:
                            yield x, y


def related_docs(store: Store, cues: dict[str, Any], docs: Iterable[str],
                 members: Iterable[tuple[str, str]] | None = None) -> dict[str, set[str]]:
    """Document of ``docs`` -> the documents related to it (itself included): those that
    share an episode with it, and those published within ``related_days`` of it that name
    at least ``related_codes`` of the same actors twice or more. The relation is between two
    documents, not transitive, so it stays within an episode and a date window however
    long the stream. ``members``: (episode, document) pairs, by default the stored ones of
    the episodes of ``docs``."""
    docs = set(docs)
    out = {d: {d} for d in docs}
    if members is None:
        members = [(r["episode_id"], r["doc_id"]) for r in _select(
            store, "SELECT DISTINCT m.episode_id, e.doc_id FROM episode_members m JOIN events e "
                   "ON e.id = m.event_id WHERE m.episode_id IN (SELECT m2.episode_id FROM "
                   "episode_members m2 JOIN events e2 ON e2.id = m2.event_id WHERE e2.doc_id "
                   "IN ({marks}))", docs)]
    by_episode: dict[str, set[str]] = {}
    for episode, doc_id in members:
        by_episode.setdefault(episode, set()).add(doc_id)
    for group in by_episode.values():
        for d in group & docs:
            out[d] |= group
    dated = sorted((p.start, p.end, r["id"]) for r in store.conn.execute(
        "SELECT id, published FROM documents") for p in [parse_partial(r["published"])]
        if p is not None)
    if not dated:
        return out
    where = {d: (s, e) for s, e, d in dated}
    starts = [s for s, _, _ in dated]
    longest = max(e - s for s, e, _ in dated)
    days = timedelta(days=int(cues.get("related_days", 14)))
    need = int(cues.get("related_codes", 2))
    near: dict[str, list[str]] = {}
    for d in sorted(docs & set(where)):
        s, e = where[d]
        lo = bisect_left(starts, s - days - longest)
        hi = bisect_right(starts, e + days)
        near[d] = [b for sb, eb, b in dated[lo:hi] if b != d and sb - days <= e
                   and s - days <= eb]
    frequent: dict[str, set[str]] = {}
    for r in _select(store, "SELECT doc_id, code FROM mentions WHERE doc_id IN ({marks}) AND "
                            "code IS NOT NULL AND code != '' GROUP BY doc_id, code "
                            "HAVING COUNT(*) >= 2", set(near).union(*near.values())):
        frequent.setdefault(r["doc_id"], set()).add(r["code"])
    for d, others in near.items():
        mine = frequent.get(d, set())
        if len(mine) >= need:
            out[d] |= {b for b in others if len(mine & frequent.get(b, set())) >= need}
    return out


def _select(store: Store, sql: str, values: Iterable[Any], extra: tuple[Any, ...] = ()
            ) -> list[dict[str, Any]]:
    """Rows of ``sql`` whose ``{marks}`` take each chunk of 400 ``values`` in turn (and then
    the parameters ``extra``)."""
    items = sorted(values)
    out: list[dict[str, Any]] = []
    for at in range(0, len(items), 400):
        chunk = items[at:at + 400]
        out += [dict(r) for r in store.conn.execute(sql.format(marks=", ".join("?" * len(chunk))),
                                                    [*chunk, *extra])]
    return out


# -- what a sentence says alone, stored --------------------------------------------------------
def cue_stamp(cues: dict[str, Any]) -> str:
    """Fingerprint of the cue words and the code version: stored cues made under another
    are derived again."""
    text = json.dumps([__version__, CUES_VERSION, cues], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


CUES_VERSION = 1   # raise when a function of :func:`sentence_cues` changes what it finds


def sentence_cues(s: Sentence, cues: dict[str, Any]) -> dict[str, Any]:
    """What the detectors read of one sentence alone: its step dates, the topics after a
    word of all and of part, its vote shares and the affiliations it names."""
    topics = set(cues.get("scope_topics") or [])
    window = int(cues.get("scope_window", 4))
    return {"dates": step_dates(s, cues),
            "all": _scoped(s, cues.get("scope_all") or [], topics, window),
            "part": _scoped(s, cues.get("scope_part") or [], topics, window),
            "votes": vote_shares(s, cues), "affiliations": affiliations(s, cues)}


def _encode(c: dict[str, Any]) -> dict[str, Any]:
    out = {"dates": {k: [d.isoformat(), w] for k, (d, w) in c["dates"].items()},
           "all": sorted(c["all"]), "part": sorted(c["part"]),
           "votes": {k: [v, list(span)] for k, (v, span) in c["votes"].items()},
           "affiliations": [[list(key), org, name] for key, org, name in c["affiliations"]]}
    return {k: v for k, v in out.items() if v}


def _decode(c: dict[str, Any]) -> dict[str, Any]:
    return {"dates": {k: (date.fromisoformat(d), w) for k, (d, w) in
                      c.get("dates", {}).items()},
            "all": set(c.get("all", ())), "part": set(c.get("part", ())),
            "votes": {k: (float(v), (span[0], span[1])) for k, (v, span) in
                      c.get("votes", {}).items()},
            "affiliations": [((key[0], key[1]), org, name) for key, org, name in
                             c.get("affiliations", ())]}


def _id(kind: str, sides: list[dict[str, Any]]) -> str:
    parts = sorted(f"{s['doc_id']}:{s['sentence_idx']}:{s['start']}" for s in sides)
    return f"dis-{kind[:4]}-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:8]


def _row(kind: str, about: str, note: str, sides: list[dict[str, Any]]) -> Found:
    return {"id": _id(kind, sides), "kind": kind, "about": about, "note": note,
            "episode_id": None}, sides


@lru_cache(maxsize=4096)
def _cue_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(cue)}(?![\w-])")


def _cue(low: str, cues: Iterable[str]) -> tuple[int, int] | None:
    """The first whole-word match of any cue in ``low``."""
    hits = [m.span() for c in cues for m in [_cue_pattern(c).search(low)] if m]
    return min(hits) if hits else None


def find(store: Store, built: Built | None, rules: Rules, focus: set[str] | None = None,
         outcome_docs: set[str] | None = None,
         related: dict[str, set[str]] | None = None) -> list[Found]:
    """Every wording disagreement of the store (empty when the rules have no cues).

    With ``focus`` (an update), only those with a side in a ``focus`` document, and the
    open points ("not yet agreed") of ``outcome_docs`` set against what related documents
    report settled; ``built`` is then not needed (the members are read from the store),
    and ``related`` may give :func:`related_docs` of ``focus`` already found."""
    cues = rules.wording
    if not cues:
        return []
    if focus is None:
        assert built is not None
        event_doc = {r["id"]: r["doc_id"] for r in store.conn.execute(
            "SELECT id, doc_id FROM events")}
        members = [(m["episode_id"], event_doc[m["event_id"]]) for m in built.members
                   if m["event_id"] in event_doc]
        ids = [r["id"] for r in store.conn.execute("SELECT id FROM documents")]
        corpus = Corpus(store, related_docs(store, cues, ids, members))
    else:
        related = dict(related) if related is not None else related_docs(store, cues, focus)
        corpus = Corpus(store, related, set().union(focus, *related.values()), focus)
        corpus.add(outcome_docs or ())
        unsettled = cues.get("unsettled") or []
        corpus.outcome_docs = {d for d in corpus.sentences if d in (outcome_docs or focus)
                               and any(_cue(s.low, unsettled) for s in corpus.sentences[d])}
        corpus.related.update(related_docs(store, cues, corpus.outcome_docs - set(related)))
        corpus.add(set().union(*(corpus.related[d] for d in corpus.outcome_docs)))
        built = Built([], _select(store, "SELECT m.* FROM episode_members m JOIN events e ON "
                                         "e.id = m.event_id WHERE e.doc_id IN ({marks})",
                                  corpus.docs), [], [])
    corpus.read_cues(cues, stored=focus is not None)   # a full build derives them all again
    found = [*date_disagreements(corpus, cues), *outcome_disagreements(corpus, cues),
             *scope_disagreements(corpus, cues), *signatory_disagreements(corpus, cues),
             *contrast_disagreements(corpus, cues), *figure_disagreements(corpus, cues),
             *affiliation_disagreements(corpus, cues)]
    where = _episode_sentences(corpus.events(), built)
    for row, sides in found:
        row["episode_id"] = _episode_of(sides, where)
    return found


def _episode_sentences(rows: list[dict[str, Any]], built: Built
                       ) -> dict[tuple[str, int], set[str]]:
    """(document, sentence) -> the episodes it is a member of, and (document, -1) -> the
    episodes the document reports (``rows``: the events)."""
    events = {e["id"]: (e["doc_id"], e["sentence_idx"]) for e in rows}
    out: dict[tuple[str, int], set[str]] = {}
    for m in built.members:
        if m["event_id"] in events:
            doc_id, idx = events[m["event_id"]]
            out.setdefault((doc_id, idx), set()).add(m["episode_id"])
            out.setdefault((doc_id, -1), set()).add(m["episode_id"])
    return out


def _episode_of(sides: list[dict[str, Any]], where: dict[tuple[str, int], set[str]]
                ) -> str | None:
    """The one episode the sides' sentences belong to (or else their documents all report),
    so the dossier shows the disagreement; None when there is none or more than one."""
    for level in ("sentence", "document"):
        sets = [where.get((s["doc_id"], s["sentence_idx"] if level == "sentence" else -1),
                          set()) for s in sides]
        common = set.intersection(*sets) if sets else set()
        if len(common) == 1:
            return common.pop()
    return None


# -- when ------------------------------------------------------------------------------------
def step_dates(s: Sentence, cues: dict[str, Any]) -> dict[str, tuple[date, str]]:
    """Step ("start", "conclusion") -> (day, words) the sentence gives for it: the
    day-precise date nearest the step's cue word."""
    low = s.low
    hits = {step: _cue(low, words) for step, words in (cues.get("date_steps") or {}).items()}
    if all(hit is None for hit in hits.values()):
        return {}  # no step named: no date of one (and no need to look for dates)
    published = parse_partial(s.published)
    future = _cue(low, cues.get("future_cues") or []) is not None
    days = []
    for a, b in find_expressions(s.text):
        found = resolve_expression(s.text[a:b], published, future=future)
        if found is not None and found.precision == "day" and found.start == found.end:
            days.append((a, b, found.start))
    out: dict[str, tuple[date, str]] = {}
    if not days:
        return out
    for step, hit in hits.items():
        if hit is None or re.search(r"\b(?:not|never|n't|no)\s+(?:\w+\s+)?$", low[:hit[0]]):
            continue   # "has not signed": no date of a step
        near = [d for d in days if not _cue(low[min(d[1], hit[1]):max(d[0], hit[0])],
                                            cues.get("report_verbs") or [])]
        if not near:
            continue   # "on Sunday said ... signed": the date of the report, not the step
        a, b, day = min(near, key=lambda d: abs(d[0] - hit[0]))
        out[step] = (day, s.text[a:b])
    return out


def date_disagreements(corpus: Corpus, cues: dict[str, Any]) -> list[Found]:
    """Related articles that date the same step of a negotiation on different days."""
    gap = int(cues.get("date_max_gap_days", 7))
    dated = {(s.doc_id, s.idx): corpus.cue(s, "dates") for s in corpus.pairable()}
    out = []
    for x, y in corpus.pairs(same_doc=False,
                             keep=lambda s: bool(dated.get((s.doc_id, s.idx)))):
        dx, dy = dated[(x.doc_id, x.idx)], dated[(y.doc_id, y.idx)]
        if not dx or not dy or not x.codes & y.codes:
            continue
        for step in sorted(set(dx) & set(dy)):
            (day_x, words_x), (day_y, words_y) = dx[step], dy[step]
            if day_x == day_y or abs((day_x - day_y).days) > gap:
                continue
            out.append(_row(
                "date", f"when the {step} was ({', '.join(sorted(x.codes & y.codes))})",
                f"one report gives {day_x} ({words_x}), another {day_y} ({words_y})",
                [x.side(1, f"{step} {day_x}"), y.side(2, f"{step} {day_y}")]))
            break
    return out


# -- settled or open ---------------------------------------------------------------------------
def _names(s: Sentence) -> set[str]:
    """Capitalised words of the sentence past its first word, possessives stripped."""
    words = re.findall(r"[A-Z][\w-]+", s.text)[1:]
    return {re.sub(r"[’']s?$", "", w) for w in words if len(w) > 2}


def outcome_disagreements(corpus: Corpus, cues: dict[str, Any]) -> list[Found]:
    """A report that a point is settled (accepted, agreed) against one that it is still
    open or was not signed: the settled sentences of related articles that share most names
    with the open one."""
    out = []
    unsettled = cues.get("unsettled") or []
    # the settled sentences that are not also open, with their names (read once each)
    settled = [(t, _names(t)) for rows in corpus.sentences.values() for t in rows
               if _cue(t.low, cues.get("settled") or []) is not None
               and _cue(t.low, unsettled) is None]
    for doc_id, rows in corpus.sentences.items():
        if corpus.outcome_docs is not None and doc_id not in corpus.outcome_docs:
            continue
        for s in rows:
            hit = _cue(s.low, unsettled)
            if hit is None:
                continue
            names = _names(s)
            scored = [(len(names & t_names), t) for t, t_names in settled
                      if t.doc_id in corpus.related[s.doc_id] and t is not s]
            best = max((n for n, _ in scored), default=0)
            if best == 0:
                continue
            chosen = [t for n, t in scored if n == best][:3]
            sides = [t.side(1, "settled") for t in chosen] + [
                s.side(2, s.low[hit[0]:hit[1]], (0, len(s.text)))]
            shared = sorted(set().union(*(_names(s) & _names(t) for t in chosen)))
            out.append(_row("outcome", f"whether it was settled ({', '.join(shared[:4])})",
                            f"reported settled in {len(chosen)} sentence(s); "
                            f"\"{s.text[hit[0]:hit[1]]}\" in another", sides))
    return out


# -- all or part ---------------------------------------------------------------------------------
def _scoped(s: Sentence, words: list[str], topics: set[str], window: int) -> set[str]:
    """Topic words within ``window`` words after a scope cue."""
    tokens = re.findall(r"[\w’'-]+", s.low)
    split = [(w, w.split()) for w in words]
    found = set()
    for i, token in enumerate(tokens):
        if any((not parts or parts[0] == token) and " ".join(tokens[i:i + len(parts)]) == w
               for w, parts in split):
            found |= {w for w in tokens[i + 1:i + 1 + window] if w in topics}
    return found


def scope_disagreements(corpus: Corpus, cues: dict[str, Any]) -> list[Found]:
    """One report says all of something was asked or given, another only part of it: one
    disagreement per topic and pair of related articles (or one article), every such
    sentence of the two a side."""
    by_topic: dict[str, tuple[list[Sentence], list[Sentence]]] = {}
    for doc_id in sorted(corpus.sentences):
        for s in corpus.sentences[doc_id]:
            full, part = corpus.cue(s, "all"), corpus.cue(s, "part")
            for topic in full ^ part:
                sides = by_topic.setdefault(topic, ([], []))
                sides[0 if topic in full else 1].append(s)
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[Sentence, Sentence]]] = {}
    for topic, (full_s, part_s) in by_topic.items():
        for a in full_s:
            for b in part_s:
                if a.codes & b.codes and corpus.is_related(a.doc_id, b.doc_id):
                    groups.setdefault((topic, tuple(sorted({a.doc_id, b.doc_id}))),
                                      []).append((a, b))
    out = []
    for (topic, _), pairs in sorted(groups.items()):
        full_s, part_s = by_topic[topic]
        in_a, in_b = {id(x) for x, _ in pairs}, {id(y) for _, y in pairs}
        keep_a = [a for a in full_s if id(a) in in_a]
        keep_b = [b for b in part_s if id(b) in in_b]
        out.append(_row("scope", f"all or part: {topic}",
                        f"{len(keep_a)} sentence(s) say all {topic}, {len(keep_b)} only part",
                        [a.side(1, f"all {topic}") for a in keep_a]
                        + [b.side(2, f"part of {topic}") for b in keep_b]))
    return out


# -- who signed --------------------------------------------------------------------------------
def signatory_disagreements(corpus: Corpus, cues: dict[str, Any]) -> list[Found]:
    """Agreement sentences of one negotiation that share a party but name a different
    other party as the one it agreed with (a party named before the verb, or in a "between"
    phrase after it): one disagreement per pair of related articles (or one article)."""
    codes = tuple(str(c) for c in cues.get("agreement_codes") or [])
    lemmas = tuple(cues.get("agreement_lemmas") or [])
    parties: dict[tuple[str, int], set[str]] = {}
    for e in corpus.events():
        if not e["cameo"].startswith(codes) or not e["trigger_text"].lower().startswith(
                lemmas) or e["modality"] in ("negated", "hypothetical"):
            continue
        found = {e[f"{side}_code"] for side in ("source", "target")
                 if e[f"{side}_code"] and _signs(e, side)}
        parties.setdefault((e["doc_id"], e["sentence_idx"]), set()).update(found)
    index = {(s.doc_id, s.idx): s for rows in corpus.sentences.values() for s in rows}
    keys = sorted(k for k, v in parties.items() if len(v) >= 2 and k in index)
    groups: dict[tuple[tuple[str, ...], str, str, str],
                 tuple[list[Sentence], list[Sentence]]] = {}
    placed: dict[tuple[tuple[str, ...], str, str, str], tuple[set[int], set[int]]] = {}
    having: dict[str, list[int]] = {}   # code -> the places in ``keys`` of its sentences
    for i, k in enumerate(keys):
        for code in parties[k]:
            having.setdefault(code, []).append(i)
    # pairs with a sentence of a document in focus only (is_related refuses the others)
    focused = {j for j, k in enumerate(keys) if corpus.in_focus(k[0])}
    for i, ka in enumerate(keys):
        # the later sentences that share a party with this one (the others cannot pair), in
        # order: a long article's agreement sentences are not all paired with each other
        later = sorted({j for code in parties[ka] for j in having[code][
            bisect_right(having[code], i):]})
        if i not in focused:
            later = [j for j in later if j in focused]
        for kb in (keys[j] for j in later):
            a, b = index[ka], index[kb]
            if not corpus.is_related(a.doc_id, b.doc_id):
                continue
            pa, pb = parties[ka], parties[kb]
            shared = pa & pb
            only = [", ".join(sorted(pa - pb)), ", ".join(sorted(pb - pa))]
            if len(shared) != 1 or not all(only):
                continue
            if only[0] > only[1]:
                a, b, only = b, a, only[::-1]
            key = (tuple(sorted({a.doc_id, b.doc_id})), *shared, *only)
            sides = groups.setdefault(key, ([], []))
            taken = placed.setdefault(key, (set(), set()))
            for n, s in ((0, a), (1, b)):
                if id(s) not in taken[n]:
                    taken[n].add(id(s))
                    sides[n].append(s)
    out = []
    for (_, shared_code, one, other), (first, second) in sorted(groups.items()):
        out.append(_row("signatories", f"who the parties were with {shared_code}",
                        f"{one} in one report, {other} in another",
                        [a.side(1, f"with {one}") for a in first]
                        + [b.side(2, f"with {other}") for b in second]))
    return out


def _signs(e: dict[str, Any], side: str) -> bool:
    """Whether the event's ``side`` names a party to the agreement in its own sentence:
    before its verb ("A and B agreed") or in a "between" phrase after it ("an agreement
    between A and B")."""
    start = e.get(f"{side}_start")
    if start is None or start < e["sentence_start"]:
        return False   # carried over from an earlier sentence ("the parties")
    if start < e["trigger_start"]:
        return True
    gap = e["sentence"][e["trigger_end"] - e["sentence_start"]:start - e["sentence_start"]]
    return re.search(r"\bbetween\b", gap) is not None and len(gap) < 80


# -- what a text says --------------------------------------------------------------------------
def contrast_disagreements(corpus: Corpus, cues: dict[str, Any]) -> list[Found]:
    """One sentence that sets what one source says against what another *only* says:
    "the deal says X, but the declaration only said Y"."""
    reporting = "|".join(re.escape(w) for w in cues.get("reporting") or [])
    contrast = "|".join(re.escape(w) for w in cues.get("contrast") or [])
    restriction = "|".join(re.escape(w) for w in cues.get("restriction") or [])
    if not (reporting and contrast and restriction):
        return []
    pattern = re.compile(
        rf"\b(?:{reporting})\b(?P<first>[^;]*?),?\s+\b(?:{contrast})\b(?P<second>[^;]*?"
        rf"\b(?:{restriction})\s+(?:\w+\s+)?(?:{reporting})\b)", re.IGNORECASE)
    out = []
    for doc_id, rows in corpus.sentences.items():
        for s in rows if corpus.in_focus(doc_id) else ():
            m = pattern.search(s.text)
            if m is None:
                continue
            cut = m.start("second")
            out.append(_row("statement", "what the texts say",
                            "one text is reported to say more than another",
                            [s.side(1, "says", (0, cut)), s.side(2, "only says",
                                                                 (cut, len(s.text)))]))
    return out


# -- figures ------------------------------------------------------------------------------------
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent\b|percent\b)")


def vote_shares(s: Sentence, cues: dict[str, Any]) -> dict[str, tuple[float, tuple[int, int]]]:
    """Vote side -> (per cent, span): the first percentage just after a side's cue, or the
    one just before it ("50.2% voting against")."""
    low = s.low
    if _cue(low, cues.get("vote_topics") or []) is None and not any(
            _cue(low, w) for w in (cues.get("vote_sides") or {}).values()):
        return {}
    window = int(cues.get("vote_window", 5))
    numbers = list(PERCENT.finditer(low))
    out = {}
    for side, words in (cues.get("vote_sides") or {}).items():
        for hit in sorted(m.span() for w in words for m in re.finditer(
                rf"(?<![\w-]){re.escape(w)}(?![\w-])", low)):
            after = [n for n in numbers if n.start() >= hit[1]
                     and len(low[hit[1]:n.start()].split()) <= window]
            before = [n for n in numbers if n.end() <= hit[0]
                      and len(low[n.end():hit[0]].split()) <= 2]
            pick = after[0] if after else before[-1] if before else None
            if pick is not None:
                out[side] = (float(pick.group(1)), pick.span())
                break
    return out


def figure_disagreements(corpus: Corpus, cues: dict[str, Any]) -> list[Found]:
    """Two different shares for the same side of one vote, in one article or related ones."""
    shares = {(s.doc_id, s.idx): corpus.cue(s, "votes") for s in corpus.pairable()}
    out = []
    for x, y in corpus.pairs(same_doc=True, keep=lambda s: bool(shares.get((s.doc_id, s.idx)))):
        sx, sy = shares[(x.doc_id, x.idx)], shares[(y.doc_id, y.idx)]
        for side in sorted(set(sx) & set(sy)):
            (vx, span_x), (vy, span_y) = sx[side], sy[side]
            if vx == vy or abs(vx - vy) > 5:
                continue
            out.append(_row("figure", f"share of the {side} vote",
                            f"{vx}% in one report, {vy}% in another",
                            [x.side(1, f"{vx}%", span_x), y.side(2, f"{vy}%", span_y)]))
    return out


# -- whom a person represents -----------------------------------------------------------------
NAME = r"[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+|[A-Z]\.?(?!\w))){1,3}"
ORG_STOP = frozenset(["the", "of", "and", "a", "an", "for", "in", "on", "to"])


def affiliations(s: Sentence, cues: dict[str, Any]) -> list[tuple[tuple[str, str], str, str]]:
    """(name key, organisation words, name as written) for each person the sentence says
    represents someone: "ORG representative NAME", "NAME, representative of ORG", "A and B,
    representing X and Y" (paired in order)."""
    before = "|".join(re.escape(c) for c in cues.get("affiliation_before") or [])
    after = "|".join(re.escape(c) for c in cues.get("affiliation_after") or [])
    out = []
    if before:
        for m in re.finditer(rf"(?P<org>(?:[A-Z][\w’'-]*\s+){{1,4}})(?:{before})\s+"
                             rf"(?P<name>{NAME})", s.text):
            out.append((m.group("name"), m.group("org")))
    if after:
        for m in re.finditer(rf"(?P<names>{NAME}(?:\s+and\s+{NAME})?)\s*(?:\([^)]*\))?,?\s+"
                             rf"(?:{after})\s+(?P<org>[^,.;:]+)", s.text):
            names = re.split(r"\s+and\s+", m.group("names"))
            orgs = re.split(r"\s+and\s+", m.group("org"))
            if len(names) == len(orgs):
                out += list(zip(names, orgs, strict=True))
            elif len(names) == 1:
                out.append((names[0], m.group("org")))
    keyed = []
    for name, org in out:
        words = name.split()
        keyed.append(((words[0].lower(), words[-1].lower()), org.strip(), name))
    return keyed


def _org_words(org: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w’'-]+", org)} - ORG_STOP


def affiliation_disagreements(corpus: Corpus, cues: dict[str, Any]) -> list[Found]:
    """Related reports that name a different body for the person who represents it."""
    found = {(s.doc_id, s.idx): corpus.cue(s, "affiliations") for s in corpus.pairable()}
    out = []
    for x, y in corpus.pairs(same_doc=False, keep=lambda s: bool(found.get((s.doc_id, s.idx)))):
        for key_x, org_x, name_x in found[(x.doc_id, x.idx)]:
            for key_y, org_y, name_y in found[(y.doc_id, y.idx)]:
                if key_x != key_y or _org_words(org_x) & _org_words(org_y):
                    continue
                out.append(_row("affiliation", f"whom {name_x} represented",
                                f"{org_x} in one report, {org_y} in another",
                                [x.side(1, f"{name_x}: {org_x}"),
                                 y.side(2, f"{name_y}: {org_y}")]))
    return out
