"""Where the writer (main) process spends its time during a parallel ingest.

On the generated corpus of bench/scale.py, for 1 worker and for N workers, prints the wall
time, the writer process's CPU time per document until the last one is stored (with N
workers: cleaning, hashing, pickling, unpickling, inserts; with 1 worker parsing too), the
time from the start to the last document stored, and the serial tail after
it (the episode build), so that the cap on the speed-up from more workers is visible.

    python bench/writer_cpu.py [--docs 600] [--workers 2] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import corpus  # noqa: E402

from detente.config import Settings  # noqa: E402
from detente.ingest import ingest_documents  # noqa: E402
from detente.store import open_store  # noqa: E402


def run(docs, workers: int, db: Path) -> dict[str, float]:
    store = open_store(db)
    stamps: list[float] = []
    cpus: list[float] = []

    def stored(*_: object) -> None:
        stamps.append(time.perf_counter())
        cpus.append(time.process_time())

    cpu, start = time.process_time(), time.perf_counter()
    report = ingest_documents(iter(docs), store, Settings(), workers=workers, on_item=stored)
    wall = time.perf_counter() - start
    store.close()
    return {"wall": wall, "cpu_ms": (cpus[-1] - cpu) / len(docs) * 1000,
            "last": stamps[-1] - start,
            "tail": wall - (stamps[-1] - start), "write": report.timings.get("write", 0.0),
            "episodes": report.timings.get("episodes", 0.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    docs = corpus(args.docs)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        run(docs[:20], 1, tmp / "warm.db")
        for r in range(args.repeat):
            load = os.getloadavg()[0]
            figures = {}
            for workers in (1, args.workers):
                f = figures[workers] = run(docs, workers, tmp / f"r{r}w{workers}.db")
                print(f"run {r + 1}, {workers} worker(s): {f['wall']:6.1f} s wall, "
                      f"{len(docs) / f['wall']:5.1f} docs/s; writer CPU {f['cpu_ms']:5.2f} ms/doc "
                      f"until the last document stored;"
                      f" last document at {f['last']:5.1f} s, tail {f['tail']:4.1f} s "
                      f"(episodes {f['episodes']:4.1f} s, writes {f['write']:4.1f} s)",
                      flush=True)
            ratio = figures[1]["wall"] / figures[args.workers]["wall"]
            print(f"run {r + 1}: speed-up {ratio:4.2f}x"
                  f" (load average before the run {load:.1f})", flush=True)


if __name__ == "__main__":
    main()
