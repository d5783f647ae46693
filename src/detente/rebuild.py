"""After documents are stored: rebuild the records that span documents.

Episodes first (``episodes.build``), then the disagreements found over them and the stored
claims (``disagreements.find_disagreements``); both are written in one transaction.
Dependencies run one way: rebuild -> disagreements -> episodes -> store.
"""

from __future__ import annotations

from .disagreements import find_disagreements
from .episodes import Built, Rules, build, load_rules
from .store import Store


def build_episodes(store: Store, rules: Rules | None = None) -> Built:
    """Rebuild episodes and disagreements in the store; ids survive the rebuild."""
    rules = rules or load_rules()
    built = build(store, rules)
    disagreements, sides = find_disagreements(store, built, rules)
    store.replace_episodes(built.episodes, built.members, built.parties, built.terms,
                           disagreements, sides)
    return built
