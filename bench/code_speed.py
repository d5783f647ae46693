"""Speed of the full coding path against bare spaCy parsing, in one process on the same text.

Prints words per second for both and their ratio. The text is the bundled sample (and the
seed articles when ../shared is beside the repo), repeated to about 20,000 words.

    python bench/code_speed.py [--words 20000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from detente.actors import load_resolver
from detente.clean import clean_text
from detente.coder import Coder
from detente.config import Settings
from detente.dates import parse_partial
from detente.nlp import load_model
from detente.readers import RawDocument, read_sources

ROOT = Path(__file__).resolve().parent.parent


def corpus(target_words: int) -> list[str]:
    sources = [str(ROOT / "samples" / "articles")]
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    if seeds.is_dir():
        sources.append(str(seeds))
    texts = [clean_text(d.text).text for d in read_sources(sources, Settings())
             if isinstance(d, RawDocument)]
    out: list[str] = []
    while sum(len(t.split()) for t in out) < target_words:
        out.extend(texts)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=20000)
    args = parser.parse_args()
    settings = Settings()
    nlp = load_model(settings.model)
    resolver = load_resolver(nlp, settings.actor_files)
    coder = Coder()
    texts = corpus(args.words)
    words = sum(len(t.split()) for t in texts)
    published = parse_partial("2024-06-20")
    nlp(texts[0])  # warm up

    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=4):
        pass
    bare = time.perf_counter() - start

    start = time.perf_counter()
    n_events = 0
    for doc in nlp.pipe(texts, batch_size=4):
        mentions = resolver.mentions(doc, published.start)
        n_events += len(coder.code_doc(doc, mentions, published))
    full = time.perf_counter() - start

    print(f"words: {words}  documents: {len(texts)}  events: {n_events}")
    print(f"bare spaCy parsing:  {words / bare:8.0f} words/s")
    print(f"full `code` path:    {words / full:8.0f} words/s")
    print(f"ratio full/bare:     {bare / full:8.2f}")


if __name__ == "__main__":
    main()
