"""The HTML pages: timeline, dossier, documents, events, claims, disagreements and ingest."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path as FilePath
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from ..config import Settings
from ..dates import parse_partial
from ..readers import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, RawDocument, ReadError
from ..readers import read_bytes as read_upload
from ..store import Store, search_tokens
from . import data
from .charts import CHARTS, chart
from .data import WebError, open_db
from .filters import (
    ANSWER_KINDS,
    DISAGREEMENT_KINDS,
    EPISODE_KINDS,
    MODALITIES,
    PARTY_ROLES,
    ClaimFilter,
    DisagreementFilter,
    EpisodeFilter,
    EventFilter,
    Page,
    SearchFilter,
    form_values,
    validation_details,
)
from .highlight import Span, highlight
from .names import actor_name, resolve_actor
from .timeline import timeline_svg

PAGE_LIMIT = 50
UPLOAD_MAX_BYTES = 5 * 2**20
FORM_OVERHEAD = 64 * 1024
KEEP_TEXT_CHARS = 200_000  # pasted text shown again with the error, up to this size
UPLOAD_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
         4: "material conflict"}

router = APIRouter(include_in_schema=False)
M = TypeVar("M", bound=BaseModel)


def _filters(model: type[M], request: Request, *, keep: tuple[str, ...] = ()) -> M:
    """The page's filters from its query string. An invalid or unknown one is left out and
    said at the top of the page (status 422), which keeps its form and the other filters."""
    values = {k: v for k, v in form_values(request.query_params).items() if k not in keep}
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        details = validation_details(exc.errors())
        request.state.problems = [
            {**d, "value": values.get(d["param"], "")} for d in details]
        bad = {d["param"] for d in details}
        try:
            return model.model_validate({k: v for k, v in values.items() if k not in bad})
        except ValidationError:
            return model()


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    problems = getattr(request.state, "problems", [])
    if problems and status == 200:
        status = 422
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, {"problems": problems, **context}, status_code=status)
    return response


def _pager(total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset,
            "prev": max(0, offset - limit) if offset > 0 else None,
            "next": offset + limit if offset + limit < total else None,
            "first": offset + 1 if total else 0, "last": min(total, offset + limit)}


class Sentences:
    """Sentences of documents, fetched once per document for a request."""

    def __init__(self, store: Store):
        self.store = store
        self._docs: dict[str, list[dict[str, Any]]] = {}

    def of(self, doc_id: str) -> list[dict[str, Any]]:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.store.sentences(doc_id)
        return self._docs[doc_id]

    def get(self, doc_id: str, idx: int) -> dict[str, Any] | None:
        sents = self.of(doc_id)
        if 0 <= idx < len(sents) and sents[idx]["idx"] == idx:
            return sents[idx]
        return next((s for s in sents if s["idx"] == idx), None)

    def marked(self, doc_id: str, idx: int, spans: list[Span], fallback: str = "") -> Any:
        sent = self.get(doc_id, idx)
        if sent is None:
            return highlight(fallback, [])
        return highlight(sent["text"], spans, sent["start"])


# -- highlights --------------------------------------------------------------------------
def event_spans(e: dict[str, Any]) -> list[Span]:
    """Trigger, source and target of an event, each titled with what it was coded as."""
    coding = f"{e['cameo']} {e.get('cameo_name') or ''} · {e.get('plover_type') or '?'}"
    return [Span(e["trigger_start"], e["trigger_end"], "trigger", coding.strip()),
            Span(e.get("source_start"), e.get("source_end"), "source",
                 f"source: {e.get('source_code') or 'unresolved'}"),
            Span(e.get("target_start"), e.get("target_end"), "target",
                 f"target: {e.get('target_code') or 'unresolved'}")]


def said_by(e: dict[str, Any]) -> str:
    """Who says so: the attribution of an event in words."""
    kind = e.get("attribution_kind") or "author"
    text = e.get("attribution_text")
    if kind == "author":
        return "the article itself"
    if kind == "outlet":
        return text or e.get("outlet") or "the outlet"
    who = text or ("an unnamed source" if kind == "unnamed" else "a named source")
    code = e.get("attribution_code")
    return f"{who} ({code})" if code else who


def coding_title(e: dict[str, Any]) -> str:
    """An event's coding in a few lines (for a title attribute)."""
    mode = f" / {e['plover_mode']}" if e.get("plover_mode") else ""
    when = e.get("date_start") or "undated"
    if e.get("date_end") and e["date_end"] != e.get("date_start"):
        when += f" to {e['date_end']}"
    return "\n".join([
        f"CAMEO {e['cameo']} {e.get('cameo_name') or ''}".strip(),
        f"PLOVER {e.get('plover_type') or '?'}{mode}",
        f"{e.get('source_code') or '?'} → {e.get('target_code') or '-'}",
        f"date: {when} ({e.get('date_precision') or '?'})",
        f"modality: {e['modality']}; said by {said_by(e)}",
    ])


