"""After documents are stored: rebuild the records that span documents.

Episodes first (``episodes.build``), then the disagreements found over them and the stored
claims (``disagreements.find_disagreements``); both are written in one transaction.
Dependencies run one way: rebuild -> disagreements -> episodes -> store.
"""

from __future__ import annotations

from .claims import load_vocabulary
from .config import Settings
from .disagreements import find_disagreements
from .episodes import Built, Rules, build, load_rules
from .patterns import load_patterns
from .store import Store
from .terms import load_taxonomy


def build_episodes(store: Store, rules: Rules | None = None,
                   settings: Settings | None = None) -> Built:
    """Rebuild episodes and disagreements in the store; ids come from content (see
    :func:`detente.episodes.episode_id`), so they survive the rebuild.

    The episode rules, event patterns, provisions and quantity vocabulary are the packaged
    ones with the user's files of ``settings`` merged over them; ``rules`` overrides the
    episode rules.
    """
    settings = settings or Settings()
    rules = rules or load_rules(settings.episode_rule_files)
    taxonomy = load_taxonomy(settings.provision_files)
    patterns = load_patterns(tuple(settings.pattern_files))   # which patterns judge
    vocabulary = load_vocabulary(settings.quantity_files)
    # read and write under one lock, so that two ingests building at once cannot write
    # episodes built from a store that lacks the other's documents
    with store.transaction(exclusive=True):
        built = build(store, rules, taxonomy, patterns)
        disagreements, sides = find_disagreements(store, built, rules, vocabulary)
        store.replace_episodes(built.episodes, built.members, built.parties, built.terms,
                               disagreements, sides)
    return built
