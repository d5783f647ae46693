"""Speed of what `detente ingest` runs against bare spaCy parsing, in one process, same texts.

Prints words per second for:

- bare spaCy ``nlp.pipe`` (the model alone);
- the `detente code` path: the Detente pipeline with its event stages (``nlp.pipe``);
- the full ingest path: :func:`detente.ingest.ingest_documents` into a new SQLite file
  (cleaning, every stage including terms and claims, writes, episodes and disagreements);

and the ratio of each to bare parsing. The text is the bundled sample (and the seed articles
when ../shared is beside the repo), repeated to about 20,000 words; each copy gets a numbered
last line so that the store keeps every copy.

    python bench/code_speed.py [--words 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from detente.code_text import EVENT_STAGES_ONLY
from detente.components import build_pipeline
from detente.config import Settings
from detente.ingest import ingest_documents
from detente.nlp import load_model
from detente.readers import RawDocument, read_sources
from detente.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def corpus(target_words: int) -> list[RawDocument]:
    sources = [str(ROOT / "samples" / "articles")]
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    if seeds.is_dir():
        sources.append(str(seeds))
    docs = [d for d in read_sources(sources, Settings()) if isinstance(d, RawDocument)]
    out: list[RawDocument] = []
    while sum(len(d.text.split()) for d in out) < target_words:
        for d in docs:
            copy = len(out)
            out.append(RawDocument(source=f"{d.source}#{copy}", text=f"{d.text}\n\nCopy {copy}.",
                                   format=d.format, meta=d.meta, meta_origin=d.meta_origin,
                                   input_hash=f"{d.input_hash}-{copy}",
                                   paragraphs_are_lines=d.paragraphs_are_lines))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=20000)
    args = parser.parse_args()
    settings = Settings()
    bare_nlp = load_model(settings.model)
    nlp = build_pipeline(settings)
    docs = corpus(args.words)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    bare_nlp(texts[0])  # warm up
    nlp(texts[0])

    start = time.perf_counter()
    for _doc in bare_nlp.pipe(texts):
        pass
    bare = time.perf_counter() - start

    start = time.perf_counter()
    n_events = 0
    for doc in nlp.pipe(texts, disable=list(EVENT_STAGES_ONLY)):
        n_events += len(doc._.events or [])
    code = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        start = time.perf_counter()
        report = ingest_documents(iter(docs), store, settings)
        full = time.perf_counter() - start
        stored, failed = len(report.stored), len(report.failed)

    print(f"words: {words}  documents: {len(texts)}  stored: {stored}  failed: {failed}  "
          f"events: {n_events}")
    print(f"bare spaCy nlp.pipe:     {words / bare:8.0f} words/s")
    print(f"`detente code` path:     {words / code:8.0f} words/s   ratio {bare / code:5.2f}")
    print(f"full `ingest` path:      {words / full:8.0f} words/s   ratio {bare / full:5.2f}")


if __name__ == "__main__":
    main()