# -- timeline and dossier ----------------------------------------------------------------
@router.get("/")
def timeline(request: Request) -> Response:
    """The timeline; ``?episode=ID`` opens that episode's dossier beside it."""
    f = _filters(EpisodeFilter, request, keep=("episode",))
    opened = request.query_params.get("episode", "").strip()
    with open_db(request) as store:
        episodes, _ = data.episodes_page(store, f, None)
        codes = resolve_actor(store, f.party) if f.party else []
        facets = store.facet_counts()
        documents = store.documents_page()
        dossier = None
        if opened:
            found = store.episode(opened)
            if found is not None:
                dossier = dossier_context(found, Sentences(store))
            else:
                request.state.problems = [{"param": "episode", "value": opened,
                                           "message": "no episode has this id"}]
    names = {c: actor_name(c) for c, _ in facets["party"]}
    return _render(request, "timeline.html", {
        "f": f, "episodes": episodes, "svg": timeline_svg(episodes), "facets": facets,
        "names": names, "party_codes": codes, "documents": documents, "kinds": EPISODE_KINDS,
        "answer_kinds": ANSWER_KINDS, "roles": PARTY_ROLES, "dossier": dossier,
        "opened": opened if dossier else "", "nav": "timeline"})


@router.get("/episodes/{episode_id}")
def dossier(request: Request, episode_id: str, fragment: bool = False) -> Response:
    with open_db(request) as store:
        ep = data.episode_detail(store, episode_id)
        context = dossier_context(ep, Sentences(store))
    return _render(request, "_dossier.html" if fragment else "dossier.html",
                   {**context, "nav": "timeline"})


@router.get("/episodes/{episode_id}/sources")
def compare_sources(request: Request, episode_id: str) -> Response:
    """One column per source of an episode: what it says, its date, its terms, its answers
    and its side of each disagreement."""
    with open_db(request) as store:
        ep = data.episode_detail(store, episode_id)
        context = dossier_context(ep, Sentences(store))
    columns = {src["doc_id"]: {**src, "terms": [], "answers": [], "sides": []}
               for src in context["sources"]}
    for a in context["answers"]:
        columns.setdefault(a["doc_id"], _column_of(a))["answers"].append(a)
    for t in context["terms"]:
        for doc_id in [t["doc_id"], *t["also"]]:
            if doc_id in columns:
                columns[doc_id]["terms"].append(t)
    for d in context["disagreements"]:
        for side in d["sides"]:
            if side["doc_id"] in columns:
                columns[side["doc_id"]]["sides"].append({**side, "about": d["about"],
                                                         "kind": d["kind"]})
    ordered = sorted(columns.values(), key=lambda c: (c.get("published") or "", c["doc_id"]))
    return _render(request, "sources.html", {**context, "columns": ordered, "nav": "timeline"})


def _column_of(m: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": m["doc_id"], "outlet": m.get("outlet") or m.get("doc_title"),
            "author": m.get("author"), "published": m.get("doc_published"),
            "title": m.get("doc_title"), "url": m.get("doc_url"), "mentions": [], "terms": [],
            "answers": [], "sides": []}


