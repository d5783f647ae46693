"""The per-document stages as spaCy components: order, batching, replacing and failures."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from detente.components import STAGES, build_pipeline, new_pipeline
from detente.config import Settings
from detente.nlp import PARAGRAPH_COMPONENT, paragraph_indices
from detente.pipeline import DocumentRows, process_document, process_documents
from detente.readers import RawDocument, ReadError

OFFER = ("Peru offered talks to Ecuador on Monday. Ecuador rejected the offer. "
         "Officials said 300 soldiers had died in the fighting.")
OTHER = ("The foreign minister of Chile met his Bolivian counterpart in Lima.\n\n"
         "Bolivia later rejected Chile's proposal for talks on sea access.")


def raw(text: str, name: str = "a.txt", published: str = "2024-03-06") -> RawDocument:
    return RawDocument(source=name, text=text, format="text", input_hash=name,
                       meta={"published": published}, meta_origin={"published": "test"})


@Language.component("test_fail_on_ecuador")
def _fail_on_ecuador(doc: Doc) -> Doc:
    if "Ecuador" in doc.text:
        raise ValueError("cannot read Ecuador")
    return doc


def test_stages_in_order(settings: Settings) -> None:
    nlp = build_pipeline(settings)
    names = nlp.pipe_names
    assert names.index(PARAGRAPH_COMPONENT) < names.index("parser")
    assert [n for n in names if n.startswith("detente_") and n != PARAGRAPH_COMPONENT] \
        == list(STAGES)
    assert build_pipeline(settings) is nlp  # built once per process


def test_stages_write_doc_extensions(settings: Settings) -> None:
    nlp = build_pipeline(settings)
    doc = nlp.make_doc(OFFER)
    doc._.published = None
    doc = nlp(doc)
    assert doc._.errors is None
    assert doc._.paragraphs == [0, 0, 0]
    assert {m.code for m in doc._.mentions} >= {"PER", "ECU"}
    assert {(e.cameo[:2], e.source.code) for e in doc._.events} >= {("03", "PER"), ("12", "ECU")}
    assert doc._.claims and doc._.mention_index.by_token


def test_batch_equals_one_by_one(settings: Settings) -> None:
    docs = [raw(OFFER, "a.txt"), raw(OTHER, "b.txt"), raw("too short", "c.txt")]
    batch = list(process_documents(docs, settings, batch_size=2))
    single = [process_document(d, settings) for d in docs]
    assert isinstance(batch[2], ReadError) and isinstance(single[2], ReadError)
    for b, s in zip(batch[:2], single[:2], strict=True):
        assert isinstance(b, DocumentRows) and isinstance(s, DocumentRows)
        assert (b.events, b.terms, b.claims, b.mentions, b.sentences) == \
            (s.events, s.terms, s.claims, s.mentions, s.sentences)
    assert batch[1].events, "the second document has events"


def test_removing_a_stage(settings: Settings) -> None:
    full = process_document(raw(OFFER), settings)
    nlp = new_pipeline(settings)
    nlp.remove_pipe("detente_claims")
    without = process_document(raw(OFFER), settings, nlp)
    assert isinstance(full, DocumentRows) and isinstance(without, DocumentRows)
    assert full.claims and without.claims == []
    assert without.events == full.events


def test_settings_skip_a_stage() -> None:
    settings = Settings(skip_stages=("detente_terms",))
    assert "detente_terms" not in build_pipeline(settings).pipe_names
    rows = process_document(raw("Peru demanded a ceasefire and the withdrawal of troops."),
                            settings)
    assert isinstance(rows, DocumentRows) and rows.terms == [] and rows.events
    with pytest.raises(ValueError, match="detente_claims"):
        build_pipeline(Settings(skip_stages=("claims",)))


def test_a_failing_stage_fails_one_document_only(settings: Settings) -> None:
    nlp = new_pipeline(settings)
    nlp.add_pipe("test_fail_on_ecuador", before="detente_structure")
    results = list(process_documents([raw(OFFER, "a.txt"), raw(OTHER, "b.txt")], settings, nlp))
    assert isinstance(results[0], ReadError)
    assert results[0].source == "a.txt" and "Ecuador" in results[0].reason
    assert isinstance(results[1], DocumentRows) and results[1].events


@pytest.mark.parametrize(("text", "want"), [
    ("One. Two.\nThree.", [0, 0, 1]),
    ("One.\n\n\nTwo. Three.\nFour.", [0, 1, 1, 2]),
    ("Only one sentence here.", [0]),
])
def test_paragraph_indices(nlp, text: str, want: list[int]) -> None:
    assert paragraph_indices(nlp(text)) == want
