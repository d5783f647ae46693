"""A small, dependency-free check that a text is English."""

from __future__ import annotations

import re

_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "it",
        "as",
        "was",
        "with",
        "be",
        "by",
        "on",
        "not",
        "he",
        "i",
        "this",
        "are",
        "or",
        "his",
        "from",
        "at",
        "which",
        "but",
        "have",
        "an",
        "they",
        "you",
        "were",
        "her",
        "she",
        "there",
        "been",
        "has",
        "their",
        "one",
        "its",
        "we",
        "would",
        "will",
        "all",
        "can",
        "who",
        "had",
        "more",
        "if",
        "no",
        "said",
        "so",
        "what",
        "when",
        "up",
        "out",
        "about",
        "than",
        "into",
        "them",
        "could",
        "other",
        "then",
        "these",
        "also",
        "after",
        "over",
        "new",
        "two",
        "only",
        "most",
        "some",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 25
MIN_SHARE = 0.12


def english_share(text: str) -> tuple[float, int]:
    """Share of words that are common English function words, and the word count."""
    words = _WORD_RE.findall(text.lower())
    if not words:
        return 0.0, 0
    return sum(w in _FUNCTION_WORDS for w in words) / len(words), len(words)


def looks_english(text: str) -> bool:
    """True for English text; short texts get the benefit of the doubt."""
    share, n = english_share(text)
    return n < MIN_WORDS or share >= MIN_SHARE
