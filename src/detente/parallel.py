"""Run the per-document function on every local core, or on a Dask cluster.

Workers each build the pipeline once and return rows; the caller writes them in input order,
so the stored result does not depend on how many workers there were.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TypeVar

from .components import build_pipeline
from .config import Settings
from .pipeline import DocumentRows, PackedRows, pack, process_pairs
from .readers import RawDocument, ReadError

Item = RawDocument | ReadError
Result = DocumentRows | PackedRows | ReadError
T = TypeVar("T")
PARALLEL_CHUNK = 4  # documents per task: small enough to spread a short batch over the workers

_settings: Settings | None = None


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_chunk(chunk: list[Item], settings: Settings) -> list[PackedRows | ReadError]:
    """Rows for a list of documents, packed as tuples (:class:`PackedRows`) to travel to the
    writer: what one worker does with one task."""
    return [pack(result) if isinstance(result, DocumentRows) else result
            for _item, result in process_pairs(chunk, settings)]


def _init(settings: Settings) -> None:
    global _settings
    _settings = settings


def _work(chunk: list[Item]) -> list[PackedRows | ReadError]:
    assert _settings is not None
    return process_chunk(chunk, _settings)


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def process_parallel(items: Iterable[Item], settings: Settings, workers: int,
                     chunk_size: int = PARALLEL_CHUNK) -> Iterator[tuple[Item, Result]]:
    """(input, rows or error) for each input, in input order, on ``workers`` processes.

    With one worker everything runs in this process. At most two tasks per worker are in
    flight, so memory stays bounded however long the input is.
    """
    if workers <= 1:
        yield from process_pairs(items, settings)
        return
    items = iter(items)
    first = next(items, None)
    if first is None:  # nothing to parse: no pool, no model
        return
    items = chain([first], items)
    frozen = False
    if "fork" in multiprocessing.get_all_start_methods():
        build_pipeline(settings)  # forked workers share the loaded model and dictionaries
        # keep the model's objects out of the garbage collector's scans, in the workers
        # (which would otherwise touch, and so copy, every shared page) and in the writer
        gc.freeze()
        frozen = True
        ctx = multiprocessing.get_context("fork")
    else:
        ctx = multiprocessing.get_context("spawn")
    try:
        with ctx.Pool(workers, initializer=_init, initargs=(settings,)) as pool:
            pending: deque = deque()
            for chunk in chunks(items, chunk_size):
                pending.append((chunk, pool.apply_async(_work, (chunk,))))
                if len(pending) >= 2 * workers:
                    yield from _ready(pending.popleft())
            while pending:
                yield from _ready(pending.popleft())
    finally:
        if frozen:
            gc.unfreeze()


def process_dask(items: Iterable[Item], settings: Settings, address: str = "local",
                 workers: int | None = None, chunk_size: int = PARALLEL_CHUNK
                 ) -> Iterator[tuple[Item, Result]]:
    """Like :func:`process_parallel`, on Dask distributed.

    ``address`` is ``local`` (a ``LocalCluster`` of ``workers`` processes on this machine) or
    a scheduler address such as ``tcp://10.0.0.5:8786`` (start one with ``dask scheduler``
    and workers with ``dask worker tcp://10.0.0.5:8786``; each needs Detente installed).
    Each worker builds the pipeline once; results come back in input order.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise RuntimeError("the Dask path needs 'distributed': pip install distributed") from exc
    if address == "local":
        cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(address, timeout="30s")
    try:
        slots = 2 * max(len(client.scheduler_info().get("workers", {})), 1)
        pending: deque = deque()
        for chunk in chunks(items, chunk_size):
            pending.append((chunk, client.submit(process_chunk, chunk, settings, pure=False)))
            if len(pending) >= slots:
                yield from _ready(pending.popleft())
        while pending:
            yield from _ready(pending.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _ready(task: tuple[list[Item], object]) -> Iterator[tuple[Item, Result]]:
    chunk, result = task
    done = result.get() if hasattr(result, "get") else result.result()
    yield from zip(chunk, done, strict=True)
