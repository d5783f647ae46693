"""Long texts: spaCy parses them in parts cut at paragraph breaks, joined back with offsets kept;
the entity index by sentence matches spaCy's own ``Span.ents``."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from detente import pipeline
from detente.config import Settings
from detente.nlp import entities_by_sentence
from detente.pipeline import process_document, split_parts
from detente.readers import RawDocument

PARAGRAPHS = [
    "Kenya offered talks to Ethiopia on Monday to end the dispute over the border.",
    "Officials in Ethiopia rejected the proposal, saying Kenya must first withdraw its troops.",
    "The foreign ministers of Norway and Qatar met in Cairo on Tuesday and agreed to a "
    "ceasefire.",
    "According to Sudan, at least 300 people were killed in the fighting last month.",
    "The plan includes a prisoner exchange, a demilitarised zone and elections in June.",
]


def _text(n: int) -> str:
    return "\n\n".join(f"{PARAGRAPHS[i % len(PARAGRAPHS)]} Report {i}." for i in range(n))


def test_split_parts_cover_the_text_and_cut_at_paragraph_breaks() -> None:
    text = _text(60)
    parts = split_parts(text, 1000)
    assert "".join(parts) == text
    assert len(parts) > 3
    assert all(len(p) <= 1000 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:-1])


def test_split_parts_without_paragraph_breaks_cuts_at_spaces_or_the_limit() -> None:
    words = "word " * 500
    assert "".join(split_parts(words, 100)) == words
    assert all(p.endswith(" ") for p in split_parts(words, 100)[:-1])
    solid = "x" * 250
    assert split_parts(solid, 100) == ["x" * 100, "x" * 100, "x" * 50]


def _rows(text: str, settings: Settings):
    raw = RawDocument(source="long.txt", text=text, format="txt", input_hash="h",
                      meta={"published": "2024-05-03"}, meta_origin={"published": "test"})
    rows = process_document(raw, settings)
    assert not isinstance(rows, pipeline.ReadError), rows
    return rows


def test_a_text_parsed_in_parts_gives_the_rows_of_the_whole(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _text(40)
    whole = _rows(text, settings)
    monkeypatch.setattr(pipeline, "PART_CHARS", 900)
    assert len(split_parts(text, 900)) > 3
    parts = _rows(text, settings)
    assert parts.document["text"] == text
    key = ("start", "end", "text", "code")
    assert [tuple(m[k] for k in key) for m in parts.mentions] == \
        [tuple(m[k] for k in key) for m in whole.mentions]
    assert parts.events and [e["id"] for e in parts.events] == [e["id"] for e in whole.events]
    assert [(s["start"], s["end"]) for s in parts.sentences] == \
        [(s["start"], s["end"]) for s in whole.sentences]
    for m in parts.mentions:  # offsets point into the original text
        assert text[m["start"]:m["end"]] == m["text"]


def test_entities_by_sentence_equals_span_ents(nlp) -> None:
    doc = nlp(_text(12))
    index = entities_by_sentence(doc)
    for sent in doc.sents:
        assert [(e.start, e.end) for e in index[sent.start]] == \
            [(e.start, e.end) for e in sent.ents]
    assert sum(len(v) for v in index.values()) > 5


def test_parts_joined_into_the_whole_text_equal_spacy_from_docs(nlp) -> None:
    """The annotations copied part by part into the tokenized whole are those
    ``Doc.from_docs`` gives; a part cut inside a word falls back (None)."""
    text = _text(30)
    pipes = [nlp.get_pipe(n) for n in nlp.pipe_names[:pipeline._first_stage(nlp)]]
    texts = split_parts(text, 700)
    assert len(texts) > 3
    joined = pipeline._join_parts(nlp, nlp.tokenizer(text), texts, pipes)
    assert joined is not None
    parts = []
    for part_text in texts:
        part = nlp.make_doc(part_text)
        for proc in pipes:
            part = proc(part)
        parts.append(part)
    expected = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])
    attrs = list(Doc._get_array_attrs())
    assert (joined.to_array(attrs) == expected.to_array(attrs)).all()
    assert [(e.start, e.end, e.label_) for e in joined.ents] == \
        [(e.start, e.end, e.label_) for e in expected.ents]
    assert [(s.start, s.end) for s in joined.sents] == [(s.start, s.end) for s in expected.sents]
    assert pipeline._join_parts(nlp, nlp.tokenizer("Kenya offered talks"),
                                ["Ken", "ya offered talks"], pipes) is None
