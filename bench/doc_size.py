"""Ingest time per KB as one document grows, and peak memory.

Each size is ingested (read, cleaned, parsed, coded, stored, episodes rebuilt) as one
document into a fresh database, in a fresh process so that its peak resident memory is its
own. Prints wall and CPU seconds, CPU seconds per KB and peak RSS per size, then the ratio
of each size's CPU time to the 100 KB one's (the goal: 1 MB within 12x the 100 KB time;
5 MB under 1 GB). The peak is also given as it was before the episode rebuild. The ratios
use CPU time, which other programs on a shared machine do not inflate; the ingest runs in
one process.

    python bench/doc_size.py [--sizes 10,100,1000,5000]

The documents are generated from the templates of bench/scale.py (our own sentences),
paragraphs separated by blank lines.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEMORY_GOAL_MB = 1024


def document(kb: int) -> str:
    """A generated article of about ``kb`` kilobytes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scale import corpus

    parts: list[str] = []
    size, seed = 0, 0
    while size < kb * 1024:
        for doc in corpus(500, seed=seed):
            parts.append(doc.text)
            size += len(doc.text) + 2
            if size >= kb * 1024:
                break
        seed += 1
    return "\n\n".join(parts)


def measure(kb: int, episodes: bool = True) -> dict[str, float]:
    """Ingest one document of ``kb`` KB (in this process) and return the figures."""
    from detente.config import Settings
    from detente.ingest import ingest_documents
    from detente.readers import RawDocument
    from detente.rebuild import build_episodes
    from detente.store import open_store

    text = document(kb)
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "size.db")
        warm = RawDocument(source="warm.txt", text=document(1), format="txt", input_hash="w")
        ingest_documents(iter([warm]), store, settings)  # load the model first
        raw = RawDocument(source=f"{kb}kb.txt", text=text, format="txt", input_hash=str(kb),
                          meta={"published": "2024-05-03"},
                          meta_origin={"published": "bench"})
        chars = len(text)
        del text
        start, cpu = time.perf_counter(), time.process_time()
        report = ingest_documents(iter([raw]), store, settings, episodes=False)
        del raw
        ingest_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        began = time.perf_counter()
        if episodes:  # what ingest_documents does after the last document, timed apart
            build_episodes(store, settings=settings)
        rebuild = time.perf_counter() - began
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        store.close()
    if not report.stored:
        raise SystemExit(f"{kb} KB: not stored: {report.failed}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kb": kb, "chars": chars, "seconds": seconds,
            "cpu": cpu, "peak_mb": peak_mb, "ingest_peak_mb": ingest_peak_mb,
            "episodes": rebuild}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000,5000",
                        help="Document sizes in KB, comma-separated.")
    parser.add_argument("--no-episodes", action="store_true",
                        help="Skip the episode rebuild after the ingest.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: measure one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, episodes=not args.no_episodes)))
        return
    results = []
    for kb in (int(s) for s in args.sizes.split(",")):
        child = [sys.executable, __file__, "--one", str(kb)]
        out = subprocess.run(child + (["--no-episodes"] if args.no_episodes else []),
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        results.append(r)
        print(f"{kb:>6} KB ({r['chars']:>9,} chars): {r['seconds']:7.1f} s wall, "
              f"{r['cpu']:7.1f} s CPU, {r['cpu'] / kb:.3f} CPU s/KB, "
              f"peak RSS {r['peak_mb']:,.0f} MB ({r['ingest_peak_mb']:,.0f} MB before the "
              f"episode rebuild); episode rebuild {r['episodes']:.1f} s wall",
              flush=True)
    base = next((r for r in results if r["kb"] == 100), None)
    if base:
        for r in results:
            if r["kb"] != 100:
                print(f"{r['kb']} KB takes {r['cpu'] / base['cpu']:.1f}x the 100 KB CPU time "
                      f"({r['kb'] / 100:g}x the size)")
    for r in results:
        if r["peak_mb"] > MEMORY_GOAL_MB:
            print(f"over the memory goal: {r['kb']} KB peaked at {r['peak_mb']:,.0f} MB")


if __name__ == "__main__":
    main()
