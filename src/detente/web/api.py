"""The REST API: the JSON twin of every page, under ``/api``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from . import charts, data, models
from .data import Fetch, open_db
from .filters import (
    ClaimFilter,
    DisagreementFilter,
    EpisodeFilter,
    EventFilter,
    Page,
    SearchFilter,
)
from .views import paste_documents

API_LIMIT = 100
CHART_NAMES = charts.CHARTS
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": models.ErrorResponse, "description": text}
    for status, text in ((400, "Unknown parameter or bad request"), (404, "Not found"),
                         (422, "Invalid parameter"), (500, "Internal error"))
}
CSV_OR_JSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}},
                      "application/x-ndjson": {"schema": {"type": "string"}}},
          "description": "A page of rows as JSON; every matching row as CSV (format=csv) or "
                         "JSON lines (format=jsonl), streamed."},
    **ERRORS,
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


def _page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _download(request: Request, fmt: str, name: str, fetch: Fetch, columns: Iterable[str],
              limit: int | None, offset: int,
              expand: Callable[[dict[str, Any]], list[dict[str, Any]]] | None = None
              ) -> Response:
    """Every matching row (or ``limit``), streamed as CSV or JSON lines."""
    rows: Iterator[dict[str, Any]] = data.all_rows(request.app.state.db_path, fetch, limit,
                                                   offset)
    if fmt == "csv":
        flat = (r for row in rows for r in (expand(row) if expand else [row]))
        return StreamingResponse(
            data.csv_lines(columns, flat), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    lines = (json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows)
    return StreamingResponse(lines, media_type="application/x-ndjson; charset=utf-8",
                             headers={"Content-Disposition":
                                      f'attachment; filename="{name}.jsonl"'})


@router.get("/episodes", response_model=models.EpisodeList, responses=CSV_OR_JSON)
def list_episodes(request: Request, f: Annotated[EpisodeFilter, Query()]) -> Any:
    """Negotiation episodes, filtered and sorted; ``format=csv|jsonl`` streams every match.

    ``party`` takes a code (RUS) or a name (Russia, the Kremlin, Lavrov); ``role`` limits
    it to proposers, addressees, ...
    """
    with open_db(request) as store:
        if f.format != "json":
            filters = data.episode_filters(store, f)

            def fetch(s: Any, limit: int, offset: int) -> list[dict[str, Any]]:
                return [data.episode_csv_row(e) if f.format == "csv" else e
                        for e in s.episodes(**filters, sort=f.sort, limit=limit,
                                            offset=offset)]
            return _download(request, f.format, "episodes", fetch, data.EPISODE_COLUMNS,
                             f.limit, f.offset)
        limit = f.limit or API_LIMIT
        items, total = data.episodes_page(store, f, limit)
    return _page(items, total, limit, f.offset)


@router.get("/episodes/{episode_id}", response_model=models.EpisodeDetail)
def get_episode(request: Request,
                episode_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """An episode's dossier: members (mentions, answers), terms, parties, disagreements."""
    with open_db(request) as store:
        return data.episode_detail(store, episode_id)


@router.get("/episodes/{episode_id}/cite", responses={200: {
    "content": {"application/vnd.citationstyles.csl+json": {"schema": {"type": "array"}},
                "text/plain": {"schema": {"type": "string"}}},
    "description": "The episode's sources as CSL-JSON or plain text lines."}})
def cite_episode(request: Request, episode_id: Annotated[str, Path(max_length=200)],
                 format: Annotated[Literal["csl", "text"], Query(
                     description="csl (CSL-JSON, for Zotero and citeproc) or text")] = "csl",
                 ) -> Response:
    """The sources of an episode (outlet, date, title, author, URL) to cite."""
    with open_db(request) as store:
        items = data.citations(data.episode_detail(store, episode_id))
    if format == "text":
        return Response("".join(data.citation_text(i) + "\n" for i in items),
                        media_type="text/plain; charset=utf-8")
    return JSONResponse(items, media_type="application/vnd.citationstyles.csl+json")


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
    """Coded events, filtered (``q``: words of the sentence); ``format=csv|jsonl`` streams
    every matching row."""
    with open_db(request) as store:
        if f.format != "json":
            filters = data.event_filters(store, f)
            return _download(request, f.format, "events",
                             lambda s, n, o: s.events(**filters, **data.events_order(f),
                                                      limit=n, offset=o),
                             data.EVENT_CSV_COLUMNS, f.limit, f.offset)
        limit = f.limit or API_LIMIT
        items, total = data.events_page(store, f, limit)
    return _page(items, total, limit, f.offset)


