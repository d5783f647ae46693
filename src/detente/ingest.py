"""Ingest: read sources, process each document, store the rows, record the run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .actors import ActorDictionary
from .attribution import speakers_file
from .claims import load_vocabulary
from .clean import default_rules
from .coder import coder_words_file
from .config import Settings
from .conflict_dates import conflict_files
from .datafiles import DataFile
from .episodes import load_rules
from .nlp import model_identity
from .ontology import ontology_files
from .parallel import process_dask, process_parallel
from .patterns import pattern_files
from .pipeline import DocumentRows, Prepared, document_id, prepare_safely
from .readers import RawDocument, ReadError, read_sources
from .rebuild import build_episodes
from .roles import roles_file
from .store import Store, now
from .tense import tense_file
from .terms import load_taxonomy


@dataclass
class IngestReport:
    """What one ingest run did."""

    run_id: int = 0
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[ReadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "source: what was not quite right"
    inputs: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    words: int = 0  # in the documents parsed

    @property
    def ok(self) -> bool:
        return not self.failed

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def timing_line(self) -> str:
        """``prepare 0.4 s, spacy 9.1 s, ..., episodes 0.8 s; 2.1 docs/s, 950 words/s``."""
        total = self.timings.get("total", 0.0)
        stages = ", ".join(f"{k.removeprefix('detente_')} {v:.1f} s"
                           for k, v in self.timings.items() if k != "total")
        # stage times of parallel workers overlap; with one worker the rest is model loading
        # and reading the inputs
        rest = total - sum(v for k, v in self.timings.items() if k != "total")
        if rest > 0:
            stages += f", loading and reading {rest:.1f} s"
        rate = (f"; {len(self.stored) / total:.1f} docs/s, {self.words / total:,.0f} words/s"
                if total and self.stored else "")
        return f"{stages}; total {total:.1f} s{rate}"

    def counts(self) -> dict[str, int]:
        return {
            "read": len(self.inputs),
            "stored": len(self.stored),
            "duplicate": len(self.duplicates),
            "failed": len(self.failed),
            "words": self.words,
        }


def data_files(settings: Settings) -> list[DataFile]:
    """Every data file in force under ``settings``, built-in and the user's, checked."""
    return [
        *ActorDictionary.load(settings.actor_files).files,
        *default_rules().files,
        *pattern_files(settings.pattern_files),
        *conflict_files(),
        *ontology_files(),
        *load_taxonomy(settings.provision_files).files,
        *load_vocabulary(settings.quantity_files).files,
        *load_rules(settings.episode_rule_files).files,
        tense_file(),
        speakers_file(),
        coder_words_file(),
        roles_file(),
    ]


def data_versions(settings: Settings) -> dict[str, dict[str, str]]:
    """What the ``runs`` table records of the data: file -> path, kind, version, sha256."""
    return {f.name: f.record() for f in data_files(settings)}


