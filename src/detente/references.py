"""Dates of things an article refers to rather than reports: a meeting or agreement named as
an earlier one ("the previous summit", "the agreement accepted in the last meeting") has no
date of the article's, and a state that has lasted since a date ("the ceasefire that has been
in place since 29 August") is dated by its start; what has gone on "since then" lasts from the
day told before to the publication. The word lists are in ``data/events/roles.yaml``
(``earlier_words``, ``lasting_words``, ``since_anaphors``)."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from .dates import DAY, PartialDate
from .roles import roles_file
from .tense import tense_words

# dependencies a "since" phrase may climb through to the noun it dates: "the ceasefire (that
# has been) in place since 29 August", "the truce, in force since May"
# (the parser may also read "since" as a clause's mark: "in place since 29 August would ...")
_UP = ("prep", "pobj", "relcl", "acl", "amod", "appos", "pcomp", "advmod", "attr", "acomp",
       "mark", "advcl")


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str]]:
    data = roles_file().data or {}
    return (frozenset(str(w).lower() for w in data.get("earlier_words") or []),
            frozenset(str(w).lower() for w in data.get("lasting_words") or []))


def since_then(token: Token) -> bool:
    """A verb of what has gone on "since then" (a "since" phrase of its own whose object is a
    word in ``since_anaphors``): it lasts from the day told before to the publication."""
    anaphors = frozenset(str(w).lower() for w in (roles_file().data or {}).get(
        "since_anaphors") or [])
    return any(c.dep_ == "prep" and c.lower_ == "since" and any(
        g.lower_ in anaphors for g in c.children) for c in token.children)


def earlier_object(token: Token) -> bool:
    """A noun named as an earlier one of its kind: "the previous summit", "the first
    Singapore summit" (while another is reported), "the last high-level meeting"."""
    earlier, _ = _words()
    return token.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ in ("amod", "advmod") and c.lower_ in earlier and c.i < token.i
        for c in token.children)


def since_start(token: Token, spans: list[Span]) -> Span | None:
    """The date a state noun has lasted since, in a phrase of its own: "the ceasefire that has
    been in place since 29 August" as what is violated or referred to, "under the truce, in
    force since May 3" (not "since 2008" of another clause). A state that is the subject of
    its clause ("the ceasefire in place since May would continue") is what is said of it now,
    dated as the statement; the parser may read that subject as a clause (ccomp)."""
    _, lasting = _words()
    if token.dep_ in ("nsubj", "nsubjpass", "ccomp"):
        return None  # "the ceasefire in place since May would continue": the act told is now
    for span in spans:
        before = span.doc[span.start - 1] if span.start > 0 else None
        since = span[0] if span[0].lower_ == "since" else before
        if since is None or since.lower_ != "since":
            continue
        node = since
        while node.i != token.i and node.dep_ in _UP and node.head.i != node.i:
            node = node.head
        own = {t.i for t in since.subtree}
        if node.i == token.i and any(t.i not in own and t.lemma_.lower() in lasting
                                     for t in token.subtree):
            return span
        if _right_after(token, since, lasting):
            return span
    return None


def _right_after(token: Token, since: Token, lasting: frozenset[str]) -> bool:
    """However the parser attaches it, a "since" phrase right after the noun's own phrase with
    only a lasting predicate between ("the truce with B, in force since May 3", "the ceasefire
    that has been in place since August") is the noun's."""
    doc = token.doc
    start = max(t.i for t in token.subtree) + 1 if token.i < since.i else since.i
    between = doc[start:since.i]
    words = [t for t in between if not t.is_punct]
    verbs = [t for t in words if t.pos_ == "VERB" and t.lemma_.lower() not in lasting]
    return 0 < len(words) <= 6 and not verbs and any(
        t.lemma_.lower() in lasting for t in words)


_OPEN, _CLOSE = "“‘", "”’"


def quoted(span: Span) -> bool:
    """Whether a span lies inside a quotation opened earlier in its paragraph: 'said: “Today's
    agreement ...'."""
    text = span.doc.text
    start = text.rfind("\n", 0, span.start_char) + 1
    before = text[start:span.start_char]
    curly = sum(before.count(c) for c in _OPEN) - sum(before.count(c) for c in "”")
    return curly > 0 or before.count('"') % 2 == 1


def speech_day(span: Span, paragraph_date, published):
    """The day a quotation was said, for its "today" or "yesterday": the day its paragraph
    has dated ("Hunt travelled to Sweden yesterday. After his visit he said: “Today's
    agreement ...”"), when that is a single day before the publication; else None (the
    article's date is the anchor)."""
    if paragraph_date is None or not quoted(span) or paragraph_date.start != paragraph_date.end:
        return None
    if published is None or paragraph_date.end >= published.start:
        return None
    return PartialDate(paragraph_date.start, DAY)


def will_do(token: Token) -> bool:
    """A verb with a future auxiliary of its own ("they will go back to fighting"): what is
    still to come is not dated by a day the paragraph told of before the publication."""
    words = tense_words()
    return token.pos_ in ("VERB", "AUX") and any(
        c.dep_ == "aux" and c.lower_ in words.future_aux for c in token.children)


def standing_state(token: Token, cameo: str) -> bool:
    """A detention named by a participle after its people ("Palestinians imprisoned in
    Israel", "prisoners held by the government"): a state that lasts, not an act of the day
    the sentence tells of (codes in ``standing_codes``)."""
    codes = _standing()
    bare = not any(c.dep_ in ("aux", "auxpass") for c in token.children)
    return bool(codes) and cameo.startswith(codes) and token.tag_ == "VBN" and bare and (
        token.dep_ in ("acl", "amod", "ccomp", "advcl"))  # the parser may misread the noun's


@lru_cache(maxsize=1)
def _standing() -> tuple[str, ...]:
    data = roles_file().data or {}
    return tuple(str(c) for c in data.get("standing_codes") or [])
