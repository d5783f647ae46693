"""Negotiation episodes: coded events grouped across articles into proposals, talks and
agreements, with the answers they got, their terms and mediators.

The grouping is deterministic and explainable. Events of one sentence that share a trigger
or a source form a *mention*. Mentions are taken in order of date precision (day before
month before year) and each joins the most compatible episode so far, or starts one:
compatible means the same named object ("Minsk II"), or a shared proposer, addressees that
agree, and date windows that overlap. Every member keeps the reason it joined. Rules and
word lists live in ``data/episodes/episodes.yaml``.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .datafiles import DataFile, load_all, merged
from .patterns import PatternSet, load_patterns
from .store import Store, now
from .terms import DocTerms, Taxonomy, terms_for_episode
from .wordlists import number_words

DATA = "episodes/episodes.yaml"

BUILDER_VERSION = "detente-episodes/0.1"
EXPLICIT_METHODS = frozenset({"absolute", "partial", "relative", "anaphoric", "fuzzy",
                              "conflict", "clause"})
PRECISION_RANK = {"day": 0, "month": 1, "season": 2, "quarter": 2, "range": 3, "year": 4}


@dataclass(frozen=True)
class Rules:
    """The episode rules from the data file."""

    kinds: dict[str, dict[str, Any]]
    kind_priority: list[str]
    objects: tuple[str, ...]
    named_heads: frozenset[str]
    object_classes: dict[str, str]      # head noun -> class (agreement, talks, plan, ...)
    earlier_cues: dict[str, tuple[str, ...]]   # in_phrase, in_clause
    offer_cues: tuple[str, ...]
    # class heads that are no ``named_heads`` ("summit"): they name a mention's own object
    # only when the mention's trigger is that word ("the Helsinki summit" as the event, not
    # "proposed ... at the Lisbon Summit")
    event_heads: frozenset[str]
    background_cues: tuple[str, ...]
    publication_window_days: int
    day_slack_days: int
    blocs: dict[str, frozenset[str]]
    min_mentions: int
    answer_kinds: dict[str, list[str]]
    accept_codes: tuple[str, ...]
    accept_lemmas: frozenset[str]
    answer_only_lemmas: frozenset[str]
    withdrawal_codes: tuple[str, ...]
    conditional_cues: tuple[str, ...]
    lead_window: int
    answer_window: int
    answer_days: int
    mediator_cues: dict[str, list[str]]
    facilitator_codes: dict[str, str]
    context_window: int
    characterisation: dict[str, list[str]]
    title_words: frozenset[str]
    files: tuple[DataFile, ...]
    wording: dict[str, Any] = field(default_factory=dict)   # the ``disagreements`` section
    span_days: int = 0   # how far from its first mention's dates an episode reaches (0: any)
    irregular_forms: dict[str, str] = field(default_factory=dict)   # "withdrew" -> withdraw
    continuation_lemmas: frozenset[str] = frozenset()   # "continue (seeking peace)"
    threat_codes: tuple[str, ...] = ()   # "will go back to fighting once the truce ends"
    # frames of an agreement still to be reached ("will focus on reaching a deal", "committed
    # to work towards a ceasefire") and the classes of what they reach (see ``to_reach``)
    prospective_cues: tuple[str, ...] = ()
    prospective_objects: dict[str, str] = field(default_factory=dict)
    prospective_forums: tuple[str, ...] = ()   # classes that are where it is reached (talks)
    confirmation_lemmas: frozenset[str] = frozenset()   # "confirmed that hostilities would cease"
    # words of agreement names (``name_words`` in the data file): calendar, verbish_heads,
    # generic_name_words, name_particles
    name_words: dict[str, frozenset[str]] = field(default_factory=dict)

    def kind_of(self, cameo: str) -> dict[str, Any] | None:
        for n in range(len(cameo), 1, -1):
            if cameo[:n] in self.kinds:
                return self.kinds[cameo[:n]]
        return None

    def facilitator_role(self, cameo: str) -> str | None:
        """``host`` or ``mediator`` for codes by which a third party enables talks."""
        return next((role for code, role in self.facilitator_codes.items()
                     if cameo.startswith(code)), None)

    def same_bloc(self, a: str, b: str) -> bool:
        return any(a in members and b in members for members in self.blocs.values())


def load_rules(extra: Iterable[Path | str] = ()) -> Rules:
    """The packaged rules with the user's files ``extra`` merged over them (lists appended,
    mappings merged key by key, numbers replaced: see :func:`detente.datafiles.merge`)."""
    return _rules(tuple(str(p) for p in extra))


@cache
def _rules(extra: tuple[str, ...]) -> Rules:
    files = load_all(DATA, "episodes", extra)
    data = merged(files)
    return Rules(
        kinds={str(k): v for k, v in data["kinds"].items()},
        kind_priority=list(data["kind_priority"]),
        objects=tuple(data["objects"]),
        named_heads=frozenset(data["named_heads"]) | {
            w for ws in (data.get("object_classes") or {}).values() for w in ws},
        object_classes={str(w).lower(): str(c) for c, ws in
                        (data.get("object_classes") or {}).items() for w in ws},
        earlier_cues={k: tuple(v) for k, v in (data.get("earlier_cues") or {}).items()},
        offer_cues=tuple(data.get("offer_cues") or []),
        event_heads=frozenset(str(w).lower() for ws in (data.get("object_classes") or {}).values()
                              for w in ws) - frozenset(data["named_heads"]),
        background_cues=tuple(data["background_cues"]),
        publication_window_days=int(data["publication_window_days"]),
        day_slack_days=int(data["day_slack_days"]),
        blocs={k: frozenset(v) for k, v in data["blocs"].items()},
        min_mentions=int(data["min_mentions"]),
        answer_kinds=data["answer_kinds"],
        accept_codes=tuple(data["accept_codes"]),
        accept_lemmas=frozenset(data["accept_lemmas"]),
        answer_only_lemmas=frozenset(data.get("answer_only_lemmas") or []),
        withdrawal_codes=tuple(str(c) for c in data.get("withdrawal_codes") or []),
        conditional_cues=tuple(data.get("conditional_cues") or []),
        lead_window=int(data.get("lead_window", 0)),
        answer_window=int(data["answer_window"]),
        answer_days=int(data.get("answer_days", 60)),
        mediator_cues=data["mediator_cues"],
        facilitator_codes={str(k): str(v) for k, v in
                           (data.get("facilitator_codes") or {}).items()},
        context_window=int(data["context_window"]),
        characterisation=data["characterisation"],
        title_words=frozenset(w.lower() for w in data.get("title_words", [])),
        files=tuple(files),
        wording=dict(data.get("disagreements") or {}),
        span_days=int(data.get("span_days", 0)),
        irregular_forms={str(k).lower(): str(v).lower()
                         for k, v in (data.get("irregular_forms") or {}).items()},
        continuation_lemmas=frozenset(w.lower() for w in data.get("continuation_lemmas") or []),
        threat_codes=tuple(str(c) for c in data.get("threat_codes") or []),
        prospective_cues=tuple(str(c).lower() for c in data.get("prospective_cues") or []),
        prospective_objects={str(w).lower(): str(c) for c, ws in (
            (data.get("object_classes") or {}) | (data.get("prospective_objects") or {})).items()
            for w in ws},
        prospective_forums=tuple(str(c) for c in data.get("prospective_forums") or []),
        confirmation_lemmas=frozenset(w.lower() for w in data.get("confirmation_lemmas") or []),
        name_words={str(k): frozenset(str(w).lower() for w in ws)
                    for k, ws in (data.get("name_words") or {}).items()},
    )


# -- mentions --------------------------------------------------------------------------
@dataclass
class Mention:
    """The events of one sentence that report one episode."""

    events: list[dict[str, Any]]
    kind: str
    doc_id: str
    sentence_idx: int
    sources: list[str]
    targets: list[str]
    start: date
    end: date
    explicit: bool
    precision: str
    objects: dict[str, str]
    role: str = "mention"          # mention | denial
    side: str = "proposer"         # proposer | answerer: which side of the episode it reports
    # (role, event) of third parties that host or mediate it in the same sentence
    facilitators: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # the mention refers back to an object that existed before the sentence's own action
    # ("pulled out of the existing accord"): its date is not the object's (see ``_refers_back``)
    earlier: bool = False
    # an offer kept apart from the talks of its article, put to the other side of them
    apart: bool = False
    # one side's offer or demand that its sentence links to no agreement, talks or plan
    # (see ``_offer``): set from the mention's own events, not the objects it proposes
    offer: bool = False
    # the classes of an object still to be reached ("will focus on reaching a deal for a
    # ceasefire": agreement, ceasefire); empty when the mention is no such frame (``to_reach``)
    reach: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[Any, ...]:
        width = (self.end - self.start).days
        return (not self.explicit, PRECISION_RANK.get(self.precision, 5), width // 32,
                self.start, width, self.doc_id, self.sentence_idx)


@dataclass
class Episode:
    mentions: list[Mention] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)   # id(mention) -> reason
    # derived values by name, valid while the mention count is unchanged (mentions are only
    # ever appended): candidate checks read them once per mention and episode
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _memo_size: int = field(default=-1, repr=False, compare=False)
    _order: list[Mention] = field(default_factory=list, repr=False, compare=False)

    def _cached(self, name: str, compute: Any) -> Any:
        if self._memo_size != len(self.mentions):
            self._memo.clear()
            self._memo_size = len(self.mentions)
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    _tallies: tuple[_Tally, _Tally] | None = field(default=None, repr=False, compare=False)
    _summary: _Summary | None = field(default=None, repr=False, compare=False)

    def _sum(self) -> _Summary:
        """What the candidate checks read of the mentions, brought up to date with those
        that joined since the last call (a long article's episodes have many mentions:
        reading them all again after each join would grow with their square)."""
        if self._summary is None:
            self._summary = _Summary()
        summary = self._summary
        for i in range(summary.seen, len(self.mentions)):
            summary.add(self.mentions[i])
        summary.seen = len(self.mentions)
        return summary

    @property
    def proposers(self) -> list[str]:
        return self._cached("proposers", lambda: self._tally()[0].ranked())

    @property
    def addressees(self) -> list[str]:
        return self._cached("addressees", lambda: self._tally()[1].ranked())

    def _tally(self) -> tuple[_Tally, _Tally]:
        """Proposer and addressee counts, brought up to date with the mentions that joined
        since the last call: codes by the number of mentions naming them, ties by the first
        of those in content order, then by code."""
        if self._tallies is None:
            self._tallies = (_Tally(), _Tally())
        proposers, addressees = self._tallies
        for i in range(proposers.seen, len(self.mentions)):
            m = self.mentions[i]
            if m.role == "mention":
                rank = (m.key, i)
                if m.side == "proposer":
                    proposers.add(m.sources, rank)
                addressees.add(m.targets if m.side == "proposer" else m.sources, rank)
        proposers.seen = addressees.seen = len(self.mentions)
        return self._tallies

    def _ordered(self) -> list[Mention]:
        """The mentions in content order (most precise first), whatever order they joined;
        kept sorted as mentions join (ties stay in joining order, as a stable sort would)."""
        for m in self.mentions[len(self._order):]:
            insort(self._order, m, key=lambda x: x.key)
        return self._order

    def anchor(self) -> Mention:
        """The first mention of the earliest article: publication date, then document hash
        and sentence; what the episode's id is derived from."""
        pool = [m for m in self.mentions if m.role == "mention"] or self.mentions
        return min(pool, key=lambda m: (_published(m) or "9999", m.doc_id, m.sentence_idx,
                                        sorted(e["id"] for e in m.events)))

    @property
    def parties(self) -> set[str]:
        return set(self.proposers) | set(self.addressees)

    @property
    def objects(self) -> set[str]:
        return self._sum().objects

    def object_texts(self) -> set[str]:
        """The objects as written in the mentions."""
        return self._sum().texts

    def near(self, doc_id: str, idx: int, within: int) -> bool:
        """Whether a mention of the episode is in sentence ``idx`` of ``doc_id`` or within
        ``within`` sentences of it."""
        here = self._sum().places.get(doc_id)
        return bool(here) and any(i in here for i in range(idx - within, idx + within + 1))

    def sentences_in(self, doc_id: str) -> set[int]:
        """The sentences of ``doc_id`` the episode's mentions are in."""
        return self._sum().places.get(doc_id, set())

    def display_name(self) -> str | None:
        names = sorted((n for m in self.mentions for k, n in m.objects.items()),
                       key=lambda n: (-len(n), n))
        return names[0] if names else None

    def window(self) -> tuple[date, date]:
        best = self._sum().best
        assert best is not None
        return best.start, best.end

    def kind(self, rules: Rules) -> str:
        def compute() -> str:
            counts = self._sum().kinds
            top = max(counts.values(), default=0)
            return next(k for k in rules.kind_priority if counts.get(k) == top)
        return self._cached(f"kind:{id(rules)}", compute)

    def dated(self) -> list[Mention]:
        """The mentions with an explicit date (or all, if none has one)."""
        return self._sum().explicit or self.mentions

    def solid_count(self) -> int:
        """The number of sentences with a mention (role "mention")."""
        return len(self._sum().mentioned)

    def offers_only(self) -> bool:
        """Whether every mention (role "mention") is an offer."""
        return not self._sum().not_offer


