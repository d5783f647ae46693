"""Who a phrase names without being a party to the event: conveners of talks ("the UN peace
talks"), venues inside a meeting's name ("the Singapore DPRK-US summit"), and acts that are
only the topic of another thing ("a ceasefire monitoring mechanism").
The word lists are in ``data/events/roles.yaml``."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from .datafiles import DataFile, builtin_path, load

DATA = "events/roles.yaml"


def roles_file() -> DataFile:
    """The packaged word lists as a checked data file."""
    return load(builtin_path(DATA), "roles")


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    data = roles_file().data or {}
    return {k: frozenset(str(w).lower() for w in v or []) for k, v in data.items()
            if k != "version"}


def topic_of_gerund(token: Token) -> bool:
    """An act noun the parser heads a gerund phrase with, which is the topic of another thing:
    "a ceasefire monitoring mechanism" (ceasefire <- acl monitoring -> dobj mechanism)."""
    return any(c.dep_ == "acl" and c.tag_ == "VBG" and c.i == token.i + 1
               and c.lemma_.lower() in _words()["topic_gerunds"] for c in token.children)


def meeting(token: Token) -> bool:
    return token.lemma_.lower() in _words()["meeting_nouns"] or (
        token.lower_ in _words()["meeting_nouns"])


def _hyphen_group(link: Token) -> bool:
    """Whether a name is joined by a hyphen to another ("DPRK-US", "U.S.-Saudi")."""
    doc = link.doc
    return (link.i + 1 < len(doc) and doc[link.i + 1].text in ("-", "–")) or (
        link.i > 0 and doc[link.i - 1].text in ("-", "–")) or link.text.endswith("-")


def convener(link: Token, sector: str | None, noun: Token) -> bool:
    """Whether an organisation named before a meeting noun alone convenes it: "the UN peace
    talks" (not "EU-China talks": a side of a pair)."""
    return meeting(noun) and (sector or "").lower() in _words()["convener_sectors"] and (
        link.dep_ in ("compound", "amod", "nmod")) and not _hyphen_group(link)


def venue_names(noun: Token, is_name) -> set[int]:
    """Names before a meeting noun that say where it is: with a hyphenated pair of sides
    before the noun ("the first Singapore DPRK-US summit"), any other single name."""
    if not meeting(noun):
        return set()
    names = [c for c in noun.children if c.dep_ == "compound" and is_name(c)]
    grouped = [c for c in names if _hyphen_group(c) or any(
        g.dep_ == "compound" and _hyphen_group(g) for g in c.children)]
    if not grouped:
        return set()
    return {c.i for c in names if c not in grouped}


def titled(token: Token, mention):
    """The title before a name the actor dictionary does not know: "TPLF representative
    Getachew Reda", "Ethiopian Deputy Foreign Minister Redwan Hussien" (the title's mention,
    on a compound of the name), else None. ``mention`` maps a token to its resolution."""
    for child in token.children:
        if child.dep_ == "compound" and child.i < token.i:
            m = mention(child)
            if m is not None and m.code:
                return m
    return None


def leader(token: Token, mention):
    """The actor that leads a group noun: "the Saudi-led coalition", "a CIA-led operation"
    (the mention on the modifier of "led"), else None."""
    for child in token.children:
        if child.dep_ in ("amod", "compound") and child.lemma_.lower() == "lead" and (
                child.tag_ == "VBN"):
            for named in child.children:
                if named.dep_ in ("npadvmod", "compound", "nmod", "amod"):
                    m = mention(named)
                    if m is not None and m.code:
                        return m
    return None


def listed_appositions(token: Token) -> list[Token]:
    """Names the parser hangs on a subject as appositions although "and" joins them to it:
    "A, adviser to B, and C representative D signed" (D: an apposition after "and")."""
    doc = token.doc
    return [c for c in token.children if c.dep_ == "appos" and c.left_edge.i > 0
            and doc[c.left_edge.i - 1].lower_ in ("and", "&")]


def split_coordination(subjects: list[Token]) -> bool:
    """Whether the parser split one coordinated subject in two: "A, adviser to B, and C
    signed" read as two subjects, the first with an "and" but no conjunct."""
    first = subjects[0]
    return len(subjects) >= 2 and any(c.dep_ == "cc" for c in first.children) and not any(
        c.dep_ == "conj" for c in first.children)
