"""Ingest jobs started from the web page: run one at a time in a background thread.

Text and uploads are read in the request (so that bad input is refused at once, with the
messages of the command line); processing, storing and the episode rebuild run here, through
:func:`detente.ingest.ingest_documents`, while the page polls ``/api/jobs/{id}``.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..readers import RawDocument, ReadError
from ..store import now, open_store

KEEP_JOBS = 200


@dataclass
class Job:
    """The state of one ingest, as shown to the user."""

    id: str
    total: int
    status: str = "queued"
    stage: str = "waiting for an earlier ingest to finish"
    done: int = 0
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error: str | None = None
    created_at: str = field(default_factory=now)
    finished_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "stage": self.stage,
                "total": self.total, "done": self.done, "stored": list(self.stored),
                "duplicates": list(self.duplicates), "failed": list(self.failed),
                "error": self.error, "created_at": self.created_at,
                "finished_at": self.finished_at}


class JobRunner:
    """Runs ingests one after another in a single worker thread and keeps their state."""

    def __init__(self, db_path: str | Path, settings: Settings):
        self.db_path = db_path
        self.settings = settings
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detente-ingest")

    def submit(self, items: list[RawDocument | ReadError]) -> dict[str, Any]:
        job = Job(id=uuid.uuid4().hex[:12], total=len(items))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)
            snapshot = job.as_dict()
        self._pool.submit(self._run, job, items)
        return snapshot

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.as_dict() if job else None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _update(self, job: Job, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(job, key, value)

    def _run(self, job: Job, items: list[RawDocument | ReadError]) -> None:
        self._update(job, status="running",
                     stage=f"processing {job.total} document(s); the first ingest also loads "
                           "the language model")

        def on_item(source: str, status: str, detail: str) -> None:
            with self._lock:
                job.done += 1
                if status == "stored":
                    job.stored.append(detail)
                elif status == "duplicate":
                    job.duplicates.append(detail)
                else:
                    job.failed.append(f"{source}: {detail}")
                job.stage = f"processed {job.done} of {job.total} document(s)"

        store = None
        try:
            from ..ingest import ingest_documents
            from ..rebuild import build_episodes

            store = open_store(self.db_path)
            report = ingest_documents(items, store, self.settings, on_item, episodes=False,
                                      command="web ingest")
            if report.stored:
                self._update(job, stage="rebuilding episodes, answers and disagreements")
                build_episodes(store, settings=self.settings)
            self._update(job, status="done",
                         stage=f"done: {len(job.stored)} stored, {len(job.duplicates)} already "
                               f"present, {len(job.failed)} failed")
        except Exception as exc:  # shown on the job page; the server goes on
            stored = f" ({len(job.stored)} document(s) were stored)" if job.stored else ""
            self._update(job, status="failed", stage="failed",
                         error=f"{type(exc).__name__}: {exc}{stored}")
        finally:
            if store is not None:
                store.close()
            self._update(job, finished_at=now())