@dataclass
class _Summary:
    """Values derived from an episode's mentions, built up as they join (see ``_sum``)."""
    seen: int = 0
    objects: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    places: dict[str, set[int]] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    explicit: list[Mention] = field(default_factory=list)
    best: Mention | None = None
    mentioned: set[tuple[str, int]] = field(default_factory=set)
    not_offer: bool = False

    def add(self, m: Mention) -> None:
        self.objects |= set(m.objects)
        self.texts |= set(m.objects.values())
        self.places.setdefault(m.doc_id, set()).add(m.sentence_idx)
        if m.role == "mention":
            self.kinds[m.kind] += 1
            self.mentioned.add((m.doc_id, m.sentence_idx))
            self.not_offer = self.not_offer or not m.offer
        if m.explicit:
            self.explicit.append(m)
        if self.best is None or m.key < self.best.key:   # the first of the least, as min()
            self.best = m


@dataclass
class _Tally:
    """Codes counted once per mention naming them, with the content rank of the first such
    mention: ``ranked()`` orders them by count, then by that rank, then by code."""
    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    seen: int = 0

    def add(self, codes: list[str], rank: tuple[Any, ...]) -> None:
        for code in dict.fromkeys(codes):
            self.counts[code] += 1
            if code not in self.first or rank < self.first[code]:
                self.first[code] = rank

    def ranked(self) -> list[str]:
        return sorted(self.counts, key=lambda c: (-self.counts[c], self.first[c], c))


def _published(m: Mention) -> str | None:
    return next((str(e["doc_published"])[:10] for e in m.events if e.get("doc_published")),
                None)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _interval(event: dict[str, Any], rules: Rules) -> tuple[date, date, bool]:
    start, end = _day(event.get("date_start")), _day(event.get("date_end"))
    published = _day((event.get("doc_published") or "")[:10]) if event.get(
        "doc_published") and len(event["doc_published"]) == 10 else None
    if start is None or end is None:
        anchor = published or date.today()
        return anchor - timedelta(days=rules.publication_window_days), anchor, False
    if event.get("date_method") == "publication":
        return start - timedelta(days=rules.publication_window_days), end, False
    return start, end, event.get("date_method") in EXPLICIT_METHODS


