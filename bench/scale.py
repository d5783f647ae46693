"""Scale figures for `detente ingest`, measured in one run on generated articles.

Prints, on the same generated corpus:

- documents/s with 1 worker and with N workers (``--workers``), and their ratio;
- the peak resident memory of the writer process and of the largest worker;
- the time per document of the last 100 documents of one long run against the first 100
  (growth in writes or indexes would show here). With ``--batch N`` the long run ingests
  its documents in runs of N, each one a separate ``ingest`` that updates the episodes
  (as a news feed would); the time of a document then includes its share of its run's
  episode update. ``--per-day K`` dates the articles K a day (from 2020-01-01), so that
  a long run spans years rather than one day. ``--long-only`` skips the worker figures.

    python bench/scale.py [--docs 600] [--long 2000] [--workers 2]
    python bench/scale.py --long 10000 --batch 100 --per-day 4 --long-only

The articles are made from templates of our own with random countries, dates and numbers,
about 150 words each.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from detente.config import Settings
from detente.ingest import ingest_documents
from detente.readers import RawDocument
from detente.store import open_store

COUNTRIES = ["Chile", "Peru", "Bolivia", "Kenya", "Ethiopia", "Sudan", "Norway", "Qatar",
             "Egypt", "Turkey", "Serbia", "Armenia", "Azerbaijan", "Colombia", "Japan"]
TEMPLATES = [
    "{a} offered talks to {b} on {day} to end the dispute over the border.",
    "Officials in {b} rejected the proposal, saying {a} must first withdraw its troops.",
    "The foreign ministers of {a} and {b} met in {c} on {day} and agreed to a ceasefire.",
    "{c} said it was ready to mediate and would host a second round of negotiations.",
    "According to {b}, at least {n} people were killed in the fighting last month.",
    "{a} accused {b} of violating the truce and said {n} soldiers had died.",
    "The plan includes a prisoner exchange, a demilitarised zone and elections in {month}.",
    "A spokesman for {a} said the government would study the offer carefully.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "June", "September", "December"]


def corpus(n: int, seed: int = 7, per_day: int = 0) -> list[RawDocument]:
    rng = random.Random(seed)
    first = date(2020, 1, 1)
    docs = []
    for i in range(n):
        a, b, c = rng.sample(COUNTRIES, 3)
        lines = [t.format(a=a, b=b, c=c, day=rng.choice(DAYS), month=rng.choice(MONTHS),
                          n=rng.randint(10, 5000)) for t in rng.sample(TEMPLATES, 6)]
        text = "\n\n".join([*lines, f"Report number {i}."])
        published = (first + timedelta(days=i // per_day)).isoformat() if per_day else \
            "2024-05-03"
        docs.append(RawDocument(source=f"gen-{i}.txt", text=text, format="text",
                                input_hash=f"gen-{i}", meta={"published": published},
                                meta_origin={"published": "bench"}))
    return docs


def run(docs: list[RawDocument], workers: int, tmp: Path, name: str, batch: int = 0
        ) -> tuple[float, list[float]]:
    """Seconds for the whole ingest, and the time at which each document was done: stored
    (one run), or its run's episode update finished, shared evenly by the run's documents
    (``batch``: runs of that many documents)."""
    store = open_store(tmp / f"{name}.db")
    stamps: list[float] = []
    start = time.perf_counter()
    if not batch:
        ingest_documents(iter(docs), store, Settings(), workers=workers,
                         on_item=lambda *_: stamps.append(time.perf_counter()))
        return time.perf_counter() - start, [s - start for s in stamps]
    for at in range(0, len(docs), batch):
        began = time.perf_counter()
        report = ingest_documents(iter(docs[at:at + batch]), store, Settings(), workers=workers)
        ended = time.perf_counter()
        n = min(batch, len(docs) - at)
        stamps += [began - start + (ended - began) * (k + 1) / n for k in range(n)]
        print(f"  {at + n} documents: last run {(ended - began) / n * 1000:.1f} ms/doc, "
              f"episodes {report.timings.get('episodes', 0):.2f} s", flush=True)
    return time.perf_counter() - start, stamps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--long", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=0,
                        help="ingest the long run in separate runs of this many documents")
    parser.add_argument("--per-day", type=int, default=0,
                        help="date the long run's articles this many a day (0: all one day)")
    parser.add_argument("--long-only", action="store_true", help="only the long run")
    parser.add_argument("--skip-wording", action="store_true",
                        help="find no wording disagreements (to measure the rest alone)")
    args = parser.parse_args()
    if args.skip_wording:
        from detente import wording
        wording.find = lambda *_a, **_k: []
    docs = corpus(args.docs)
    words = sum(len(d.text.split()) for d in docs)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        run(docs[:20], 1, tmp, "warm")  # load the model once in this process
        if not args.long_only:
            one, _ = run(docs, 1, tmp, "one")
            many, _ = run(docs, args.workers, tmp, "many")
            writer = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"documents: {len(docs)}  words: {words}")
            print(f"1 worker:   {len(docs) / one:7.1f} docs/s  {words / one:8.0f} words/s")
            print(f"{args.workers} workers:  {len(docs) / many:7.1f} docs/s  "
                  f"{words / many:8.0f} words/s   speed-up {one / many:4.2f}x")
            print(f"peak RSS: writer {writer:6.0f} MB, largest worker {worker:6.0f} MB")
        total, stamps = run(corpus(args.long, seed=11, per_day=args.per_day), 1, tmp, "long",
                            batch=args.batch)
        if len(stamps) >= 200:
            first = (stamps[99] - stamps[0]) / 99
            last = (stamps[-1] - stamps[-100]) / 99
            print(f"long run: {len(stamps)} documents in {total:.0f} s; per document, last 100 "
                  f"{last * 1000:.1f} ms vs first 100 {first * 1000:.1f} ms: ratio "
                  f"{last / first:4.2f}")


if __name__ == "__main__":
    main()
