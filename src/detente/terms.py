"""The terms coder: the provisions (terms) a proposal or agreement contains.

``extract_terms`` finds provision cues (``data/terms/provisions.yaml``, after
``../shared/ontology/provisions.md``) in a parsed document, with each mention's stance, scope,
conditionality and negation. ``terms_for_episode`` picks the terms that belong to one
negotiation episode from the sentences that mention it and the list that may follow them.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .datafiles import DataFile, DataFileError, load_all, merge
from .nlp import entities_by_sentence

DATA = "terms/provisions.yaml"
STANCES = ("demand", "offer", "accept", "reject")
CONDITIONALITIES = ("precondition-to-talks", "term-of-settlement")
CLAUSAL = ("xcomp", "ccomp")
# dependencies that leave a clause: a stance above them does not govern the term
BOUNDARY = ("advcl", "relcl", "acl", "parataxis", "appos")
# dependencies pruned from a cue's phrase when looking for its scope
PRUNE = ("nsubj", "nsubjpass", "csubj", "advcl", "relcl", "ccomp", "xcomp", "parataxis",
         "conj", "cc", "mark", "punct", "aux", "auxpass", "neg", "advmod")
_MACRO = re.compile(r"%(\w+)%")
LIST_ITEMS_CAP = 5  # an item-marked list ends after this many times episode.max_list_sentences


@dataclass(frozen=True)
class Cue:
    """One pattern of a provision: a regular expression or a spaCy token pattern."""

    label: str  # what the `pattern` column shows: the regex as written, or the token id
    regex: re.Pattern[str] | None = None
    tokens: tuple[Any, ...] = ()
    # a lemma cue over the parse: an action word (`act`, "lemma" or "lemma particle") linked
    # to an object word (`obj`), either alone; `mod`/`not_mod`: words that must / must not
    # modify the object (or the action word, for a cue without objects)
    act: frozenset[str] = frozenset()
    obj: frozenset[str] = frozenset()
    mod: frozenset[str] = frozenset()
    not_mod: frozenset[str] = frozenset()

    @property
    def lemmas(self) -> bool:
        return bool(self.act or self.obj)


@dataclass
class Provision:
    """One category of provisions.md."""

    id: str
    name: str
    group: str = ""
    definition: str = ""
    pax: str = ""
    patterns: list[Any] = field(default_factory=list)
    scope_places: bool = False
    suppresses: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()


@dataclass
class Taxonomy:
    """The provisions with their cues, and the cue words for stance, scope and episodes."""

    provisions: dict[str, Provision]
    stance_lemmas: dict[str, str]  # lemma or "lemma dependent" -> stance
    stance_modals: dict[str, str]
    negated_stance: dict[str, str]
    characterizing: frozenset[str]
    negating_preps: frozenset[str]
    conditionality: list[tuple[str, re.Pattern[str]]]
    scope: list[re.Pattern[str]]
    list_cues: list[re.Pattern[str]]
    max_list_sentences: int
    files: tuple[DataFile, ...]
    intro_lines: list[re.Pattern[str]]
    intro_topics: list[re.Pattern[str]]
    item_markers: list[re.Pattern[str]]
    follow_cues: list[re.Pattern[str]]
    list_breaks: list[re.Pattern[str]]
    intro_window: int
    _matchers: dict[int, Matcher | None] = field(default_factory=dict, repr=False)

    def matcher(self, vocab: Vocab) -> Matcher | None:
        """A Matcher with every token pattern (key = provision id), built once per vocab."""
        key = id(vocab)
        if key not in self._matchers:
            matcher = Matcher(vocab)
            for prov in self.provisions.values():
                for cue in prov.cues:
                    if cue.tokens:
                        matcher.add(f"{prov.id}\t{cue.label}", [list(cue.tokens)])
            self._matchers[key] = matcher if len(matcher) else None
        return self._matchers[key]


def load_taxonomy(extra: Iterable[Path | str] = ()) -> Taxonomy:
    """The packaged taxonomy, with user files of the same format merged over it."""
    return _load(tuple(str(p) for p in extra))


@lru_cache(maxsize=4)
def _load(extra: tuple[str, ...]) -> Taxonomy:
    files = load_all(DATA, "provisions", extra)
    merged: dict[str, Any] = {}
    for f in files:
        merged = _merge(merged, f)
    macros = {str(k): str(v) for k, v in (merged.get("macros") or {}).items()}

    provisions: dict[str, Provision] = {}
    for raw in merged.get("provisions") or ():
        pid = str(raw["id"])
        if "name" not in raw or not raw.get("patterns"):
            raise DataFileError(raw["_source"], None, f"new provision {pid} needs a name and "
                                "patterns")
        cues = tuple(_cue(p, macros, f"{pid} in {raw['_source']}") for p in raw["patterns"])
        provisions[pid] = Provision(
            id=pid, name=str(raw["name"]), group=str(raw.get("group", "")),
            definition=str(raw.get("definition", "")), pax=str(raw.get("pax", "")),
            patterns=list(raw["patterns"]), scope_places=bool(raw.get("scope_places", False)),
            suppresses=tuple(raw.get("suppresses") or ()), cues=cues)

    lemmas: dict[str, str] = {}
    modals: dict[str, str] = {}
    for stance, cues in (merged.get("stance") or {}).items():
        if stance not in STANCES:
            raise ValueError(f"unknown stance {stance!r}; expected one of {STANCES}")
        for word in (cues or {}).get("lemmas") or ():
            lemmas.setdefault(str(word).lower(), stance)
        for word in (cues or {}).get("modals") or ():
            modals.setdefault(str(word).lower(), stance)
    conditionality = [(kind, _compile(p, macros))
                      for kind, pats in (merged.get("conditionality") or {}).items()
                      for p in pats]
    episode = merged.get("episode") or {}
    return Taxonomy(
        provisions=dict(sorted(provisions.items())),
        stance_lemmas=lemmas,
        stance_modals=modals,
        negated_stance={str(k): str(v) for k, v in (merged.get("negated_stance") or {}).items()},
        characterizing=frozenset(str(w).lower() for w in merged.get("characterizing") or ()),
        negating_preps=frozenset(str(w).lower() for w in merged.get("negating_preps") or ()),
        conditionality=conditionality,
        scope=[_compile(p, macros) for p in merged.get("scope") or ()],
        list_cues=[_compile(p, macros) for p in episode.get("list_cues") or ()],
        max_list_sentences=int(episode.get("max_list_sentences", 8)),
        intro_lines=[_compile(p, macros) for p in episode.get("intro_lines") or ()],
        intro_topics=[_compile(p, macros) for p in episode.get("intro_topics") or ()],
        item_markers=[_compile(p, macros) for p in episode.get("item_markers") or ()],
        follow_cues=[_compile(p, macros) for p in episode.get("follow_cues") or ()],
        list_breaks=[_compile(p, macros) for p in episode.get("list_breaks") or ()],
        intro_window=int(episode.get("intro_window", 4)),
        files=tuple(files),
    )


def _merge(into: dict[str, Any], file: DataFile) -> dict[str, Any]:
    """``file`` merged over the data so far by the rule of :func:`detente.datafiles.merge`;
    a provision with ``replace_patterns: true`` replaces the patterns of the one it updates
    instead of adding to them (see the header of provisions.yaml)."""
    data = {k: v for k, v in (file.data or {}).items() if k != "version"}
    provs = [{**raw, "_source": str(file.path)} for raw in data.get("provisions") or ()]
    data["provisions"] = provs
    replaced = {str(raw["id"]) for raw in provs if raw.get("replace_patterns")}
    if replaced:
        into = {**into, "provisions": [{**p, "patterns": []} if str(p["id"]) in replaced else p
                                       for p in into.get("provisions") or ()]}
    return merge(into, data)


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    for _ in range(5):
        new = _MACRO.sub(lambda m: f"(?:{macros[m.group(1)]})" if m.group(1) in macros
                         else m.group(0), pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


def _compile(pattern: str, macros: Mapping[str, str]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_expand(str(pattern), macros)})(?!\w)", re.IGNORECASE)


def _cue(raw: Any, macros: Mapping[str, str], where: str) -> Cue:
    try:
        if isinstance(raw, str):
            return Cue(label=raw, regex=_compile(raw, macros))
        if isinstance(raw, Mapping) and raw.get("tokens"):
            label = str(raw.get("id") or json.dumps(raw["tokens"], sort_keys=True))
            return Cue(label=label, tokens=tuple(raw["tokens"]))
        if isinstance(raw, Mapping) and (raw.get("act") or raw.get("obj")):
            words = {k: frozenset(str(w).lower() for w in raw.get(k) or ())
                     for k in ("act", "obj", "mod", "not_mod")}
            if not words["act"] and not words["mod"]:
                raise ValueError("an `obj` cue without `act` needs `mod` words")
            label = str(raw.get("id") or json.dumps(
                {k: sorted(v) for k, v in words.items() if v}, sort_keys=True))
            return Cue(label=label, **words)
        if isinstance(raw, Mapping) and raw.get("regex"):
            return Cue(label=str(raw.get("id") or raw["regex"]),
                       regex=_compile(raw["regex"], macros))
    except re.error as exc:
        raise ValueError(f"bad pattern for {where}: {raw!r}: {exc}") from exc
    raise ValueError(f"bad pattern for {where}: {raw!r} (a regex string, {{tokens: [...]}} "
                     "or {act: [...], obj: [...]})")


# --- extraction ---------------------------------------------------------------------------


@dataclass
class _Match:
    start: int
    end: int
    pid: str
    pattern: str


def extract_terms(doc: Doc, doc_id: str, taxonomy: Taxonomy | None = None) -> list[dict]:
    """One row per provision mention in ``doc`` (see the module docs for the keys)."""
    tax = taxonomy or load_taxonomy()
    text = doc.text
    sents = list(doc.sents)
    found: dict[int, list[_Match]] = defaultdict(list)
    for si, sent in enumerate(sents):
        chunk = text[sent.start_char:sent.end_char]
        for prov in tax.provisions.values():
            for cue in prov.cues:
                if cue.regex is None:
                    continue
                for m in cue.regex.finditer(chunk):
                    start, end = _trim(text, sent.start_char + m.start(), sent.start_char + m.end())
                    if end > start:
                        found[si].append(_Match(start, end, prov.id, cue.label))
    matcher = tax.matcher(doc.vocab)
    if matcher is not None:
        sent_starts = [sent.start for sent in sents]
        for key, s, e in matcher(doc):
            pid, label = doc.vocab.strings[key].split("\t", 1)
            span = doc[s:e]
            si = bisect.bisect_right(sent_starts, s) - 1
            found[si].append(_Match(span.start_char, span.end_char, pid, label))

    lemma_cues = [(prov.id, cue) for prov in tax.provisions.values() for cue in prov.cues
                  if cue.lemmas]
    if lemma_cues:
        for si, sent in enumerate(sents):
            for pid, cue in lemma_cues:
                for lo, hi in _lemma_matches(sent, cue):
                    found[si].append(_Match(doc[lo].idx, doc[hi].idx + len(doc[hi].text),
                                            pid, cue.label))

    rows = []
    ents = entities_by_sentence(doc) if found else {}
    for si in sorted(found):
        sent = sents[si]
        cond = _conditionality(text[sent.start_char:sent.end_char], tax)
        for m in _collapse(_suppress(found[si], tax)):
            prov = tax.provisions[m.pid]
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            root = span.root if span is not None else doc[sent.start]
            if _characterizes(root, tax):
                continue
            inside = range(span.start, span.end) if span is not None else range(0)
            stance, negated = _stance(root, inside, tax)
            negated = negated or _negating_prep(root, inside, tax)
            rows.append({
                "id": f"{doc_id[:12]}-{si}-{m.start}-{m.pid}",
                "doc_id": doc_id,
                "sentence_idx": si,
                "start": m.start,
                "end": m.end,
                "text": text[m.start:m.end],
                "provision_id": m.pid,
                "provision": prov.name,
                "stance": stance,
                "scope": _scope(text, sent, root, m, prov, tax, ents),
                "conditionality": cond,
                "negated": int(negated),
                "pattern": m.pattern,
            })
    return rows


def _negating_prep(root: Token, inside: range, tax: Taxonomy) -> bool:
    """Whether the cue is the object of a preposition of ``negating_preps`` outside its span
    ("without a withdrawal of troops")."""
    return root.dep_ == "pobj" and root.head.i not in inside and \
        root.head.lower_ in tax.negating_preps


def _characterizes(root: Token, tax: Taxonomy) -> bool:
    """Whether the cue's noun only characterizes something: "sees it as its guarantee"
    (the ``as`` phrase of a verb in ``characterizing``) or "labels it a guarantee"."""
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "as":
        head = head.head
    elif root.dep_ != "oprd":
        return False
    return head.lemma_.lower() in tax.characterizing


def _words(tok: Token) -> tuple[str, str]:
    return tok.lemma_.lower(), tok.lower_


def _is(tok: Token, words: frozenset[str]) -> bool:
    return any(w in words for w in _words(tok))


def _modified(tok: Token, words: frozenset[str]) -> bool:
    """Whether a modifier of ``tok`` (adjective, compound, number, possessive) is in ``words``;
    a hyphenated modifier counts by any of its parts ("third-party forces"), coordinated
    modifiers each count ("a US-Saudi and international ceasefire mechanism")."""
    mods = [c for c in tok.children
            if c.dep_ in ("amod", "compound", "nmod", "npadvmod", "nummod", "poss")]
    return any(_is(c, words) or any(_is(g, words) for g in c.children
                                    if g.dep_ in ("amod", "compound", "npadvmod", "conj"))
               for c in mods)


def _act_tokens(sent: Span, acts: frozenset[str]) -> list[tuple[Token, Token]]:
    """(action token, last token of the action phrase): "withdraw", or "pull" + "back"."""
    out = []
    for tok in sent:
        lemma, lower = _words(tok)
        if lemma in acts or lower in acts:
            out.append((tok, tok))
        for child in tok.children:
            if child.dep_ in ("prt", "advmod", "prep", "dobj") and child.i > tok.i and (
                    f"{lemma} {child.lower_}" in acts or f"{lower} {child.lower_}" in acts):
                out.append((tok, child))
    return out


def _linked(act: Token, obj: Token) -> bool:
    """Whether ``obj`` is the action's object, subject (also of the verb the action
    complements), compound or "of"/"from"-phrase, or the noun the action word modifies
    ("withdrawn troops"); a later conjunct counts as the first ("troops and weapons")."""
    while obj.dep_ == "conj" and obj.head.i != act.i and obj.head is not obj:
        obj = obj.head
    head = obj.head
    if head.i == act.i:  # "withdraw troops", "troops were withdrawn", "troop withdrawal"
        return True
    if act.head.i == obj.i and act.dep_ in ("amod", "acl", "compound", "relcl"):
        return True  # "withdrawn troops", "troops withdrawing"
    if obj.dep_ in ("nsubj", "nsubjpass") and act.dep_ == "xcomp" and act.head.i == head.i:
        return True  # "refugees would be allowed to return", "the army agreed to pull back"
    if head.pos_ != "ADP":
        return False
    if head.head.i == act.i:  # "withdrawal of troops"
        return True
    # "accession of the country to the alliance": the second phrase hangs on the first,
    # or on the verb that governs the action noun
    mid = head.head
    if mid.i == act.head.i and act.pos_ == "NOUN" and head.lower_ in ("to", "into", "from"):
        return True
    return mid.dep_ == "pobj" and mid.head.lower_ == "of" and mid.head.head.i == act.i


def _lemma_matches(sent: Span, cue: Cue) -> list[tuple[int, int]]:
    """Token ranges (first, last) in ``sent`` where a lemma cue matches."""
    out = []
    if not cue.act:
        for tok in sent:
            if _is(tok, cue.obj) and _modified(tok, cue.mod) and \
                    not (cue.not_mod and _modified(tok, cue.not_mod)):
                lo = min([tok.i] + [c.i for c in tok.children if c.dep_ in ("amod", "compound")
                                    and c.i < tok.i])
                out.append((lo, tok.i))
        return out
    for act, last in _act_tokens(sent, cue.act):
        if not cue.obj:
            if (not cue.mod or _modified(act, cue.mod)) and \
                    not (cue.not_mod and _modified(act, cue.not_mod)):
                out.append((act.i, last.i))
            continue
        for tok in sent:
            if tok.i in (act.i, last.i) or not _is(tok, cue.obj) or not _linked(act, tok):
                continue
            if cue.mod and not _modified(tok, cue.mod):
                continue
            if cue.not_mod and _modified(tok, cue.not_mod):
                continue
            out.append((min(act.i, tok.i), max(last.i, tok.i)))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def _suppress(matches: list[_Match], tax: Taxonomy) -> list[_Match]:
    """Drop matches of a provision that an overlapping match of another one suppresses."""
    out = []
    for m in matches:
        if not any(o.pid != m.pid and m.pid in tax.provisions[o.pid].suppresses
                   and o.start < m.end and m.start < o.end for o in matches):
            out.append(m)
    return out


def _collapse(matches: list[_Match]) -> list[_Match]:
    """Overlapping matches of one provision become one, over their joint span; the pattern
    of the longest is kept."""
    out: list[_Match] = []
    by_pid: dict[str, list[_Match]] = defaultdict(list)
    for m in matches:
        by_pid[m.pid].append(m)
    for pid, group in by_pid.items():
        group.sort(key=lambda m: (m.start, -(m.end - m.start)))
        cur: _Match | None = None
        best = 0
        for m in group:
            if cur is not None and m.start < cur.end:
                if m.end - m.start > best:
                    best, cur.pattern = m.end - m.start, m.pattern
                cur.end = max(cur.end, m.end)
                continue
            cur = _Match(m.start, m.end, pid, m.pattern)
            best = m.end - m.start
            out.append(cur)
    return sorted(out, key=lambda m: (m.start, m.pid))


def _cue_stance(tok: Token, tax: Taxonomy) -> str | None:
    """The stance a token signals: by its lemma, lemma + dependent, or a modal child."""
    lemma = tok.lemma_.lower()
    for child in tok.children:
        pair = f"{lemma} {child.lower_}"
        if pair in tax.stance_lemmas:
            return tax.stance_lemmas[pair]
        if child.dep_ == "xcomp":  # "has to withdraw": the "to" hangs on the complement
            for gc in child.children:
                if gc.dep_ == "aux" and f"{lemma} {gc.lower_}" in tax.stance_lemmas:
                    return tax.stance_lemmas[f"{lemma} {gc.lower_}"]
    if lemma in tax.stance_lemmas:
        return tax.stance_lemmas[lemma]
    if tok.pos_ in ("VERB", "AUX", "ADJ"):
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in tax.stance_modals:
                return tax.stance_modals[child.lower_]
    return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _stance(root: Token, inside: range, tax: Taxonomy) -> tuple[str | None, bool]:
    """Stance and negation of a term whose cue span covers the token indices ``inside``.

    The nearest token at or above the cue that signals a stance gives it; while that token's
    clause is the complement of another cue, the outer cue wins. A negation counts only on a
    governing word outside the cue ("no NATO membership" is the term, not a negation).
    """
    chain = [root, *root.ancestors]
    negated = False
    verb_seen = False
    for tok in chain:
        if tok.i not in inside and not verb_seen and tok.pos_ in ("VERB", "AUX", "ADJ"):
            verb_seen = True
            negated = _negated(tok)
        stance = _cue_stance(tok, tax)
        if stance is not None:
            cue_tok = tok
            while cue_tok.dep_ in CLAUSAL and cue_tok.head is not cue_tok:
                outer = _cue_stance(cue_tok.head, tax)
                cue_tok = cue_tok.head
                if outer is not None:
                    stance, tok = outer, cue_tok
            if tok.i not in inside and _negated(tok):
                negated = True
                stance = tax.negated_stance.get(stance, stance)
            return stance, negated
        if tok.dep_ in BOUNDARY:
            break
    return None, negated


def _phrase(tok: Token) -> list[Token]:
    """The token's phrase: its subtree without other clauses and without its subject."""
    out = [tok]
    for child in tok.children:
        if child.dep_ not in PRUNE:
            out += _phrase(child)
    return out