@router.get("/charts")
def charts_page(request: Request) -> Response:
    """Episodes and events over time, answers by kind, who proposed to whom."""
    with open_db(request) as store:
        shown = [chart(store, name) for name in CHARTS]
    return _render(request, "charts.html", {"charts": shown, "nav": "charts"})


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: str) -> Response:
    """One event (a permalink): its sentence marked, its coding, its document."""
    with open_db(request) as store:
        e = store.event(event_id)
        if e is None:
            raise data.not_found("event", event_id, "/api/events")
        e["episodes"] = store.episodes(event_id=event_id)
    e["marked"] = highlight(e["sentence"], event_spans(e), e["sentence_start"])
    e["said_by"] = said_by(e)
    e["coding"] = coding_title(e)
    return _render(request, "event.html", {"e": e, "nav": "events"})


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: str) -> Response:
    """One quantitative claim (a permalink) in its sentence."""
    with open_db(request) as store:
        c = store.claim(claim_id)
        if c is None:
            raise data.not_found("claim", claim_id, "/api/claims")
        c["marked"] = Sentences(store).marked(c["doc_id"], c["sentence_idx"],
                                              [Span(c["start"], c["end"], "claim")],
                                              c["sentence"])
    return _render(request, "claim.html", {"c": c, "nav": "claims"})


@router.get("/documents/{doc_id}/sentences/{idx}")
def sentence_page(request: Request, doc_id: str, idx: int) -> Response:
    """One sentence (a permalink) with its paragraph, and what was coded in it."""
    with open_db(request) as store:
        doc = store.document(doc_id)
        if doc is None:
            raise data.not_found("document", doc_id, "/api/documents")
        sentences = store.sentences(doc["id"])
        sent = next((s for s in sentences if s["idx"] == idx), None)
        if sent is None:
            raise WebError(404, "not_found", f"Document {doc_id!r} has no sentence {idx}; "
                           f"it has {len(sentences)}.")
        events = [e for e in store.events(doc_id=doc["id"]) if e["sentence_idx"] == idx]
        claims = [c for c in store.claims(doc_id=doc["id"]) if c["sentence_idx"] == idx]
    spans = [s for e in events for s in event_spans(e)]
    para = [s for s in sentences if s["paragraph"] == sent["paragraph"]]
    return _render(request, "sentence.html", {
        "doc": doc, "sent": sent, "marked": highlight(sent["text"], spans, sent["start"]),
        "before": [s for s in para if s["idx"] < idx], "after": [s for s in para
                                                                if s["idx"] > idx],
        "events": events, "claims": claims, "nav": "documents"})


@router.get("/search")
def search_page(request: Request) -> Response:
    """Sentences by their words, documents by title, actors by name."""
    q = request.query_params.get("q", "").strip()
    result = None
    if q:
        f = _filters(SearchFilter, request)
        limit = f.limit or PAGE_LIMIT
        with open_db(request) as store:
            result = data.search(store, f.q, limit, f.offset)
        for s in result["sentences"]:
            s["marked"] = highlight(s["text"], _word_spans(s, f.q), s["start"])
        pages = _pager(result["total"], limit, f.offset)
    else:
        f, pages = None, None
    return _render(request, "search.html", {"q": q, "f": f, "result": result, "pages": pages,
                                            "nav": "search"})


def _word_spans(sentence: dict[str, Any], q: str) -> list[Span]:
    """Where the words of ``q`` occur in a sentence (document offsets)."""
    spans = []
    for token in search_tokens(q):
        for m in re.finditer(rf"\b{re.escape(token)}\b", sentence["text"], flags=re.I):
            spans.append(Span(sentence["start"] + m.start(), sentence["start"] + m.end(),
                              "hit"))
    return spans


