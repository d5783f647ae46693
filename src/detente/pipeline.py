"""Per-document processing: a pure function from (raw document, settings) to rows.

It depends only on its arguments (the pipeline of :mod:`detente.components` is built once per
process and cached), so it runs the same in a loop, a process pool or on a Dask worker.
Documents are parsed in batches with ``nlp.pipe``.
"""

from __future__ import annotations

import bisect
import gc
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.tokens import Doc

from .clean import clean_text
from .coder import Event
from .components import build_pipeline, paragraph_indices
from .components import doc_id as document_id
from .config import Settings
from .dates import PartialDate
from .language import english_share, looks_english
from .metadata import resolve_published
from .readers import RawDocument, ReadError
from .rows import CLAIM, EVENT, MENTION, SENTENCE, TERM

BATCH_SIZE = 16
# Longer texts are parsed by spaCy in parts of at most this many characters, cut at paragraph
# breaks, and joined into one Doc (offsets kept) before Detente's stages run: spaCy refuses
# texts over ``nlp.max_length`` (E088) and its time and memory grow faster than the length.
PART_CHARS = 100_000


@dataclass
class DocumentRows:
    """Everything stored for one document."""

    document: dict[str, Any]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    words: int = 0

    @property
    def id(self) -> str:
        return str(self.document["id"])


TABLES = ("sentences", "mentions", "events", "terms", "claims")  # a document's row tables


@dataclass
class PackedRows:
    """:class:`DocumentRows` with each table's rows as tuples in the order of its inserted
    columns (``rows.Row.inserted``): what worker processes send to the writer, smaller to
    pickle and ready for ``executemany``. Made by :func:`pack`."""

    document: dict[str, Any]
    tables: dict[str, list[tuple[Any, ...]]]  # table name -> rows
    timings: dict[str, float]
    words: int

    @property
    def id(self) -> str:
        return str(self.document["id"])


def pack(rows: DocumentRows) -> PackedRows:
    """``rows`` as tuples in insert order (see :class:`PackedRows`). Each table of ``rows`` is
    emptied once packed, so that a long document's rows are not held twice."""
    tables = {}
    for name, row_type in zip(TABLES, (SENTENCE, MENTION, EVENT, TERM, CLAIM), strict=True):
        columns = row_type.inserted
        dicts: list[dict[str, Any]] = getattr(rows, name)
        setattr(rows, name, [])
        dicts.reverse()
        packed = []
        while dicts:   # each dict freed as its tuple is made: not a whole table of both
            row = dicts.pop()
            packed.append(tuple(row.get(c) for c in columns))
        tables[name] = packed
    return PackedRows(rows.document, tables, rows.timings, rows.words)


@dataclass
class Prepared:
    """A document cleaned and checked, ready to parse."""

    raw: RawDocument
    text: str
    meta: dict[str, Any]
    origin: dict[str, str]
    published: PartialDate | None


def prepare(raw: RawDocument) -> Prepared | ReadError:
    """Clean a raw document, check it is English text and resolve its metadata."""
    known = tuple(str(raw.meta.get(k) or "") for k in ("title", "author", "outlet"))
    cleaned = clean_text(raw.text, paragraphs_are_lines=raw.paragraphs_are_lines, known=known)
    text = cleaned.text
    if len(text.split()) < 3:
        return ReadError(raw.source, "no article text left after removing boilerplate")
    if not looks_english(text):
        share, _ = english_share(text)
        return ReadError(raw.source, f"not English text (English function words {share:.0%}); "
                         "Detente reads English only")
    meta = dict(raw.meta)
    origin = dict(raw.meta_origin)
    if "author" not in meta and cleaned.bylines:
        meta["author"] = "; ".join(cleaned.bylines)
        origin["author"] = "byline"
    published, from_text = resolve_published(meta, raw.text)
    if from_text:
        origin["published"] = from_text
    return Prepared(raw, text, meta, origin, published)


def process_document(raw: RawDocument, settings: Settings,
                     nlp: Language | None = None) -> DocumentRows | ReadError:
    """Clean, parse and resolve one document into rows; a ReadError if it is not usable."""
    return next(process_documents([raw], settings, nlp))


def process_documents(raws: Iterable[RawDocument | ReadError], settings: Settings,
                      nlp: Language | None = None,
                      batch_size: int = BATCH_SIZE) -> Iterator[DocumentRows | ReadError]:
    """Rows (or a ReadError) for each document, in input order, parsed with ``nlp.pipe``.

    ``nlp`` defaults to :func:`detente.components.build_pipeline` for ``settings``; pass
    your own pipeline to add, remove or replace stages. A document that fails in any stage
    becomes a ReadError naming the stage; the others go on. ReadErrors pass through.
    """
    for _item, result in process_pairs(raws, settings, nlp, batch_size):
        yield result


