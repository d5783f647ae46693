"""Who asserts a sentence: the author, a named speaker, an unnamed source or an outlet.

Reporting verbs ("said", "told", "according to") give the speaker of the clause they govern;
quotations that run over several sentences keep the speaker of the sentence that names one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .actors import Resolution
from .datafiles import DataFile, builtin_path, load

DATA = "attribution/speakers.yaml"


def speakers_file() -> DataFile:
    """The reporting verbs and speaker words, as a checked data file."""
    return load(builtin_path(DATA), "speakers")


def _load_words() -> dict[str, frozenset[str]]:
    data = speakers_file().data
    return {key: frozenset(str(w).lower() for w in data.get(key) or [])
            for key in ("reporting", "quotation", "self_reference", "denial", "unnamed",
                        "personal")}


_WORDS = _load_words()
REPORTING = _WORDS["reporting"]
QUOTATION = _WORDS["quotation"]  # "X said" names the speaker of the quotation around it
SELF_REFERENCE = _WORDS["self_reference"]  # "I", "we": the speaker inside a quotation
DENIAL = _WORDS["denial"]
UNNAMED_NOUNS = _WORDS["unnamed"]
PERSONAL = _WORDS["personal"]  # "he", "she": the person last named
STATEMENT_NOUNS = frozenset(str(w).lower() for w in speakers_file().data.get("statements") or ())
INSTITUTIONS = frozenset({"name", "capital", "seat", "organisation"})
# a passive subject is never the speaker: "Russia was told", "it was reported"
SUBJECTS = ("nsubj", "csubj")
Mention = Callable[[Token], Resolution | None]


@dataclass
class Attribution:
    """The speaker of a clause."""

    kind: str  # author | named | unnamed | outlet
    text: str | None = None
    start: int | None = None
    end: int | None = None
    code: str | None = None
    sector: str | None = None
    person: str | None = None
    denied: bool = False

    def as_row(self) -> dict[str, object]:
        return {
            "attribution_kind": self.kind,
            "attribution_text": self.text,
            "attribution_code": self.code,
            "attribution_sector": self.sector,
            "attribution_person": self.person,
        }


AUTHOR = Attribution("author")


def party_mention(token: Token | None, mention: Mention) -> Resolution | None:
    """The actor mention on ``token``, on its compound, adjective, possessive or apposition
    dependants, or on the object of its "of" ("officials of Ukraine")."""
    if token is None:
        return None
    m = mention(token)
    if m is not None:
        return m
    for child in token.children:
        if child.dep_ in ("compound", "amod", "poss", "nmod", "appos"):
            m = mention(child)
            if m is not None:
                return m
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and mention(obj) is not None:
                return mention(obj)
    return None


def speaker_mention(subject: Token, mention: Mention) -> Resolution | None:
    """The actor a speaker's subject names: its own mention, or for "he"/"she" the last
    person (or holder of a title) named with a code before it in the document."""
    found = party_mention(subject, mention)
    if found is not None or subject.lower_ not in PERSONAL:
        return found
    for t in reversed(subject.doc[max(0, subject.i - PERSONAL_REACH) : subject.i]):
        m = mention(t)
        if m is not None and m.code and (m.person or m.role):
            return m
    return None


PERSONAL_REACH = 400   # tokens back in which "he" may find the person it names


def speaker_of(subject: Token, mention: Resolution | None) -> Attribution:
    """Classify the subject of a reporting verb as a named, unnamed or outlet source."""
    span = subject.doc[subject.left_edge.i : subject.right_edge.i + 1]
    text = span.text
    att = Attribution("unnamed", text, span.start_char, span.end_char)
    if mention is not None:
        att.code, att.sector, att.person = mention.code, mention.sector, mention.person_name
        att.text = mention.text if len(mention.text) >= len(text) // 3 else text
    if mention is not None and mention.sector == "MED" and not mention.person_name:
        att.kind = "outlet"
    elif mention is not None and (mention.person_name or mention.method in INSTITUTIONS):
        att.kind = "named"  # a person, or an institution named as such ("Moscow", "NATO")
    elif mention is not None and mention.method.endswith("+role") and _specific(subject):
        att.kind = "named"  # "Turkey's Foreign Ministry", not "US officials" or "an official"
    elif mention is not None and subject.lower_ in PERSONAL:
        att.kind = "named"  # "he said", after "the UN Secretary General told ...": that one
    elif subject.tag_ == "NN" and any(c.lower_ == "the" for c in subject.children):
        att.kind = "named"  # "the Iranian foreign minister": one identifiable person
    elif subject.ent_type_ == "PERSON" or (
        subject.pos_ == "PROPN" and mention is None and subject.ent_type_ != "ORG"
    ):
        att.kind = "named"
    elif subject.ent_type_ == "ORG" and subject.lemma_.lower() not in UNNAMED_NOUNS:
        att.kind = "outlet" if mention is None else "named"
    return att


def _specific(subject: Token) -> bool:
    """A singular, definite role ("the foreign ministry"), not "officials" or "an official"."""
    return subject.tag_ in ("NN", "NNP") and not any(
        c.dep_ == "det" and c.lower_ in ("a", "an", "some", "any") for c in subject.children)


def reporting_head(token: Token) -> Token | None:
    """The reporting verb whose clause contains ``token``, if any."""
    current = token
    while current.head.i != current.i:
        parent = current.head
        if (
            parent.lemma_.lower() in REPORTING
            and current.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "advcl", "conj")
            and current.i != parent.i
        ):
            return parent
        current = parent
    # "X said" after a quote: the quote's verb is the root and "said" hangs as parataxis/ccomp
    root = token.sent.root
    if root.lemma_.lower() not in REPORTING:
        for child in root.children:
            if (
                child.lemma_.lower() in REPORTING
                and child.dep_ in ("parataxis", "ccomp", "advcl")
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            ):
                return child
    return None


def according_to(sent: Span) -> Token | None:
    """The object of "according to X" in the sentence, if any."""
    for token in sent:
        if token.lower_ == "according":
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "to":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return obj
    return None


def quote_depths(text: str) -> list[int]:
    """For each character, whether it lies inside a quotation (1) or not (0)."""
    depth = 0
    out = []
    straight_open = False
    for ch in text:
        if ch == '"':
            straight_open = not straight_open
            depth = 1 if straight_open else 0
            out.append(1)
            continue
        if ch in "“«":
            depth = 1
        out.append(depth)
        if ch in "”»":
            depth = 0
    return out


def reporting_speaker(head: Token, mention: Mention) -> Attribution | None:
    """The speaker named by the subject of the reporting verb ``head`` ("Russia said"), or
    None when it has no subject or the subject is "I"/"we" (the speaker of a quotation)."""
    subj = next((c for c in head.children if c.dep_ in SUBJECTS), None)
    if subj is None or subj.lower_ in SELF_REFERENCE:
        return None
    att = speaker_of(subj, speaker_mention(subj, mention))
    att.denied = head.lemma_.lower() in DENIAL
    return att


class Speakers:
    """The speaker of each sentence of one document, read in order.

    "According to X" names the speaker of its sentence; a quotation verb with a subject outside
    the quotation ('"...," X said') names the speaker of the quotation, which sentences
    continuing it keep until the paragraph ends; a quotation whose speaker is named later in
    the paragraph takes that speaker. Call ``paragraph()`` at each paragraph start.
    """

    def __init__(self, doc: Doc, mention: Mention, text: str | None = None):
        self.doc, self.mention = doc, mention
        self.text = doc.text if text is None else text  # Doc.text is rebuilt on every access
        self.quotes = quote_depths(self.text)
        self.current: Attribution | None = None
        self.heading: Attribution | None = None  # "X's statement:": X speaks what follows

    def paragraph(self) -> None:
        """Forget the speaker of the last quotation: a new paragraph starts."""
        self.current = None

    def sentence(self, sent: Span) -> Attribution | None:
        """The speaker of ``sent`` as a whole, or None when the sentence has none."""
        acc = according_to(sent)
        if acc is not None:
            return speaker_of(acc, party_mention(acc, self.mention))
        for token in sent:
            if token.dep_ in ("ROOT", "parataxis") and token.lemma_.lower() in QUOTATION:
                subj = next((c for c in token.children if c.dep_ in SUBJECTS), None)
                if subj is not None and not self.quotes[subj.idx] and \
                        subj.lower_ not in SELF_REFERENCE:
                    self.current = speaker_of(subj, speaker_mention(subj, self.mention))
                    return self.current
        start = sent.start_char
        inside = self.quotes[start] if start < len(self.quotes) else 0
        if inside or sent.text[:1] in "“\"":
            return self.current or self._following(sent) or self.heading
        self.heading = self._introduced(sent)
        return None

    def _introduced(self, sent: Span) -> Attribution | None:
        """The owner of the statement a heading introduces ("FM Ri's opening statement at
        the press conference:"), who speaks the quotations after it."""
        if not sent.text.rstrip().endswith(":"):
            return None
        for token in sent:
            if token.lemma_.lower() in STATEMENT_NOUNS or token.lower_ in STATEMENT_NOUNS:
                for owner in (c for c in token.children if c.dep_ == "poss"):
                    mention = party_mention(owner, self.mention)
                    if mention is None or mention.code is None:  # "FM Ri", named in full before
                        mention = next((m for t in reversed(self.doc[: sent.start])
                                        if t.text == owner.text for x in (t, t.head)
                                        for y in [x, *x.children]
                                        for m in [self.mention(y)]
                                        if m is not None and m.code), mention)
                    if mention is not None:
                        return speaker_of(owner, mention)
        return None

    def _following(self, sent: Span) -> Attribution | None:
        """A quotation whose speaker is named later in the paragraph."""
        if sent.text.rstrip(" ").endswith("\n"):
            return None  # the paragraph ends with the sentence
        end = self.text.find("\n", sent.end_char)
        later = self.doc.char_span(sent.end_char, len(self.text) if end < 0 else end,
                                   alignment_mode="expand")
        for t in later or []:
            if t.lemma_.lower() in QUOTATION:
                subj = next((c for c in t.children if c.dep_ in SUBJECTS), None)
                if subj is not None:
                    self.current = speaker_of(subj, party_mention(subj, self.mention))
                    return self.current
        return None
