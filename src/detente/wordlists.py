"""Helpers shared by the modules that match word lists of the data files."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from .datafiles import builtin_path, load

QUANTITIES = "claims/quantities.yaml"


def alt(phrases: Iterable[object]) -> str:
    """A regex alternation of ``phrases``, longest first, spaces matching any whitespace."""
    items = sorted({str(p) for p in phrases if str(p)}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in items)


@cache
def number_words() -> dict[str, int]:
    """Cardinal number words and their values ("two": 2, "twenty": 20): ``numbers.words`` of
    the packaged quantity vocabulary, the one table of them."""
    data = load(builtin_path(QUANTITIES), "quantities").data
    return {str(k).lower(): int(v) for k, v in data["numbers"]["words"].items()}