def named_objects(sentence: str, rules: Rules) -> dict[str, str]:
    """Names of agreements, plans and formats the sentence names as its own object: a
    normalised key ("minsk ii") -> the words as written ("Minsk II agreement").

    A name is a head noun of an agreement class (``named_heads``) after capitalised place or
    name words ("the Stockholm Agreement", "the Sharm el-Sheikh memorandum"), a capitalised
    head with an "of" phrase ("the Declaration of Principles"), an "N-point plan", a word and
    a Roman numeral ("Minsk II"); an acronym defined in parentheses after a name ("(JCPOA)")
    is a second key of the same name."""
    found: dict[str, str] = {}
    generic = rules.name_words.get("generic_name_words", frozenset())
    verbish = rules.name_words.get("verbish_heads", frozenset())
    words = list(re.finditer(r"[\w’'.-]+", sentence))
    for i, w in enumerate(words):
        head = w.group().lower().strip(".")
        if head not in rules.named_heads:
            continue
        name = _name_before(words, i, rules)
        j = i - len(name) - 1
        after = _of_phrase(words, i) if w.group()[:1].isupper() else []
        if not after and all(n.lower() in generic for n in name):
            name = []   # "the Peace Agreement", "the Final Accord": capitalised, not named
        if not name and not after and i + 1 < len(words) and \
                words[i + 1].group().lower() == "of":
            continue
        following = sentence[w.end():w.end() + 6].lower()
        if w.group()[:1].islower() and head in verbish and re.match(
                r"\s+(to|with|about|on)\b", following) or any(
                n.lower() in rules.title_words for n in name):
            continue   # "Erdogan talks to Putin": a verb, or a person, not a named object
        if not after and (not name or len(name) == 1 and not w.group()[:1].isupper() and (
                name[0].isupper() and len(name[0]) <= 4 or re.search(
                    r"(an|ese|ish|ch)$", name[0]))):
            continue   # "US deal", "Russian plan": a party's, not a name
        if _background(sentence, words[j + 1].start() if name else w.start(), rules):
            continue
        if name:
            key = " ".join(n.lower().strip("’'") for n in name)
            if after:   # "Joint Comprehensive Plan of Action": the whole name is the key
                key = " ".join([key, head, *(a.lower() for a in after)])
            text = " ".join([*name, w.group().rstrip("."), *after])
        else:
            key = " ".join([head, *(a.lower() for a in after)])
            text = " ".join([w.group().rstrip("."), *after])
        if key and key not in {"the", "a", "u.s.", "us"}:
            found.setdefault(key, text)
            last = words[i + len(after)]
            acronym = re.match(r"\s*\(([A-Z][A-Z0-9-]{1,9})\)", sentence[last.end():])
            if acronym:   # "Joint Comprehensive Plan of Action (JCPOA)"
                found.setdefault(acronym.group(1).lower(), text)
    # "a 20-point plan", "the six-point peace proposal"
    for m in re.finditer(r"\b(\d+|[a-z]+)-point\s+(?:[\w-]+\s+){0,2}?(plan|proposal|"
                         r"agreement|deal|roadmap|framework|initiative|formula)\b",
                         sentence, re.IGNORECASE):
        n = str(number_words().get(m.group(1).lower(), m.group(1)))
        if n.isdigit() and not _background(sentence, m.start(), rules):
            found.setdefault(f"{n}-point {m.group(2).lower()}", m.group(0))
    # A bare "Minsk II"-style name: a capitalised word and a Roman numeral.
    for m in re.finditer(r"\b([A-Z][a-z]+) (I{1,3}|IV|V)\b", sentence):
        key = f"{m.group(1).lower()} {m.group(2).lower()}"
        if not _background(sentence, m.start(), rules) and key not in found:
            found[key] = m.group(0)
    return found


def _name_before(words: list[re.Match[str]], i: int, rules: Rules) -> list[str]:
    """The capitalised name words before the head ``words[i]``: place and name words, Roman
    numerals and numbers after them, lower-case particles between them; no calendar words,
    no leading numbers ("the 2015 accord" is no name)."""
    calendar = rules.name_words.get("calendar", frozenset())
    particles = rules.name_words.get("name_particles", frozenset())
    name: list[str] = []
    j = i - 1
    while j >= 0:
        word = words[j].group()
        low = word.lower()
        if low == "the" or low.strip(".") in calendar:
            break
        if word[:1].isupper() or re.fullmatch(r"[IVX]+|\d+", word) or "-" in word and any(
                p[:1].isupper() for p in word.split("-")):
            name.insert(0, word)
        elif low in particles and low not in ("the", "and", "on", "for") and j > 0 and \
                words[j - 1].group()[:1].isupper() and name:
            name.insert(0, word)   # "Sharm el-Sheikh", "Cessation of Hostilities"
        else:
            break
        j -= 1
    while name and (re.fullmatch(r"\d+|[IVX]+", name[0]) or name[0].lower() in particles):
        name.pop(0)
    return name if any(n[:1].isalpha() and n[:1].isupper() for n in name) else []


def _of_phrase(words: list[re.Match[str]], i: int) -> list[str]:
    """A capitalised head's "of" phrase: "Declaration of Principles" -> ["of", "Principles"]."""
    if i + 2 >= len(words) or words[i + 1].group() != "of" or \
            not words[i + 2].group()[:1].isupper():
        return []
    out = ["of"]
    k = i + 2
    while k < len(words) and not words[k].string[words[k - 1].end():words[k].start()].strip(
            ) and (words[k].group()[:1].isupper() or (
            words[k].group() in ("of", "and", "the", "to") and k + 1 < len(words)
            and words[k + 1].group()[:1].isupper())) and len(out) < 8:
        out.append(words[k].group())
        k += 1
    return out


def _background(sentence: str, offset: int, rules: Rules) -> bool:
    """Whether the words before ``offset`` make a name background ("following the ...")."""
    tail = sentence[:offset].lower()[-90:]
    return any(re.search(rf"\b{re.escape(cue)}\b[^,;]*$", tail)
               for cue in rules.background_cues)


def _has_object(sentence: str, rules: Rules) -> bool:
    return _objects_pattern(rules.objects).search(sentence.lower()) is not None


@cache
def _objects_pattern(objects: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the object words at the start of a word (one pattern: read for every event)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(o) for o in objects) + ")") if objects \
        else re.compile(r"(?!)")


def mentions_of(events: list[dict[str, Any]], rules: Rules,
                judging: frozenset[str] | None = None,
                conditions: frozenset[str] | None = None
                ) -> tuple[list[Mention], list[dict[str, Any]]]:
    """Group one store's events into mentions; return them and the answer candidates.
    ``judging``: the ids of the patterns that judge what they govern; ``conditions``: those
    of the condition patterns, whose events are conditional offers (by default those of
    the built-in pattern files; :func:`build` passes those of the user's files too)."""
    if judging is None:
        judging = load_patterns().judging()
    if conditions is None:
        conditions = load_patterns().conditional()
    by_sentence: dict[tuple[str, int], list[dict[str, Any]]] = {}
    answers: list[dict[str, Any]] = []
    for ev in events:
        spec = rules.kind_of(ev["cameo"])
        withdrawal = ev["cameo"].startswith(rules.withdrawal_codes) and _has_object(
            ev["sentence"], rules)   # "withdrew from the accord", "the talks collapsed"
        accepting = ev["cameo"].startswith(rules.accept_codes) and _accept_lemma(ev, rules)
        judges = judgement(ev, judging) and _has_object(ev["sentence"], rules)   # "praised it"
        # "will go back to fighting once the truce ends", "could resume enrichment if ...":
        # a threat is conditional by nature
        threat = ev["cameo"].startswith(rules.threat_codes) and _has_object(
            ev["sentence"], rules) if rules.threat_codes else False
        if ev["plover_type"] == "REJECT" or withdrawal or accepting or judges or threat:
            if ev["modality"] not in ("hypothetical", "negated") or (
                    accepting and conditional(ev, rules)) or (
                    threat and ev["modality"] == "hypothetical"):
                answers.append(ev)
            if ev["plover_type"] == "REJECT" or withdrawal or judges or threat or (
                    accepting and ev.get("target_code") and _lemma_in(
                        ev, rules.answer_only_lemmas)):
                continue   # "A accepted B's proposal" answers B; it is no proposal of A's
        if spec is None or not ev.get("source_code"):
            continue
        if (continues(ev, rules) or confirms(ev, rules)) and ev["modality"] != "negated":
            answers.append(ev)   # "will continue seeking peace": keeping to a negotiation
            continue
        if spec.get("needs_object") and ev["modality"] != "negated" and not _has_object(
                ev["sentence"], rules):   # a denial only joins an episode, never starts one
            continue
        if ev["modality"] == "hypothetical":
            continue
        by_sentence.setdefault((ev["doc_id"], ev["sentence_idx"]), []).append(ev)
    mentions: list[Mention] = []
    for (doc_id, idx), evs in sorted(by_sentence.items()):
        groups: list[list[dict[str, Any]]] = []
        objects: dict[int, list[dict[str, Any]]] = {}
        for ev in sorted(evs, key=lambda e: (e["trigger_start"], e["id"])):
            lone = _lone_offer(ev, rules, conditions)
            for n, g in enumerate(groups):
                # one side's offer and talks or an agreement of the same sentence are two
                # mentions, though the offering party is in both ("the talks were held ...;
                # we offered a proposal")
                if any(e["trigger_start"] == ev["trigger_start"]
                       or e["source_code"] == ev["source_code"]
                       and _lone_offer(e, rules, conditions) == lone for e in g):
                    g.append(ev)
                    break
                if _proposes(g[0], ev, rules):
                    objects.setdefault(n, []).append(ev)
                    break
            else:
                groups.append([ev])
        offered = _offered_objects(groups, rules, conditions)
        for n, k in offered.items():
            objects.setdefault(n, []).extend(groups[k])
        helpers = _facilitators(groups, rules)
        taken = set(offered.values())
        for n, g in enumerate(groups):
            if n in helpers or n in taken:
                continue
            m = _mention(g, doc_id, idx, rules, objects.get(n, []), conditions)
            m.facilitators = [(role, e) for h, (to, role) in helpers.items() if to == n
                              for e in groups[h]]
            mentions.append(m)
    return mentions, answers


