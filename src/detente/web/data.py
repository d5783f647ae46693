"""What the pages and the API read, through :class:`~detente.store.Store` only.

A store is opened per request, in the thread that serves it: SQLite connections belong to
the thread that made them, and FastAPI may run a dependency and its endpoint in different
worker threads, so the endpoints use ``with open_db(request) as store``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request

from ..output import spreadsheet_cell
from ..rows import CLAIM, EPISODE, EVENT
from ..store import Store, open_store
from .filters import ClaimFilter, DisagreementFilter, EpisodeFilter, EventFilter
from .names import actor_name, resolve_actor

DOC_COLUMNS = ("doc_title", "outlet", "doc_published")
CLAIM_CSV_COLUMNS = (*CLAIM.names, *DOC_COLUMNS, "sentence")
EVENT_CSV_COLUMNS = (*EVENT.names, *DOC_COLUMNS, "doc_url", "sentence")
EPISODE_COLUMNS = (*(f.name for f in EPISODE.without("answers_summary")), "answers", "terms",
                   "sources", "n_disagreements")
DISAGREEMENT_COLUMNS = ("id", "kind", "about", "note", "episode_id", "side", "position",
                        "source_code", "text", "doc_id", *DOC_COLUMNS, "sentence")


class WebError(Exception):
    """An error answered with ``status`` and the one error shape (or an error page)."""

    def __init__(self, status: int, code: str, message: str,
                 details: list[dict[str, Any]] | None = None, page_message: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.page_message = page_message or message


PAGE_OF = {"/api/episodes": ("/", "the timeline"), "/api/documents": ("/documents",
                                                                      "the documents page")}


def not_found(what: str, ref: str, listing: str) -> WebError:
    page, name = PAGE_OF.get(listing, ("/", "the timeline"))
    return WebError(404, "not_found", f"No {what} {ref!r}. List ids with GET {listing}.",
                    page_message=f"No {what} {ref!r}. Find it on {name} ({page}), or "
                                 "search for it.")


@contextmanager
def open_db(request: Request) -> Iterator[Store]:
    """The app's database, open for this request only."""
    store = open_store(request.app.state.db_path)
    try:
        yield store
    finally:
        store.close()


def doc_id_of(store: Store, ref: str | None) -> str | None:
    """The id of the document ``ref`` names (id, unique id prefix, source); 404 if none."""
    if not ref:
        return None
    doc = store.document(ref)
    if doc is None:
        raise not_found("document", ref, "/api/documents")
    return str(doc["id"])


def episode_filters(store: Store, f: EpisodeFilter) -> dict[str, Any]:
    date_from, date_to = f.date_bounds()
    return {"kind": f.kind, "party": resolve_actor(store, f.party) if f.party else None,
            "role": f.role, "answer": f.answer, "provision": f.provision, "outlet": f.outlet,
            "disputed": f.disputed, "date_from": date_from, "date_to": date_to,
            "doc_id": doc_id_of(store, f.doc)}


def episodes_page(store: Store, f: EpisodeFilter, limit: int | None
                  ) -> tuple[list[dict[str, Any]], int]:
    filters = episode_filters(store, f)
    rows = store.episodes(**filters, sort=f.sort, limit=limit,
                          offset=f.offset if limit else 0)
    total = store.count_episodes(**filters) if limit else len(rows)
    return rows, total


def episode_detail(store: Store, episode_id: str) -> dict[str, Any]:
    found = store.episode(episode_id)
    if found is None:
        raise not_found("episode", episode_id, "/api/episodes")
    return found


def event_filters(store: Store, f: EventFilter) -> dict[str, Any]:
    date_from, date_to = f.date_bounds()
    return {"doc_id": doc_id_of(store, f.doc),
            "actors": resolve_actor(store, f.actor) if f.actor else None,
            "plover": f.plover, "cameo_prefix": f.cameo, "date_from": date_from,
            "date_to": date_to, "modality": f.modality, "words": f.q}


def events_order(f: EventFilter) -> dict[str, Any]:
    return {"newest_first": f.sort == "-date"}


def events_page(store: Store, f: EventFilter, limit: int | None
                ) -> tuple[list[dict[str, Any]], int]:
    filters = event_filters(store, f)
    rows = store.events(**filters, **events_order(f), limit=limit, offset=f.offset)
    total = store.count_events(**filters) if limit is not None or f.offset else len(rows)
    return rows, total


def claim_filters(store: Store, f: ClaimFilter) -> dict[str, Any]:
    return {"doc_id": doc_id_of(store, f.doc), "category": f.category,
            "whose": resolve_actor(store, f.whose) if f.whose else None}


def claims_page(store: Store, f: ClaimFilter, limit: int | None
                ) -> tuple[list[dict[str, Any]], int]:
    filters = claim_filters(store, f)
    rows = store.claims(**filters, limit=limit, offset=f.offset)
    total = store.count_claims(**filters) if limit is not None or f.offset else len(rows)
    return rows, total


