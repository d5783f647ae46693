"""Draw a reproducible random sample of stored events for a person to judge.

    python scripts/judge_sample.py --db dev.db [--n 50] [--seed 20261206] > sample.md

Prints, for each sampled event, its coding (source, CAMEO and PLOVER type, target, trigger,
modality, date and how it was found) with its sentence and the article's publication date, then
an empty verdict line. The judge writes one line per event, ``N|CORRECT|reason`` (or PARTLY,
WRONG), into a file; ``--verdicts FILE`` then prints the markdown table of docs/evaluation.md
and the counts.
"""

from __future__ import annotations

import argparse
import random

from detente.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store made by `detente ingest`")
    parser.add_argument("--n", type=int, default=50, help="sample size (default 50)")
    parser.add_argument("--seed", type=int, default=20261206, help="random seed")
    parser.add_argument("--verdicts", help="N|VERDICT|reason lines: print the judged table")
    args = parser.parse_args()
    store = open_store(args.db)
    try:
        events = sorted(store.events(), key=lambda e: e["id"])
        docs = {d["id"]: d for d in store.documents()}
    finally:
        store.close()
    sample = random.Random(args.seed).sample(events, min(args.n, len(events)))
    if args.verdicts:
        _table(sample, args.verdicts)
        return
    print(f"{len(sample)} of {len(events)} events, seed {args.seed}\n")
    for i, ev in enumerate(sample, 1):
        doc = docs.get(ev["doc_id"], {})
        print(f"## {i}. `{ev['id']}`  ({doc.get('title') or ''}; published "
              f"{doc.get('published') or '?'})")
        print(f"{ev['source_code'] or '-'} → {ev['plover_type']} ({ev['cameo']}) → "
              f"{ev['target_code'] or '-'} | trigger '{ev['trigger_text']}' | "
              f"{ev['modality']} | {ev['date_start']}..{ev['date_end']} ({ev['date_method']})")
        print(f"> {ev['sentence']}\n\nverdict: \n")


def _table(sample: list[dict], path: str) -> None:
    verdicts: dict[int, tuple[str, str]] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                n, verdict, note = (line.rstrip("\n").split("|", 2) + [""])[:3]
                verdicts[int(n)] = (verdict.strip(), note.strip())
    print("| # | event id | source → type (CAMEO) → target | trigger | modality "
          "| date (method) | verdict | note |")
    print("|---|---|---|---|---|---|---|---|")
    for i, ev in enumerate(sample, 1):
        verdict, note = verdicts.get(i, ("?", "not judged"))
        print(f"| {i} | `{ev['id']}` | {ev['source_code'] or '-'} → {ev['plover_type']} "
              f"({ev['cameo']}) → {ev['target_code'] or '-'} | {ev['trigger_text']} | "
              f"{ev['modality']} | {ev['date_start']}..{ev['date_end']} ({ev['date_method']}) "
              f"| {verdict} | {note} |")
    counts = {v: sum(1 for x, _ in verdicts.values() if x == v)
              for v in ("CORRECT", "PARTLY", "WRONG")}
    print(f"\n{counts} of {len(sample)}: {counts['CORRECT'] / len(sample):.0%} correct")


if __name__ == "__main__":
    main()
