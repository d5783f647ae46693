"""Actor dictionaries and the resolver that maps mentions in a parsed text to actors.

Dictionaries are YAML files (see docs/actors.md): countries, organisations, sectors,
titles and persons with dated roles. A user file given with ``--actors`` extends them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .datafiles import DataFile, builtin_path, load

DATA_DIR = Path(__file__).parent / "data" / "actors"
DEFAULT_FILES = ("countries.yaml", "organisations.yaml", "sectors.yaml", "titles.yaml",
                 "persons.yaml", "places.yaml", "institutions.yaml")

# kinds of dictionary surface
NAME, ADJ, DEMONYM, CAPITAL, SEAT, ORG, PERSON, ROLE, PLACE = (
    "name", "adjective", "demonym", "capital", "seat", "organisation", "person", "role", "place")
_PROPER_KINDS = (NAME, ADJ, DEMONYM, CAPITAL, SEAT, ORG, PERSON, PLACE)
_MODIFIER_POS = {"ADJ", "NUM", "DET", "ADV"}
_FUNCTION_POS = {"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV", "PART"}
_POSSESSIVE = {"'s", "’s", "'", "’"}


@dataclass(frozen=True)
class Role:
    country: str | None
    sector: str | None
    role: str
    start: date | None
    end: date | None

    def holds_on(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)

    def distance(self, when: date) -> int:
        if self.holds_on(when):
            return 0
        if self.start and when < self.start:
            return (self.start - when).days
        return (when - self.end).days if self.end else 0


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    roles: tuple[Role, ...]

    def role_on(self, when: date | None, title_role: str | None = None) -> tuple[Role | None, bool]:
        """The role held on ``when`` (a titled mention prefers the role its title names).

        Returns the role and whether it holds on that date (False: nearest role).
        """
        if not self.roles:
            return None, False
        if title_role:
            titled = [r for r in self.roles if title_role in r.role or r.role in title_role]
            if titled:
                pick = min(titled, key=lambda r: r.distance(when) if when else 0)
                return pick, when is None or pick.holds_on(when)
        if when is None:
            return self.roles[-1], True
        pick = min(self.roles, key=lambda r: (r.distance(when), -(r.start or date.min).toordinal()))
        return pick, pick.holds_on(when)


@dataclass(frozen=True)
class Entry:
    """One surface form in a dictionary."""

    kind: str
    code: str | None
    sector: str | None = None
    person: str | None = None
    role: str | None = None
    source: str = ""


@dataclass
class Resolution:
    """How a phrase resolves."""

    text: str
    start: int
    end: int
    code: str | None = None
    sector: str | None = None
    person: str | None = None
    person_name: str | None = None
    role: str | None = None
    role_current: bool | None = None
    method: str = "unresolved"
    entry: str | None = None
    ner_label: str | None = None

    @property
    def resolved(self) -> bool:
        return self.code is not None or self.person is not None or self.sector is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "start": self.start, "end": self.end, "code": self.code,
            "sector": self.sector, "person": self.person_name, "person_id": self.person,
            "role": self.role, "role_current": self.role_current, "method": self.method,
            "entry": self.entry, "ner_label": self.ner_label,
        }


class MentionIndex:
    """The resolved mentions of a Doc by token, and by the position of their root token.

    Built once per document by the ``detente_mentions`` stage (``Doc._.mention_index``);
    only mentions with a code, a person or a sector are indexed.
    """

    def __init__(self, doc: Doc, mentions: Iterable[Resolution]):
        self.by_token: dict[int, Resolution] = {}
        self.ordered: list[tuple[int, Resolution]] = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not m.resolved:
                continue
            for t in span:
                self.by_token.setdefault(t.i, m)
            self.ordered.append((span.root.i, m))
        self.ordered.sort(key=lambda x: x[0])

    @classmethod
    def of(cls, doc: Doc, mentions: Iterable[Resolution]) -> MentionIndex:
        """The index the pipeline stored on ``doc``, or a new one for ``mentions``."""
        stored = doc._.mention_index if Doc.has_extension("mention_index") else None
        return stored if isinstance(stored, cls) else cls(doc, mentions)


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _strip_the(surface: str) -> str:
    return re.sub(r"^the\s+", "", surface.strip(), flags=re.I)


@dataclass
class ActorDictionary:
    """All surfaces from the dictionary files, and the persons with their roles."""

    entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    role_words: dict[str, Entry] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # code -> canonical name
    files: list[DataFile] = field(default_factory=list)

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> ActorDictionary:
        return _load_cached(tuple(str(p) for p in extra))

    def add_file(self, path: Path) -> None:
        """Add the entries of one actor file (files add up: see docs/actors.md)."""
        file = load(path, "actors")
        self.files.append(file)
        data = file.data or {}
        src = path.name
        for c in data.get("countries", []) or []:
            code = c["code"]
            self.names[code] = c.get("name", code)
            for s in [c.get("name"), *(c.get("names") or [])]:
                if s:
                    self._add(s, Entry(NAME, code, None, source=f"{src}:{code}:names"))
            for kind, key, sector in ((ADJ, "adjectives", None), (DEMONYM, "demonyms", None),
                                      (CAPITAL, "capitals", "GOV"), (SEAT, "seats", "GOV")):
                for s in c.get(key) or []:
                    self._add(s, Entry(kind, code, sector, source=f"{src}:{code}:{key}"))
        for o in data.get("organisations", []) or []:
            code = o["code"]
            self.names[code] = o.get("name", code)
            sector = o.get("sector")
            for s in [o.get("name"), *(o.get("names") or [])]:
                if s:
                    self._add(s, Entry(ORG, code, sector, source=f"{src}:{code}",
                                       role=o.get("country")))
            for s in o.get("adjectives") or []:
                self._add(s, Entry(ADJ, code, sector, source=f"{src}:{code}:adjectives"))
        for sector, spec in (data.get("sectors") or {}).items():
            for noun in (spec or {}).get("nouns") or []:
                self.role_words[noun.lower()] = Entry(ROLE, None, sector,
                                                      source=f"{src}:{sector}:{noun}")
        for t in data.get("titles", []) or []:
            self.role_words.setdefault(
                t["title"].lower(),
                Entry(ROLE, None, t.get("sector"), role=t.get("role"),
                      source=f"{src}:title:{t['title']}"),
            )
        for inst in data.get("institutions", []) or []:
            for surface in inst.get("names") or []:
                self._add(surface, Entry(SEAT, inst["country"], inst.get("sector"),
                                         source=f"{src}:{inst['country']}:{surface}"))
        for place in data.get("places", []) or []:
            for surface in [place["name"], *(place.get("aliases") or [])]:
                self._add(surface, Entry(PLACE, place["country"],
                                         source=f"{src}:{place['name']}"))
        for p in data.get("persons", []) or []:
            roles = tuple(
                Role(r.get("country"), r.get("sector"), r.get("role", ""),
                     _date(r.get("start")), _date(r.get("end")))
                for r in p.get("roles") or []
            )
            person = Person(p["id"], p["name"], roles)
            self.persons[p["id"]] = person
            for s in {p["name"], *(p.get("aliases") or [])}:
                self._add(s, Entry(PERSON, None, None, person=p["id"],
                                   source=f"{src}:{p['id']}"))

    def _add(self, surface: str, entry: Entry) -> None:
        key = _strip_the(surface)
        if key and entry not in self.entries[key]:
            self.entries[key].append(entry)

    def describe(self, code: str | None) -> str | None:
        return self.names.get(code) if code else None


@lru_cache(maxsize=8)
def _load_cached(extra: tuple[str, ...]) -> ActorDictionary:
    d = ActorDictionary()
    for name in DEFAULT_FILES:
        path = DATA_DIR / name
        if path.exists():
            d.add_file(path)
    for p in extra:
        path = Path(p)
        if not path.is_file():
            raise FileNotFoundError(f"actor file {p} not found; pass a YAML file to --actors")
        d.add_file(path)
    return d


@dataclass
class _Piece:
    """A dictionary match inside a sentence."""

    start: int  # token index
    end: int
    kind: str
    entries: list[Entry]


class Resolver:
    """Find and resolve actor mentions in spaCy Docs."""

    def __init__(self, nlp: Any, dictionary: ActorDictionary):
        self.dictionary = dictionary
        self.proper = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.common = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._surface_ids: dict[str, str] = {}
        make = nlp.make_doc
        for surface in dictionary.entries:
            self.proper.add(surface, [make(surface)])
        for word in dictionary.role_words:
            self.common.add("ROLE::" + word, [make(word)])

    # -- matching ---------------------------------------------------------------------
    def _pieces(self, doc: Doc | Span) -> list[_Piece]:
        vocab = doc.vocab
        found: list[_Piece] = []
        roles = [(vocab.strings[mid].split("::", 1)[1], s, e) for mid, s, e in self.common(doc)]
        role_tokens = {i for _, s, e in roles for i in range(s, e)}
        for match_id, s, e in self.proper(doc):
            surface = vocab.strings[match_id]
            entries = self.dictionary.entries[surface]
            kinds = {x.kind for x in entries}
            kind = next(k for k in _PROPER_KINDS if k in kinds)
            if kind == PERSON and e - s == 1 and doc[s].pos_ in _FUNCTION_POS:
                continue  # a surname that is also a common word, used as one ("May we")
            if kind == PERSON and e - s == 1 and s > 0 and doc[s - 1].pos_ == "PROPN" and (
                    doc[s - 1].text[:1].isupper() and (s - 1) not in role_tokens):
                continue  # someone else's surname: "Bill Gates" is not Robert Gates
            if kind in (CAPITAL, PLACE) and e < len(doc) and _names_agreement(doc, e):
                continue  # part of an agreement's name: "the Minsk II agreement"
            found.append(_Piece(s, e, kind, entries))
        for word, s, e in roles:
            if doc[s].pos_ in ("VERB", "AUX") and e - s == 1:
                continue
            found.append(_Piece(s, e, ROLE, [self.dictionary.role_words[word]]))
        found.sort(key=lambda p: (p.start, -(p.end - p.start), p.kind != PERSON))
        pieces: list[_Piece] = []
        last_end = -1
        for p in found:
            if p.start >= last_end:
                pieces.append(p)
                last_end = p.end
        return pieces

    def _runs(self, doc: Doc | Span, pieces: list[_Piece]) -> list[list[_Piece]]:
        """Group pieces that form one noun phrase ("a senior Russian official")."""
        runs: list[list[_Piece]] = []
        for p in pieces:
            if runs:
                prev = runs[-1][-1]
                between = doc[prev.end : p.start]
                of_link = (prev.kind == ROLE and p.kind in (NAME, ORG, CAPITAL)
                           and [t.lower_ for t in between] in (["of"], ["of", "the"]))
                if of_link or all(t.pos_ in _MODIFIER_POS and t.lower_ not in {"and", "or"}
                                  or t.text in _POSSESSIVE for t in between
                                  ) and len(between) <= 3 and not (
                    prev.kind in (PERSON, ORG, NAME) and p.kind in (PERSON, ORG, NAME)
                    and not any(t.text in _POSSESSIVE for t in between)
                ):
                    runs[-1].append(p)
                    continue
            runs.append([p])
        return runs

    def mentions(self, doc: Doc | Span, when: date | None = None,
                 known: dict[str, Resolution] | None = None) -> list[Resolution]:
        """All actor mentions in ``doc``, resolved at ``when``; NER entities left over are
        kept as unresolved mentions. ``known`` carries names seen earlier in the document."""
        known = {} if known is None else known
        out: list[Resolution] = []
        covered: set[int] = set()
        for run in self._runs(doc, self._pieces(doc)):
            for res, (s, e) in self._interpret(doc, run, when):
                if res.person:
                    person = self.dictionary.persons[res.person]
                    known[person.name.split()[-1]] = res
                    if res.role and res.code:   # "Foreign Secretary Jeremy Hunt"
                        known["title:" + res.role.lower()] = res
                elif res.method == "role" and res.role and res.code is None:
                    _title_back(res, known.get("title:" + res.role.lower()))
                out.append(res)
                covered.update(range(s, e))
        for ent in getattr(doc, "ents", ()):
            if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
                continue
            if any(i in covered for i in range(ent.start, ent.end)):
                continue
            text = ent.text
            res = Resolution(text, ent.start_char, ent.end_char, ner_label=ent.label_)
            last = text.split()[-1] if text.split() else text
            if ent.label_ in ("PERSON", "ORG") and len(text.split()) == 1 and last in known:
                prior = known[last]  # a surname repeating a full name seen before
                res.code, res.sector, res.person = prior.code, prior.sector, prior.person
                res.person_name, res.role = prior.person_name or prior.text, prior.role
                res.method = "same-doc"
            elif ent.label_ == "PERSON" and len(text.split()) > 1:
                known.setdefault(last, res)
            out.append(res)
        out.sort(key=lambda r: r.start)
        return out

    def _interpret(self, doc: Doc | Span, run: list[_Piece], when: date | None
                   ) -> list[tuple[Resolution, tuple[int, int]]]:
        # split at a possessive whose right side holds no role word or person
        for i in range(1, len(run)):
            between = doc[run[i - 1].end : run[i].start]
            if any(t.text in _POSSESSIVE for t in between):
                left, right = run[:i], run[i:]
                if (len(left) == 1 and left[0].kind in (NAME, CAPITAL) and len(right) == 1
                        and right[0].kind == ORG and right[0].entries[0].sector == "IGO"):
                    # "Russia's Security Council": a national body, not the UN's
                    span = doc[left[0].start : right[0].end]
                    res = Resolution(span.text, span.start_char, span.end_char,
                                     code=left[0].entries[0].code, sector="GOV",
                                     method="possessive+institution",
                                     entry=left[0].entries[0].source)
                    return [(res, (left[0].start, right[0].end))]
                if not any(p.kind in (ROLE, PERSON) for p in right):
                    return self._interpret(doc, left, when) + self._interpret(doc, right, when)
                if any(p.kind == PERSON for p in left) and not any(p.kind == PERSON for p in right):
                    # "Putin's adviser": the possessor, and a role of the possessor's country
                    owner = self._interpret(doc, left, when)
                    held = self._interpret(doc, right, when)
                    if owner and held:
                        held[0][0].code = held[0][0].code or owner[0][0].code
                        held[0][0].method = "possessive+role"
                    return owner + held
        last = run[-1]
        if last.kind in (ROLE, SEAT) and any(p.kind == PERSON for p in run[:-1]):
            # "the Biden administration": the person's government, not the person
            owner = self._interpret(doc, run[:-1], when)
            held = self._interpret(doc, [last], when)
            if owner and held:
                held[0][0].code = held[0][0].code or owner[0][0].code
                held[0][0].method = "person+" + ("role" if last.kind == ROLE else "seat")
                span = doc[run[0].start : last.end]
                res = held[0][0]
                res.text, res.start, res.end = span.text, span.start_char, span.end_char
                return [(res, (run[0].start, last.end))]
        s, e = run[0].start, run[-1].end
        span = doc[s:e]
        res = Resolution(span.text, span.start_char, span.end_char)
        kinds = [p.kind for p in run]
        role_entries = [p.entries[0] for p in run if p.kind == ROLE]
        title_role = next((r.role for r in role_entries if r.role), None)
        role_sector = role_entries[-1].sector if role_entries else None
        person_piece = next((p for p in run if p.kind == PERSON), None)
        country_piece = next((p for p in run if p.kind in (NAME, ADJ, DEMONYM, CAPITAL, SEAT)),
                             None)
        if country_piece is None and not _person_piece(run) and any(
                p.kind == PLACE for p in run):
            country_piece = next(p for p in run if p.kind == PLACE)
        org_piece = next((p for p in run if p.kind == ORG), None)
        sources: list[str] = []
        if person_piece:
            person, role, current = self._pick_person(person_piece, when, title_role,
                                                      country_piece)
            res.person, res.person_name = person.id, person.name
            if role:
                res.code, res.sector, res.role, res.role_current = (
                    role.country, role.sector, role.role, current)
            sources.append(next(x.source for x in person_piece.entries if x.person == person.id))
            res.method = "title+person" if role_entries else "person"
            if country_piece and res.code is None:
                res.code = country_piece.entries[0].code
        elif org_piece:
            entry = org_piece.entries[0]
            res.code, res.sector = entry.code, role_sector or entry.sector
            res.method = "organisation" + ("+role" if role_entries else "")
            sources.append(entry.source)
        elif country_piece:
            entry = next(x for x in country_piece.entries if x.kind == country_piece.kind)
            res.code = entry.code
            res.sector = role_sector or entry.sector
            res.method = country_piece.kind + ("+role" if role_entries else "")
            sources.append(entry.source)
        else:
            res.sector = role_sector
            res.role = title_role
            res.method = "role"
        if role_entries and not person_piece:
            res.role = title_role
        sources += [r.source for r in role_entries]
        res.entry = "; ".join(sources) or None
        if kinds == [ROLE] and not _is_head_noun(doc[s:e]):
            return []  # "government forces": a modifier, not a mention
        return [(res, (s, e))]

    def _pick_person(self, piece: _Piece, when: date | None, title_role: str | None,
                     country_piece: _Piece | None) -> tuple[Person, Role | None, bool]:
        candidates = [self.dictionary.persons[x.person] for x in piece.entries if x.person]
        country = country_piece.entries[0].code if country_piece else None

        def score(p: Person) -> tuple[int, int]:
            role, current = p.role_on(when, title_role)
            same_country = country is not None and role is not None and role.country == country
            return (0 if same_country else 1, 0 if current else 1)

        best = min(candidates, key=score)
        role, current = best.role_on(when, title_role)
        return best, role, current

    def resolve_phrase(self, doc: Doc, when: date | None = None) -> Resolution:
        """The main mention of a short phrase ("two Iranian diplomats")."""
        found = [m for m in self.mentions(doc, when) if m.resolved]
        if not found:
            return Resolution(doc.text, 0, len(doc.text))
        return max(found, key=lambda m: (m.end - m.start, m.person is not None))


def _title_back(res: Resolution, prior: Resolution | None) -> None:
    """A bare title ("the Foreign Secretary", "the president") names the person last named
    with that title in the document: take that person's code, sector and name."""
    if prior is None:
        return
    res.code, res.sector, res.person = prior.code, prior.sector, prior.person
    res.person_name, res.role_current = prior.person_name, prior.role_current
    res.method = "title-back"


