"""Incremental episodes: documents ingested after the last build join the stored episodes
by lookup, without grouping the whole store again.

The full build (:func:`detente.episodes.build`) groups every mention of the store greedily,
most precisely dated first. A mention can only join a group that names the same object, or
that has one of its sources as a party and a member dated near it (see
:func:`detente.episodes.compatible`). Every group is stored with keys that say so
(``episode_keys``): ``o:NAME`` for its named objects, ``i:CODE:BUCKET`` for every party code
of the group and every 32-day bucket within ``day_slack_days`` of a member's dates, and
``q:CODE:BUCKET`` for the sources and date buckets of its members; and with its members
in the order they joined (``episode_docs``).

A new document's mentions look up the groups they could join (their ``q`` keys against
groups' ``i`` keys, their named objects) and the groups whose members could join a group
they start (their ``i`` keys against groups' ``q`` keys). The same grouping function then
runs on the mentions of those groups and the new ones; every other group stays as it is.
The episodes whose rows can change (the regrouped ones and those sharing a document with
them) are made again with the same row function as the full build, their answers linked
again, and the disagreements that involve them, or the new documents, found again by lookup.
This equals the full build as long as grouping is local: a test ingests a corpus in one run
and in five and compares every row (``tests/test_incremental.py``); ``detente episodes
--rebuild`` runs the full build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from . import __version__, wording
from .claims import Vocabulary
from .disagreements import (
    _first,
    characterisation_disagreements,
    denial_disagreements,
    find_disagreements,
    party_disagreements,
    quantity_disagreements,
    rows_and_sides,
)
from .episodes import (
    BUILDER_VERSION,
    Built,
    Episode,
    Linked,
    Mention,
    Rules,
    _day,
    build,
    episode_id,
    episode_rows,
    group_mentions,
    is_kept,
    link_answers,
    mentions_of,
)
from .patterns import PatternSet
from .store import Store
from .terms import Taxonomy

BUCKET_DAYS = 32


class IndexMismatch(RuntimeError):
    """A stored group names a mention its document no longer has."""
CHUNK = 400   # values per SQL "IN (...)"


def fingerprint(rules: Rules, taxonomy: Taxonomy, vocab: Vocabulary,
                patterns: PatternSet) -> str:
    """What the stored episodes were built with: code version and every data file."""
    parts = [__version__, BUILDER_VERSION, *(f.sha256 for f in rules.files),
             *(f.sha256 for f in taxonomy.files), *(f.sha256 for f in vocab.files),
             *(f.sha256 for f in patterns.files)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


# -- keys --------------------------------------------------------------------------------------
def _buckets(start: date, end: date) -> range:
    return range(start.toordinal() // BUCKET_DAYS, max(start, end).toordinal() // BUCKET_DAYS + 1)


def _query(m: Mention) -> set[str]:
    """Sources and date buckets of a mention: what it looks up a group by."""
    return {f"{c}:{b}" for c in m.sources for b in _buckets(m.start, m.end)}


def _index(mentions: Iterable[Mention], slack: int) -> set[str]:
    """Party codes of a group times the buckets near its members' dates: what a mention
    that could join it has among its ``_query`` keys."""
    mentions = list(mentions)
    codes = {c for m in mentions for c in (*m.sources, *m.targets)}
    days = timedelta(days=slack)
    buckets = {b for m in mentions for b in _buckets(m.start - days, m.end + days)}
    return {f"{c}:{b}" for c in codes for b in buckets}


def _names(names: Iterable[str]) -> set[str]:
    """Named-object keys: each name and its leading parts of two or more words, since a
    name also matches its short form ("the charter of paris" for "the charter of paris for
    a new europe": ``episodes._shared_names``)."""
    out = set()
    for name in names:
        words = name.split()
        out |= {f"o:{' '.join(words[:n])}" for n in range(2, len(words))} | {f"o:{name}"}
    return out


def group_keys(ep: Episode, rules: Rules) -> set[str]:
    keys = _names(ep.objects)
    keys |= {f"i:{k}" for k in _index(ep.mentions, rules.day_slack_days)}
    keys |= {f"q:{k}" for m in ep.mentions for k in _query(m)}
    return keys


def _lookups(mentions: list[Mention], answers: list[dict[str, Any]], rules: Rules) -> set[str]:
    """The keys of the groups that new ``mentions`` and ``answers`` could touch."""
    keys: set[str] = set()
    for m in mentions:
        keys |= _names(m.objects)
        keys |= {f"i:{k}" for k in _query(m)}                         # groups it could join
        keys |= {f"q:{k}" for k in _index([m], rules.day_slack_days)}  # members it could draw
    for a in answers:   # answers linked by date to a proposal of their target
        start, end = _day(a.get("date_start")), _day(a.get("date_end"))
        if a.get("target_code") and start and end:
            keys |= {f"i:{a['target_code']}:{b}" for b in
                     _buckets(start - timedelta(days=rules.answer_days), end)}
    return keys


def _rank(m: Mention) -> str:
    """The order in which groups are made, as sortable text: their first mention's key,
    then its first event's place in the sentence."""
    k = m.key
    return "|".join([str(int(k[0])), f"{k[1]:02d}", f"{k[2] + 500000:07d}",
                     k[3].isoformat().rjust(10, "0"), f"{k[4] + 5000000:08d}", k[5],
                     f"{k[6]:07d}", f"{m.events[0]['trigger_start']:08d}", m.events[0]["id"]])


def _mention_id(m: Mention) -> tuple[str, int, str]:
    return m.doc_id, m.sentence_idx, m.events[0]["id"]


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(values)
    for at in range(0, len(items), CHUNK):
        yield items[at:at + CHUNK]


def _select(store: Store, sql: str, values: Iterable[Any], extra: tuple[Any, ...] = ()
            ) -> list[dict[str, Any]]:
    """Rows of ``sql`` whose ``{marks}`` take each chunk of ``values`` in turn."""
    out: list[dict[str, Any]] = []
    for chunk in _chunks(values):
        marks = ", ".join("?" * len(chunk))
        out += [dict(r) for r in store.conn.execute(sql.format(marks=marks), [*chunk, *extra])]
    return out


# -- writing the index ---------------------------------------------------------------------------
def _write_groups(store: Store, groups: list[Episode], rules: Rules) -> None:
    docs, keys = [], []
    for ep in groups:
        gid, rank = episode_id(ep, set()), _rank(ep.mentions[0])
        for seq, m in enumerate(ep.mentions):
            docs.append((gid, seq, m.doc_id, m.sentence_idx, m.events[0]["id"], m.side,
                         ep.reasons[id(m)], rank))
        keys += [(k, gid) for k in sorted(group_keys(ep, rules))]
    store.conn.executemany(
        "INSERT INTO episode_docs (group_id, seq, doc_id, sentence_idx, event_id, side, reason, "
        "group_rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", docs)
    store.conn.executemany("INSERT OR IGNORE INTO episode_keys (lookup, group_id) VALUES (?, ?)",
                           keys)


def _delete_groups(store: Store, ids: Iterable[str]) -> None:
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        store.conn.execute(f"DELETE FROM episode_docs WHERE group_id IN ({marks})", chunk)
        store.conn.execute(f"DELETE FROM episode_keys WHERE group_id IN ({marks})", chunk)


def _mark_built(store: Store, doc_ids: Iterable[str], stamp: str) -> None:
    store.conn.executemany("INSERT OR IGNORE INTO episode_inputs (doc_id, rules) VALUES (?, ?)",
                           [(d, stamp) for d in doc_ids])


def full_build(store: Store, rules: Rules, taxonomy: Taxonomy, vocab: Vocabulary,
               patterns: PatternSet, custom: bool = False
               ) -> tuple[Built, list[dict[str, Any]], list[dict[str, Any]]]:
    """The full build, recording the index for later incremental builds. ``custom``: the
    rules were made in code, not read from the data files, so no later build may extend it."""
    groups: list[Episode] = []
    built = build(store, rules, taxonomy, patterns,
                  on_groups=lambda g, _linked: groups.extend(g))
    disagreements, sides = find_disagreements(store, built, rules, vocab)
    store.replace_episodes(built.episodes, built.members, built.parties, built.terms,
                           disagreements, sides)
    for table in ("episode_docs", "episode_keys", "episode_inputs"):
        store.conn.execute(f"DELETE FROM {table}")
    _write_groups(store, groups, rules)
    _mark_built(store, [r[0] for r in store.conn.execute("SELECT id FROM documents")],
                "custom rules" if custom else fingerprint(rules, taxonomy, vocab, patterns))
    return built, disagreements, sides


# -- the incremental build ----------------------------------------------------------------------
class _Docs:
    """Events, mentions and answers of documents, read once."""

    def __init__(self, store: Store, rules: Rules, judging: frozenset[str],
                 conditions: frozenset[str]):
        self.store, self.rules = store, rules
        self.judging, self.conditions = judging, conditions
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.mentions: dict[str, list[Mention]] = {}
        self.answers: dict[str, list[dict[str, Any]]] = {}

    def load(self, doc_ids: Iterable[str]) -> None:
        for d in sorted(set(doc_ids) - set(self.events)):
            self.events[d] = self.store.events(doc_id=d)
            self.mentions[d], self.answers[d] = mentions_of(
                self.events[d], self.rules, self.judging, self.conditions)

    def by_id(self, doc_ids: Iterable[str]) -> _Found:
        doc_ids = set(doc_ids)
        self.load(doc_ids)
        return _Found({_mention_id(m): m for d in doc_ids for m in self.mentions[d]})


class _Found(dict[tuple[str, int, str], Mention]):
    def __missing__(self, key: tuple[str, int, str]) -> Mention:
        raise IndexMismatch(f"no mention {key} in the stored events")


def can_update(store: Store, stamp: str) -> bool:
    """Whether the stored index was built under the same rules (and exists at all)."""
    stamps = [r[0] for r in store.conn.execute("SELECT DISTINCT rules FROM episode_inputs")]
    return stamps == [stamp] and not store.episodes_lost()


def update(store: Store, rules: Rules, taxonomy: Taxonomy, vocab: Vocabulary,
           patterns: PatternSet) -> Built:
    """Build the documents not yet in the episodes into them; returns the episode rows
    made again (the others are unchanged)."""
    stamp = fingerprint(rules, taxonomy, vocab, patterns)
    new = [r[0] for r in store.conn.execute(
        "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM episode_inputs) "
        "ORDER BY id")]
    if not new:
        return Built([], [], [], [])
    docs = _Docs(store, rules, patterns.judging(), patterns.conditional())
    docs.load(new)
    new_mentions = [m for d in new for m in docs.mentions[d]]
    new_answers = [a for d in new for a in docs.answers[d]]

    # the groups the new mentions could join or draw from, and their members
    touched = {r["group_id"] for r in _select(
        store, "SELECT DISTINCT group_id FROM episode_keys WHERE lookup IN ({marks})",
        _lookups(new_mentions, new_answers, rules))}
    rows = _select(store, "SELECT * FROM episode_docs WHERE group_id IN ({marks}) "
                          "ORDER BY group_id, seq", touched)
    known = docs.by_id({r["doc_id"] for r in rows})
    pool = [known[(r["doc_id"], r["sentence_idx"], r["event_id"])] for r in rows]
    regrouped = group_mentions(pool + new_mentions, rules)

    # groups that share a document with them keep their mentions but get their rows again
    affected = {m.doc_id for ep in regrouped for m in ep.mentions} | set(new)
    near_rows = _select(
        store, "SELECT * FROM episode_docs WHERE group_id IN (SELECT group_id FROM "
               "episode_docs WHERE doc_id IN ({marks})) ORDER BY group_id, seq", affected)
    near_rows = [r for r in near_rows if r["group_id"] not in touched]
    known = docs.by_id({r["doc_id"] for r in near_rows})
    near: dict[str, Episode] = {}
    for r in near_rows:
        m = known[(r["doc_id"], r["sentence_idx"], r["event_id"])]
        ep = near.setdefault(r["group_id"], Episode())
        m.side = r["side"]
        ep.mentions.append(m)
        ep.reasons[id(m)] = r["reason"]

    groups = sorted([*regrouped, *near.values()], key=lambda ep: _rank(ep.mentions[0]))
    old_ids = {r["id"] for r in _select(store, "SELECT id FROM episodes WHERE id IN ({marks})",
                                        touched | set(near))}
    linked = _answers(store, docs, groups, affected, old_ids, near, rules)
    kept = [i for i, ep in enumerate(groups) if is_kept(ep, linked.get(i, []), rules)]
    stops = _stops(store, groups, kept, set(touched) | set(near))
    built = episode_rows(store, groups, linked, kept, stops, rules, taxonomy)

    # write: the changed episodes, the index, then the disagreements
    before = _placed(store, old_ids)
    pointing = _select(store, "SELECT id, episode_id FROM disagreements WHERE episode_id IN "
                              "({marks})", old_ids)
    _delete_episodes(store, old_ids)
    store.add_episodes(built.episodes, built.members, built.parties, built.terms)
    _delete_groups(store, touched)
    _write_groups(store, regrouped, rules)
    _mark_built(store, new, stamp)
    after = _placed(store, {ep["id"] for ep in built.episodes})
    moved = {d for d in set(before) | set(after) if before.get(d) != after.get(d)}
    # rows that pointed to an episode made again (deleting it set them to NULL): those not
    # found again below have sides whose episodes are unchanged, under the same id
    exists = {r["id"] for r in _select(store, "SELECT id FROM episodes WHERE id IN ({marks})",
                                       {r["episode_id"] for r in pointing})}
    store.conn.executemany("UPDATE disagreements SET episode_id = ? WHERE id = ? AND "
                           "episode_id IS NULL",
                           [(r["episode_id"], r["id"]) for r in pointing
                            if r["episode_id"] in exists])
    _update_disagreements(store, built, rules, vocab, new, moved)
    return built


def _placed(store: Store, episode_ids: set[str]) -> dict[str, set[tuple[int, str]]]:
    """Document -> (sentence, episode) of its members in ``episode_ids``: the documents
    whose places change in an update are those whose wording disagreements can change."""
    out: dict[str, set[tuple[int, str]]] = {}
    for r in _select(store, "SELECT DISTINCT e.doc_id, e.sentence_idx, m.episode_id FROM "
                            "episode_members m JOIN events e ON e.id = m.event_id WHERE "
                            "m.episode_id IN ({marks})", episode_ids):
        out.setdefault(r["doc_id"], set()).add((r["sentence_idx"], r["episode_id"]))
    return out


def _answers(store: Store, docs: _Docs, groups: list[Episode], affected: set[str],
             old_ids: set[str], near: dict[str, Episode], rules: Rules) -> Linked:
    """Answers linked again: those in the affected documents (every group with a mention
    there is loaded), and those the changed episodes had from other documents (linked by
    date); answers from other documents of the unchanged groups stay as they were."""
    docs.load(affected)
    answers = [a for d in sorted(affected) for a in docs.answers[d]]
    stored = _select(
        store, "SELECT m.episode_id, m.event_id, m.answer_kind, m.reason, e.doc_id FROM "
               "episode_members m JOIN events e ON e.id = m.event_id WHERE m.role = 'answer' "
               "AND m.episode_id IN ({marks})", old_ids)
    outside = [r for r in stored if r["doc_id"] not in affected]
    docs.load(r["doc_id"] for r in outside)
    events = {e["id"]: e for r in outside for e in docs.events[r["doc_id"]]}
    keep = [r for r in outside if r["episode_id"] in near]
    again = {r["event_id"] for r in outside if r["episode_id"] not in near}
    linked = link_answers(groups, answers + [events[e] for e in sorted(again)], rules)
    index = {id(ep): i for i, ep in enumerate(groups)}
    for r in keep:
        i = index[id(near[r["episode_id"]])]
        linked.setdefault(i, []).append((events[r["event_id"]], r["answer_kind"], r["reason"]))
    for i in linked:   # the order of the full build: answers sorted by place
        linked[i].sort(key=lambda a: (a[0]["doc_id"], a[0]["sentence_idx"], a[0]["id"]))
    return linked


def _stops(store: Store, groups: list[Episode], kept: list[int], loaded: set[str]
           ) -> dict[tuple[str, int], int]:
    """Sentence -> the episode that owns it (the last made, as in the full build), over the
    documents of the loaded groups; episodes not loaded get negative numbers."""
    doc_ids = {m.doc_id for ep in groups for m in ep.mentions}
    ranked: list[tuple[str, int, tuple[str, int]]] = []
    for i in kept:
        ep = groups[i]
        ranked += [(_rank(ep.mentions[0]), i, (m.doc_id, m.sentence_idx)) for m in ep.mentions]
    others = _select(
        store, "SELECT x.group_id, x.doc_id, x.sentence_idx, x.group_rank FROM episode_docs x "
               "JOIN episodes p ON p.id = x.group_id WHERE x.doc_id IN ({marks})", doc_ids)
    numbers: dict[str, int] = {}
    for r in others:
        if r["group_id"] not in loaded:
            n = numbers.setdefault(r["group_id"], -1 - len(numbers))
            ranked.append((r["group_rank"], n, (r["doc_id"], r["sentence_idx"])))
    ranked.sort(key=lambda x: x[0])
    return {where: i for _, i, where in ranked}


def _delete_episodes(store: Store, ids: set[str]) -> None:
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        _delete_disagreements(store, f"episode_id IN ({marks}) AND kind IN "
                                     "('parties', 'denial')", chunk)
        for table in ("episode_terms", "episode_parties", "episode_members"):
            store.conn.execute(f"DELETE FROM {table} WHERE episode_id IN ({marks})", chunk)
        store.conn.execute(f"DELETE FROM episodes WHERE id IN ({marks})", chunk)


def _delete_disagreements(store: Store, where: str, params: list[Any]) -> None:
    store.conn.execute(f"DELETE FROM disagreement_sides WHERE disagreement_id IN "
                       f"(SELECT id FROM disagreements WHERE {where})", params)
    store.conn.execute(f"DELETE FROM disagreements WHERE {where}", params)


# -- disagreements ------------------------------------------------------------------------------
def _update_disagreements(store: Store, built: Built, rules: Rules, vocab: Vocabulary,
                          new: list[str], moved: set[str]) -> None:
    found: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    found += quantity_disagreements(store, vocab, new_docs=set(new))
    found += party_disagreements(built)
    member_events = {m["event_id"] for m in built.members}
    events = {e["id"]: e for e in _select(
        store, "SELECT e.*, d.source AS doc_source FROM events e JOIN documents d "
               "ON d.id = e.doc_id WHERE e.id IN ({marks})", member_events)}
    found += denial_disagreements(store, built, events)
    if _characterised(store, rules, new):
        _delete_disagreements(store, "kind = 'characterisation'", [])
        found += characterisation_disagreements(store, rules)
    found += _wording(store, rules, set(new) | moved)
    _insert_disagreements(store, found)


def _characterised(store: Store, rules: Rules, new: list[str]) -> bool:
    """Whether a new document generalises about negotiation (the one characterisation row
    over the store is then found again)."""

    cues = rules.characterisation
    for d in new:
        for sent in store.sentences(d):
            low = sent["text"].lower()
            if _first(low, cues["universal"]) is not None:
                return True
    return False


def _wording(store: Store, rules: Rules, dirty: set[str]
             ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Wording disagreements found again where they can change: those with a side in a
    ``dirty`` document (new, or whose sentences changed episode), and the open points of
    the documents related to one (a new report may settle them). The relation is between
    two documents (:func:`wording.related_docs`), so this stays within an episode and a
    date window of the dirty documents however long the store."""
    if not rules.wording or not dirty:
        return []
    related = wording.related_docs(store, rules.wording, dirty)
    near = set().union(*related.values())
    kinds = "x.kind NOT IN ('quantity', 'parties', 'denial', 'characterisation')"
    old = _select(store, f"SELECT DISTINCT x.id, x.kind FROM disagreement_sides s JOIN "
                         f"disagreements x ON x.id = s.disagreement_id WHERE {kinds} AND "
                         f"s.doc_id IN ({{marks}})", dirty)
    old += _select(store, "SELECT DISTINCT x.id, x.kind FROM disagreement_sides s JOIN "
                          "disagreements x ON x.id = s.disagreement_id WHERE x.kind = 'outcome' "
                          "AND s.side = 2 AND s.doc_id IN ({marks})", near - dirty)
    outcome = {r["id"] for r in old if r["kind"] == "outcome"}
    opened = {r["doc_id"] for r in _select(
        store, "SELECT DISTINCT doc_id FROM disagreement_sides WHERE side = 2 AND "
               "disagreement_id IN ({marks})", outcome)}
    for chunk in _chunks({r["id"] for r in old}):
        _delete_disagreements(store, f"id IN ({', '.join('?' * len(chunk))})", chunk)
    return wording.find(store, None, rules, focus=dirty, outcome_docs=near | opened,
                        related=related)


def _insert_disagreements(store: Store, found: list[tuple[dict[str, Any], list[dict[str, Any]]]]
                          ) -> None:
    have = {r["id"] for r in _select(store, "SELECT id FROM disagreements WHERE id IN ({marks})",
                                     {row["id"] for row, _ in found})}
    store.add_disagreements(*rows_and_sides(found, have))