def disagreements_page(store: Store, f: DisagreementFilter, limit: int
                       ) -> tuple[list[dict[str, Any]], int]:
    rows = store.disagreements(episode_id=f.episode, kind=f.kind)
    return rows[f.offset:f.offset + limit], len(rows)


def documents_page(store: Store, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    return store.documents_page(limit, offset), store.count_documents()


def document_detail(store: Store, ref: str) -> dict[str, Any]:
    """A document with its sentences and events (404 when no document matches ``ref``)."""
    doc = store.document(ref)
    if doc is None:
        raise not_found("document", ref, "/api/documents")
    doc["events"] = store.events(doc_id=doc["id"])
    doc["sentences"] = store.sentences(doc["id"])
    doc["claims"] = store.claims(doc_id=doc["id"])
    doc["terms"] = store.terms(doc["id"])
    doc["episodes"] = store.episodes(doc_id=doc["id"])
    doc["n_events"] = len(doc["events"])
    doc["n_chars"] = len(doc["text"])
    try:
        origin = json.loads(doc.get("metadata_origin") or "{}")
    except json.JSONDecodeError:
        origin = {}
    doc["metadata_origin"] = origin if isinstance(origin, dict) else {}
    return doc


def search(store: Store, q: str, limit: int, offset: int) -> dict[str, Any]:
    """Actors ``q`` names, documents whose title or outlet has its words, and sentences
    that contain them all."""
    actors = []
    for code in resolve_actor(store, q):
        n_events = store.count_events(actors=[code])
        n_episodes = store.count_episodes(party=[code])
        if n_events or n_episodes or actor_name(code):
            actors.append({"code": code, "name": actor_name(code), "n_events": n_events,
                           "n_episodes": n_episodes})
    sentences, total = store.search_sentences(q, limit, offset)
    return {"q": q, "actors": actors, "documents": store.search_documents(q),
            "sentences": sentences, "total": total, "limit": limit, "offset": offset}


def citations(ep: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources of an episode as CSL-JSON items (article-newspaper), oldest first."""
    seen: dict[str, dict[str, Any]] = {}
    for m in sorted(ep["members"], key=lambda m: (m.get("doc_published") or "", m["doc_id"])):
        if m["doc_id"] in seen:
            continue
        item: dict[str, Any] = {"id": m["doc_id"], "type": "article-newspaper",
                                "title": m.get("doc_title") or "untitled document"}
        if m.get("outlet"):
            item["container-title"] = m["outlet"]
        if m.get("author"):
            item["author"] = [{"literal": m["author"]}]
        published = m.get("doc_published")
        if published:
            item["issued"] = {"date-parts": [[int(x) for x in str(published).split("-")]]}
        if m.get("doc_url"):
            item["URL"] = m["doc_url"]
        seen[m["doc_id"]] = item
    return list(seen.values())


def citation_text(item: dict[str, Any]) -> str:
    """One CSL item as a line: Outlet (date). “Title”. Author. URL."""
    parts = [item.get("container-title") or "Unknown outlet"]
    issued = item.get("issued", {}).get("date-parts", [[]])[0]
    date = "-".join(f"{x:02d}" if i else str(x) for i, x in enumerate(issued)) or "undated"
    text = f"{parts[0]} ({date}). “{item['title']}”."
    if item.get("author"):
        text += " " + ", ".join(a["literal"] for a in item["author"]) + "."
    if item.get("URL"):
        text += f" {item['URL']}"
    return text


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (``output.spreadsheet_cell``); lists joined."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return spreadsheet_cell(value)


def csv_lines(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A header line, then one CSV line per row (streamed)."""
    columns = tuple(columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
        if out.tell() > 65536:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def episode_csv_row(ep: dict[str, Any]) -> dict[str, Any]:
    """An episode with its answers as words ('UKR rejected')."""
    answers = [f"{', '.join(a.get('by') or []) or '?'} {a.get('kind')}"
               for a in ep.get("answers") or []]
    return {**ep, "answers": answers}


def disagreement_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per side of a disagreement."""
    head = {k: d.get(k) for k in ("id", "kind", "about", "note", "episode_id")}
    return [{**head, **side} for side in d.get("sides") or []] or [head]


Fetch = Callable[[Store, int, int], list[dict[str, Any]]]


def all_rows(db_path: str, fetch: Fetch, limit: int | None, offset: int,
             chunk: int = 1000) -> Iterator[dict[str, Any]]:
    """Every row ``fetch`` gives (or ``limit`` of them), read in chunks, each chunk with
    its own connection (a streamed response may be iterated in several threads)."""
    left = limit
    while left is None or left > 0:
        size = chunk if left is None else min(chunk, left)
        store = open_store(db_path)
        try:
            batch = fetch(store, size, offset)
        finally:
            store.close()
        yield from batch
        if len(batch) < size:
            return
        offset += size
        if left is not None:
            left -= size