def _person_piece(run: list[_Piece]) -> _Piece | None:
    return next((p for p in run if p.kind == PERSON), None)


def _is_head_noun(span: Span | Doc) -> bool:
    last = span[-1]
    if last.pos_ not in ("NOUN", "PROPN"):
        return False
    return not (last.dep_ in ("compound", "amod", "nmod") and last.head.i > last.i)


def load_resolver(nlp: Any, actor_files: Iterable[str] = ()) -> Resolver:
    return _resolver_cached(nlp, tuple(actor_files))


@lru_cache(maxsize=4)
def _resolver_cached(nlp: Any, actor_files: tuple[str, ...]) -> Resolver:
    return Resolver(nlp, ActorDictionary.load(actor_files))


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO alpha-3 codes of the countries in the shipped dictionary."""
    data = load(DATA_DIR / "countries.yaml", "actors").data or {}
    return frozenset(c["code"] for c in data.get("countries") or [])


@lru_cache(maxsize=1)
def agreement_heads() -> frozenset[str]:
    """Head nouns of named agreements and formats: ``named_heads`` of the episode rules."""
    data = load(builtin_path("episodes/episodes.yaml"), "episodes").data
    return frozenset(str(w).lower() for w in data["named_heads"])


def _names_agreement(doc: Doc | Span, end: int) -> bool:
    """A place followed by a Roman numeral or an agreement noun names an agreement."""
    nxt = doc[end]
    return nxt.text in ("II", "III", "IV") or nxt.lower_ in agreement_heads()