def _scope(text: str, sent: Span, root: Token, m: _Match, prov: Provision,
           tax: Taxonomy, ents: Mapping[int, list[Span]]) -> str | None:
    """Regions, borders, numbers and dates (``scope``) in the cue's phrase, or in the phrase
    of the noun it modifies; failing those, places (for provisions with ``scope_places``)."""
    phrase = _phrase(root)
    head = root.head
    if head is not root and head.pos_ in ("NOUN", "PROPN") and head.i >= sent.start:
        phrase += _phrase(head)
    lo = min([m.start] + [t.idx for t in phrase])
    hi = max([m.end] + [t.idx + len(t.text) for t in phrase])
    found = sorted((sm.start(), sm.group(0)) for rx in tax.scope
                   for sm in rx.finditer(text, lo, hi))
    if not found and prov.scope_places:
        inside = {t.i for t in phrase}
        found = [(e.start_char, e.text) for e in ents.get(sent.start, ())
                 if e.label_ in ("GPE", "LOC") and all(t.i in inside for t in e)]
    parts: list[str] = []
    for _, part in found:
        if not any(part.lower() in p.lower() for p in parts):
            parts = [p for p in parts if p.lower() not in part.lower()] + [part]
    return "; ".join(parts) or None


def _conditionality(sentence: str, tax: Taxonomy) -> str | None:
    for kind, rx in tax.conditionality:
        if rx.search(sentence):
            return kind
    return None


