"""After documents are stored: build the records that span documents.

Episodes first (``episodes.build``), then the disagreements found over them and the stored
claims (``disagreements.find_disagreements``); both are written in one transaction.
By default the documents stored since the last build are built into the stored episodes
by lookup (``incremental.update``); the full build runs when asked (``full=True``, as
``detente episodes --rebuild`` does), on a store built under other rules or data files, or
on one built before the incremental index existed.
Dependencies run one way: rebuild -> incremental -> disagreements -> episodes -> store.
"""

from __future__ import annotations

from . import incremental
from .claims import load_vocabulary
from .config import Settings
from .episodes import Built, Rules, load_rules
from .patterns import load_patterns
from .store import Store
from .terms import load_taxonomy


def build_episodes(store: Store, rules: Rules | None = None,
                   settings: Settings | None = None, full: bool = False) -> Built:
    """Build episodes and disagreements in the store; ids come from content (see
    :func:`detente.episodes.episode_id`), so they survive a rebuild. Returns the episode
    rows made (all of them in a full build; in an incremental one, those that changed).

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
        if not full and incremental.can_update(
                store, incremental.fingerprint(rules, taxonomy, vocabulary, patterns)):
            try:
                return incremental.update(store, rules, taxonomy, vocabulary, patterns)
            except incremental.IndexMismatch:
                pass   # the index does not match the stored events: build it again
        return incremental.full_build(store, rules, taxonomy, vocabulary, patterns)[0]