def dossier_context(ep: dict[str, Any], sentences: Sentences) -> dict[str, Any]:
    """What the dossier shows, with every sentence highlighted from its offsets."""
    terms = []
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for t in ep["terms_detail"]:
        key = (t["provision_id"], t["text"].lower(), (t.get("sentence") or "").strip())
        if key in seen:  # the same words in a republished copy: one entry, both sources
            seen[key]["also"].append(t["doc_id"])
            continue
        seen[key] = {**t, "also": [], "marked": sentences.marked(
            t["doc_id"], t["sentence_idx"], [Span(t["start"], t["end"], "term",
                                                  t["provision"])], t.get("sentence", ""))}
        terms.append(seen[key])
    answers = [{**m, "said_by": said_by(m),
                "marked": sentences.marked(m["doc_id"], m["sentence_idx"], event_spans(m),
                                           m.get("sentence", ""))}
               for m in ep["members"] if m["role"] == "answer"]
    sources: dict[str, dict[str, Any]] = {}
    for m in ep["members"]:
        if m["role"] == "answer":
            continue
        src = sources.setdefault(m["doc_id"], {
            "doc_id": m["doc_id"], "outlet": m.get("outlet") or m.get("doc_title"),
            "author": m.get("author"), "published": m.get("doc_published"),
            "title": m.get("doc_title"), "url": m.get("doc_url"), "sentences": {}})
        src["sentences"].setdefault(m["sentence_idx"], []).append(m)
    for src in sources.values():
        src["mentions"] = [_in_context(src["doc_id"], idx, members, sentences)
                        for idx, members in sorted(src.pop("sentences").items())]
    disagreements = [disagreement_context(d, sentences) for d in ep["disagreements"]]
    return {"ep": ep, "terms": terms, "answers": answers, "sources": list(sources.values()),
            "disagreements": disagreements,
            "hosts": [p for p in ep["parties"] if p["role"] not in ("proposer", "addressee")]}


def _in_context(doc_id: str, idx: int, members: list[dict[str, Any]],
                sentences: Sentences) -> dict[str, Any]:
    """A member sentence with its neighbours in the same paragraph (two on each side)."""
    spans = [s for m in members for s in event_spans(m)]
    focus = sentences.get(doc_id, idx)
    before: list[str] = []
    after: list[str] = []
    if focus is not None:
        para = [s for s in sentences.of(doc_id) if s["paragraph"] == focus["paragraph"]]
        before = [s["text"] for s in para if idx - 2 <= s["idx"] < idx]
        after = [s["text"] for s in para if idx < s["idx"] <= idx + 2]
    return {"idx": idx, "members": members, "before": before, "after": after,
            "marked": sentences.marked(doc_id, idx, spans, members[0].get("sentence", ""))}


def disagreement_context(d: dict[str, Any], sentences: Sentences) -> dict[str, Any]:
    sides = [{**s, "marked": sentences.marked(s["doc_id"], s["sentence_idx"],
                                              [Span(s.get("start"), s.get("end"), "side",
                                                    s.get("position"))], s["sentence"])}
             for s in d["sides"]]
    return {**d, "sides": sides}


# -- documents ---------------------------------------------------------------------------
@router.get("/documents")
def documents(request: Request) -> Response:
    f = _filters(Page, request)
    limit = f.limit or PAGE_LIMIT
    with open_db(request) as store:
        rows, total = data.documents_page(store, limit, f.offset)
    return _render(request, "documents.html", {
        "f": f, "rows": rows, "pages": _pager(total, limit, f.offset), "nav": "documents"})


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: str) -> Response:
    with open_db(request) as store:
        doc = data.document_detail(store, doc_id)
    events = doc["events"]
    spans = [Span(e["trigger_start"], e["trigger_end"],
                  f"event q{e.get('quad_class') or 0}"
                  + (" negated" if e.get("modality") == "negated" else ""),
                  coding_title(e), (("data-event", f"event-{i}"), ("tabindex", "0"),
                                    ("role", "button")))
             for i, e in enumerate(events)]
    for i, e in enumerate(events):
        e["anchor"] = f"event-{i}"
        e["said_by"] = said_by(e)
    return _render(request, "document.html", {
        "doc": doc, "text": highlight(doc["text"], spans), "events": events, "quads": QUADS,
        "claims": doc["claims"], "terms": doc["terms"], "episodes": doc["episodes"],
        "nav": "documents"})


