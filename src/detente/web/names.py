"""Actors by name: "Russia", "the Kremlin" and "Lavrov" all name RUS.

Names come from the actor dictionaries (persons give the countries they served) and from
the mentions in the store. The dictionaries need spaCy's import (about a second) and take
about two seconds to read, so they are read on first use, or in a thread when the server
starts (:func:`actor_names_ready`).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from ..store import Store

CODE_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,39}$")
_DICTIONARY_LOCK = threading.Lock()


def _dictionary() -> tuple[dict[str, set[str]], dict[str, str]]:
    with _DICTIONARY_LOCK:  # one load, even when a request asks while it is loading
        return _load_dictionary()


@lru_cache(maxsize=1)
def _load_dictionary() -> tuple[dict[str, set[str]], dict[str, str]]:
    """Actor names (lower case) -> codes, from the actor dictionaries (persons give the
    countries they served); and code -> canonical name."""
    from ..actors import ActorDictionary  # imports spaCy: not at server start

    d = ActorDictionary.load()
    index: dict[str, set[str]] = {}
    for surface, entries in d.entries.items():
        codes: set[str] = set()
        for e in entries:
            if e.code:
                codes.add(e.code)
            elif e.person and e.person in d.persons:
                codes |= {r.country for r in d.persons[e.person].roles if r.country}
        if codes:
            index.setdefault(surface.lower(), set()).update(codes)
    return index, dict(d.names)


def actor_names_ready() -> None:
    """Load the actor dictionaries now (about 2 s), so that no request waits for them."""
    _dictionary()


def actor_name(code: str) -> str | None:
    """The dictionary name of an actor code (RUS -> Russia), if it has one."""
    return _dictionary()[1].get(code)


def resolve_actor(store: Store, text: str) -> list[str]:
    """The actor codes ``text`` may name: a code (RUS), a name or other surface in the actor
    dictionaries (Russia, the Kremlin, Lavrov), or words mentions in the store resolved."""
    text = " ".join(text.split())
    index, names = _dictionary()
    codes: list[str] = []
    if CODE_LIKE.match(text) and (text.upper() in names or text.isupper()
                                   or text.upper() in store.party_codes()):
        codes.append(text.upper())
    key = re.sub(r"^the\s+", "", text, flags=re.I).lower()
    codes += sorted(index.get(key, set()) - set(codes))
    codes += [c for c, _ in store.mention_codes(text) if c not in codes]
    if not codes and CODE_LIKE.match(text):
        codes.append(text.upper())
    return codes