def _facilitators(groups: list[list[dict[str, Any]]], rules: Rules) -> dict[int, tuple[int, str]]:
    """Groups that only host or mediate another group's talks in the same sentence
    ("Turkey hosted talks between Russia and Ukraine"): group index -> (that group, role).
    They name a mediator or host of that episode, not an episode of their own."""
    out: dict[int, tuple[int, str]] = {}
    for n, g in enumerate(groups):
        roles = {rules.facilitator_role(e["cameo"]) for e in g}
        if None in roles:
            continue
        helper = {e["source_code"] for e in g}
        others = [k for k, h in enumerate(groups) if k != n and not any(
            rules.facilitator_role(e["cameo"]) for e in h)
            and not helper & {e["source_code"] for e in h}
            and not helper & {e["target_code"] for e in h}]
        if others:
            near = min(others, key=lambda k: abs(groups[k][0]["trigger_start"]
                                                 - g[0]["trigger_start"]))
            out[n] = (near, "host" if "host" in roles else "mediator")
    return out


def continues(ev: dict[str, Any], rules: Rules) -> bool:
    """Whether the trigger is or follows a verb of continuing or keeping ("will continue
    seeking peace", "continued to back the deal", "would try to salvage the accord";
    ``continuation_lemmas``): a party keeping to a negotiation it is already in answers it,
    it proposes nothing new."""
    before = ev["sentence"][: ev["trigger_start"] - ev["sentence_start"]].lower()
    words = re.findall(r"[\w'-]+", before)[-2:]
    if words and words[-1] == "to":
        words = words[:-1]
    return any(is_form_of(word, lemma, rules) for word in [ev["trigger_text"], *words[-1:]]
               for lemma in rules.continuation_lemmas)


def confirms(ev: dict[str, Any], rules: Rules) -> bool:
    """Whether the event is what a party confirms it will do, in a clause after a verb of
    ``confirmation_lemmas`` and "that" ("confirmed on its channel that all hostilities from
    its forces would cease"): a party keeping to a negotiation it is in, as in
    :func:`continues`."""
    if not rules.confirmation_lemmas:
        return False
    before = ev["sentence"][: ev["trigger_start"] - ev["sentence_start"]]
    clause = re.split(r"[;:]", before)[-1].lower()
    words = re.findall(r"[\w'-]+", clause)
    for n, word in enumerate(words):
        if any(is_form_of(word, lemma, rules) for lemma in rules.confirmation_lemmas):
            return "that" in words[n + 1:]
    return False


def _solid(ep: Episode, rules: Rules) -> bool:
    """Whether an episode stands without answers: mentions in two sentences or a name."""
    return ep.solid_count() >= rules.min_mentions or bool(ep.objects)


def judgement(ev: dict[str, Any], judging: frozenset[str] | None = None) -> bool:
    """Whether the event's pattern judges what it governs (praise, criticism; ``judges`` in
    the pattern files): of a negotiation object, it answers that negotiation. ``judging``:
    the ids of such patterns, by default those of the built-in files."""
    return ev.get("pattern_id") in (load_patterns().judging() if judging is None else judging)


def _lemma_in(ev: dict[str, Any], lemmas: Iterable[str]) -> bool:
    word = ev["trigger_text"].lower()
    return any(word.startswith(lemma[: max(4, len(lemma) - 1)]) for lemma in lemmas)


def conditional(ev: dict[str, Any], rules: Rules) -> bool:
    """Whether an answer is tied to a condition in its own clause ("only if", "provided")."""
    low = ev["sentence"].lower()
    return any(re.search(rf"\b{re.escape(cue)}\b", low) for cue in rules.conditional_cues)


def _accept_lemma(ev: dict[str, Any], rules: Rules) -> bool:
    word = ev["trigger_text"].lower()
    return any(word.startswith(lemma[:5]) for lemma in rules.accept_lemmas) and \
        _has_object(ev["sentence"], rules)


def _proposes(head: dict[str, Any], ev: dict[str, Any], rules: Rules) -> bool:
    """Whether ``ev`` is the object of the proposal ``head`` ("proposed peace talks")."""
    gap = ev["trigger_start"] - head["trigger_end"]
    return (str((rules.kind_of(head["cameo"]) or {}).get("kind")) == "proposal"
            and 0 <= gap <= 25 and "," not in head["sentence"][
                head["trigger_end"] - head["sentence_start"]:
                ev["trigger_start"] - head["sentence_start"]])


def _mention(group: list[dict[str, Any]], doc_id: str, idx: int, rules: Rules,
             proposed: list[dict[str, Any]] | None = None,
             conditions: frozenset[str] = frozenset()) -> Mention:
    """One mention; events ``proposed`` by it ("talks between A and B") add addressees.
    ``conditions``: ids of the condition patterns (their events are conditional offers)."""
    own = list(group)
    kinds = [str((rules.kind_of(e["cameo"]) or {}).get("kind")) for e in group]
    kind = next(k for k in rules.kind_priority if k in kinds)
    negated = all(e["modality"] == "negated" for e in group)
    sources = sorted({e["source_code"] for e in group if e["source_code"]})
    inner = {c for e in proposed or [] for c in (e["source_code"], e["target_code"]) if c}
    targets = sorted(({e["target_code"] for e in group if e["target_code"]} | inner)
                     - set(sources) if kind == "proposal" else
                     {e["target_code"] for e in group if e["target_code"]})
    group = group + list(proposed or [])
    spans = [_interval(e, rules) for e in group]
    best = min(spans, key=lambda s: (not s[2], (s[1] - s[0]).days))
    precision = min((e.get("date_precision") or "year" for e in group),
                    key=lambda p: PRECISION_RANK.get(p, 5))
    start, end, explicit = best
    earlier = _refers_back(group, rules)
    if earlier:   # the object is older than the sentence's action: undated, before it
        end = min(_day(e.get("date_end")) or end for e in group) - timedelta(days=1)
        start, explicit = end - timedelta(days=rules.publication_window_days), False
        precision = "approximate"
    objects = _own_objects(group, rules)
    reach, cue_at = to_reach(own, rules)
    if reach:   # "the Geneva Talks will focus on reaching ...": the talks are the forum
        sentence = group[0]["sentence"]
        objects = {k: t for k, t in objects.items() if sentence.find(t) > cue_at}
    offer = bool(sources) and not set(sources) & set(targets) and not objects and all(
        _lone_offer(e, rules, conditions) for e in own)
    return Mention(events=group, kind="proposal" if offer else kind, doc_id=doc_id,
                   sentence_idx=idx, sources=sources, targets=targets, start=start, end=end,
                   explicit=explicit,
                   precision=precision, objects=objects,
                   role="denial" if negated else "mention", earlier=earlier, offer=offer,
                   reach=reach)


def to_reach(group: list[dict[str, Any]], rules: Rules) -> tuple[frozenset[str], int]:
    """The classes of the object that a mention's events are a frame of reaching still
    (``prospective_cues``: "will focus on reaching agreement on a ceasefire", "committed to
    work towards a short-term ceasefire"): a cue within four words of a trigger, and the
    ``prospective_objects`` words after it in its clause (up to the next comma or semicolon).
    Returns the classes and the cue's offset in the sentence (-1 when there is none)."""
    if not rules.prospective_cues:
        return frozenset(), -1
    for e in group:
        sentence = e["sentence"]
        low = sentence.lower()
        at = e["trigger_start"] - e["sentence_start"]
        end = at + len(e["trigger_text"])
        for cue in rules.prospective_cues:
            for found in re.finditer(rf"\b{re.escape(cue)}", low):
                gap = low[end:found.start()] if found.start() >= end else low[
                    found.end():at]
                if len(re.findall(r"[\w'-]+", gap)) > 4 or re.search(r"[,;:]", gap):
                    continue
                rest = re.split(r"[,;:]", low[max(found.end(), end):])[0]
                classes = frozenset(rules.prospective_objects[w] for w in re.findall(
                    r"[\w-]+", rest) if w in rules.prospective_objects)
                if classes:
                    return classes, found.start()
    return frozenset(), -1


def _refers_back(group: list[dict[str, Any]], rules: Rules) -> bool:
    """Whether the mention's events are a negotiation object that the sentence refers back
    to as existing before its own action: every trigger is an object noun ("accord",
    "summit") with an ``earlier_cues`` word in the three words before it ("the existing
    accord", "recalled at the first summit") or anywhere before it in its clause ("pulled
    out of the accord", "signatories to the treaty").
    The sentence's date is then the date of that action, not of the object. An object
    whose own date the sentence gives ("the 2011 accord") is dated by it already."""
    if not rules.earlier_cues or any(e["modality"] in ("future", "hypothetical")
                                     for e in group):
        return False
    for e in group:
        if e["trigger_text"].lower() not in rules.object_classes:
            return False
        clause = re.split(r"[,;:]", e["sentence"][:e["trigger_start"] - e["sentence_start"]]
                          .lower())[-1]
        phrase = clause.split()[-3:]
        if e.get("date_text") and str(e["date_text"]).lower() in " ".join(phrase):
            return False   # "the 2011 accord": the sentence dates the object itself
        if not any(w.startswith(cue) for w in phrase
                   for cue in rules.earlier_cues.get("in_phrase", ())) and not any(
                re.search(rf"\b{re.escape(cue)}", clause)
                for cue in rules.earlier_cues.get("in_clause", ())):
            return False
    return True