# -- events, claims, disagreements -------------------------------------------------------
@router.get("/events")
def events(request: Request) -> Response:
    f = _filters(EventFilter, request)
    limit = f.limit or PAGE_LIMIT
    with open_db(request) as store:
        rows, total = data.events_page(store, f, limit)
        documents = store.documents_page()
    for e in rows:
        e["marked"] = highlight(e["sentence"], event_spans(e), e["sentence_start"])
        e["said_by"] = said_by(e)
    return _render(request, "events.html", {
        "f": f, "rows": rows, "pages": _pager(total, limit, f.offset), "documents": documents,
        "modalities": MODALITIES, "nav": "events"})


@router.get("/claims")
def claims(request: Request) -> Response:
    f = _filters(ClaimFilter, request)
    limit = f.limit or PAGE_LIMIT
    with open_db(request) as store:
        rows, total = data.claims_page(store, f, limit)
        documents = store.documents_page()
        sentences = Sentences(store)
        for c in rows:
            c["marked"] = sentences.marked(c["doc_id"], c["sentence_idx"],
                                           [Span(c["start"], c["end"], "claim")], c["sentence"])
        facets = store.facet_counts()
    return _render(request, "claims.html", {
        "f": f, "rows": rows, "pages": _pager(total, limit, f.offset), "documents": documents,
        "categories": facets["category"], "nav": "claims"})


@router.get("/disagreements")
def disagreements(request: Request) -> Response:
    f = _filters(DisagreementFilter, request)
    limit = f.limit or PAGE_LIMIT
    with open_db(request) as store:
        rows, total = data.disagreements_page(store, f, limit)
        sentences = Sentences(store)
        rows = [disagreement_context(d, sentences) for d in rows]
    return _render(request, "disagreements.html", {
        "f": f, "rows": rows, "pages": _pager(total, limit, f.offset),
        "kinds": DISAGREEMENT_KINDS, "nav": "disagreements"})


