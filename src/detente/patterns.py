"""Event patterns: verbs, nouns and adjectives that signal CAMEO events, loaded from YAML."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .datafiles import DataFile, DataFileError, load_all, merged
from .ontology import ontology

DATA = "events/patterns.yaml"
# The base lexicon converted from the OEDA CAMEO dictionary (``python -m detente.oeda``): a
# lemma of it is dropped where a hand-written pattern file has the same (kind, lemma).
BASE = Path(__file__).parent / "data" / "events" / "oeda_verbs.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: the base lexicon is big


@dataclass(frozen=True)
class Refinement:
    cls: str
    cameo: str
    prep: str | None = None


@dataclass(frozen=True)
class Pattern:
    """One trigger pattern."""

    id: str
    # verb | nominal | adjective | condition (the words that open a condition) | obligation
    kind: str
    cameo: str  # "" when only a refinement gives the code
    words: tuple[str, ...]  # the trigger word(s); words[0] is the head lemma
    refine: tuple[Refinement, ...] = ()
    requires: tuple[str, ...] = ()
    target: str = "object"
    target_preps: tuple[str, ...] = ()
    symmetric: bool = False
    needs_actor: bool = False
    place_is_source: bool = False
    requires_object_actor: bool = False
    requires_place: bool = False
    subject_sectors: tuple[str, ...] = ()
    draft_cameo: str | None = None
    skip_passive: bool = False
    skip_naming: bool = False
    source_preps: tuple[str, ...] = ("by", "from")
    # the code when the trigger itself is negated ("did not sign" is a refusal, 127)
    negated_cameo: str | None = None
    # intransitive answers whose subject is the negotiation itself ("the talks collapsed"):
    # the classes and the parties come from the subject phrase
    episode_subject: bool = False
    # a definite nominal with no actor of its own ("the agreement", "the truce") names the
    # last agreement or talks coded before it: the parties are that one's
    anaphoric: bool = False
    # classes only from what the verb itself governs, not from a clause it reports ("declared
    # a truce", not "announced that a truce had been agreed": the agreement is the event)
    object_only: bool = False
    # a nominal that counts only inside a name ("the Jeddah Declaration", "the Declaration of
    # Principles"), not as a common noun ("a declaration of independence")
    named_only: bool = False
    # a judgement of what it governs ("welcomed the deal", "criticised the agreement"): of a
    # negotiation object, an answer to that negotiation (see detente.episodes)
    judges: bool = False
    # (nominals) the predicate noun of a copular clause that judges its subject ("the deal is
    # an important step towards peace"): classes come from the subject, the source is the
    # speaker who says so
    judged_subject: bool = False
    # only what will or would be done ("will resume fighting", "could restart enrichment"):
    # a threat; the same words of what was done are no event of this pattern
    unreal_only: bool = False
    base: bool = False  # from the base lexicon (oeda_verbs.yaml), not a hand-written file
    # an object naming an actor meets `requires` too ("welcomed Putin", "received Kurti")
    requires_or_actor: bool = False

    def code_for(self, classes: set[str], preps: frozenset[str] = frozenset()) -> str | None:
        """The CAMEO code given the noun classes its arguments fall in and the prepositions
        it governs; None if required classes are absent."""
        if self.requires and not classes.intersection(self.requires):
            return None
        for r in self.refine:
            if r.cls in classes and (r.prep is None or r.prep in preps):
                return r.cameo
        return self.cameo or None


@dataclass
class PatternSet:
    """All patterns, indexed by head lemma, and the noun classes."""

    classes: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    by_lemma: dict[tuple[str, str], list[Pattern]] = field(
        default_factory=lambda: defaultdict(list))
    files: list[DataFile] = field(default_factory=list)
    light_verbs: set[str] = field(default_factory=set)
    not_parties: set[str] = field(default_factory=set)
    # inverted indexes: word -> classes; first word of a phrase -> (phrase, class)
    word_index: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    phrase_index: dict[str, list[tuple[tuple[str, ...], str]]] = field(
        default_factory=lambda: defaultdict(list))

    def add_files(self, files: list[DataFile]) -> None:
        """The patterns of ``files``, merged by the rule of :func:`detente.datafiles.merge`."""
        self.files += files
        data = merged(files)
        for name, words in (data.get("noun_classes") or {}).items():
            members = set(self.classes.get(name, frozenset())) | {w.lower() for w in words}
            self.classes[name] = frozenset(members)
            self.phrases[name] = [tuple(w.split()) for w in members if " " in w]
            self._index(name, members)
        self.light_verbs |= {str(v).lower() for v in data.get("light_verbs") or []}
        self.not_parties |= {str(v).lower() for v in data.get("not_parties") or []}
        onto = ontology()
        names = ", ".join(f.name for f in files)
        for kind, key in (("verb", "verbs"), ("nominal", "nominals"), ("adjective", "adjectives"),
                          ("condition", "conditions"), ("obligation", "obligations")):
            for spec in data.get(key) or []:
                for pattern in _patterns(kind, spec):
                    for code in {pattern.cameo, *(r.cameo for r in pattern.refine),
                                 *([pattern.negated_cameo] if pattern.negated_cameo else [])}:
                        if not onto.known(code):
                            raise DataFileError(names, None, f"pattern {pattern.id} uses "
                                                f"unknown CAMEO code {code!r}")
                    self.by_lemma[(kind, pattern.words[0])].append(pattern)

    def add_base(self, path: Path) -> None:
        """The base lexicon: its patterns for lemmas that no hand-written file has."""
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        for name, words in (data.get("noun_classes") or {}).items():
            members = {w.lower() for w in words}
            self.classes[name] = frozenset(members)
            self._index(name, members)
        earlier = set(self.by_lemma)
        for kind, key in (("verb", "verbs"), ("nominal", "nominals")):
            for spec in data.get(key) or []:
                for pattern in _patterns(kind, spec, base=True):
                    if (kind, pattern.words[0]) not in earlier:
                        self.by_lemma[(kind, pattern.words[0])].append(pattern)

    def _index(self, name: str, members: set[str] | frozenset[str]) -> None:
        for w in members:
            if " " in w:
                phrase = tuple(w.split())
                if (phrase, name) not in self.phrase_index[phrase[0]]:
                    self.phrase_index[phrase[0]].append((phrase, name))
            else:
                self.word_index[w].add(name)

    def judging(self) -> frozenset[str]:
        """Ids of the patterns that judge what they govern (``judges: true``)."""
        return frozenset(p.id for ps in self.by_lemma.values() for p in ps if p.judges)

    def candidates(self, kind: str, lemma: str) -> list[Pattern]:
        """Patterns whose head word is ``lemma``; phrases first ("back away" before "back"),
        otherwise in file order."""
        found = self.by_lemma.get((kind, lemma), [])
        return sorted(found, key=lambda p: -len(p.words))

    def classes_of(self, words: set[str], text: str) -> set[str]:
        """Noun classes whose single words are in ``words`` or whose phrases occur in ``text``."""
        found: set[str] = set()
        for w in words:
            found |= self.word_index.get(w, set())
        tokens = text.lower().split()
        for i, tok in enumerate(tokens):
            for phrase, name in self.phrase_index.get(tok, ()):
                if name not in found and tuple(tokens[i : i + len(phrase)]) == phrase:
                    found.add(name)
        return found


def _word(value: Any) -> str:
    """YAML 1.1 reads a bare ``on`` as True; take it back."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value).lower()