def _own_objects(group: list[dict[str, Any]], rules: Rules) -> dict[str, str]:
    """The sentence's named objects, less names with an ``event_heads`` head ("summit") that
    is not the trigger of one of the mention's events."""
    found = named_objects(group[0]["sentence"], rules)
    triggers = {e["trigger_text"].lower() for e in group}
    return {k: t for k, t in found.items()
            if not set(t.lower().split()) & rules.event_heads
            or set(t.lower().split()) & rules.event_heads & triggers}


# -- grouping ---------------------------------------------------------------------------
def _overlap(a: tuple[date, date], b: tuple[date, date], slack: int) -> bool:
    return a[0] - timedelta(days=slack) <= b[1] and b[0] - timedelta(days=slack) <= a[1]


def _shared_names(ours: set[str], theirs: set[str]) -> set[str]:
    """The names of ``ours`` that ``theirs`` also has, in full or in a short form of two or
    more words ("the Charter of Paris" for "the Charter of Paris for a New
    Europe")."""
    def short_of(a: str, b: str) -> bool:
        return len(a.split()) >= 2 and b.startswith(a + " ")
    return {a for a in ours if a in theirs or any(short_of(a, b) or short_of(b, a)
                                                  for b in theirs)}


def object_class(text: str, rules: Rules) -> str | None:
    """The class of a named object (``object_classes``: agreement, declaration, plan, talks)
    from its head noun: "Minsk II agreement" -> agreement, "Declaration of Principles" ->
    declaration, "Geneva Talks" -> talks; None for a bare name ("Minsk II")."""
    words = [w.lower().strip(".") for w in re.findall(r"[\w’'.-]+", text)]
    if "of" in words[1:]:   # "Declaration of Principles": the head comes before "of"
        words = words[:words.index("of", 1)]
    return next((rules.object_classes[w] for w in reversed(words)
                 if w in rules.object_classes), None)


def _names_conflict(m: Mention, ep: Episode, rules: Rules) -> bool:
    """Whether the mention's names and the episode's are of different objects: two names of
    one class ("Minsk I", "Minsk II" agreements), or a name of unknown class. Names of
    different classes (talks and the declaration they produced) do not conflict."""
    theirs = {object_class(t, rules) for t in ep.object_texts()}
    ours = {object_class(t, rules) for t in m.objects.values()}
    return None in ours or None in theirs or bool(ours & theirs)


def compatible(m: Mention, ep: Episode, rules: Rules) -> tuple[int, str, str] | None:
    """A score, the reason ``m`` belongs to ``ep`` and the side it reports, or None."""
    shared = _shared_names(set(m.objects), ep.objects)
    if m.objects and ep.objects and not shared and _names_conflict(m, ep, rules):
        return None
    if m.reach and not shared:
        named = {object_class(t, rules) for t in ep.objects} - set(rules.prospective_forums)
        if named and not m.reach & named:
            return None   # a ceasefire still to be reached is not the declaration signed before
    if m.earlier:
        earlier = _earlier_object(m, ep, rules)
        if earlier is not None:
            return earlier
    if m.earlier and ep.window()[0] > m.end:
        return None   # an object referred back to is not the later one of the article
    if not shared and (_offer(m, rules) and _between_sides(ep)
                       or _mutual(m) and _offers_only(ep, rules)):
        return None   # one side's offer is not the talks or agreement between the sides
    slack = rules.day_slack_days
    if not shared and rules.span_days and not _overlap((m.start, m.end), ep.window(),
                                                       rules.span_days):
        return None   # too far from the episode's first mention (tested first: one test)
    dated = ep.dated()
    if not shared and not any(_overlap((m.start, m.end), (x.start, x.end), slack)
                              for x in dated):
        return None
    if shared:
        return 10, f"names {', '.join(sorted(shared))} like the episode", "proposer"
    proposers, addressees = set(ep.proposers), set(ep.addressees)
    sources, targets = set(m.sources), set(m.targets)
    reason = ""
    if sources & proposers:
        if targets and addressees and not (targets & addressees) and not any(
                rules.same_bloc(t, a) for t in targets for a in addressees):
            return None
        reason = f"same proposer {', '.join(sorted(sources & proposers))}"
        score = 3 + (2 if targets & addressees else 0)
        side = "proposer"
    elif sources and sources <= addressees and targets <= proposers and not (
            _offer(m, rules) and _offers_only(ep, rules)):   # a counter-offer is its own
        reason = f"answering party {', '.join(sorted(sources))} of a proposal to it"
        score = 2
        side = "answerer"
    else:
        return None
    if not m.reach and all(x.reach for x in ep.mentions):
        score -= 1   # what was agreed goes rather with what is done than with what is to be
    elif m.kind == ep.kind(rules):
        score += 2
    window = ep.window()
    reason += f"; dates overlap ({m.start}..{m.end} with {window[0]}..{window[1]})"
    return score, reason, side


def _offer(m: Mention, rules: Rules) -> bool:
    """Whether the mention is one side's offer or demand, not linked by its sentence to an
    agreement or talks: its own events are offers (see ``_lone_offer``), its proposers are
    not among its addressees and its sentence names no object ("the Minsk II agreement")."""
    return m.offer


def _lone_offer(ev: dict[str, Any], rules: Rules, conditions: frozenset[str]) -> bool:
    """Whether an event is one side's offer or demand that its sentence links to no
    agreement, talks or plan: a proposal whose trigger, or a word just after it, is an offer
    word (``offer_cues``: "proposed", "ready to offer", "called for"), or an offer on a
    condition (an event of a condition pattern, whatever its kind: "the truce could last
    longer if ..."); by a party that is not its target; with no object of a class
    (``object_classes``) after the trigger ("A's proposals on the treaty" are linked to the
    treaty)."""
    if not ev.get("source_code") or ev["source_code"] == ev.get("target_code"):
        return False
    if ev.get("pattern_id") not in conditions:
        if (rules.kind_of(ev["cameo"]) or {}).get("kind") != "proposal":
            return False
        after = ev["sentence"][ev["trigger_start"] - ev["sentence_start"]:].lower().split()[:3]
        if not any(w.startswith(rules.offer_cues) for w in after):
            return False
    rest = ev["sentence"][ev["trigger_end"] - ev["sentence_start"]:].lower()
    return not any(re.search(rf"\b{re.escape(w)}\b", rest) for w in rules.object_classes)


def _offered_objects(groups: list[list[dict[str, Any]]], rules: Rules,
                     conditions: frozenset[str]) -> dict[int, int]:
    """Groups that are only the object noun of a neighbouring offer of the same sentence
    ("the truce could last longer if ...", "a truce, offered by A"): offer group index ->
    object group index. The noun is what is offered; it is no mention of its own."""
    out: dict[int, int] = {}
    nouns = {k for k, h in enumerate(groups)
             if all(e["trigger_text"].lower() in rules.object_classes or any(
                 e["trigger_text"].lower().startswith(o) for o in rules.objects
                 if " " not in o) for e in h)}
    for n, g in enumerate(groups):
        if n in nouns or not all(_lone_offer(e, rules, conditions) for e in g):
            continue
        for k in sorted(nouns - set(out.values())):
            if any(_adjacent(e, x) for e in g for x in groups[k]):
                out[n] = k
                break
    return out


def _adjacent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two triggers of a sentence are at most a few words apart, with no comma or
    semicolon between them."""
    first, second = sorted((a, b), key=lambda e: e["trigger_start"])
    between = first["sentence"][first["trigger_end"] - first["sentence_start"]:
                                second["trigger_start"] - first["sentence_start"]]
    return 0 <= len(between) <= 25 and not re.search(r"[,;:]", between)


def _mutual(m: Mention) -> bool:
    """Whether the mention reports something between the sides: talks, an agreement or a
    ceasefire, or events in both directions ("A and B agreed")."""
    if m.offer:   # the talks or truce it offers do not make it one ("the truce could last")
        return False
    pairs = {(e["source_code"], e["target_code"]) for e in m.events}
    return m.kind in ("talks", "agreement", "ceasefire") or any(
        (b, a) in pairs for a, b in pairs if a and b)


def _offers_only(ep: Episode, rules: Rules) -> bool:
    """Whether every mention of the episode is an offer (see ``_offer``)."""
    return ep.offers_only()   # _offer is the mention's own ``offer``


def _between_sides(ep: Episode) -> bool:
    """Whether the episode is between the sides: a party is both proposer and addressee
    (talks, an agreement), not one side's proposal to another."""
    return bool(set(ep.proposers) & set(ep.addressees))