# -- ingest ------------------------------------------------------------------------------
@router.get("/ingest")
def ingest_form(request: Request) -> Response:
    return _render(request, "ingest.html", {"errors": [], "form": {}, "nav": "ingest",
                                            "limit_mib": UPLOAD_MAX_BYTES // 2**20})


def _too_large(size: int, cap: int) -> WebError:
    return WebError(413, "too_large", f"file too large ({size / 2**20:.1f} MiB, limit "
                    f"{cap / 2**20:.0f} MiB); split it into smaller documents")


async def _read_limited(request: Request, cap: int) -> bytes:
    """The request body, refused (413) as soon as it exceeds ``cap`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(int(declared), cap)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _too_large(size, cap)
        chunks.append(chunk)
    return b"".join(chunks)


def _replay(body: bytes) -> Callable[[], Awaitable[dict[str, Any]]]:
    messages: AsyncIterator[dict[str, Any]] = _messages(body)

    async def receive() -> dict[str, Any]:
        return await anext(messages)

    return receive


async def _messages(body: bytes) -> AsyncIterator[dict[str, Any]]:
    yield {"type": "http.request", "body": body, "more_body": False}
    while True:
        yield {"type": "http.disconnect"}


@router.post("/ingest")
async def ingest_submit(request: Request) -> Response:
    """Read pasted text or one uploaded file, refuse bad input at once, else start a job."""
    settings = request.app.state.settings
    cap = min(settings.max_document_bytes, UPLOAD_MAX_BYTES)
    read_settings = dataclasses.replace(settings, max_document_bytes=cap)
    form_state: dict[str, str] = {}
    kept = ""
    try:
        body = await _read_limited(request, cap + FORM_OVERHEAD)
        async with Request(request.scope, _replay(body)).form(
                max_files=1, max_fields=20, max_part_size=cap + FORM_OVERHEAD) as form:
            form_state = {k: str(form.get(k) or "").strip()
                          for k in ("title", "outlet", "published", "author")}
            text = form.get("text")
            kept = text if isinstance(text, str) and len(text) <= KEEP_TEXT_CHARS else ""
            if form_state["published"] and parse_partial(form_state["published"]) is None:
                raise WebError(400, "bad_request", "published: use YYYY, YYYY-MM or YYYY-MM-DD")
            items = await _read_form(form, cap, read_settings)
    except WebError as exc:
        return _render(request, "ingest.html", {
            "errors": [exc.message], "form": form_state, "text": kept, "nav": "ingest",
            "limit_mib": cap // 2**20}, status=exc.status)
    overrides = {k: v for k, v in form_state.items() if v}
    for item in items:
        if isinstance(item, RawDocument) and overrides:
            item.add_meta(overrides, "option")
    if all(isinstance(item, ReadError) for item in items):
        return _render(request, "ingest.html", {
            "errors": [str(item) for item in items], "form": form_state, "text": kept,
            "nav": "ingest", "limit_mib": cap // 2**20}, status=400)
    job = request.app.state.jobs.submit(items)
    return RedirectResponse(f"/ingest/jobs/{job['id']}", status_code=303)


async def _read_form(form: FormData, cap: int,
                     settings: Settings) -> list[RawDocument | ReadError]:
    """The documents of the uploaded file and of the pasted text (both, when both are
    given)."""
    upload = form.get("file")
    text = form.get("text")
    items: list[RawDocument | ReadError] = []
    if isinstance(upload, UploadFile) and upload.filename:
        name = FilePath(upload.filename.replace("\\", "/")).name or "upload"
        suffix = FilePath(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise WebError(415, "unsupported_media_type",
                           f"{name}: unsupported file type {suffix or '(none)'!r}; "
                           "use .txt, .html or .jsonl")
        raw = await upload.read(cap + 1)
        if len(raw) > cap:
            raise _too_large(len(raw), cap)
        items += read_upload(name, raw, suffix, settings)
    if isinstance(text, str) and text:
        items += _read_paste(text, cap, settings)
    if not items:
        raise WebError(400, "bad_request",
                       "Nothing to ingest: paste a text or choose a .txt, .html or .jsonl file.")
    return items


def _read_paste(text: str, cap: int, settings: Settings) -> list[RawDocument | ReadError]:
    """A pasted text as documents; one without a title is named by its first line."""
    encoded = text.encode("utf-8")
    if len(encoded) > cap:
        raise _too_large(len(encoded), cap)
    items = list(read_upload("pasted text", encoded, ".txt", settings))
    for item in items:
        if isinstance(item, RawDocument) and not item.meta.get("title"):
            first = next((line.strip() for line in item.text.splitlines() if line.strip()), "")
            if first:
                words = first if len(first) <= 90 else first[:90].rsplit(" ", 1)[0] + "…"
                item.add_meta({"title": words}, "text")
    return items


def paste_documents(request: Request, text: str, meta: dict[str, Any]
                    ) -> list[RawDocument | ReadError]:
    """The documents of a text sent to POST /api/ingest, with its metadata; 4xx when it
    cannot be ingested."""
    settings = request.app.state.settings
    cap = min(settings.max_document_bytes, UPLOAD_MAX_BYTES)
    published = meta.get("published")
    if published and parse_partial(published) is None:
        raise WebError(422, "invalid_parameter", "published: use YYYY, YYYY-MM or YYYY-MM-DD")
    items = _read_paste(text, cap, dataclasses.replace(settings, max_document_bytes=cap))
    overrides = {k: v for k, v in meta.items() if v}
    for item in items:
        if isinstance(item, RawDocument) and overrides:
            item.add_meta(overrides, "option")
    if all(isinstance(item, ReadError) for item in items):
        raise WebError(400, "bad_request", "; ".join(str(item) for item in items))
    return items


@router.get("/ingest/jobs/{job_id}")
def ingest_job(request: Request, job_id: str) -> Response:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise WebError(404, "not_found", f"No ingest job {job_id!r}.",
                       page_message=f"No ingest job {job_id!r}. Start one at /ingest.")
    results = []
    if job["status"] in ("done", "failed"):
        with open_db(request) as store:
            for ref in [*job["stored"], *job["duplicates"]]:
                doc = store.document(ref)
                if doc is None:
                    continue
                doc_id = doc["id"]
                results.append({
                    "doc": doc, "new": ref in job["stored"],
                    "n_events": store.count_events(doc_id=doc_id),
                    "n_claims": store.count_claims(doc_id=doc_id),
                    "episodes": store.episodes(doc_id=doc_id)})
    return _render(request, "job.html", {"job": job, "results": results, "nav": "ingest"})