def process_pairs(items: Iterable[RawDocument | Prepared | ReadError], settings: Settings,
                  nlp: Language | None = None, batch_size: int = BATCH_SIZE
                  ) -> Iterator[tuple[RawDocument | Prepared | ReadError,
                                      DocumentRows | ReadError]]:
    """Like :func:`process_documents`, each result paired with its input (which may be a
    document already prepared)."""
    nlp = nlp or build_pipeline(settings)
    batch: list[tuple[RawDocument | ReadError, Prepared | ReadError]] = []
    for item in items:
        batch.append((item, item if isinstance(item, ReadError | Prepared)
                      else prepare_safely(item)))
        if len(batch) >= batch_size:
            yield from _run_batch(nlp, batch)
            batch = []
    if batch:
        yield from _run_batch(nlp, batch)


def prepare_safely(raw: RawDocument) -> Prepared | ReadError:
    try:
        return prepare(raw)
    except Exception as exc:  # a bug or a pathological text must not stop the batch
        return ReadError(raw.source, f"processing failed ({type(exc).__name__}: {exc})")


def _run_batch(nlp: Language,
               batch: list[tuple[RawDocument | Prepared | ReadError, Prepared | ReadError]]
               ) -> Iterator[tuple[RawDocument | Prepared | ReadError, DocumentRows | ReadError]]:
    ready = [p for _, p in batch if isinstance(p, Prepared)]
    docs: list[Doc | ReadError | None] = []
    start = time.perf_counter()
    try:
        if any(len(p.text) > PART_CHARS for p in ready):
            raise ValueError("a long text: parse one by one")
        docs = list(nlp.pipe(_make_doc(nlp, p) for p in ready))
    except Exception:  # parse one by one, so that only the bad document fails
        docs = [_parse_one(nlp, p) for p in ready]
    _share_spacy_time(docs, time.perf_counter() - start)
    parsed = 0
    for item, prepared in batch:
        if isinstance(prepared, ReadError):
            yield item, prepared
            continue
        doc, docs[parsed] = docs[parsed], None
        parsed += 1
        result = doc if isinstance(doc, ReadError) else _rows_safely(prepared, doc)
        if isinstance(doc, Doc) and len(prepared.text) > PART_CHARS:
            # a Doc is many times the size of its rows, and its extensions (the mention
            # index, spans) refer back to it, so only the cycle collector frees it: free a
            # long one now, before its rows are stored
            doc.user_data.clear()
            del doc
            gc.collect()
        else:
            del doc
        yield item, result


def _share_spacy_time(docs: list[Doc | ReadError | None], seconds: float) -> None:
    """Give each Doc its share (by length) of the batch time not spent in Detente's stages."""
    parsed = [d for d in docs if isinstance(d, Doc)]
    ours = sum(sum((d._.timings or {}).values()) for d in parsed)
    tokens = sum(len(d) for d in parsed) or 1
    for d in parsed:
        d._.timings = {"spacy": max(seconds - ours, 0.0) * len(d) / tokens,
                       **(d._.timings or {})}


def _rows_safely(prepared: Prepared, doc: Doc) -> DocumentRows | ReadError:
    try:
        return rows_from_doc(prepared, doc)
    except Exception as exc:
        return ReadError(prepared.raw.source,
                         f"processing failed ({type(exc).__name__}: {exc})")


def _make_doc(nlp: Language, prepared: Prepared) -> Doc:
    doc = nlp.make_doc(prepared.text)
    doc._.published = prepared.published
    return doc


def split_parts(text: str, limit: int = PART_CHARS) -> list[str]:
    """``text`` cut into consecutive parts of at most ``limit`` characters whose concatenation
    is ``text``: at the last paragraph break (blank line, else line break) before the limit,
    else at the last space, else at the limit."""
    parts: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            at = window.rfind(sep)
            if at > 0:
                cut = at + len(sep)
                break
        cut = cut if cut > 0 else limit
        parts.append(text[start:start + cut])
        start += cut
    parts.append(text[start:])
    return parts


def _first_stage(nlp: Language) -> int:
    """Index of the first component that needs the whole document: Detente's own stages
    and whatever follows them."""
    for i, name in enumerate(nlp.pipe_names):
        if name.startswith("detente_") and name != "detente_paragraphs":
            return i
    return len(nlp.pipe_names)