def _earlier_object(m: Mention, ep: Episode, rules: Rules) -> tuple[int, str, str] | None:
    """A mention that refers back to an earlier object joins the episode of its document
    that is of the same kind, shares a party and ended before the mention's action."""
    start, end = ep.window()
    if end > m.end or m.kind != ep.kind(rules) or not (set(m.sources) | set(m.targets)) & \
            ep.parties:
        return None
    here = ep.sentences_in(m.doc_id)
    if not here:
        return None
    return (9, f"refers back to the earlier {m.kind} of sentence {min(here)} ({start}..{end})",
            "proposer")


def group_mentions(mentions: list[Mention], rules: Rules) -> list[Episode]:
    """Greedy, deterministic grouping: precise mentions first, each to its best episode."""
    episodes: list[Episode] = []
    for m in sorted((m for m in mentions if m.role == "mention"), key=lambda m: m.key):
        _place(m, episodes, rules, create=True)
    for m in sorted((m for m in mentions if m.role == "denial"), key=lambda m: m.key):
        _place(m, episodes, rules, create=False)
    return episodes


def _place(m: Mention, episodes: list[Episode], rules: Rules, create: bool) -> None:
    best: tuple[int, int, str, str] | None = None
    for i, ep in enumerate(episodes):
        found = compatible(m, ep, rules)
        if found is None:
            continue
        score = found[0] + (1 if ep.near(m.doc_id, m.sentence_idx, 3) else 0)
        if best is None or score > best[0]:
            best = (score, i, found[1], found[2])
    if best is not None:
        m.side = best[3]
        episodes[best[1]].mentions.append(m)
        episodes[best[1]].reasons[id(m)] = best[2]
    elif create:
        ep = Episode([m])
        ep.reasons[id(m)] = "first mention" + _offer_in_talks(m, episodes, rules)
        episodes.append(ep)


def _offer_in_talks(m: Mention, episodes: list[Episode], rules: Rules) -> str:
    """An offer that names no addressee, reported in an article about talks between its
    proposer and others, is put to those others ("A said it was ready to offer ...").
    Sets the mention's addressees and returns the reason, or "" when there are no such talks."""
    if not _offer(m, rules):
        return ""
    for ep in episodes:
        if _between_sides(ep) and set(m.sources) < ep.parties and set(m.targets) <= ep.parties \
                and any(x.doc_id == m.doc_id for x in ep.mentions):
            m.targets = m.targets or sorted(ep.parties - set(m.sources))
            m.apart = True
            return (f"; an offer of {', '.join(m.sources)} apart from the talks with "
                    f"{', '.join(m.targets)} in its article")
    return ""


# -- answers ----------------------------------------------------------------------------
def answer_kind(ev: dict[str, Any], rules: Rules) -> str:
    if rules.threat_codes and str(ev.get("cameo") or "").startswith(rules.threat_codes):
        return "threatened"   # "will resume fighting once the truce ends"
    if ev["plover_type"] != "REJECT" and conditional(ev, rules):
        return "conditional"   # "would accept the plan only if ..."
    for kind, lemmas in rules.answer_kinds.items():
        if any(is_form_of(ev["trigger_text"], lemma, rules) for lemma in lemmas):
            if kind == "accepted" and ev["plover_type"] in NEGATIVE_TYPES:
                continue
            return kind
    return "rejected" if ev["plover_type"] in NEGATIVE_TYPES else "accepted"


# answers of these PLOVER types are refusals of what they answer (a rejection, a criticism)
NEGATIVE_TYPES = ("REJECT", "ACCUSE")


def is_form_of(word: str, lemma: str, rules: Rules) -> bool:
    """Whether ``word`` (a trigger; its first word) is ``lemma`` or one of its forms: regular
    endings (-s, -es, -ed, -d, -ing, a doubled consonant, y -> i) or an irregular form of
    ``rules.irregular_forms``. Whole words only: "brokered" is no form of "break"."""
    parts, heads = word.lower().split(), lemma.lower().split()
    if not parts or not heads:
        return False
    w, lem = parts[0], heads[0]
    return w == lem or rules.irregular_forms.get(w) == lem or _regular_form(w, lem)


@lru_cache(maxsize=1 << 16)
def _regular_form(w: str, lem: str) -> bool:
    """Whether ``w`` is ``lem`` with a regular ending (read for every event and lemma of a
    list: remembered, since the words of a corpus repeat)."""
    stems = {lem, lem + lem[-1]}
    if lem.endswith("e"):
        stems.add(lem[:-1])
    if lem.endswith("y") and len(lem) > 1 and lem[-2] not in "aeiou":
        stems.add(lem[:-1] + "i")
    return any(w == stem + end for stem in stems for end in ("s", "es", "ed", "d", "ing"))


def link_answers(episodes: list[Episode], answers: list[dict[str, Any]], rules: Rules
                 ) -> dict[int, list[tuple[dict[str, Any], str, str]]]:
    """Episode index -> (answer event, kind, reason): the nearest episode mentioned before
    the answer in the same article, whose proposer is not the answering party."""
    where: dict[str, list[tuple[int, int]]] = {}
    for i, ep in enumerate(episodes):
        for m in ep.mentions:
            if m.role == "mention":
                where.setdefault(m.doc_id, []).append((m.sentence_idx, i))
    for places in where.values():   # by sentence: an answer looks at the sentences near it
        places.sort()
    member_ids = {e["id"] for ep in episodes for m in ep.mentions for e in m.events}
    linked: dict[int, list[tuple[dict[str, Any], str, str]]] = {}
    for ev in sorted(answers, key=lambda e: (e["doc_id"], e["sentence_idx"], e["id"])):
        if ev["id"] in member_ids or not ev.get("source_code"):
            continue
        # mentions before the answer, nearest first; then mentions just after it (a lead
        # sentence often reports the answer before the article describes what it answers)
        places = where.get(ev["doc_id"], [])
        near = places[bisect_left(places, (ev["sentence_idx"] - rules.answer_window, -1)):
                      bisect_left(places, (ev["sentence_idx"] + rules.lead_window + 1, -1))]
        candidates = sorted(
            ((ev["sentence_idx"] - idx, i) for idx, i in near),
            key=lambda c: (c[0] < 0, c[0] != 0 and not _solid(episodes[c[1]], rules),
                           abs(c[0]), c[1]))   # the same sentence's episode, else a solid one
        if not candidates and refers_back(ev["sentence"], rules):
            # "the peace agreement was also welcomed", far down the article: the article's
            # agreement mentioned last before it
            candidates = sorted(((ev["sentence_idx"] - idx, i) for idx, i in where.get(
                ev["doc_id"], []) if ev["sentence_idx"] - idx > 0), key=lambda c: (c[0], c[1]))
        named = {k for k, t in named_objects(ev["sentence"], rules).items()
                 if not set(t.lower().split()) & rules.event_heads}   # not "at the X summit"
        chosen = False
        for distance, i in candidates:
            ep = episodes[i]
            if named and not named & ep.objects:
                continue
            kind = answer_kind(ev, rules)
            # a party leaving talks, an agreement or a plan that several parties share
            symmetric = (ep.kind(rules) in ("talks", "agreement", "ceasefire")
                         or len(ep.proposers) > 1
                         ) and kind in ("abandoned", "refused", "rejected", "threatened")
            if ev["source_code"] in ep.proposers and not symmetric and not _answers_a_party(
                    ev, ep) and not continues(ev, rules) and not confirms(ev, rules):
                continue
            target = ev.get("target_code")
            if target and target not in ep.parties and not any(
                    rules.same_bloc(target, p) for p in ep.parties):
                continue
            start, _ = ep.window()
            end = _day(ev.get("date_end"))
            if end is not None and end < start - timedelta(days=31) and ev["modality"] not in (
                    "future", "hypothetical"):   # what will be done is not dated before
                continue
            where_text = "the same sentence" if distance == 0 else (
                f"{distance} sentence{'s' if distance > 1 else ''} after a mention"
                if distance > 0 else
                f"{-distance} sentence{'s' if distance < -1 else ''} before a mention")
            reason = (f"{ev['source_code']} answers in {where_text}; " + (
                "a party keeping to it" if continues(ev, rules) or confirms(ev, rules) else
                f"a proposer answering {ev['target_code']}'s position"
                if _answers_a_party(ev, ep) and not symmetric else
                "a party threatening to end it" if ev["source_code"] in ep.proposers
                and kind == "threatened" else
                "a party leaving talks" if ev["source_code"] in ep.proposers
                else f"not a proposer ({', '.join(ep.proposers)})"))
            linked.setdefault(i, []).append((ev, kind, reason))
            chosen = True
            break
        if not chosen and not candidates and ev.get("target_code") and not named:
            found = _answer_by_date(ev, episodes, rules)
            if found is not None:
                linked.setdefault(found[0], []).append((ev, answer_kind(ev, rules), found[1]))
    return linked


