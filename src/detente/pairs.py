"""Acts whose sides are each other's targets although the sentence names them only as the
subject: "A and B committed themselves to ...", "A and B agreed to refrain from claims against
each other". The word lists are in ``data/events/roles.yaml`` (``reciprocal_words``)."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from .roles import roles_file


@lru_cache(maxsize=1)
def _reciprocal() -> frozenset[str]:
    data = roles_file().data or {}
    return frozenset(str(w).lower() for w in data.get("reciprocal_words") or [])


def reciprocal(token: Token) -> bool:
    """Whether a verb's object, or the object of one of its prepositions, is reflexive or
    reciprocal ("committed themselves", "against each other", "with one another")."""
    words = _reciprocal()
    heads = [token] + [c for c in token.children if c.dep_ in ("prep", "dobj", "xcomp")]
    for head in heads:
        for c in head.children:
            if c.dep_ not in ("dobj", "pobj", "npadvmod"):
                continue
            phrase = " ".join(t.lower_ for t in c.subtree)
            if c.lower_ in words or phrase in words:
                return True
    return False


def between_sides(sources: list, targets: list) -> bool:
    """Whether an act of "both sides" or "the two sides" (two or more actors found as the
    sides, ``via`` "two sides") with no actor as its target is between them: "both sides said
    they will go back to fighting" (each threatens the other)."""
    codes = {s.code for s in sources if s.code}
    return len(codes) >= 2 and all(s.via == "two sides" for s in sources) and not any(
        t.code for t in targets)