@router.get("/claims", response_model=models.ClaimList, responses=CSV_OR_JSON)
def list_claims(request: Request, f: Annotated[ClaimFilter, Query()]) -> Any:
    """Quantitative claims, filtered; ``format=csv|jsonl`` streams every matching row."""
    with open_db(request) as store:
        if f.format != "json":
            filters = data.claim_filters(store, f)
            return _download(request, f.format, "claims",
                             lambda s, n, o: s.claims(**filters, limit=n, offset=o),
                             data.CLAIM_CSV_COLUMNS, f.limit, f.offset)
        limit = f.limit or API_LIMIT
        items, total = data.claims_page(store, f, limit)
    return _page(items, total, limit, f.offset)


@router.get("/disagreements", response_model=models.DisagreementList, responses=CSV_OR_JSON)
def list_disagreements(request: Request, f: Annotated[DisagreementFilter, Query()]) -> Any:
    """Where sources disagree, each side with its source and sentence; ``format=csv`` gives
    one row per side."""
    if f.format != "json":
        def fetch(s: Any, limit: int, offset: int) -> list[dict[str, Any]]:
            rows = s.disagreements(episode_id=f.episode, kind=f.kind)
            return list(rows[offset:offset + limit])
        return _download(request, f.format, "disagreements", fetch, data.DISAGREEMENT_COLUMNS,
                         f.limit, f.offset, expand=data.disagreement_rows)
    limit = f.limit or API_LIMIT
    with open_db(request) as store:
        items, total = data.disagreements_page(store, f, limit)
    return _page(items, total, limit, f.offset)


@router.get("/events/{event_id}", response_model=models.Event)
def get_event(request: Request, event_id: Annotated[str, Path(max_length=300)]) -> Any:
    """One event (a permalink), with its sentence and document."""
    with open_db(request) as store:
        found = store.event(event_id)
    if found is None:
        raise data.not_found("event", event_id, "/api/events")
    return found


@router.get("/claims/{claim_id}", response_model=models.Claim)
def get_claim(request: Request, claim_id: Annotated[str, Path(max_length=300)]) -> Any:
    """One quantitative claim (a permalink), with its sentence and document."""
    with open_db(request) as store:
        found = store.claim(claim_id)
    if found is None:
        raise data.not_found("claim", claim_id, "/api/claims")
    return found


@router.get("/charts/{name}", response_model=models.ChartData, responses=CSV_OR_JSON)
def get_chart(request: Request, name: Annotated[Literal[CHART_NAMES], Path()],  # type: ignore[valid-type]
              format: Annotated[Literal["json", "csv"], Query()] = "json") -> Any:
    """The numbers behind a chart of the /charts page, as JSON or CSV."""
    with open_db(request) as store:
        c = charts.chart(store, name)
    if format == "csv":
        return Response("".join(data.csv_lines(c.columns, c.as_dicts())),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return {"name": c.name, "title": c.title, "columns": list(c.columns),
            "rows": c.as_dicts()}


@router.get("/search", response_model=models.SearchResult)
def search(request: Request, f: Annotated[SearchFilter, Query()]) -> dict[str, Any]:
    """Sentences containing every word of ``q`` (full text), documents whose title has them,
    and the actors ``q`` names (Russia, the Kremlin and Lavrov find RUS)."""
    limit = f.limit or API_LIMIT
    with open_db(request) as store:
        return data.search(store, f.q, limit, f.offset)


@router.get("/jobs/{job_id}", response_model=models.Job)
def get_job(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """The progress of an ingest started on the /ingest page or by POST /api/ingest."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise data.WebError(404, "not_found", f"No ingest job {job_id!r}.")
    return job


class IngestRequest(BaseModel):
    """A text to ingest, with optional metadata (which wins over header lines)."""

    model_config = {"extra": "forbid"}

    text: str = Field(..., min_length=1, description="The article text.")
    title: str | None = Field(None, max_length=500)
    outlet: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=10, description="YYYY, YYYY-MM or "
                                  "YYYY-MM-DD.")
    url: str | None = Field(None, max_length=2000)


@router.post("/ingest", status_code=202, response_model=models.Job,
             responses={413: {"model": models.ErrorResponse, "description": "Too large"}})
def post_ingest(request: Request, body: IngestRequest) -> Response:
    """Ingest a text (the same pipeline as ``detente ingest``); answers 202 with the job,
    whose progress is at the ``Location`` given."""
    items = paste_documents(request, body.text, body.model_dump(exclude={"text"}))
    job = request.app.state.jobs.submit(items)
    return JSONResponse(job, status_code=202, headers={"Location": f"/api/jobs/{job['id']}"})