def refers_back(sentence: str, rules: Rules) -> bool:
    """Whether a sentence names a negotiation object with a definite article ("the peace
    agreement", "the deal", "this accord"): it refers back to one the article described."""
    heads = "|".join(re.escape(h) for h in sorted(rules.named_heads | {"truce", "ceasefire"}))
    return re.search(rf"\b(?:the|this|that)\s+(?:[\w-]+\s+){{0,2}}(?:{heads})\b",
                     sentence.lower()) is not None


def _answers_a_party(ev: dict[str, Any], ep: Episode) -> bool:
    """Whether a proposer of ``ep`` answers another party's position in it: a party to talks
    that accepts or rejects what the other side put forward ("Armenia accepted Azerbaijan's
    proposals", "Azerbaijan dismissed Armenia's suggestion")."""
    target = ev.get("target_code")
    return bool(target) and target != ev["source_code"] and target in ep.proposers


def _answer_by_date(ev: dict[str, Any], episodes: list[Episode], rules: Rules
                    ) -> tuple[int, str] | None:
    """The latest episode proposed by the answer's target shortly before the answer."""
    start, end = _day(ev.get("date_start")), _day(ev.get("date_end"))
    if start is None or end is None:
        return None
    best: tuple[date, int] | None = None
    for i, ep in enumerate(episodes):
        if ev["target_code"] not in ep.proposers or ev["source_code"] in ep.proposers:
            continue
        ep_start, _ = ep.window()
        if ep_start <= end and start - ep_start <= timedelta(days=rules.answer_days) and (
                best is None or ep_start > best[0]):
            best = (ep_start, i)
    if best is None:
        return None
    return best[1], (f"{ev['source_code']} answers {ev['target_code']} within "
                     f"{rules.answer_days} days of the proposal ({best[0]})")


# -- parties with provenance ---------------------------------------------------------------
def mediators(ep: Episode, docs: DocRows, rules: Rules, stops: Container[tuple[str, int]]
              ) -> list[dict[str, Any]]:
    """Mediator and host parties named in or just after the episode's mentions."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    by_doc: dict[str, dict[int, dict[str, Any]]] = {}
    for m in ep.mentions:
        if m.doc_id not in by_doc:
            by_doc[m.doc_id] = {s["idx"]: s for s in docs.sentences(m.doc_id)}
        sentences = by_doc[m.doc_id]
        for idx in range(m.sentence_idx, m.sentence_idx + rules.context_window + 1):
            if idx not in sentences or (idx != m.sentence_idx and (m.doc_id, idx) in stops):
                break
            sent = sentences[idx]
            low = sent["text"].lower()
            for role, cues in rules.mediator_cues.items():
                for cue in cues:
                    for hit in re.finditer(rf"\b{re.escape(cue)}\b", low):
                        after = sent["start"] + hit.end()
                        clause_end = _clause_end(sent, hit.end())
                        for men in docs.mentions_within(m.doc_id, after, clause_end):
                            if not men["code"]:
                                continue
                            if men["code"] in ep.parties or _attributive(sent, men):
                                continue
                            key = (role, men["code"], m.doc_id)
                            if key in seen:
                                continue
                            seen.add(key)
                            rows.append({"role": role, "code": men["code"],
                                         "doc_id": m.doc_id, "sentence_idx": idx,
                                         "start": men["start"], "end": men["end"],
                                         "text": men["text"]})
    return rows


def _facilitator_rows(ep: Episode, known: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hosts and mediators found as events of the episode's own sentences."""
    seen = {(r["role"], r["code"], r["doc_id"]) for r in known}
    rows = []
    for m in ep.mentions:
        for role, e in m.facilitators:
            key = (role, e["source_code"], e["doc_id"])
            if key in seen or e["source_code"] in ep.parties:
                continue
            seen.add(key)
            rows.append({"role": role, "code": e["source_code"], "doc_id": e["doc_id"],
                         "sentence_idx": e["sentence_idx"], "start": e["source_start"],
                         "end": e["source_end"], "text": e["source_text"]})
    return rows


def _clause_end(sent: dict[str, Any], offset: int) -> int:
    rest = sent["text"][offset:]
    stop = re.search(r"[;:.]|, (?:and |but |while |who |which )", rest)
    return sent["start"] + offset + (stop.start() if stop else len(rest))


def _attributive(sent: dict[str, Any], men: dict[str, Any]) -> bool:
    """A country named as a modifier ("US allies Turkey") is not itself the party."""
    rest = sent["text"][men["end"] - sent["start"]:]
    word = re.match(r"\s+([a-z]+)", rest)
    return bool(word) and word.group(1) not in FUNCTION_WORDS


FUNCTION_WORDS = frozenset([
    "and", "or", "but", "as", "in", "on", "at", "for", "to", "with", "who", "which", "that",
    "of", "by", "from", "was", "were", "is", "are", "has", "have", "had", "said", "also"])


class DocRows:
    """A document's sentence, mention and term rows, read from the store once per build."""

    def __init__(self, store: Store):
        self.store = store
        self._sentences: dict[str, list[dict[str, Any]]] = {}
        self._mentions: dict[str, list[dict[str, Any]]] = {}
        self._starts: dict[str, list[int]] = {}
        self._terms: dict[str, DocTerms] = {}

    def terms(self, doc_id: str) -> DocTerms:
        """The document's sentences and terms indexed for ``terms_for_episode``."""
        if doc_id not in self._terms:
            self._terms[doc_id] = DocTerms(self.sentences(doc_id), self.store.terms(doc_id))
        return self._terms[doc_id]

    def sentences(self, doc_id: str) -> list[dict[str, Any]]:
        if doc_id not in self._sentences:
            self._sentences[doc_id] = self.store.sentences(doc_id)
        return self._sentences[doc_id]

    def mentions(self, doc_id: str) -> list[dict[str, Any]]:
        if doc_id not in self._mentions:
            self._mentions[doc_id] = self.store.mentions(doc_id=doc_id)
            self._starts[doc_id] = [men["start"] for men in self._mentions[doc_id]]
        return self._mentions[doc_id]

    def mentions_within(self, doc_id: str, start: int, end: int) -> list[dict[str, Any]]:
        """The document's mentions that start in [start, end), in their order (by start)."""
        rows = self.mentions(doc_id)
        starts = self._starts[doc_id]
        return rows[bisect_left(starts, start):bisect_left(starts, end)]


# -- build ------------------------------------------------------------------------------
@dataclass
class Built:
    """The rows of one build, before they are stored."""

    episodes: list[dict[str, Any]]
    members: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    terms: list[dict[str, Any]]


Linked = dict[int, list[tuple[dict[str, Any], str, str]]]


def build(store: Store, rules: Rules | None = None, taxonomy: Taxonomy | None = None,
          patterns: PatternSet | None = None,
          on_groups: Callable[[list[Episode], Linked], None] | None = None) -> Built:
    """Group the store's events into episodes with answers, parties and terms (``taxonomy``:
    the provisions, by default the packaged ones; ``patterns``: the event patterns the events
    were coded with, by default the built-in ones, for which of them judge what they
    govern). ``on_groups(groups, linked)`` sees every group of mentions (kept as an episode
    or not) and the answers linked to them, before the rows are made (the incremental index
    is built from them)."""
    rules = rules or load_rules()
    events = store.events()
    patterns = patterns or load_patterns()
    mentions, answers = mentions_of(events, rules, patterns.judging(), patterns.conditional())
    grouped = group_mentions(mentions, rules)
    linked = link_answers(grouped, answers, rules)
    if on_groups is not None:
        on_groups(grouped, linked)
    kept = [i for i, ep in enumerate(grouped) if is_kept(ep, linked.get(i, []), rules)]
    stops_all = {(m.doc_id, m.sentence_idx): i for i in kept for m in grouped[i].mentions}
    return episode_rows(store, grouped, linked, kept, stops_all, rules, taxonomy)


