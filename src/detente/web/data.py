"""What the pages and the API read, through :class:`~detente.store.Store` only.

A store is opened per request, in the thread that serves it: SQLite connections belong to
the thread that made them, and FastAPI may run a dependency and its endpoint in different
worker threads, so the endpoints use ``with open_db(request) as store``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request

from ..export import write_events
from ..output import spreadsheet_cell
from ..rows import CLAIM
from ..store import Store, open_store
from .filters import ClaimFilter, DisagreementFilter, EpisodeFilter, EventFilter

CLAIM_CSV_COLUMNS = (*CLAIM.names, "doc_title", "outlet", "doc_published", "sentence")


class WebError(Exception):
    """An error answered with ``status`` and the one error shape (or an error page)."""

    def __init__(self, status: int, code: str, message: str,
                 details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def not_found(what: str, ref: str, listing: str) -> WebError:
    return WebError(404, "not_found", f"No {what} {ref!r}. List ids with GET {listing}.")


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


def episodes_page(store: Store, f: EpisodeFilter, limit: int | None
                  ) -> tuple[list[dict[str, Any]], int]:
    date_from, date_to = f.date_bounds()
    filters = {"kind": f.kind, "party": f.party.upper() if f.party else None,
               "date_from": date_from, "date_to": date_to, "doc_id": doc_id_of(store, f.doc)}
    rows = store.episodes(**filters, limit=limit, offset=f.offset if limit else 0)
    total = store.count_episodes(**filters) if limit else len(rows)
    return rows, total


def episode_detail(store: Store, episode_id: str) -> dict[str, Any]:
    found = store.episode(episode_id)
    if found is None:
        raise not_found("episode", episode_id, "/api/episodes")
    return found


def event_filters(store: Store, f: EventFilter) -> dict[str, Any]:
    date_from, date_to = f.date_bounds()
    return {"doc_id": doc_id_of(store, f.doc), "actor": f.actor.upper() if f.actor else None,
            "plover": f.plover, "cameo_prefix": f.cameo, "date_from": date_from,
            "date_to": date_to, "modality": f.modality}


def events_page(store: Store, f: EventFilter, limit: int | None
                ) -> tuple[list[dict[str, Any]], int]:
    filters = event_filters(store, f)
    rows = store.events(**filters, limit=limit, offset=f.offset)
    total = store.count_events(**filters) if limit is not None or f.offset else len(rows)
    return rows, total


def claims_page(store: Store, f: ClaimFilter, limit: int | None
                ) -> tuple[list[dict[str, Any]], int]:
    filters = {"doc_id": doc_id_of(store, f.doc), "category": f.category,
               "whose": f.whose.upper() if f.whose else None}
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
    doc["n_events"] = len(doc["events"])
    doc["n_chars"] = len(doc["text"])
    try:
        origin = json.loads(doc.get("metadata_origin") or "{}")
    except json.JSONDecodeError:
        origin = {}
    doc["metadata_origin"] = origin if isinstance(origin, dict) else {}
    return doc


def events_csv(rows: list[dict[str, Any]]) -> str:
    """Events as CSV, the columns of ``detente export --format csv``."""
    out = io.StringIO()
    write_events(rows, "csv", out)
    return out.getvalue()


def claims_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CLAIM_CSV_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_cell(row.get(c)) for c in CLAIM_CSV_COLUMNS])
    return out.getvalue()
