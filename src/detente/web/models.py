"""Response models of the REST API (they make ``/openapi.json`` describe every answer)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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


class Episode(BaseModel):
    id: str
    kind: str
    title: str
    proposer: list[str]
    addressee: list[str]
    mediators: list[str]
    signatories: list[str]
    named_object: Str
    date_start: Str
    date_end: Str
    date_precision: Str
    n_mentions: int
    n_sources: int
    n_answers: int
    answers: list[Answer]
    terms: list[str] = Field(description="Provisions of the terms found near its mentions.")
    sources: list[str] = Field(description="Ids of the documents that report it.")
    builder_version: str
    built_at: str


class Event(BaseModel):
    id: str
    doc_id: str
    sentence_idx: int
    trigger_text: str
    trigger_start: int
    trigger_end: int
    cameo: str
    cameo_name: Str
    plover_type: Str
    plover_mode: Str
    plover_context: Str
    goldstein: Float
    quad_class: Int
    source_code: Str
    source_sector: Str
    source_person: Str
    source_text: Str
    source_start: Int
    source_end: Int
    target_code: Str
    target_sector: Str
    target_person: Str
    target_text: Str
    target_start: Int
    target_end: Int
    modality: str
    attribution_kind: str
    attribution_text: Str
    attribution_code: Str
    attribution_sector: Str
    attribution_person: Str
    date_start: Str
    date_end: Str
    date_precision: Str
    date_text: Str
    date_method: Str
    pattern_id: str
    coder_version: str
    confidence: float
    doc_source: Str = None
    doc_url: Str = None
    doc_published: Str = None
    doc_title: Str = None
    sentence: Str = None
    sentence_start: Int = None
    sentence_end: Int = None


class Member(Event):
    """An event of an episode: a mention of it, an answer to it or a denial."""

    role: str
    answer_kind: Str
    reason: str
    outlet: Str = None
    author: Str = None
    paragraph: Int = None


class TermDetail(BaseModel):
    id: str
    doc_id: str
    sentence_idx: int
    start: int
    end: int
    text: str
    provision_id: str
    provision: str
    stance: Str
    scope: Str
    conditionality: Str
    negated: int
    pattern: Str
    reason: Str = None
    sentence: Str = None


class Party(BaseModel):
    role: str
    code: str
    doc_id: Str
    sentence_idx: Int
    start: Int
    end: Int
    text: Str


class Side(BaseModel):
    side: int
    doc_id: str
    doc_title: Str
    outlet: Str
    doc_published: Str
    sentence_idx: int
    start: Int
    end: Int
    text: str
    position: Str
    source_code: Str
    ref: Str
    sentence: str


class Disagreement(BaseModel):
    id: str
    kind: str
    about: str
    note: Str
    episode_id: Str
    sides: list[Side]


class EpisodeDetail(Episode):
    """An episode's dossier."""

    members: list[Member]
    terms_detail: list[TermDetail]
    parties: list[Party]
    disagreements: list[Disagreement]


class Document(BaseModel):
    id: str
    source: str
    title: Str
    author: Str
    outlet: Str
    url: Str
    published: Str
    published_precision: Str
    language: Str
    n_sentences: int
    n_mentions: int
    n_events: int
    n_chars: int


class Sentence(BaseModel):
    idx: int
    paragraph: int
    start: int
    end: int
    text: str


class DocumentDetail(Document):
    format: str
    metadata_origin: dict[str, Any]
    input_hash: str
    run_id: Int
    ingested_at: str
    text: str
    sentences: list[Sentence]
    events: list[Event]


class Claim(BaseModel):
    id: str
    doc_id: str
    sentence_idx: int
    start: int
    end: int
    text: str
    value: Float
    value_max: Float
    approx: Str
    unit: Str
    counted: Str
    category: Str
    rate: Str
    whose: Str
    whose_text: Str
    period_text: Str
    date_start: Str
    date_end: Str
    date_precision: Str
    attribution_kind: Str
    attribution_text: Str
    attribution_code: Str
    method: Str
    sentence: Str = None
    doc_title: Str = None
    outlet: Str = None
    doc_published: Str = None


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