def episode_rows(store: Store, grouped: list[Episode], linked: Linked, kept: list[int],
                 stops_all: dict[tuple[str, int], int], rules: Rules,
                 taxonomy: Taxonomy | None = None) -> Built:
    """The rows of the episodes ``grouped[i]`` for ``i`` in ``kept``; ``stops_all``: the
    sentences of every kept episode -> its index (other episodes' sentences end terms)."""
    doc_rows = DocRows(store)
    out = Built([], [], [], [])
    used_ids: set[str] = set()
    for i in kept:
        ep = grouped[i]
        ep_id = episode_id(ep, used_ids)
        used_ids.add(ep_id)
        start, end, precision = shown_dates(ep)
        answers_here = linked.get(i, [])
        kind = ep.kind(rules)
        mediator_rows = mediators(ep, doc_rows, rules, _Others(stops_all, i))
        mediator_rows += _facilitator_rows(ep, mediator_rows)
        docs = {m.doc_id for m in ep.mentions} | {a[0]["doc_id"] for a in answers_here}
        row = {
            "id": ep_id, "kind": kind, "proposer": ep.proposers,
            "addressee": [a for a in ep.addressees if a not in ep.proposers]
            or ep.addressees or _answerers(answers_here, ep),
            "mediators": sorted({r["code"] for r in mediator_rows}),
            "signatories": sorted(ep.parties) if kind == "agreement" else [],
            "named_object": ep.display_name(),
            "date_start": start.isoformat(), "date_end": end.isoformat(),
            "date_precision": precision,
            "n_mentions": len({(m.doc_id, m.sentence_idx) for m in ep.mentions}),
            "n_sources": len(docs), "n_answers": len(answers_here),
            "answers_summary": _answer_summary(answers_here),
            "builder_version": BUILDER_VERSION, "built_at": now(),
        }
        row["title"] = title(row, ep)
        out.episodes.append(row)
        seen_events: set[str] = set()
        for m in ep.mentions:
            for e in m.events:
                if e["id"] in seen_events:
                    continue
                seen_events.add(e["id"])
                out.members.append({"episode_id": ep_id, "event_id": e["id"], "role": m.role,
                                    "answer_kind": None, "reason": ep.reasons[id(m)]})
            for role, e in m.facilitators:
                if e["id"] not in seen_events:
                    seen_events.add(e["id"])
                    out.members.append({
                        "episode_id": ep_id, "event_id": e["id"], "role": "mention",
                        "answer_kind": None,
                        "reason": f"{role} {e['source_code']} of the talks in this sentence"})
        for ev, kind_, reason in answers_here:
            if ev["id"] not in seen_events:
                seen_events.add(ev["id"])
                out.members.append({"episode_id": ep_id, "event_id": ev["id"],
                                    "role": "answer", "answer_kind": kind_, "reason": reason})
        for role, codes in (("proposer", ep.proposers), ("addressee", row["addressee"])):
            for code in codes:
                for m in ep.mentions:
                    e = next((e for e in m.events if code in (e["source_code"],
                                                              e["target_code"])), None)
                    if e is None:
                        continue
                    side = "source" if e["source_code"] == code else "target"
                    out.parties.append({"episode_id": ep_id, "role": role, "code": code,
                                        "doc_id": e["doc_id"],
                                        "sentence_idx": e["sentence_idx"],
                                        "start": e[f"{side}_start"], "end": e[f"{side}_end"],
                                        "text": e[f"{side}_text"]})
                    break
        out.parties.extend({"episode_id": ep_id, **r} for r in mediator_rows)
        for doc_id in sorted({m.doc_id for m in ep.mentions if m.role == "mention"}):
            members = {m.sentence_idx for m in ep.mentions if m.doc_id == doc_id}
            stops = _Others(stops_all, i, doc_id)
            # an object the article only refers back to ("recalled at the first summit")
            # has the terms of those sentences, not of the text that goes on after them
            only_own = all(m.earlier for m in ep.mentions if m.doc_id == doc_id)
            for t in terms_for_episode([], [], members, stops, taxonomy,
                                       prepared=doc_rows.terms(doc_id)):
                for sp in t["spans"]:  # every sentence stating the term is its evidence
                    if only_own and sp["sentence_idx"] not in members:
                        continue
                    out.terms.append({"episode_id": ep_id, "term_id": sp["id"],
                                      "reason": sp["reason"]})
    return out


class _Others:
    """The sentences of episodes other than ``own`` (``owner``: (document, sentence) -> its
    episode), as a membership test: (document, sentence), or a sentence of ``doc_id``. A
    view, so that a long document's many episodes do not each copy its sentences."""

    def __init__(self, owner: dict[tuple[str, int], int], own: int, doc_id: str | None = None):
        self.owner, self.own, self.doc_id = owner, own, doc_id

    def __contains__(self, key: object) -> bool:
        where = key if self.doc_id is None else (self.doc_id, key)
        return self.owner.get(where, self.own) != self.own   # type: ignore[call-overload]


def is_kept(ep: Episode, answers: list[tuple[dict[str, Any], str, str]], rules: Rules
            ) -> bool:
    """Whether an episode is kept: it has mentions in two sentences, a named object, an
    offer kept apart from talks, or an answer that was given. An answer only said of the
    future or of what would be done ("nothing guarantees he will honour the agreement")
    joins an episode that stands by itself, but does not make a lone mention one."""
    return _solid(ep, rules) or any(m.apart for m in ep.mentions) or any(
        a[0]["modality"] not in ("future", "hypothetical") for a in answers)


def shown_dates(ep: Episode) -> tuple[date, date, str]:
    """The episode's dates as shown: those of its most precise dated mention; an episode no
    mention of which dates shows the publication period of its articles (precision
    "publication"), one referred back to as earlier the period before them ("before
    publication"), and one without full publication dates the window it was grouped by
    ("approximate")."""
    start, end = ep.window()
    best = min(ep.mentions, key=lambda m: m.key)
    if best.explicit:
        return start, end, best.precision
    if best.earlier:
        return start, end, "before publication"
    days = sorted(d for d in (_day(_published(m)) for m in ep.mentions) if d)
    if days:
        return days[0], days[-1], "publication"
    return start, end, "approximate"


def episode_id(ep: Episode, used: set[str]) -> str:
    """An id from the episode's content, not from ingest order or row ids: a hash of its
    anchor mention (the first mention of the earliest article: document hash, sentence,
    event ids). Later articles that join the episode leave it unchanged; the same articles
    ingested in any order, under any hash seed, give the same ids."""
    m = ep.anchor()
    key = "\n".join([m.doc_id, str(m.sentence_idx), *sorted(e["id"] for e in m.events)])
    digest = hashlib.sha256(key.encode()).hexdigest()
    n = 10
    while f"ep-{digest[:n]}" in used:   # never in practice; deterministic if it happens
        n += 2
    return f"ep-{digest[:n]}"


def title(row: dict[str, Any], ep: Episode) -> str:
    """A short title from the episode's name when it has one, else its parties and kind:
    'Stockholm Agreement (YEM–HOUTHIS), 2018-12', 'USA–TALIBAN agreement, 2020-02',
    'RUS proposal to USA, 2021-12'."""
    when = row["date_start"][:7] if row["date_precision"] in ("day", "month") or (
        row["date_precision"] == "publication"
        and row["date_start"][:7] == row["date_end"][:7]) else row["date_start"][:4]
    kind = row["kind"]
    parties = sorted(set(row["proposer"]) | set(row["addressee"]))
    if row["named_object"]:
        return f"{row['named_object']} ({'–'.join(parties[:4]) or '?'}), {when}"
    if row["kind"] in ("talks", "agreement", "ceasefire"):
        return f"{'–'.join(parties[:4]) or '?'} {kind}, {when}"
    who = "–".join(row["proposer"][:2]) or "?"
    to = ", ".join(row["addressee"][:2])
    return f"{who} {kind}" + (f" to {to}" if to else "") + f", {when}"


def _answerers(answers: list[tuple[dict[str, Any], str, str]], ep: Episode) -> list[str]:
    """Who answered an episode that names no addressee: a party that answers a proposal is
    the one it was put to (in the order they answered, proposers excluded)."""
    ordered = sorted(answers, key=lambda a: (a[0]["doc_id"], a[0]["sentence_idx"], a[0]["id"]))
    return list(dict.fromkeys(a[0]["source_code"] for a in ordered
                              if a[0]["source_code"] not in ep.proposers))


def _answer_summary(answers: list[tuple[dict[str, Any], str, str]]) -> list[dict[str, Any]]:
    """One entry per answering party and kind, with every event that reports it."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for event, kind, _reason in answers:
        key = (event["source_code"], kind)
        if key not in out:
            out[key] = {"by": [event["source_code"]], "kind": kind, "event_id": event["id"],
                        "event_ids": [], "said_by": []}
        out[key]["event_ids"].append(event["id"])
        speaker = event.get("attribution_code")   # who says so: the answerer or a reporter
        if speaker and speaker not in out[key]["said_by"]:
            out[key]["said_by"].append(speaker)
    return list(out.values())
