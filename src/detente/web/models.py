"""Response models of the REST API (they make ``/openapi.json`` describe every answer).

The models of stored rows are derived from their definitions in :mod:`detente.rows`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, create_model

from .. import rows
from ..rows import Row

Str = str | None
Int = int | None
Float = float | None


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status.")
    code: str = Field(description="not_found, invalid_parameter, too_large, internal_error, ...")
    message: str = Field(description="What went wrong and what to do, in one sentence.")
    details: list[dict[str, Any]] | None = Field(
        None, description="Each invalid parameter and why, for validation errors.")


class ErrorResponse(BaseModel):
    """The one shape of every error of the API."""

    error: ErrorBody


class Answer(BaseModel):
    by: list[Str]
    kind: str
    event_id: Str = None
    event_ids: list[str] = []


def row_model(name: str, row_type: Row, doc: str | None = None, *,
              base: type[BaseModel] = BaseModel, exclude: tuple[str, ...] = (),
              after: dict[str, dict[str, Any]] | None = None,
              extra: dict[str, Any] | None = None) -> type[BaseModel]:
    """A response model with a field per field of ``row_type`` (less ``exclude``).

    Stored fields are required; their type is the SQL type (or the decoded JSON type), and
    ``None`` is allowed unless the field is NOT NULL, a key or JSON. ``after`` inserts fields after
    a stored one (also an excluded one, to replace it in place); ``extra`` appends fields.
    Added fields are ``(type, default or ...)`` or ``(type, Field(...))``, as in
    ``pydantic.create_model``.
    """
    after = after or {}
    fields: dict[str, Any] = {}
    for f in row_type.fields:
        if f.name not in exclude:
            nullable = not (f.required or f.key) and f.json is None
            kind = f.py_type | None if nullable else f.py_type
            fields[f.name] = (kind, Field(description=f.doc))
        fields.update(after.get(f.name, {}))
    fields.update(extra or {})
    model: type[BaseModel] = create_model(name, __base__=base, __module__=__name__,
                                          **fields)
    model.__doc__ = doc or row_type.doc
    return model


def _joined(description: str, kind: Any = Str) -> Any:
    """A field joined from another table, absent in some answers."""
    return (kind, Field(None, description=description))


Episode = row_model("Episode", rows.EPISODE, exclude=("answers_summary",), after={
    "answers_summary": {
        "answers": (list[Answer], Field(description="Who answered, and how.")),
        "terms": (list[str], Field(description="Provisions of the terms found near its "
                                               "mentions.")),
        "sources": (list[str], Field(description="Ids of the documents that report it.")),
    }}, extra={"n_disagreements": (Int, Field(None, description="Number of disagreements "
                                                                "between its sources."))})

DOC_CONTEXT = {
    "doc_source": _joined("Source of the document."),
    "doc_url": _joined("Address of the document."),
    "doc_published": _joined("Publication date of the document."),
    "doc_title": _joined("Title of the document."),
    "outlet": _joined("Outlet of the document."),
    "sentence": _joined("The sentence."),
    "sentence_start": _joined("Character offset of the sentence.", Int),
    "sentence_end": _joined("Character offset just after the sentence.", Int),
}
Event = row_model("Event", rows.EVENT, extra=DOC_CONTEXT)

Member = row_model(
    "Member", rows.MEMBER, "An event of an episode: a mention of it, an answer to it or a "
    "denial.", base=Event, exclude=("episode_id", "event_id"), extra={
        "outlet": _joined("Outlet of the document."),
        "author": _joined("Author of the document."),
        "paragraph": _joined("Index of the sentence's paragraph.", Int),
    })

TermDetail = row_model("TermDetail", rows.TERM, extra={
    "reason": _joined("Why it belongs to the episode."), "sentence": _joined("The sentence.")})

Party = row_model("Party", rows.PARTY, exclude=("episode_id",))

Side = row_model("Side", rows.SIDE, exclude=("disagreement_id",), after={"doc_id": {
    "doc_title": (Str, Field(description="Title of the document.")),
    "outlet": (Str, Field(description="Outlet of the document.")),
    "doc_published": (Str, Field(description="Publication date of the document.")),
}}, extra={"sentence": (str, Field(description="The sentence."))})

Disagreement = row_model("Disagreement", rows.DISAGREEMENT, extra={"sides": (list[Side], ...)})


class EpisodeDetail(Episode):
    """An episode's dossier."""

    members: list[Member]
    terms_detail: list[TermDetail]
    parties: list[Party]
    disagreements: list[Disagreement]


DOCUMENT_DETAIL = tuple(f.name for f in rows.DOCUMENT.fields if f.detail)
Document = row_model("Document", rows.DOCUMENT, "A document (without its text).",
                     exclude=DOCUMENT_DETAIL, extra={
                         "n_events": (int, Field(description="Number of events.")),
                         "n_chars": (int, Field(description="Length of the text.")),
                     })

Sentence = row_model("Sentence", rows.SENTENCE, exclude=("doc_id",))

Claim = row_model("Claim", rows.CLAIM, extra={
    "sentence": _joined("The sentence."),
    "doc_title": _joined("Title of the document."),
    "outlet": _joined("Outlet of the document."),
    "doc_published": _joined("Publication date of the document."),
})

Term = row_model("Term", rows.TERM)

DocumentDetail = row_model(
    "DocumentDetail", rows.DOCUMENT, "A document with its text, sentences, events, claims, "
    "terms and the episodes it reports.",
    base=Document, exclude=rows.DOCUMENT.listed, extra={
        "sentences": (list[Sentence], ...), "events": (list[Event], ...),
        "claims": (list[Claim], ...), "terms": (list[Term], ...),
        "episodes": (list[Episode], ...)})


class ActorHit(BaseModel):
    code: str = Field(description="Actor code.")
    name: Str = Field(description="Its name in the actor dictionaries.")
    n_events: int = Field(description="Events with it as source or target.")
    n_episodes: int = Field(description="Episodes it is a party to.")


class SentenceHit(BaseModel):
    doc_id: str
    idx: int
    start: int
    end: int
    text: str
    doc_title: Str
    outlet: Str
    doc_published: Str
    doc_source: Str


class SearchResult(BaseModel):
    """What a search found: actors by name, documents by title, sentences by words."""

    q: str
    actors: list[ActorHit]
    documents: list[Document]
    sentences: list[SentenceHit]
    total: int = Field(description="Number of matching sentences.")
    limit: int
    offset: int


class Job(BaseModel):
    """An ingest started from the web page."""

    id: str
    status: str = Field(description="queued, running, done or failed")
    stage: str
    total: int
    done: int
    stored: list[str]
    duplicates: list[str]
    failed: list[str] = Field(description="One message per input that failed: 'source: reason'")
    error: Str
    created_at: str
    finished_at: Str


class _List(BaseModel):
    total: int
    limit: int
    offset: int


class EpisodeList(_List):
    items: list[Episode]


class DocumentList(_List):
    items: list[Document]


class EventList(_List):
    items: list[Event]


class ClaimList(_List):
    items: list[Claim]


class DisagreementList(_List):
    items: list[Disagreement]


class ChartData(BaseModel):
    """The numbers behind a chart: one object per row, with the named columns."""

    name: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
