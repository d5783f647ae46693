"""Ingest jobs started from the web page or POST /api/ingest: kept in the store, run one at
a time in a background thread.

Text and uploads are read in the request (so that bad input is refused at once, with the
messages of the command line); the documents read are saved with the job, so that a job
accepted before a restart or SIGTERM is run again when the server starts. Processing,
storing and the episode rebuild run here, through :func:`detente.ingest.ingest_documents`,
while the page polls ``/api/jobs/{id}``.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..config import Settings
from ..readers import RawDocument, ReadError
from ..store import now, open_store

SHOWN = ("id", "status", "stage", "total", "done", "stored", "duplicates", "failed", "error",
         "created_at", "finished_at")
Item = RawDocument | ReadError
COMMAND = "web ingest"  # the command of the runs these jobs make


def _pack(items: list[Item]) -> list[dict[str, Any]]:
    return [{"read_error" if isinstance(i, ReadError) else "document": dataclasses.asdict(i)}
            for i in items]


def _unpack(packed: list[dict[str, Any]]) -> list[Item]:
    out: list[Item] = []
    for p in packed or []:
        if "document" in p:
            out.append(RawDocument(**p["document"]))
        else:
            out.append(ReadError(**p["read_error"]))
    return out


class JobRunner:
    """Runs ingests one after another in a single worker thread; their state is in the
    store (table ``ingest_jobs``)."""

    def __init__(self, db_path: str | Path, settings: Settings, resume: bool = True):
        self.db_path = db_path
        self.settings = settings
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detente-ingest")
        if resume:
            self._resume()

    def _save(self, job: dict[str, Any]) -> None:
        store = open_store(self.db_path)
        try:
            store.save_job(job)
        finally:
            store.close()

    def _resume(self) -> None:
        """Queue again the jobs a stopped server left queued or running."""
        store = open_store(self.db_path)
        try:
            left = store.unfinished_jobs()
            if left:  # the runs the stopped server left open end here, said interrupted
                for run in store.runs():
                    if run["command"] == COMMAND and not run["finished_at"]:
                        store.finish_run(run["id"], [{"status": "interrupted", "reason":
                                                      "the server stopped; its job ran again "
                                                      "when the server restarted"}], {})
        finally:
            store.close()
        for job in left:
            job.update(status="queued", done=0,
                       stage="queued again after the server restarted")
            self._save(job)
            self._pool.submit(self._run, job, _unpack(job.get("inputs") or []))

    def submit(self, items: list[Item]) -> dict[str, Any]:
        job: dict[str, Any] = {
            "id": uuid.uuid4().hex[:12], "status": "queued", "total": len(items), "done": 0,
            "stage": "waiting for an earlier ingest to finish", "stored": [],
            "duplicates": [], "failed": [], "error": None, "created_at": now(),
            "finished_at": None, "inputs": _pack(items)}
        self._save(job)
        self._pool.submit(self._run, job, items)
        return {k: job[k] for k in SHOWN}

    def get(self, job_id: str) -> dict[str, Any] | None:
        store = open_store(self.db_path)
        try:
            job = store.job(job_id)
        finally:
            store.close()
        if job is None:
            return None
        return {k: (job.get(k) or [] if k in ("stored", "duplicates", "failed") else job.get(k))
                for k in SHOWN}

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _update(self, job: dict[str, Any], **changes: Any) -> None:
        with self._lock:
            job.update(changes)
            self._save(job)

    def _run(self, job: dict[str, Any], items: list[Item]) -> None:
        earlier = set(job.get("stored") or [])
        job.update(stored=[], duplicates=[], failed=[])
        self._update(job, status="running",
                     stage=f"processing {job['total']} document(s); the first ingest also "
                           "loads the language model")

        def on_item(source: str, status: str, detail: str) -> None:
            with self._lock:
                job["done"] += 1
                if status == "stored" or (status == "duplicate" and detail in earlier):
                    job["stored"].append(detail)
                elif status == "duplicate":
                    job["duplicates"].append(detail)
                else:
                    job["failed"].append(f"{source}: {detail}")
                job["stage"] = f"processed {job['done']} of {job['total']} document(s)"
                self._save(job)

        store = None
        try:
            from ..ingest import ingest_documents
            from ..rebuild import build_episodes

            store = open_store(self.db_path)
            report = ingest_documents(items, store, self.settings, on_item, episodes=False,
                                      command=COMMAND)
            if report.stored or store.episodes_stale():
                self._update(job, stage="rebuilding episodes, answers and disagreements")
                build_episodes(store, settings=self.settings)
            self._update(job, status="done", inputs=None,
                         stage=f"done: {len(job['stored'])} stored, {len(job['duplicates'])} "
                               f"already present, {len(job['failed'])} failed")
        except Exception as exc:  # shown on the job page; the server goes on
            stored = f" ({len(job['stored'])} document(s) were stored)" if job["stored"] else ""
            self._update(job, status="failed", stage="failed", inputs=None,
                         error=f"{type(exc).__name__}: {exc}{stored}")
        finally:
            if store is not None:
                store.close()
            self._update(job, finished_at=now())
