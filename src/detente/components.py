"""Detente's per-document stages as spaCy pipeline components.

``build_pipeline(settings)`` loads the configured spaCy model and appends the stages, in order:

=======================  ==========================================  ===========================
component                reads                                       writes
=======================  ==========================================  ===========================
``detente_paragraphs``   line breaks (runs before the parser)        ``Token.is_sent_start``
``detente_structure``    sentences                                   ``Doc._.paragraphs``
``detente_mentions``     entities, ``Doc._.published``, actor files  ``Doc._.mentions``,
                                                                     ``Doc._.mention_index``
``detente_events``       mentions, paragraphs, pattern files         ``Doc._.events``
``detente_terms``        sentences, provision files                  ``Doc._.terms``
``detente_claims``       mentions, quantity vocabulary               ``Doc._.claims``
=======================  ==========================================  ===========================

Each stage is a registered factory configured with its data files, so a user can remove,
replace or add one the way spaCy users do (``nlp.remove_pipe``, ``nlp.replace_pipe``,
``nlp.add_pipe``) and hand the pipeline to :func:`detente.pipeline.process_documents`.

A stage never raises: a failure is recorded in ``Doc._.errors`` (stage name and reason), so
one pathological document does not stop a batch in ``nlp.pipe``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .actors import ActorDictionary, MentionIndex, Resolver
from .claims import extract_claims, load_vocabulary, warm_units
from .coder import Coder
from .config import Settings
from .nlp import PARAGRAPH_COMPONENT, load_model, paragraph_indices
from .patterns import load_patterns
from .terms import extract_terms, load_taxonomy

STAGES = ("detente_structure", "detente_mentions", "detente_events", "detente_terms",
          "detente_claims")


def doc_id(text: str) -> str:
    """A document's id: the SHA-256 of its clean text, so re-ingesting changes nothing."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _guarded(name: str, doc: Doc, work: Callable[[Doc], None]) -> Doc:
    """Run one stage's work and time it (``Doc._.timings``); record a failure on the Doc
    (``Doc._.errors``) instead of raising."""
    if doc._.errors:
        return doc
    start = time.perf_counter()
    try:
        work(doc)
    except Exception as exc:  # one pathological document must not stop the batch
        doc._.errors = [(name, f"{type(exc).__name__}: {exc}")]
    if doc._.timings is None:
        doc._.timings = {}
    doc._.timings[name] = doc._.timings.get(name, 0.0) + time.perf_counter() - start
    return doc


@Language.factory("detente_structure")
def make_structure(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Paragraph index of every sentence (``Doc._.paragraphs``)."""

    def structure(doc: Doc) -> Doc:
        def work(d: Doc) -> None:
            d._.paragraphs = paragraph_indices(d)
        return _guarded(name, doc, work)

    return structure


@Language.factory("detente_mentions", default_config={"actor_files": []})
def make_mentions(nlp: Language, name: str, actor_files: list[str]) -> Callable[[Doc], Doc]:
    """Actor mentions resolved against the actor dictionaries at the publication date."""
    resolver = Resolver(nlp, ActorDictionary.load(tuple(actor_files)))

    def mentions(doc: Doc) -> Doc:
        def work(d: Doc) -> None:
            published = d._.published
            found = resolver.mentions(d, published.start if published else None)
            d._.mentions = found
            d._.mention_index = MentionIndex(d, found)
        return _guarded(name, doc, work)

    return mentions


@Language.factory("detente_events", default_config={"pattern_files": []})
def make_events(nlp: Language, name: str, pattern_files: list[str]) -> Callable[[Doc], Doc]:
    """CAMEO/PLOVER events over the parse (``Doc._.events``, a list of ``coder.Event``)."""
    coder = Coder(load_patterns(tuple(pattern_files)))

    def events(doc: Doc) -> Doc:
        def work(d: Doc) -> None:
            d._.events = coder.code_doc(d, d._.mentions or [], d._.published)
        return _guarded(name, doc, work)

    return events


@Language.factory("detente_terms", default_config={"provision_files": []})
def make_terms(nlp: Language, name: str, provision_files: list[str]) -> Callable[[Doc], Doc]:
    """Provisions named in the text (``Doc._.terms``, rows keyed by the document id)."""
    taxonomy = load_taxonomy(tuple(provision_files))

    def terms(doc: Doc) -> Doc:
        def work(d: Doc) -> None:
            d._.terms = extract_terms(d, doc_id(d.text), taxonomy)
        return _guarded(name, doc, work)

    return terms


@Language.factory("detente_claims", default_config={"quantity_files": []})
def make_claims(nlp: Language, name: str, quantity_files: list[str]) -> Callable[[Doc], Doc]:
    """Quantities with who asserts them (``Doc._.claims``, rows keyed by the document id)."""
    warm_units()  # load quantulum3's tables now, before worker processes fork
    vocab = load_vocabulary(tuple(quantity_files))

    def claims(doc: Doc) -> Doc:
        def work(d: Doc) -> None:
            d._.claims = extract_claims(d, doc_id(d.text), d._.mentions or [], d._.published,
                                        vocab)
        return _guarded(name, doc, work)

    return claims


def stage_configs(settings: Settings) -> dict[str, dict[str, Any]]:
    """Each Detente stage's config, from the settings."""
    return {
        "detente_structure": {},
        "detente_mentions": {"actor_files": list(settings.actor_files)},
        "detente_events": {"pattern_files": list(settings.pattern_files)},
        "detente_terms": {"provision_files": list(settings.provision_files)},
        "detente_claims": {"quantity_files": list(settings.quantity_files)},
    }


@lru_cache(maxsize=4)
def build_pipeline(settings: Settings) -> Language:
    """The spaCy model named in ``settings`` with Detente's stages appended, once per process.

    The returned pipeline is shared; to change stages, build a copy with
    :func:`new_pipeline` and edit it with ``add_pipe``/``remove_pipe``/``replace_pipe``.
    """
    return new_pipeline(settings)


def new_pipeline(settings: Settings) -> Language:
    """A fresh pipeline (not cached): the model plus Detente's stages from ``settings``."""
    unknown = set(settings.skip_stages) - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s) {', '.join(sorted(unknown))}; "
                         f"Detente's stages are {', '.join(STAGES)}")
    nlp = load_model(settings.model, fresh=True)
    assert PARAGRAPH_COMPONENT in nlp.pipe_names
    for stage, config in stage_configs(settings).items():
        if stage not in settings.skip_stages:
            nlp.add_pipe(stage, config=config)
    return nlp