# --- episodes -----------------------------------------------------------------------------


def _introduces(text: str, tax: Taxonomy) -> bool:
    """Whether a sentence introduces a list of terms of a plan or agreement: a line that ends
    with a colon, a heading or a sequence lead ("the plan has three parts"), about a plan,
    agreement or proposal (``episode.intro_lines`` and ``episode.intro_topics``)."""
    return any(rx.search(text) for rx in tax.intro_lines) and \
        any(rx.search(text) for rx in tax.intro_topics)


def _is_item(text: str, tax: Taxonomy) -> bool:
    """Whether a sentence starts like a list or sequence item ("•", "2.", "Second, ...")."""
    return any(rx.match(text.lstrip()) for rx in tax.item_markers)


def _follow_on(order: list[int], i: int, by_idx: Mapping[int, dict],
               by_sent: Mapping[int, list[dict]], stops: Container[int], m: int,
               cond: str | None, tax: Taxonomy) -> list[tuple[dict, str, str | None]]:
    """Terms of the paragraphs after a mention's that go on about the same deal: each
    paragraph (from position ``i`` of ``order``) with a sentence that states a term and
    matches ``episode.follow_cues`` ("It also includes ...", "the two sides also committed
    to ...") gives its terms; the first paragraph without one, a sentence in ``stops`` or
    ``episode.max_list_sentences`` sentences end the run."""
    out: list[tuple[dict, str, str | None]] = []
    end = min(len(order), i + tax.max_list_sentences)
    while i < end:
        para = by_idx[order[i]]["paragraph"]
        idxs = []
        while i < end and by_idx[order[i]]["paragraph"] == para:
            idxs.append(order[i])
            i += 1
        if any(s in stops for s in idxs):
            break
        going_on = [s for s in idxs if by_sent.get(s)
                    and any(rx.search(by_idx[s]["text"]) for rx in tax.follow_cues)]
        if not going_on:
            break
        out += [(t, f"in sentence {s}, which goes on about the episode of sentence {m}", cond)
                for s in going_on for t in by_sent[s]]
    return out


