"""Whether a clause points forward in time, read from its dependency parse.

Used to place weekdays and year-less dates: "will meet on Friday", "the truce starts on
Friday", "talks are to resume on Monday", "is expected to sign in March" and "said talks
would resume on Monday" point forward; "met on Friday", "has agreed", "was expected to
sign on Friday" do not. The word lists are in ``data/dates/tense.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from .datafiles import DataFile, builtin_path, load

DATA = "dates/tense.yaml"
_PRESENT_TAGS = ("VBZ", "VBP")


@dataclass(frozen=True)
class TenseWords:
    future_aux: frozenset[str]
    reported_future_aux: frozenset[str]
    perfect_aux: frozenset[str]
    present_aux: frozenset[str]
    present_not_future: frozenset[str]
    forward_nouns: frozenset[str]
    unreal_aux: frozenset[str]
    unreal_governors: frozenset[str]
    forward_frames: frozenset[str]
    climb_deps: frozenset[str]
    other_time_verbs: frozenset[str]
    making_verbs: frozenset[str]


def tense_file() -> DataFile:
    """The packaged word lists as a checked data file."""
    return load(builtin_path(DATA), "tense")


@lru_cache(maxsize=1)
def tense_words() -> TenseWords:
    """The packaged word lists."""
    data = tense_file().data or {}
    return TenseWords(**{k: frozenset(str(w).lower() for w in data.get(k) or [])
                         for k in TenseWords.__dataclass_fields__})


def _aux(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _present(verb: Token, words: TenseWords) -> bool:
    """A present-tense verb group ("starts", "are meeting", "is expected", "is")."""
    aux = _aux(verb)
    if any(a.lower_ in words.perfect_aux or a.tag_ in ("VBD", "MD") for a in aux):
        return False
    if verb.tag_ in _PRESENT_TAGS:
        return True
    return verb.tag_ in ("VBG", "VBN") and any(a.lower_ in words.present_aux for a in aux)


def _future_group(verb: Token, words: TenseWords) -> bool:
    aux = {a.lower_ for a in _aux(verb)}
    if aux & words.future_aux:
        return True
    return bool(aux & words.reported_future_aux) and verb.dep_ == "ccomp" and not (
        aux & words.perfect_aux)


def points_forward(clause: Token) -> bool:
    """Whether the clause headed by ``clause`` (a verb, or a noun for verbless spans) is
    set after the time of writing."""
    words = tense_words()
    verb = clause
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if _future_group(verb, words):
        return True
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not _aux(verb) and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return points_forward(verb.head)  # "will be posted ... and then put to a vote in May"
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    if infinitive and verb.dep_ in ("xcomp", "acl", "advcl", "ccomp"):
        head = verb.head
        if head.pos_ in ("NOUN", "PROPN"):
            return head.lemma_.lower() in words.forward_nouns and not _past_governor(head)
        return _future_group(head, words) or _present(head, words)
    if infinitive:
        return False
    return _present(verb, words) and verb.lemma_.lower() not in words.present_not_future


def _past_governor(noun: Token) -> bool:
    """A noun under a past-tense verb ("broke its pledge to ...")."""
    head = noun.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head.tag_ == "VBD" or any(a.tag_ == "VBD" for a in _aux(head))


def governed_modality(token: Token) -> str | None:
    """What the words governing an act make of it: "hypothetical" for an act hoped for,
    aimed at or under a would/could verb ("in the hopes of igniting peace talks", "their
    negotiations would yield an agreement", "meetings meant to disarm"), "future" for one a
    frame points forward to ("sets the stage for further negotiations"), else None. Climbs
    from the act through objects, prepositions and complements only (``climb_deps``), not
    through subjects nor into the clause that reports it."""
    words = tense_words()
    node = token
    for _ in range(8):
        infinitive = (node.dep_ == "acl" or node.dep_ == "advcl" and node.head.pos_ == "NOUN"
                      ) and any(c.dep_ == "aux" and c.tag_ == "TO"  # "a bid to revive talks"
                                for c in node.children)
        gerund = node.dep_ == "ccomp" and node.tag_ == "VBG"  # "could involve A agreeing"
        if node.dep_ == "advcl" and node.head.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "aux" and c.tag_ == "TO" for c in node.children):
            aux = {a.lower_ for a in _aux(node.head)}  # "will work to release the prisoners"
            return "hypothetical" if aux & words.unreal_aux else (
                "future" if aux & words.future_aux else None)
        if node.dep_ not in words.climb_deps and not (infinitive or gerund) or (
                node.head.i == node.i):
            return None
        head = node.head
        lemma = head.lemma_.lower()
        if infinitive and lemma in words.forward_nouns and not _past_governor(head):
            return "future"  # "a timetable for the United States to withdraw its troops"
        if head.pos_ in ("VERB", "AUX") and any(
                a.lower_ in words.unreal_aux for a in _aux(head)):
            return "hypothetical"
        if lemma in words.unreal_governors:
            return "hypothetical"
        if node.dep_ == "prep" and _frame(head, words):
            return "future"
        node = head
    return None


def _frame(head: Token, words: TenseWords) -> bool:
    """Whether a preposition's head is a forward frame: the noun of "sets the stage (for)",
    or the verb, when the parser hangs "for" on it ("sets/VERB the stage/dobj for/prep")."""
    if head.dep_ in ("dobj", "obj") and (
            f"{head.head.lemma_.lower()} {head.lemma_.lower()}" in words.forward_frames):
        return True
    return head.pos_ == "VERB" and any(
        c.dep_ in ("dobj", "obj") and f"{head.lemma_.lower()} {c.lemma_.lower()}"
        in words.forward_frames for c in head.children)


def other_time(clause: Token, trigger: Token) -> bool:
    """Whether a date in the clause of ``clause`` is the time of something other than the
    making of the agreement ``trigger`` names: its start, resumption or expiry ("the agreement
    would begin at 7 a.m.", "agreed ... to resume consultations in January")."""
    return clause.i != trigger.i and clause.pos_ in ("VERB", "AUX") and (
        clause.lemma_.lower() in tense_words().other_time_verbs)


def makes_agreement(verb: Token) -> bool:
    """Whether a verb's date is when an agreement was made ("was signed on Monday")."""
    return verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in tense_words().making_verbs