def ingest(
    sources: Iterable[str],
    store: Store,
    settings: Settings,
    overrides: dict[str, Any] | None = None,
    on_item: Callable[[str, str, str], None] | None = None,
    episodes: bool = True,
    workers: int = 1,
    dask: str | None = None,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Ingest ``sources`` into ``store``. One bad document never stops the batch.

    ``workers`` processes parse in parallel, or a Dask cluster when ``dask`` is ``local`` or
    a scheduler address; one writer (this process) stores the rows in input order, so the
    result does not depend on where they were parsed.

    When documents were added (and ``episodes`` is true), they are built into the stored
    episodes, answers and disagreements (incrementally: see :mod:`detente.incremental`);
    episode ids survive every build.

    ``on_item(source, status, detail)`` is called once per document, with status
    ``stored``, ``duplicate`` or ``failed``; ``progress(report)`` after it, with the counts,
    words and seconds so far (for a progress bar).
    """
    return ingest_documents(read_sources(sources, settings, overrides), store, settings,
                            on_item, episodes, workers=workers, dask=dask, progress=progress)


def ingest_documents(
    items: Iterable[RawDocument | ReadError],
    store: Store,
    settings: Settings,
    on_item: Callable[[str, str, str], None] | None = None,
    episodes: bool = True,
    command: str = "ingest",
    workers: int = 1,
    dask: str | None = None,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Ingest documents already read (e.g. text pasted or uploaded in the web app).

    The same processing, storage, run record and episode rebuild as :func:`ingest`.
    """
    report = IngestReport()
    report.run_id = store.start_run(
        command, __version__, settings.model, model_identity(settings.model),
        data_versions(settings), settings.as_dict(),
    )
    start = time.perf_counter()

    def told(source: str, status: str, detail: str) -> None:
        if on_item:
            on_item(source, status, detail)
        if progress:
            report.timings["total"] = time.perf_counter() - start
            progress(report)
            del report.timings["total"]

    try:
        new = _new_documents(items, store, report, told)
        results = (process_dask(new, settings, dask, workers) if dask
                   else process_parallel(new, settings, workers))
        for item, result in results:
            _handle(item, result, store, report, told)
        if episodes and (report.stored or store.episodes_stale()):
            began = time.perf_counter()
            build_episodes(store, settings=settings)
            report.add_time("episodes", time.perf_counter() - began)
    finally:
        report.add_time("total", time.perf_counter() - start)
        store.finish_run(report.run_id, report.inputs, report.counts(), report.timings)
    return report


def _new_documents(items: Iterable[RawDocument | ReadError], store: Store, report: IngestReport,
                   on_item: Callable[[str, str, str], None] | None
                   ) -> Iterator[Prepared | ReadError]:
    """Prepared documents not in the store yet: known ones are reported without parsing."""
    for item in items:
        began = time.perf_counter()
        prepared = item if isinstance(item, ReadError) else prepare_safely(item)
        report.add_time("prepare", time.perf_counter() - began)
        if isinstance(prepared, Prepared):
            doc_id = document_id(prepared.text)
            if store.has_document(doc_id):
                _record(prepared.raw, doc_id, "duplicate", report, on_item)
                continue
        yield prepared


def _handle(item: Prepared | ReadError, result: DocumentRows | ReadError, store: Store,
            report: IngestReport, on_item: Callable[[str, str, str], None] | None) -> None:
    if isinstance(result, ReadError):
        _fail(result, report, on_item, item.raw.input_hash if isinstance(item, Prepared) else None)
        return
    assert isinstance(result, DocumentRows)
    result.document["run_id"] = report.run_id
    result.document["ingested_at"] = now()
    for stage, seconds in result.timings.items():
        report.add_time(stage, seconds)
    report.words += result.words
    began = time.perf_counter()
    stored = store.add_document(result.document, result.sentences, result.mentions,
                                result.events, result.terms, result.claims)
    report.add_time("write", time.perf_counter() - began)
    assert isinstance(item, Prepared)
    _record(item.raw, result.id, "stored" if stored else "duplicate", report, on_item)


def _record(raw: RawDocument, doc_id: str, status: str, report: IngestReport,
            on_item: Callable[[str, str, str], None] | None) -> None:
    (report.stored if status == "stored" else report.duplicates).append(doc_id)
    entry: dict[str, Any] = {"source": raw.source, "input_hash": raw.input_hash,
                             "doc_id": doc_id, "status": status}
    if raw.warnings:
        entry["warnings"] = list(raw.warnings)
        report.warnings += [f"{raw.source}: {w}" for w in raw.warnings]
    report.inputs.append(entry)
    if on_item:
        on_item(raw.source, status, doc_id[:12])


def _fail(error: ReadError, report: IngestReport,
          on_item: Callable[[str, str, str], None] | None, input_hash: str | None) -> None:
    report.failed.append(error)
    report.inputs.append({"source": error.source, "input_hash": input_hash, "doc_id": None,
                          "status": "failed", "reason": error.reason})
    if on_item:
        on_item(error.source, "failed", error.reason)