def _denied(term: Mapping[str, Any]) -> bool:
    """Whether the sentence says the term is not part of the deal ("they did not come to a
    ceasefire agreement"): negated, and not a rejection, which is a position on the term."""
    return bool(term.get("negated")) and term.get("stance") in (None, "accept")


class DocTerms:
    """A document's sentences and terms indexed once for :func:`terms_for_episode`: a long
    document with many episodes is not indexed again for each of them."""

    def __init__(self, sentences: list[dict], terms: list[dict]):
        self.by_idx = {int(s["idx"]): s for s in sentences}
        self.order = sorted(self.by_idx)
        self.pos = {idx: i for i, idx in enumerate(self.order)}
        self.by_para: dict[Any, list[str]] = defaultdict(list)
        for i in self.order:
            self.by_para[self.by_idx[i]["paragraph"]].append(self.by_idx[i]["text"])
        self.by_sent: dict[int, list[dict]] = defaultdict(list)
        for t in sorted(terms, key=lambda t: (t["sentence_idx"], t["start"])):
            if not _denied(t):
                self.by_sent[int(t["sentence_idx"])].append(t)


class _Without:
    """Membership in ``within`` but not in ``but`` (without copying ``within``)."""

    def __init__(self, within: Container[int], but: set[int]):
        self.within, self.but = within, but

    def __contains__(self, x: object) -> bool:
        return x in self.within and x not in self.but