def _patterns(kind: str, spec: dict[str, Any], base: bool = False) -> list[Pattern]:
    refine = tuple(Refinement(r["if"], str(r["cameo"]), _word(r["prep"]) if "prep" in r else None)
                   for r in spec.get("refine") or [])
    requires_for: dict[str, list[str]] = spec.get("requires_for") or {}
    out = []
    for lemma in spec["lemmas"]:
        words = tuple(str(lemma).lower().split())
        out.append(Pattern(
            id=spec["id"], kind=kind, cameo=str(spec.get("cameo") or ""), words=words,
            refine=refine, base=base,
            requires=tuple(requires_for.get(str(lemma), spec.get("requires") or ())),
            target=spec.get("target", "object"),
            target_preps=tuple(_word(p) for p in spec.get("target_preps") or ()),
            symmetric=bool(spec.get("symmetric")),
            needs_actor=bool(spec.get("needs_actor")),
            place_is_source=bool(spec.get("place_is_source")),
            requires_object_actor=bool(spec.get("requires_object_actor")),
            requires_place=bool(spec.get("requires_place")),
            subject_sectors=tuple(spec.get("subject_sectors") or ()),
            draft_cameo=spec.get("draft_cameo"),
            skip_passive=bool(spec.get("skip_passive")),
            skip_naming=bool(spec.get("skip_naming")),
            source_preps=tuple(_word(p) for p in spec.get("source_preps") or ("by", "from")),
            negated_cameo=str(spec["negated_cameo"]) if spec.get("negated_cameo") else None,
            episode_subject=bool(spec.get("episode_subject")),
            anaphoric=bool(spec.get("anaphoric")),
            object_only=bool(spec.get("object_only")),
            named_only=bool(spec.get("named_only")),
            judges=bool(spec.get("judges")),
            judged_subject=bool(spec.get("judged_subject")),
            unreal_only=bool(spec.get("unreal_only")),
            requires_or_actor=bool(spec.get("requires_or_actor")),
        ))
    return out


@lru_cache(maxsize=4)
def load_patterns(extra: tuple[str, ...] = ()) -> PatternSet:
    """The built-in patterns with the user's pattern files ``extra`` merged over them."""
    patterns = PatternSet()
    patterns.add_files(pattern_files(extra))
    if BASE.is_file():
        patterns.add_base(BASE)
    return patterns


def pattern_files(extra: Sequence[str] = ()) -> list[DataFile]:
    return load_all(DATA, "patterns", extra)
