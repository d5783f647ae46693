"""Per-document processing: a pure function from (raw document, settings) to rows.

It depends only on its arguments (models and dictionaries are loaded once per process and
cached), so it runs the same in a loop, a process pool or on a Dask worker.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .actors import load_resolver
from .claims import extract_claims
from .clean import clean_text
from .coder import Coder, Event
from .config import Settings
from .language import english_share, looks_english
from .metadata import resolve_published
from .nlp import load_model
from .patterns import load_patterns
from .readers import RawDocument, ReadError
from .terms import extract_terms


@dataclass
class DocumentRows:
    """Everything stored for one document."""

    document: dict[str, Any]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.document["id"])


def document_id(clean: str) -> str:
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()


def process_document(raw: RawDocument, settings: Settings) -> DocumentRows | ReadError:
    """Clean, parse and resolve one document into rows; a ReadError if it is not usable."""
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

    nlp = load_model(settings.model)
    resolver = load_resolver(nlp, settings.actor_files)
    doc = nlp(text)
    doc_id = document_id(text)

    sentences = []
    paragraph = 0
    prev_end = 0
    for idx, sent in enumerate(doc.sents):
        start, end = _trim(text, sent.start_char, sent.end_char)
        if "\n" in text[prev_end:start]:
            paragraph += 1
        prev_end = end
        sentences.append({"doc_id": doc_id, "idx": idx, "paragraph": paragraph, "start": start,
                          "end": end, "text": text[start:end]})
    starts = [s["start"] for s in sentences]

    when = published.start if published else None
    resolved = resolver.mentions(doc, when)
    mentions = []
    for m in resolved:
        row = m.as_dict()
        row.update(doc_id=doc_id, sentence_idx=max(bisect.bisect_right(starts, m.start) - 1, 0),
                   role_current=None if m.role_current is None else int(m.role_current))
        mentions.append(row)
    events = event_rows(doc_id, Coder(load_patterns(settings.pattern_files)).code_doc(
        doc, resolved, published))
    terms = extract_terms(doc, doc_id)
    claims = extract_claims(doc, doc_id, resolved, published)

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
        "metadata_origin": json.dumps(origin, sort_keys=True),
        "language": "en",
        "text": text,
        "input_hash": raw.input_hash,
        "n_sentences": len(sentences),
        "n_mentions": len(mentions),
    }
    return DocumentRows(document, sentences, mentions, events, terms, claims)


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
