"""Speed of the web pages and API on a store of about 5,000 events, in one process.

Builds a temporary SQLite store of synthetic documents (sentences, events, claims, terms)
and episodes written through Store methods, serves it with FastAPI's TestClient, and prints
for each page the median time over several requests, the median time of the bare Store
query behind it, and two ratios: page / Store query, and page / a trivial static file (the
cost of the framework and the test client alone).

    python bench/web_speed.py [--docs 300] [--events 5000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from detente.store import Store, open_store
from detente.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ACTORS = ["RUS", "UKR", "USA", "CHN", "TUR", "FRA", "DEU", "BRA", "IND", "ISR", "QAT", "EGY"]
ACTIONS = [("proposed talks with", "036", "CONSULT", 1), ("rejected the offer of", "1243",
           "REJECT", 3), ("met", "043", "CONSULT", 1), ("agreed a ceasefire with", "0871",
           "AGREE", 1), ("accused", "112", "ACCUSE", 3), ("attacked", "190", "ASSAULT", 4)]


def build(path: Path, n_docs: int, n_events: int, seed: int = 7) -> Store:
    """A store with ``n_docs`` documents holding ``n_events`` events and some episodes."""
    rnd = random.Random(seed)
    store = open_store(path)
    per_doc = max(1, -(-n_events // n_docs))
    day0 = date(2022, 1, 1)
    events_by_kind: dict[str, list[dict[str, Any]]] = {"036": [], "1243": []}
    for d in range(n_docs):
        doc_id = hashlib.sha256(str(d).encode()).hexdigest()
        published = day0 + timedelta(days=d)
        text, sentences, events, claims = "", [], [], []
        for i in range(per_doc):
            a, b = rnd.sample(ACTORS, 2)
            verb, cameo, plover, quad = rnd.choice(ACTIONS)
            sent = f"{a} {verb} {b} on {published.isoformat()}, officials said."
            if text:
                text += "\n\n" if i % 4 == 0 else " "
            start = len(text)
            text += sent
            sentences.append({"doc_id": doc_id, "idx": i, "paragraph": i // 4, "start": start,
                              "end": start + len(sent), "text": sent})
            t0 = start + len(a) + 1
            ev = {"id": f"{doc_id[:12]}-{i}", "doc_id": doc_id, "sentence_idx": i,
                  "trigger_text": verb.split()[0], "trigger_start": t0,
                  "trigger_end": t0 + len(verb.split()[0]), "cameo": cameo,
                  "cameo_name": "synthetic", "plover_type": plover, "goldstein": 1.0,
                  "quad_class": quad, "source_code": a, "source_text": a,
                  "source_start": start, "source_end": start + len(a), "target_code": b,
                  "target_text": b, "target_start": start + len(a) + len(verb) + 2,
                  "target_end": start + len(a) + len(verb) + 2 + len(b),
                  "modality": rnd.choice(["asserted", "reported"]),
                  "attribution_kind": "author", "date_start": published.isoformat(),
                  "date_end": published.isoformat(), "date_precision": "day",
                  "pattern_id": "bench", "coder_version": "bench", "confidence": 0.9}
            events.append(ev)
            if cameo in events_by_kind:
                events_by_kind[cameo].append(ev)
            if i % 8 == 0:
                claims.append({"id": f"{doc_id[:12]}-c{i}", "doc_id": doc_id,
                               "sentence_idx": i, "start": start, "end": start + len(a),
                               "text": a, "value": float(i), "category": "losses"})
        store.add_document(
            {"id": doc_id, "source": f"bench/{d}.txt", "format": "txt",
             "title": f"Synthetic report {d}", "outlet": "Bench Wire",
             "published": published.isoformat(), "published_precision": "day", "text": text,
             "input_hash": doc_id, "n_sentences": len(sentences), "n_mentions": 0,
             "ingested_at": "2024-01-01"}, sentences, [], events, claims=claims)
    episodes, members, parties = [], [], []
    proposals = events_by_kind["036"]
    answers = events_by_kind["1243"]
    for n in range(0, min(len(proposals), 600), 3):
        group = proposals[n:n + 3]
        ep_id = f"ep-{n:06d}"
        answer = answers[n // 3] if n // 3 < len(answers) else None
        episodes.append({
            "id": ep_id, "kind": "proposal", "title": f"{group[0]['source_code']} proposal",
            "proposer": [group[0]["source_code"]], "addressee": [group[0]["target_code"]],
            "date_start": min(e["date_start"] for e in group),
            "date_end": max(e["date_end"] for e in group), "date_precision": "day",
            "n_mentions": len(group), "n_sources": len({e["doc_id"] for e in group}),
            "n_answers": 1 if answer else 0,
            "answers_summary": [{"by": [answer["source_code"]], "kind": "rejected",
                                 "event_id": answer["id"]}] if answer else [],
            "builder_version": "bench", "built_at": "2024-01-01"})
        members += [{"episode_id": ep_id, "event_id": e["id"], "role": "mention",
                     "answer_kind": None, "reason": "bench"} for e in group]
        if answer:
            members.append({"episode_id": ep_id, "event_id": answer["id"], "role": "answer",
                            "answer_kind": "rejected", "reason": "bench"})
        parties.append({"episode_id": ep_id, "role": "proposer",
                        "code": group[0]["source_code"]})
    store.replace_episodes(episodes, members, parties, [], [], [])
    return store


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = build(Path(tmp) / "bench.db", args.docs, args.events)
        n_events = store.count_events()
        n_eps = store.count_episodes()
        print(f"store: {store.count_documents()} documents, {n_events} events, {n_eps} "
              f"episodes, built in {time.perf_counter() - start:.1f} s")
        client = TestClient(create_app(Path(tmp) / "bench.db", allowed_hosts=("testserver",)))
        ep_id = store.episodes(limit=1, offset=n_eps // 2)[0]["id"]
        doc_id = store.documents_page(1, args.docs // 2)[0]["id"]

        def check(path: str) -> Callable[[], Any]:
            def get() -> Any:
                r = client.get(path)
                assert r.status_code == 200, (path, r.status_code)
                return r
            return get

        trivial = median_ms(check("/static/favicon.svg"), args.repeat)
        pages: list[tuple[str, Callable[[], Any]]] = [
            ("/", lambda: store.episodes()),
            (f"/episodes/{ep_id}", lambda: store.episode(ep_id)),
            ("/documents", lambda: store.documents_page(50, 0)),
            (f"/documents/{doc_id}", lambda: (store.document(doc_id),
                                               store.events(doc_id=doc_id))),
            ("/events", lambda: store.events(limit=50)),
            ("/claims", lambda: store.claims(limit=50)),
            ("/api/events", lambda: store.events(limit=100)),
            ("/api/events?format=csv", lambda: store.events()),
            ("/?party=Russia", lambda: store.episodes(party=["RUS"])),
            ("/?episode=" + ep_id, lambda: (store.episodes(), store.episode(ep_id))),
            ("/events?q=ceasefire", lambda: store.events(words="ceasefire", limit=50)),
            ("/events?offset=4000", lambda: store.events(limit=50, offset=4000)),
            ("/search?q=ceasefire+officials", lambda: store.search_sentences(
                "ceasefire officials")),
            ("/search?q=Russia", lambda: store.search_sentences("Russia")),
            ("/api/episodes?format=csv", lambda: store.episodes()),
        ]
        print(f"baseline: static file {trivial:.2f} ms (median of {args.repeat})")
        print(f"{'page':<28}{'page ms':>10}{'store ms':>10}{'/store':>9}{'/static':>9}")
        for path, query in pages:
            page = median_ms(check(path), args.repeat)
            bare = median_ms(query, args.repeat)
            label = path if len(path) <= 26 else path[:23] + "..."
            print(f"{label:<28}{page:>10.2f}{bare:>10.2f}{page / bare:>9.1f}"
                  f"{page / trivial:>9.1f}")
        store.close()


if __name__ == "__main__":
    main()
