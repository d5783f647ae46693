"""The shared regex helper and the one number-word table (detente.wordlists)."""

from __future__ import annotations

import re
from datetime import date

from detente.claims import load_vocabulary
from detente.dates import PartialDate
from detente.event_dates import NUMBER_WORDS, resolve_expression
from detente.wordlists import alt, number_words


def test_alt_prefers_the_longest_phrase_and_any_whitespace():
    pattern = re.compile(rf"^(?:{alt(['a', 'a couple of', '', 'a.b'])})$")
    assert pattern.match("a  couple\nof") and pattern.match("a.b")
    assert not pattern.match("axb") and not pattern.match("")


def test_one_number_word_table_for_figures_and_dates():
    words = number_words()
    assert words["twenty"] == 20 and words["twelve"] == 12
    assert {k: float(v) for k, v in words.items()} == load_vocabulary().words
    assert all(NUMBER_WORDS[k] == v for k, v in words.items())


def test_dates_count_with_every_number_word():
    found = resolve_expression("twenty days ago", PartialDate.day(2024, 6, 20))
    assert found is not None and (found.start, found.precision) == (date(2024, 5, 31), "day")
    found = resolve_expression("a couple of weeks ago", PartialDate.day(2024, 6, 20))
    assert found is not None and found.start <= date(2024, 6, 6) <= found.end