def _parse_long(nlp: Language, prepared: Prepared) -> Doc:
    """Parse a text longer than :data:`PART_CHARS` in parts with the model's components, join
    the parts into one Doc with the original text and offsets, then run Detente's stages.

    The parts are a quarter of :data:`PART_CHARS` (the model's working memory grows with the
    length of what it parses). The whole text is tokenized once and each part's annotations
    are copied into it, part by part, through one array (:func:`_join_parts`): no per-token
    Python objects, unlike ``Doc.from_docs``."""
    first = _first_stage(nlp)
    model_pipes = [nlp.get_pipe(name) for name in nlp.pipe_names[:first]]
    texts = split_parts(prepared.text, max(PART_CHARS // 4, 1))
    whole = nlp.tokenizer(prepared.text)   # the tokenizer has no length limit; make_doc has
    doc = _join_parts(nlp, whole, texts, model_pipes)
    if doc is None:  # the parts tokenized otherwise than the whole: join them as they are
        del whole
        parts = []
        for text in texts:
            part = nlp.make_doc(text)
            for proc in model_pipes:
                part = proc(part)
            part.tensor = numpy.zeros((0,), dtype="float32")  # no stage reads it; it is big
            parts.append(part)
        doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])
        del parts
    if len(doc.text) != len(prepared.text):  # the parts cover the text exactly
        raise ValueError("the parts of a long text did not join back to it")
    doc._.published = prepared.published
    for _name, proc in nlp.pipeline[first:]:
        doc = proc(doc)
    return doc


# the annotations the model's components set, copied from the parts into the whole
_PART_ATTRS = ("NORM", "TAG", "POS", "MORPH", "LEMMA", "HEAD", "DEP", "SENT_START",
               "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


def _join_parts(nlp: Language, whole: Doc, texts: list[str], pipes: list[Any]) -> Doc | None:
    """``whole`` (the tokenized text) with the annotations of each part of ``texts`` parsed
    by ``pipes``; None if a part's tokens are not the whole's tokens at that place."""
    attrs = [IDS[a] for a in _PART_ATTRS]
    # one row per attribute: from_array reads it as is (no transposed copy)
    values = numpy.zeros((len(attrs), len(whole)), dtype="uint64")
    starts = whole.to_array("IDX")
    token, offset = 0, 0
    for text in texts:
        part = nlp.make_doc(text)
        n = len(part)
        if token + n > len(whole) or not numpy.array_equal(
                part.to_array("IDX") + offset, starts[token:token + n]):
            return None
        for proc in pipes:
            part = proc(part)
        values[:, token:token + n] = part.to_array(attrs).T
        token += n
        offset += len(text)
        del part
    if token != len(whole):
        return None
    whole.from_array(attrs, values.T)
    return whole
def _parse_one(nlp: Language, prepared: Prepared) -> Doc | ReadError:
    try:
        if len(prepared.text) > PART_CHARS:
            return _parse_long(nlp, prepared)
        return nlp(_make_doc(nlp, prepared))
    except Exception as exc:
        return ReadError(prepared.raw.source,
                         f"processing failed ({type(exc).__name__}: {exc})")


def rows_from_doc(prepared: Prepared, doc: Doc) -> DocumentRows | ReadError:
    """The rows for one document parsed by the Detente pipeline."""
    if doc._.errors:
        stage, reason = doc._.errors[0]
        return ReadError(prepared.raw.source, f"processing failed in {stage} ({reason})")
    text, meta, published = prepared.text, prepared.meta, prepared.published
    raw = prepared.raw
    doc_id = document_id(text)
    paragraphs = doc._.paragraphs or paragraph_indices(doc)
    sentences = []
    for idx, sent in enumerate(doc.sents):
        start, end = _trim(text, sent.start_char, sent.end_char)
        sentences.append({"doc_id": doc_id, "idx": idx, "paragraph": paragraphs[idx],
                          "start": start, "end": end, "text": text[start:end]})
    starts = [s["start"] for s in sentences]

    mentions = []
    for m in doc._.mentions or []:
        row = m.as_dict()
        row.update(doc_id=doc_id, sentence_idx=max(bisect.bisect_right(starts, m.start) - 1, 0),
                   role_current=None if m.role_current is None else int(m.role_current))
        mentions.append(row)
    events = event_rows(doc_id, doc._.events or [])

    document = {
        "id": doc_id,
        "source": raw.source,
        "format": raw.format,
        "title": meta.get("title"),
        "author": meta.get("author"),
        "outlet": meta.get("outlet"),
        "url": meta.get("url"),
        "published": published.iso() if published else None,
        "published_precision": published.precision if published else None,
        "metadata_origin": json.dumps(prepared.origin, sort_keys=True),
        "language": "en",
        "text": text,
        "input_hash": raw.input_hash,
        "n_sentences": len(sentences),
        "n_mentions": len(mentions),
    }
    return DocumentRows(document, sentences, mentions, events, list(doc._.terms or []),
                        list(doc._.claims or []), dict(doc._.timings or {}),
                        len(text.split()))


def event_rows(doc_id: str, events: list[Event]) -> list[dict[str, Any]]:
    """Rows for the events table, with ids stable across runs."""
    rows = []
    seen: dict[str, int] = {}
    for ev in events:
        row = ev.as_row()
        dyad = f"{row['source_code'] or '-'}>{row['target_code'] or '-'}"
        base = f"{doc_id[:12]}-{row['sentence_idx']}-{row['trigger_start']}-{dyad}"
        seen[base] = seen.get(base, 0) + 1
        row["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
        row["doc_id"] = doc_id
        rows.append(row)
    return rows


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
