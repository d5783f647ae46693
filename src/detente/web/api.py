"""The REST API: the JSON twin of every page, under ``/api``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from . import data, models
from .data import open_db
from .filters import ClaimFilter, DisagreementFilter, EpisodeFilter, EventFilter, Page

API_LIMIT = 100
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": models.ErrorResponse, "description": text}
    for status, text in ((404, "Not found"), (422, "Invalid parameter"),
                         (500, "Internal error"))
}
CSV_OR_JSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "A page of rows as JSON, or every matching row as CSV (format=csv)."},
    **ERRORS,
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


def _page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _rows_or_csv(request: Request, f: Any, page: Callable[..., tuple[list[dict[str, Any]], int]],
                 to_csv: Callable[[list[dict[str, Any]]], str], name: str) -> Any:
    """A page of rows as JSON, or with ``format=csv`` every matching row (up to ``limit``)."""
    with open_db(request) as store:
        if f.format == "csv":
            rows, _ = page(store, f, f.limit)
            return _csv(to_csv(rows), name)
        limit = f.limit or API_LIMIT
        items, total = page(store, f, limit)
    return _page(items, total, limit, f.offset)


@router.get("/episodes", response_model=models.EpisodeList)
def list_episodes(request: Request, f: Annotated[EpisodeFilter, Query()]) -> dict[str, Any]:
    """Negotiation episodes in date order, filtered."""
    limit = f.limit or API_LIMIT
    with open_db(request) as store:
        items, total = data.episodes_page(store, f, limit)
    return _page(items, total, limit, f.offset)


@router.get("/episodes/{episode_id}", response_model=models.EpisodeDetail)
def get_episode(request: Request,
                episode_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """An episode's dossier: members (mentions, answers), terms, parties, disagreements."""
    with open_db(request) as store:
        return data.episode_detail(store, episode_id)


@router.get("/documents", response_model=models.DocumentList)
def list_documents(request: Request, f: Annotated[Page, Query()]) -> dict[str, Any]:
    """Documents by publication date, with counts of sentences, mentions and events."""
    limit = f.limit or API_LIMIT
    with open_db(request) as store:
        items, total = data.documents_page(store, limit, f.offset)
    return _page(items, total, limit, f.offset)


@router.get("/documents/{doc_id}", response_model=models.DocumentDetail)
def get_document(request: Request,
                 doc_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    """A document (by id or unique id prefix) with its clean text, sentences and events."""
    with open_db(request) as store:
        return data.document_detail(store, doc_id)


@router.get("/events", response_model=models.EventList, responses=CSV_OR_JSON)
def list_events(request: Request, f: Annotated[EventFilter, Query()]) -> Any:
    """Coded events, filtered; ``format=csv`` downloads every matching row."""
    return _rows_or_csv(request, f, data.events_page, data.events_csv, "events")


@router.get("/claims", response_model=models.ClaimList, responses=CSV_OR_JSON)
def list_claims(request: Request, f: Annotated[ClaimFilter, Query()]) -> Any:
    """Quantitative claims, filtered; ``format=csv`` downloads every matching row."""
    return _rows_or_csv(request, f, data.claims_page, data.claims_csv, "claims")


@router.get("/disagreements", response_model=models.DisagreementList)
def list_disagreements(request: Request,
                       f: Annotated[DisagreementFilter, Query()]) -> dict[str, Any]:
    """Where sources disagree, each side with its source and sentence."""
    limit = f.limit or API_LIMIT
    with open_db(request) as store:
        items, total = data.disagreements_page(store, f, limit)
    return _page(items, total, limit, f.offset)


@router.get("/jobs/{job_id}", response_model=models.Job)
def get_job(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """The progress of an ingest started on the /ingest page."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise data.WebError(404, "not_found", f"No ingest job {job_id!r}; jobs are kept in "
                            "memory until the server restarts.")
    return job