class _Either:
    """Membership in ``a`` or in ``b``."""

    def __init__(self, a: Container[int], b: Container[int]):
        self.a, self.b = a, b

    def __contains__(self, x: object) -> bool:
        return x in self.a or x in self.b


def terms_for_episode(sentences: list[dict], terms: list[dict], member_idxs: set[int],
                      stop_idxs: Iterable[int] | Container[int] = frozenset(),
                      taxonomy: Taxonomy | None = None,
                      prepared: DocTerms | None = None) -> list[dict]:
    """The term rows of one document that belong to an episode mentioned in ``member_idxs``.

    Taken: terms in a member sentence; in the following sentences of its paragraph; and, when
    the member sentence or its paragraph introduces a list or summary (``episode.list_cues``),
    or a line shortly after it introduces one (``_introduces``: "Under the deal:", "The plan
    has three parts"), or the next paragraph starts like a list item with a term ("First,
    ...", "1. ...") after a mention of a plan or deal, in the following paragraphs until a
    sentence in ``stop_idxs`` (another episode), a paragraph that has no term and does not
    start like a list item, a paragraph that leads into another list
    (``episode.list_breaks``) or ``episode.max_list_sentences`` sentences not counting
    item-marked paragraphs. Without a list, the following paragraphs that go on about the
    same deal (``_follow_on``) give their terms. One row per provision (the first in the text),
    with ``reason``, ``spans`` (every mention found, each with its term ``id`` and
    ``reason``: every list item is a term with its own sentence as evidence) and, when the
    term's own sentence has none, the conditionality of the sentence that introduced it. A term
    the sentence denies (negated, not a rejection: "no ceasefire was agreed") is left out.
    """
    tax = taxonomy or load_taxonomy()
    doc = prepared or DocTerms(sentences, terms)
    by_idx, order, pos, by_para, by_sent = doc.by_idx, doc.order, doc.pos, doc.by_para, \
        doc.by_sent
    members = set(member_idxs)
    if isinstance(stop_idxs, Iterable):
        stops: Container[int] = set(stop_idxs) - members
    else:   # a view that only answers membership (a long document's other episodes)
        stops = _Without(stop_idxs, members)

    picked: list[tuple[dict, str, str | None]] = []
    for m in sorted(i for i in member_idxs if i in by_idx):
        intro_cond = _conditionality(by_idx[m]["text"], tax)
        picked += [(t, f"in the proposal sentence {m}", intro_cond) for t in by_sent[m]]
        para = by_idx[m]["paragraph"]
        para_text = by_para[para]
        is_list = any(rx.search(s) for s in para_text for rx in tax.list_cues) or \
            any(_introduces(s, tax) for s in para_text)
        i = pos[m] + 1
        stopped = False
        while i < len(order) and by_idx[order[i]]["paragraph"] == para:
            s = order[i]
            if s in stops:
                stopped = True
                break
            if s not in member_idxs:
                picked += [(t, f"in sentence {s}, the paragraph of sentence {m}", intro_cond)
                           for t in by_sent[s]]
            i += 1
        if stopped:
            continue
        if not is_list:
            # a line shortly after the mention that introduces the plan's items
            for j in range(i, min(i + tax.intro_window, len(order))):
                s = order[j]
                if s in stops or s in member_idxs:
                    break
                if _introduces(by_idx[s]["text"], tax):
                    cond = _conditionality(by_idx[s]["text"], tax) or intro_cond
                    picked += [(t, f"in sentence {s}, which introduces a list about the "
                                   f"episode of sentence {m}", cond) for t in by_sent[s]]
                    is_list, i, intro_cond = True, j + 1, cond
                    break
        if not is_list and i < len(order) and order[i] not in stops and by_sent[order[i]] \
                and _is_item(by_idx[order[i]]["text"], tax) and \
                any(rx.search(t) for t in para_text for rx in tax.intro_topics):
            is_list = True  # "... unveiled a plan." followed by "First, ..." or "1. ..."
        if not is_list:
            picked += _follow_on(order, i, by_idx, by_sent, _Either(stops, members), m,
                                 intro_cond, tax)
            continue
        count = 0
        current = None
        item = False
        # item-marked paragraphs do not use up the budget: a list runs as long as its items
        limit = min(len(order), i + LIST_ITEMS_CAP * tax.max_list_sentences)
        while i < limit and count < tax.max_list_sentences:
            s = order[i]
            if s in stops:
                break
            p = by_idx[s]["paragraph"]
            if p != current and s not in member_idxs and \
                    any(rx.search(by_idx[s]["text"]) for rx in tax.list_breaks):
                break  # another list starts here
            if p != current:
                rest = [x for x in order[i:i + tax.max_list_sentences - count]
                        if by_idx[x]["paragraph"] == p]
                upto = next((k for k, x in enumerate(rest) if x in stops), len(rest))
                item = _is_item(by_idx[s]["text"], tax)
                if not any(by_sent[x] for x in rest[:upto]) and not item:
                    break
                current = p
            if s not in member_idxs:
                picked += [(t, f"in the list following sentence {m} (paragraph {p})",
                            intro_cond) for t in by_sent[s]]
            count += 0 if item else 1
            i += 1

    out: dict[str, dict] = {}
    for term, reason, cond in sorted(picked, key=lambda x: (x[0]["sentence_idx"],
                                                             x[0]["start"])):
        span = {k: term[k] for k in ("sentence_idx", "start", "end", "text")}
        key = str(term["provision_id"])
        if key in out:
            if all(sp["id"] != term["id"] for sp in out[key]["spans"]):
                out[key]["spans"].append({**span, "id": term["id"], "reason": reason})
            continue
        row = dict(term, reason=reason, spans=[{**span, "id": term["id"], "reason": reason}])
        if row.get("conditionality") is None and cond is not None:
            row["conditionality"] = cond
        out[key] = row
    return list(out.values())
