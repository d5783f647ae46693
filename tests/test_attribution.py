"""One speaker resolver for events and claims (detente.attribution), on sentences of our own."""

from __future__ import annotations

import pytest

from detente.attribution import QUOTATION, REPORTING, Speakers
from detente.claims import extract_claims
from detente.coder import Coder
from detente.dates import parse_partial

PUBLISHED = "2024-03-01"


def _speakers(nlp, resolver, text: str) -> list[tuple[str, str | None] | None]:
    """(kind, actor code) of each sentence's speaker, paragraph by paragraph."""
    doc = nlp(text)
    by_token = {}
    for m in resolver.mentions(doc, parse_partial(PUBLISHED).start):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        for t in span or []:
            by_token.setdefault(t.i, m)
    speakers = Speakers(doc, lambda t: by_token.get(t.i))
    out = []
    prev_end = 0
    for idx, sent in enumerate(doc.sents):
        if idx == 0 or "\n" in doc.text[prev_end:sent.start_char]:
            speakers.paragraph()
        prev_end = sent.start_char + len(sent.text.rstrip())
        att = speakers.sentence(sent)
        out.append((att.kind, att.code) if att else None)
    return out


def test_reporting_verbs_are_data():
    assert {"say", "tell", "deny"} <= REPORTING
    assert {"say", "add", "reply"} <= QUOTATION


@pytest.mark.parametrize(("text", "expected"), [
    ("According to Kenya, the talks failed.", [("named", "KEN")]),
    # a quotation over two sentences, its speaker named in the second
    ('"The talks failed. We will try again," Kenya said.', [("named", "KEN")] * 2),
    # ... and named after it: the first sentence takes the speaker named later
    ('"The talks failed." Kenya added that it would try again.', [("named", "KEN")] * 2),
    # the speaker of a quotation ends with its paragraph
    ('"The talks failed," Kenya said.\n"They will resume."', [("named", "KEN"), None]),
    # "I"/"we" inside a quotation is the quoted speaker, not a new one
    ('"The talks failed," Kenya said. "We said so," we said.', [("named", "KEN")] * 2),
])
def test_sentence_speakers(nlp, resolver, text, expected):
    assert _speakers(nlp, resolver, text) == expected


def test_a_passive_subject_is_not_the_speaker(nlp, resolver):
    assert _speakers(nlp, resolver, "Kenya was told that the talks had failed.") == [None]


def test_an_event_and_a_claim_of_one_sentence_share_the_speaker(nlp, resolver):
    text = ('"Ethiopia rejected the offer and moved 5,000 troops to the border," '
            "the Egyptian foreign minister said.")
    pub = parse_partial(PUBLISHED)
    doc = nlp(text)
    mentions = resolver.mentions(doc, pub.start)
    events = Coder().code_doc(doc, mentions, pub)
    claims = extract_claims(doc, "doc", mentions, pub)
    assert events and claims
    speakers = {(e.attribution.kind, e.attribution.code) for e in events}
    speakers |= {(c["attribution_kind"], c["attribution_code"]) for c in claims}
    assert speakers == {("named", "EGY")}, speakers
