"""The event coder: who did what to whom, when, per CAMEO and PLOVER, over dependency parses.

For each sentence it finds triggers (verbs, nouns, adjectives from ``patterns.yaml``), refines
the CAMEO code by what the trigger governs, finds source and target actors (active and
passive voice, coordination, complements, appositions, possessives, pronouns and "the two
sides"), negation and modality, the speaker, and the event's own date.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from .actors import MentionIndex, Resolution, country_codes
from .attribution import (
    AUTHOR,
    Attribution,
    Speakers,
    according_to,
    party_mention,
    reporting_head,
    reporting_speaker,
)
from .conflict_dates import (
    Conflict,
    conflict_of,
    find_conflict_expressions,
    pick_conflict,
    resolve_conflict,
)
from .datafiles import DataFile, builtin_path, load
from .dates import PartialDate, dateline_date, find_dateline
from .event_dates import (
    RANGE,
    EventDate,
    MadeDates,
    find_expressions,
    publication_fallback,
    resolve_expression,
    section_date,
)
from .nlp import entities_by_sentence, paragraphs
from .ontology import ontology
from .pairs import between_sides, reciprocal
from .patterns import Pattern, PatternSet, load_patterns
from .references import (
    earlier_object,
    since_start,
    since_then,
    speech_day,
    standing_state,
    will_do,
)
from .roles import (
    convener,
    leader,
    listed_appositions,
    meeting,
    split_coordination,
    titled,
    topic_of_gerund,
    venue_names,
)
from .tense import governed_modality, makes_agreement, other_time, points_forward

CODER_VERSION = "detente-coder/0.1"

SUBJ = ("nsubj", "csubj")
COMPLEMENTS = ("xcomp", "ccomp", "pcomp", "pobj")
CARRY_PARAGRAPHS = 2
PERIOD_WORDS = {"since", "for", "until", "till", "throughout"}
TEMPORAL_MARKS = {"before", "after", "when", "while", "once", "as"}
# a subordinate clause contrasting with its main clause ("while A proposed X, B rejected it")
CONTRAST_MARKS = {"while", "whereas", "although", "though", "after"}
OPEN_QUOTE_CHARS = {"“", '"', "‘", "'"}
# ("under": a legal basis, "sanctions under UN Security Council resolutions")
TOPIC_PREPS = {"about", "on", "in", "over", "regarding", "concerning", "of", "for", "under"}
INDEFINITE = {"someone", "anyone", "somebody", "anybody", "nobody", "everyone", "everybody",
              "no one", "who", "whoever"}
# proposals, appeals and answers whose addressee may be implied by the sentence
IMPLIED_TARGET_ROOTS = ("02", "03", "10", "12")
# Acts that coordinated subjects do with each other when no one else is named: "A and B
# agreed to a truce / met / signed a deal / resumed cooperation" (CAMEO 030-032, 036-037, 040,
# 041, 044, 046, 057, 06, 0871); not "A and B praised / pledged aid / visited".
JOINT_CODES = ("030", "031", "032", "036", "037", "040", "041", "044", "046", "057", "06",
               "0871")
OBJ = ("dobj", "obj", "attr", "oprd")
ACTOR_ENTITIES = ("PERSON", "GPE", "ORG", "NORP")
# verbs of a modifier that name whose a thing is: "the plan proposed by Peru", "the role played
# by Qatar"
OWNER_VERBS = {"propose", "offer", "draft", "play", "put", "present", "submit", "sponsor",
               "broker", "author", "table", "design"}
# agreements, offers, talks and truces whose parties a later "the agreement" takes over
ANAPHOR_CODES = ("057", "030", "036", "037", "0356", "039", "04", "0871")
DEFINITE = {"the", "this", "that", "these", "those"}
# what "the agreement" refers back to first: an agreement signed, reached or agreed to
AGREEMENT_CODES = ("057", "03", "0871")
CEASEFIRE_CODES = ("0871", "0356")
# patterns of agreements made; with no agent, made by the sides ("a truce has been agreed")
AGREEMENT_VERBS = {"agree", "sign", "reach_deal"}
# nouns whose "in X" names a venue, not a party ("talks in Jeddah")
VENUE_NOUNS = {"talks", "negotiations", "summit", "meeting", "conference", "ceremony"}
# agreements on terms, not yet signed: "the treaty" after "A accepted B's proposals" is 03 too
AGREED_CODES = ("03",)
# patterns of terms agreed to or put forward ("A accepted B's proposals", "A and B agreed to a
# truce", "A's proposals"), not signed or reached, nor only intended ("try to salvage the deal")
AGREEING = {"agree", "offer", "proposal.n"}
# agreements a definite noun refers back to for its date ("the agreement", "the deal")
REFERENCE_CODES = ("057", "03")
# dates an event only borrows from its surroundings (not from its own clause)
BORROWED_DATES = ("paragraph", "context", "section", "publication")
PERSONAL = {"he", "she", "him", "her", "his"}
PLURAL = {"they", "them", "their"}
NEUTER = {"it", "its"}
SPEAKER = {"we", "i", "us", "our", "me"}
ADDRESSEE = {"you", "your", "yours"}
BULLETS = {"•", "-", "*", "–", "·", "▪"}
REPRESENT_VERBS = {"represent"}
# prepositions whose object is a topic ("a dispute over the sanctions")
STATE_PREPS = {"over", "about", "regarding", "concerning"}
WORDS = "events/coder_words.yaml"


def coder_words_file() -> DataFile:
    """The coder's word lists besides its patterns, as a checked data file."""
    return load(builtin_path(WORDS), "coder_words")


_WORDS = coder_words_file().data
_MODALITY = {key: frozenset(str(w) for w in words) for key, words in _WORDS["modality"].items()}
HYPOTHETICAL = _MODALITY["hypothetical"]
DEMAND_AUX = _MODALITY["demand_aux"]
FUTURE_AUX = _MODALITY["future_aux"]
FUTURE_HEADS = _MODALITY["future_heads"]
UNREAL_HEADS = _MODALITY["unreal_heads"]
NEARLY = _MODALITY["nearly"]
DEMAND_NOUNS = _MODALITY["demand_nouns"]
APPEAL_HEADS = _MODALITY["appeal_heads"]
DEMAND_HEADS = _MODALITY["demand_heads"]
DOMESTIC_SECTORS = frozenset(_WORDS["domestic_sectors"])
COREFERENT_SECTORS = frozenset(_WORDS["coreferent_sectors"])
ARMED_GROUP_SECTORS = frozenset(_WORDS["armed_group_sectors"])
STATE_SECTORS = frozenset(_WORDS["state_sectors"])
APPEAL_FOR = tuple((str(prefix), str(appeal)) for prefix, appeal in _WORDS["appeal_for"])
SIDE_ADJECTIVES = frozenset(_WORDS["side_adjectives"])
SIDE_TOPICS = frozenset(_WORDS["side_topics"])
SIDE_NOUNS = frozenset(_WORDS["side_nouns"])
CONTENT_VERBS = frozenset(_WORDS.get("content_verbs") or ())
CONTENT_SUBJECTS = frozenset(_WORDS.get("content_subjects") or ())
PROMISE_VERBS = frozenset(_WORDS.get("promise_verbs") or ())
# sentences after an agreement in which "it" may still state its terms
CONTENT_WINDOW = 2
# a date inside a noun phrase ("the 2015 accord", "the Sept. 11 attacks"); not "poss":
# "Friday's talks" dates what the talks did too
ATTRIBUTIVE_DEPS = ("nummod", "compound", "nmod", "amod")
MEETING_PREPS = ("in", "at", "during")  # "offered a proposal in this meeting"
STATEMENT_CODE = "010"  # CAMEO "make statement, not specified below"
MODIFIER_DEPS = ("compound", "nmod", "amod", "poss")  # inside a noun phrase, before its head


@dataclass
class Party:
    """An actor in an event, with the text it came from."""

    code: str | None
    sector: str | None
    person: str | None
    text: str
    start: int
    end: int
    via: str = "mention"

    @classmethod
    def of(cls, m: Resolution, via: str = "mention") -> Party:
        if m.method == "place":
            via = "place"
        return cls(m.code, m.sector, m.person_name, m.text, m.start, m.end, via)

    def key(self) -> tuple[str | None, str | None]:
        return (self.code, self.person)


@dataclass
class Event:
    """One coded event with its provenance."""

    sentence_idx: int
    trigger: Token
    pattern: Pattern
    cameo: str
    source: Party | None
    target: Party | None
    modality: str
    attribution: Attribution
    date: EventDate | None
    confidence: float
    extra: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        code = ontology().code(self.cameo)
        src, tgt, d = self.source, self.target, self.date
        row: dict[str, Any] = {
            "sentence_idx": self.sentence_idx,
            "trigger_text": self.trigger.text,
            "trigger_start": self.trigger.idx,
            "trigger_end": self.trigger.idx + len(self.trigger.text),
            "cameo": self.cameo,
            "cameo_name": code.name,
            "plover_type": code.plover,
            "plover_mode": code.mode,
            "plover_context": code.context,
            "goldstein": code.goldstein,
            "quad_class": code.quad_class,
            "modality": self.modality,
            "date_start": d.start.isoformat() if d else None,
            "date_end": d.end.isoformat() if d else None,
            "date_precision": d.precision if d else None,
            "date_text": d.text if d else None,
            "date_method": d.method if d else None,
            "pattern_id": self.pattern.id,
            "coder_version": CODER_VERSION,
            "confidence": round(self.confidence, 2),
        }
        for prefix, party in (("source", src), ("target", tgt)):
            row[f"{prefix}_code"] = party.code if party else None
            row[f"{prefix}_sector"] = party.sector if party else None
            row[f"{prefix}_person"] = party.person if party else None
            row[f"{prefix}_text"] = party.text if party else None
            row[f"{prefix}_start"] = party.start if party else None
            row[f"{prefix}_end"] = party.end if party else None
        row.update(self.attribution.as_row())
        return row


@dataclass
class Antecedent:
    """An agreement, offer or talks coded earlier in the document: its code, dyads and date."""

    cameo: str
    pairs: list[tuple[Party, Party]]
    date: EventDate | None
    agreed: bool = False  # terms agreed to or accepted, not (yet) an agreement signed


class _Context:
    """Per-document state: mentions by token, dates, speakers of quotations."""

    def __init__(self, doc: Doc, mentions: Iterable[Resolution], published: PartialDate | None):
        self.doc = doc
        self.text = doc.text  # Doc.text is rebuilt on every access: read it once
        self.ents = entities_by_sentence(doc)  # Span.ents walks every entity of the doc
        self.published = published
        index = MentionIndex.of(doc, mentions)
        self.by_token, self.ordered = index.by_token, index.ordered
        self._positions = [i for i, _ in self.ordered]  # sorted: ``between`` bisects them
        codes = Counter(m.code for _, m in self.ordered if m.code)
        self.conflict = pick_conflict(codes, published)
        self.countries = set(country_codes())
        self.war_spans: dict[tuple[int, int], tuple[str, int]] = {}
        self.last_date: EventDate | None = None
        self.section: EventDate | None = None
        self.speakers = Speakers(doc, self.mention)
        self.speaker: Party | None = None
        self.paragraph_date: EventDate | None = None
        self.previous_date: EventDate | None = None  # the last date of a paragraph before
        self.previous_age = 0
        self.answered: set[int] = set()  # agreement nouns an answer verb governs (sentence)
        # agreements, offers and talks coded so far, oldest first: what "the agreement" and
        # "the two sides" may refer to
        self.antecedents: list[Antecedent] = []
        self.made = MadeDates()  # when the document's agreements were made
        self.date_span: Span | None = None  # the span that dated the last event, if its own
        self.paragraph_before = 0  # the first token of the paragraph before the current one

    def document_pair(self) -> Antecedent | None:
        """The first two actors the document names side by side ("a triumph for A's leader
        and B's leader"): the parties an agreement that nothing before names is between
        ("The talks have ended with an agreement. ... The agreement is a triumph for ...")."""
        if not hasattr(self, "_pair"):
            self._pair = None
            by_sentence: dict[int, list[Resolution]] = {}
            for i, m in self.ordered:
                if m.code and m.method != "place" and m.sector != "MED":
                    by_sentence.setdefault(self.doc[i].sent.start, []).append(m)
            for start in sorted(by_sentence):
                found = by_sentence[start]
                pair = next(((a, b) for a in found for b in found if a.code != b.code
                             and _side_by_side(a, b, self)), None)
                if pair is not None:
                    a, b = (Party.of(m, "context") for m in pair)
                    self._pair = Antecedent("057", [(a, b), (b, a)], None)
                    break
        return self._pair

    @property
    def last_pairs(self) -> list[tuple[Party, Party]]:
        """The dyads of the last agreement, offer or talks coded."""
        return self.antecedents[-1].pairs if self.antecedents else []

    def remember_parties(self, cameo: str, pairs: list[tuple[Party | None, Party | None]],
                         date: EventDate | None, agreed: bool = False) -> None:
        """Keep the dyads and date of an agreement, offer or talks, for a later "the
        agreement" to refer to."""
        if not cameo.startswith(ANAPHOR_CODES):
            return
        coded = [(s, t) for s, t in pairs if s is not None and t is not None and s.code
                 and t.code and s.code != t.code]
        if coded:
            self.antecedents.append(Antecedent(cameo, coded, date, agreed))

    def antecedent(self, prefer: tuple[str, ...], codes: set[str | None] | None = None
                   ) -> Antecedent | None:
        """The last antecedent whose code starts with one of ``prefer`` (else the last one),
        among those with one of ``codes`` as a party when given: "the pact" after "A and B
        signed a deal" and "talks between C and D" is A and B's deal."""
        found = [a for a in self.antecedents if codes is None or any(
            p.code in codes for pair in a.pairs for p in pair)]
        preferred = [a for a in found if a.cameo.startswith(prefer)]
        return (preferred or found or [None])[-1]

    def carry_date(self) -> None:
        """At a paragraph break: the last own date carries over for up to two paragraphs."""
        if self.paragraph_date is not None:
            self.previous_date, self.previous_age = self.paragraph_date, 0
        else:
            self.previous_age += 1
            if self.previous_age > CARRY_PARAGRAPHS:
                self.previous_date = None
        self.paragraph_date = None

    def mention(self, token: Token) -> Resolution | None:
        return self.by_token.get(token.i)

    def between(self, lo: int, hi: int) -> list[tuple[int, Resolution]]:
        """The part of ``ordered`` whose token index ``i`` has ``lo <= i < hi``."""
        return self.ordered[bisect.bisect_left(self._positions, lo):
                            bisect.bisect_left(self._positions, hi)]

    def before(self, token: Token, paragraph_start: int) -> list[Resolution]:
        """Resolved mentions before ``token`` in its paragraph, nearest last."""
        return [m for i, m in self.between(paragraph_start, token.i)
                if paragraph_start <= i < token.i
                and self.by_token.get(token.i) is not m]


class Coder:
    """Turn parsed sentences into events."""

    def __init__(self, patterns: PatternSet | None = None):
        self.patterns = patterns or load_patterns()
        self.agreement_lemmas = {p.words[0] for ps in self.patterns.by_lemma.values()
                                 for p in ps if p.id in AGREEMENT_VERBS}
        self.conditions = [p for (kind, _w), ps in self.patterns.by_lemma.items()
                           if kind == "condition" for p in ps]
        self.obligations = {p.words[0]: p for (kind, _w), ps in self.patterns.by_lemma.items()
                            if kind == "obligation" for p in ps}

    # -- public -----------------------------------------------------------------------
    def code_doc(self, doc: Doc, mentions: Iterable[Resolution],
                 published: PartialDate | None) -> list[Event]:
        """All events in ``doc``; sentence indices follow ``doc.sents``."""
        ctx = _Context(doc, mentions, published)
        events: list[Event] = []
        paragraph_start = 0
        para = paragraphs(doc)
        heading: list[Event] = []  # the agreement events of a sentence that opens a list
        agreed: tuple[int, list[Event]] = (-1, [])  # the last sentence that coded an agreement
        self._name_dated_agreements(ctx)
        for idx, sent in enumerate(doc.sents):
            if idx == 0 or para[idx] != para[idx - 1]:
                ctx.paragraph_before, paragraph_start = paragraph_start, sent.start
                ctx.speakers.paragraph()
                ctx.carry_date()
                reported = dateline_date(sent.text, published)
                if reported is not None:  # "KHARTOUM, June 3 (Reuters) -": the new anchor
                    ctx.published = reported
                if _is_heading(sent):  # a heading dates what follows, or stops the last one
                    ctx.section = section_date(sent.text, published)
            coded = self._code_sentence(idx, sent, ctx, paragraph_start)
            events.extend(coded)
            made = [e for e in coded if e.cameo.startswith(AGREEMENT_CODES)
                    and e.source is not None and e.target is not None and e.source.code]
            if made:
                agreed = (idx, made)
            elif idx - agreed[0] <= CONTENT_WINDOW and _states_terms(sent) is not None:
                events.extend(_list_item_events(idx, sent, agreed[1], coded, _states_terms(sent)))
            if _is_list_item(sent) and heading:
                events.extend(_list_item_events(idx, sent, heading, coded))
            elif not _is_list_item(sent):  # "Under the truce:": its items are its terms
                heading = [e for e in coded if e.cameo.startswith(AGREEMENT_CODES)
                           and e.source is not None] if _introduces_list(sent) else []
        return events

    # -- sentences --------------------------------------------------------------------
    def _code_sentence(self, idx: int, sent: Span, ctx: _Context,
                       paragraph_start: int) -> list[Event]:
        found: list[tuple[Token, Pattern, str, set[int]]] = []
        consumed: set[int] = set()
        for token in sent:
            for kind in _kinds(token):
                match = self._match(token, kind)
                if match is not None:
                    pattern, cameo, used = match
                    found.append((token, pattern, cameo, used))
                    consumed |= used
                    break
        sentence_speaker = ctx.speakers.sentence(sent)
        ctx.speaker = _attribution_party(sentence_speaker) if sentence_speaker else None
        events: list[Event] = []
        dates = self._date_spans(sent, ctx)
        verb_args = {a.i for token, pattern, _c, _u in found if pattern.kind != "nominal"
                     and not (pattern.skip_naming and _names_object(token))
                     for a in _arguments(token)}  # "called the agreement a pause": no call
        ctx.answered = {t.i for t, p, c, _u in found if p.kind == "nominal"
                        and self._answered_deal(t, p, c, found)}
        for token, pattern, cameo, _used in found:
            if token.i in consumed and pattern.kind != "nominal":
                continue
            named = _in_title(token)
            if pattern.kind == "nominal" and _state_noun(token):
                continue  # "a standoff over sanctions", "sanctions relief": a topic, no act
            if pattern.kind == "nominal" and ((named and not (
                    pattern.named_only and _determined(token))) or (
                    token.i in verb_args and not self._nominal_modifiers(token, pattern, ctx)
                    and token.i not in ctx.answered)):
                continue
            events.extend(self._build(idx, sent, token, pattern, cameo, ctx, paragraph_start,
                                      sentence_speaker, dates))
        events.extend(self._conditional_offers(idx, sent, ctx, paragraph_start,
                                               sentence_speaker, dates, found))
        events.extend(self._obligations(idx, sent, ctx, paragraph_start, sentence_speaker,
                                        dates, found))
        return [e for e in events if not _tells_coded_act(e, events)]

    def _obligations(self, idx: int, sent: Span, ctx: _Context, paragraph_start: int,
                     sentence_speaker: Attribution | None, dates: list[Span],
                     found: list[tuple[Token, Pattern, str, set[int]]]) -> list[Event]:
        """What a speaker says another actor must do ('"Armenia must amend its
        constitution," the minister said'): a demand on that actor. Not when another pattern
        codes the clause ("Kyiv must negotiate" is an appeal to talks), nor when the author
        says it."""
        triggers = {t.i for t, _p, _c, _u in found} | {i for _t, _p, _c, u in found for i in u}
        out: list[Event] = []
        for verb in sent:
            modal = next((c for c in verb.children if c.dep_ == "aux"
                          and c.lower_ in self.obligations), None)
            if modal is None or verb.pos_ != "VERB" or verb.i in triggers or any(
                    c.dep_ in ("neg", "auxpass") for c in verb.children):
                continue
            attribution = self._attribution(verb, ctx, sentence_speaker)
            speaker = _attribution_party(attribution)
            if attribution.kind == "author" or speaker is None or not speaker.code:
                continue
            subj = next((c for c in verb.children if c.dep_ in SUBJ), None)
            if subj is None or subj.lower_ in SPEAKER | ADDRESSEE:
                continue  # "we must ...": a resolve, not a demand
            targets = [t for t in self._parties(subj, ctx, paragraph_start)
                       if t.code and t.via != "place" and t.code != speaker.code]
            if not targets:
                continue
            pattern = self.obligations[modal.lower_]
            words, text = _argument_words([verb, *_arguments(verb)])
            cameo = pattern.code_for(self.patterns.classes_of(words, text)) or pattern.cameo
            date = self._date(verb, dates, ctx)
            for t in targets:
                out.append(Event(idx, verb, pattern, cameo, speaker, t, "reported", attribution,
                                 date, 0.5))
        return out

    def _conditional_offers(self, idx: int, sent: Span, ctx: _Context, paragraph_start: int,
                            sentence_speaker: Attribution | None, dates: list[Span],
                            found: list[tuple[Token, Pattern, str, set[int]]]) -> list[Event]:
        """Offers made on a condition the other side is to meet: "if A lifts the sanctions,
        we will dismantle the site" (we -> A), "the truce could last as long as A frees the
        hostages" (whoever says so -> A). The main clause is future or hypothetical and coded
        by no other pattern; the condition's subject is an actor other than the offerer."""
        triggers = {t.i for t, _p, _c, _u in found}
        out: list[Event] = []
        for cond in sent:
            pattern = self._condition_pattern(cond)
            if pattern is None:
                continue
            head = cond.head.head if cond.head.dep_ == "advmod" and cond.head.pos_ in (
                "ADV", "ADJ") else cond.head  # "as long as": the clause "long" modifies
            # the clause it conditions; the parser may hang it on a clause before a conjoined
            # one ("if A lifts X, [and ...], we will dismantle Y")
            heads = [head, *(c for c in head.children if c.dep_ == "conj")]
            if head.dep_ == "advcl":  # "if A lifts X, [mainly lift Y,] we will ..."
                heads.append(head.head)
            main = next((v for v in heads
                         if v.pos_ in ("VERB", "AUX") and any(
                             c.dep_ == "aux" and c.lower_ in FUTURE_AUX | HYPOTHETICAL | {"can"}
                             for c in v.children)), None)
            if main is None or main.i in triggers:
                continue
            subj = next((c for c in cond.children if c.dep_ in SUBJ), None)
            targets = [t for t in (self._parties(subj, ctx, paragraph_start) if subj is not None
                                   else []) if t.code and t.via != "place"]
            attribution = self._attribution(main, ctx, sentence_speaker)
            sources = [s for s in self._sources(main, ctx, paragraph_start)
                       if s.code and s.via != "place"]
            if not sources:  # "the truce could last ..., Israel said": the speaker offers
                speaker = _attribution_party(attribution)
                sources = [speaker] if speaker is not None and speaker.code else []
            codes = {s.code for s in sources}
            targets = [t for t in targets if t.code not in codes]
            if not sources or not targets:
                continue
            args = [main, *_arguments(main), *(c for c in main.children if c.dep_ in SUBJ)]
            words, text = _argument_words(args)
            cameo = pattern.code_for(self.patterns.classes_of(words, text)) or "030"
            modality = "asserted" if attribution.kind == "author" else "reported"
            date = self._date(main, dates, ctx)
            if date is None or date.method == "context":  # an earlier paragraph's date: the
                date = publication_fallback(ctx.published) or date  # offer is made as reported
            for s in sources:
                for t in targets:
                    out.append(Event(idx, main, pattern, cameo, s, t, modality, attribution,
                                     date, 0.5))
        return out

    def _condition_pattern(self, cond: Token) -> Pattern | None:
        """The condition pattern whose words open the clause ``cond``, if any: its mark is
        the last of them ("if", the second "as" of "as long as")."""
        if cond.dep_ != "advcl":
            return None
        doc = cond.doc
        for mark in (c for c in cond.children if c.dep_ == "mark"):
            for pattern in self.conditions:
                n = len(pattern.words)
                if mark.i - n + 1 >= 0 and tuple(
                        t.lower_ for t in doc[mark.i - n + 1 : mark.i + 1]) == pattern.words:
                    return pattern
        return None

    # -- triggers ---------------------------------------------------------------------
    def _match(self, token: Token, kind: str) -> tuple[Pattern, str, set[int]] | None:
        lemma = token.lemma_.lower()
        for pattern in self.patterns.candidates(kind, lemma) or self.patterns.candidates(
                kind, token.lower_):
            if pattern.named_only and not _in_title(token):
                continue  # "the Jeddah Declaration", not "a declaration of independence"
            if pattern.unreal_only and _modality(token, AUTHOR) not in ("future", "hypothetical"):
                continue  # "will resume fighting" threatens; "resumed fighting" does not
            extra = _extra_words(token, pattern.words[1:])
            if extra is None or pattern.base and kind == "verb" and any(
                    c.dep_ in ("ccomp", "xcomp") for c in token.children):
                continue  # base lexicon: "expected to declare", "said the deal": not the event
            args = _arguments(token)
            if _participle(token):  # "the accord signed in May": the noun is the object
                args.append(token.head)
            if pattern.object_only:  # its objects: not "ended with a deal", "said that ..."
                objects = {c.i for c in token.children if c.dep_ in OBJ + ("nsubjpass",)}
                args = [a for a in args if a.i in objects or a.head.i in objects
                        or a.head.head.i in objects]
            if pattern.episode_subject:  # "the talks collapsed": the subject is the episode
                args = [c for c in token.children if c.dep_ in SUBJ]
            if pattern.judged_subject:  # "the deal is a step towards peace": the deal
                if token.dep_ != "attr":
                    continue
                args = [c for c in token.head.children if c.dep_ in SUBJ]
            words, text = _argument_words(args)
            classes = self.patterns.classes_of(words, text)
            cameo = pattern.code_for(classes, _preps(token))
            if cameo is None and pattern.requires_or_actor and any(
                    c.dep_ in OBJ and (c.ent_type_ in ACTOR_ENTITIES or c.pos_ == "PROPN")
                    for c in token.children):  # "welcomed Putin": an actor meets `requires`
                cameo = pattern.code_for(set(pattern.requires), _preps(token))
            if cameo is None:
                continue
            if pattern.kind == "nominal" and pattern.draft_cameo and _has_draft(token):
                cameo = pattern.draft_cameo
            used = {t.i for t in args if t.pos_ == "VERB" and t.dep_ in COMPLEMENTS} | extra
            if pattern.base:  # a base-lexicon trigger never hides another trigger
                used = extra
            elif pattern.kind == "nominal":  # "the refusal to talk", "an offer to negotiate"
                used |= {c.i for c in token.children if c.dep_ == "acl" and c.pos_ == "VERB"}
            return pattern, cameo, used
        return None

    # -- events -----------------------------------------------------------------------
    def _build(self, idx: int, sent: Span, token: Token, pattern: Pattern, cameo: str,
               ctx: _Context, paragraph_start: int, sentence_speaker: Attribution | None,
               dates: list[Span]) -> list[Event]:
        anaphora: bool | None = False  # None: only the target came from an earlier agreement
        ante = None  # the earlier agreement, offer or talks the trigger refers back to
        inherited = False  # the code is the antecedent's
        ante_of_noun = None  # the earlier agreement an agreement noun takes its other party from
        if pattern.judged_subject:  # a judgement of its subject: by whoever says it
            speaker = _attribution_party(self._attribution(token, ctx, sentence_speaker))
            sources, targets = [speaker] if speaker else [], []
        elif pattern.kind == "nominal":
            sources = self._nominal_sources(token, pattern, ctx, paragraph_start)
            anaphora = not sources and pattern.anaphoric and _definite(token)
            ante = ctx.antecedent(_preferred(cameo)) if anaphora else None
            if anaphora and ante is None:  # nothing before: the two the document names
                ante = ctx.document_pair()
            if ante is not None:  # "the agreement": the last one coded, the same way round
                sources = [s for s, _t in ante.pairs]
                if cameo == pattern.cameo == "057" and ante.agreed:
                    cameo, inherited = ante.cameo, True  # terms agreed, not yet signed
            if pattern.needs_actor and not sources:
                return []
            targets = self._targets(token, pattern, ctx, paragraph_start, nominal=True)
        elif pattern.episode_subject:
            sources = [p for c in token.children if c.dep_ in SUBJ
                       for p in self._nominal_modifiers(c, pattern, ctx)]
            targets = []
        else:
            sources = self._sources(token, ctx, paragraph_start)
            targets = self._targets(token, pattern, ctx, paragraph_start)
            if not sources and (_is_passive(token) or _participle(token)) and (
                    self._refers_back(token)):
                ante = ctx.antecedent(_preferred(cameo)) or ctx.document_pair()
                anaphora = ante is not None  # "the accord was reached": by the last one's parties
            elif not sources and pattern.id in AGREEMENT_VERBS and any(
                    c.dep_ == "nsubjpass" and c.lemma_.lower() in self.patterns.classes.get(
                        "SETTLE", frozenset()) | self.patterns.classes.get(
                        "CEASEFIRE", frozenset()) for c in token.children) and not any(
                    c.dep_ == "agent" for c in token.children) and not any(
                    c.dep_ == "neg" or c.lower_ in NEARLY for c in token.children):
                # "a truce was agreed" (not "nearly reached"): by the sides of the war
                sources = self._sides(token, ctx, paragraph_start, _subjects_above(token),
                                      of_war=True) or []
            elif not sources and pattern.id in AGREEMENT_VERBS and not any(
                    c.dep_ in SUBJ for c in token.children) and (
                    (token.dep_ == "xcomp" and token.head.lemma_.lower() == "be")
                    or self._talks_subject(token)):
                # "the aim today was to agree on how to implement it": the sides are to agree
                sources = self._sides(token, ctx, paragraph_start, _subjects_above(token),
                                      of_war=True) or []
        sources = [s for s in sources if s.via != "place"]  # "Crimea" is where, not who
        if sources and not targets and ctx.antecedents and cameo.startswith(ANAPHOR_CODES) and (
                self._refers_back(token) or (pattern.anaphoric and _definite(token))):
            codes = {p.code for p in sources}  # "X signed the pact": with its other parties
            with_them = ctx.antecedent(_preferred(cameo), codes)
            pairs_before = with_them.pairs if with_them else []
            if pattern.kind == "nominal" and with_them is not None:
                ante_of_noun = with_them  # "the Iran deal" after "the 2015 accord": its date
            targets = [_anaphor(t) for s, t in pairs_before if s.code in codes
                       and t.code not in codes] or [_anaphor(s) for s, t in pairs_before
                                                     if t.code in codes and s.code not in codes]
            anaphora = anaphora or None  # a borrowed target: not an agreement to remember
        if sources and not targets and not ctx.antecedents and pattern.kind == "nominal" and (
                pattern.symmetric and _definite(token)):  # "the Northern Ireland peace talks"
            pair = ctx.document_pair()  # at the start: with whom the document names it beside
            codes = {p.code for p in sources}
            targets = [t for s, t in pair.pairs if s.code in codes and t.code not in codes][
                :1] if pair is not None else []
        if pattern.skip_passive and _is_passive(token):
            return []
        if pattern.skip_naming and _names_object(token):
            return []
        if pattern.requires_object_actor and not targets:
            return []
        if pattern.requires_place and not targets:
            return []
        if pattern.subject_sectors and sources and not any(
                s.sector in pattern.subject_sectors for s in sources):
            return []

        attribution = self._attribution(token, ctx, sentence_speaker)
        modality = _modality(token, attribution)
        governed = None if modality not in ("asserted", "reported") or _presupposed(
            token) else governed_modality(token)  # "in the hopes of igniting talks"
        modality = governed or modality
        if cameo.startswith(REFERENCE_CODES):  # not "agreed to resume talks in January"
            dates = [s for s in dates if not _foreign_date(s, token)]
        date = self._date(token, dates, ctx)
        date = self._lasting_since(token, pattern, dates, date, ctx)
        if governed and date is not None and date.method in BORROWED_DATES:
            date = None  # an act hoped for or prepared has no date but its own
        if token.i in ctx.answered and date is not None and (
                date.method not in BORROWED_DATES) and not any(
                (_attributive(sp) or sp.root).i == token.i
                for sp in dates):  # "withdrew from the accord with A on Tuesday": the
            date = publication_fallback(ctx.published) or date  # withdrawal's date
        if anaphora and ante is not None and date is not None and (
                date.method not in BORROWED_DATES) and (
                ante.date is None or ante.date.method in BORROWED_DATES):
            ante.date = date  # "the 2015 accord" dates the accord an earlier sentence named
        elif anaphora and ante is not None and ante.date is not None and (
                date is None or date.method in BORROWED_DATES):
            date = ante.date  # "the agreement" dates from when it was made
        elif ante_of_noun is not None and ante_of_noun.date is not None and (
                ante_of_noun.date.method not in BORROWED_DATES) and (
                date is None or date.method in BORROWED_DATES):
            date = ante_of_noun.date  # "the Iran deal" after "the 2015 accord": made in 2015
        making = cameo.startswith(AGREEMENT_CODES) and self._makes(token, pattern, ctx)
        if not making and self._refers_to_agreement(token, pattern, cameo):
            date = _reference_date(token, date, ctx, _preferred(cameo))
        if date is not None and standing_state(token, cameo):
            date = None  # "Palestinians imprisoned in Israel": a state, not the day's act
        if date is not None and date.method in BORROWED_DATES and ctx.published is not None and (
                since_then(token) and date.end < ctx.published.end):  # "Since then, 300 have
            date = replace(date, end=ctx.published.end, precision=RANGE)  # been killed"
        if pattern.kind == "nominal" and date is not None and (
                date.method in BORROWED_DATES) and earlier_object(token):
            date = None  # "the first Singapore summit": an earlier one, not of the article's day
        refused = self._refused(token) if pattern.kind == "verb" else None
        if refused is not None:  # "pledged never to recognise A": a refusal, not an offer
            cameo = refused
            modality = "asserted" if attribution.kind == "author" else "reported"
        if pattern.negated_cameo and modality == "negated" and any(
                c.dep_ == "neg" or c.lower_ == "never" for c in token.children):
            cameo = pattern.negated_cameo  # "did not sign the deal": a refusal
            modality = "asserted" if attribution.kind == "author" else "reported"
            targets = targets or self._refused_owners(token, ctx, sources)

        if modality == "demanded" and cameo[:2] in ("03", "04", "05", "08"):
            appeal = next(a for p, a in APPEAL_FOR if cameo.startswith(p))
            speaker = _attribution_party(attribution)
            requested = sources
            cameo, sources, targets = appeal, [speaker] if speaker else [], requested

        joint = pattern.symmetric or cameo.startswith(JOINT_CODES)
        if pattern.kind == "verb" and len(sources) >= 2 and reciprocal(token):
            joint = True  # "A and B committed themselves": each is the other's target
            targets = [t for t in targets if t.code not in {s.code for s in sources}]
        elif between_sides(sources, targets):
            joint = True  # "both sides said they will go back to fighting": at each other
        if not targets and sources and cameo[:2] in IMPLIED_TARGET_ROOTS and not (
                joint and pattern.kind == "verb"
                and len({s.code for s in sources if s.code}) >= 2):  # "A and B agreed"
            implied = self._implied_target(token, sent, sources, ctx)
            targets = [implied] if implied else self._met_party(token, ctx, sources)

        pairs: list[tuple[Party | None, Party | None]] = []
        if joint and len(sources) >= 2 and not any(t.code for t in targets):
            # "A and B agreed to protect civilians": a joint act; uncoded targets are no party
            for a in sources:
                for b in sources:
                    if a is not b and a.key() != b.key() and a.code != b.code:
                        pairs.append((a, b))
        else:
            for s in sources or [None]:
                for t in targets or [None]:
                    if s is not None and t is not None and (
                            s.key() == t.key() or (s.code and s.code == t.code)):
                        if s.sector and t.sector and s.sector != t.sector and cameo[:2] >= "11":
                            pass  # "Russian police arrested Russian activists"
                        elif len(targets) == 1 and t.via == "mention":
                            continue  # "the U.S. war would kill U.S. troops": no dyad
                        else:
                            t = None
                    pairs.append((s, t))
            if pattern.symmetric and targets and len(sources) >= 2:
                pairs += [(t, s) for s in sources for t in targets
                          if s.key() != t.key() and s.code != t.code]
        if anaphora and ante is not None:
            pairs = [(_anaphor(s), _anaphor(t)) for s, t in ante.pairs]
            if inherited:  # "the treaty" after "A accepted B's terms": both are its parties
                pairs += [(t, s) for s, t in pairs if not any(
                    (x.code, y.code) == (t.code, s.code) for x, y in pairs)]
        pairs = [(s, t) for s, t in pairs if s is not None and (
            s.code or s.person or (s.sector and s.via == "mention"))]
        pairs = [(s, t) for s, t in pairs if s.code or s.person or (  # "24 million people
            t is not None and (t.code or t.person))]  # will require aid": no actor known
        with_target = {s.key() for s, t in pairs if t is not None}
        pairs = [(s, t) for s, t in pairs if t is not None or s.key() not in with_target]
        if not pairs:
            return []  # no actor to code: "the government fired...", "if someone negotiates"
        events = []
        seen = set()
        for s, t in pairs:
            key = (s.code or s.key() if s else None, t.code or t.key() if t else None)
            if key in seen:
                continue
            seen.add(key)
            conf = 0.45 + (0.25 if s and s.code else 0) + (0.15 if t and t.code else 0)
            conf += 0.1 if pattern.kind == "verb" else 0
            conf -= 0.15 if (s and s.via not in ("mention", "place")) or (
                t and t.via not in ("mention", "place")) else 0
            events.append(Event(idx, token, pattern, cameo, s, t, modality, attribution, date,
                                max(0.1, min(conf, 0.99))))
        if making and modality in ("asserted", "reported"):
            ctx.made.note(cameo, date, _object_nouns(token, pattern))
        if anaphora is False:
            ctx.remember_parties(cameo, pairs, date, pattern.id in AGREEING and cameo.startswith(
                AGREED_CODES) and modality in ("asserted", "reported"))
        return events

    def _makes(self, token: Token, pattern: Pattern, ctx: _Context) -> bool:
        """Whether a trigger makes an agreement with a date of its own: "A and B signed a
        deal on Monday", "the 2015 accord", "the accord signed in May"."""
        span = ctx.date_span
        if span is None:
            return False
        if pattern.kind == "verb":
            return pattern.id in AGREEMENT_VERBS or makes_agreement(token)
        return pattern.kind == "nominal" and _dates_making(span, token)

    def _lasting_since(self, token: Token, pattern: Pattern, spans: list[Span],
                       date: EventDate | None, ctx: _Context) -> EventDate | None:
        """A state noun dated only by its surroundings but lasting "since" a date of its own
        ("the ceasefire that has been in place since 29 August") is dated by that start."""
        if pattern.kind != "nominal" or (date is not None and date.method not in BORROWED_DATES):
            return date
        start = since_start(token, spans)
        found = resolve_expression(start.text, ctx.published, ctx.last_date) if (
            start is not None) else None  # a start already past: its latest occurrence
        if found is None or (ctx.published is not None and found.start > ctx.published.end):
            return date
        return found

    def _refers_to_agreement(self, token: Token, pattern: Pattern, cameo: str) -> bool:
        """A definite agreement noun that refers to an agreement made before: "the
        agreement", "the deal", "Azerbaijan's proposals" (not a truce: its start is its date)."""
        return pattern.kind == "nominal" and pattern.anaphoric and cameo.startswith(
            REFERENCE_CODES) and _presupposed(token)

    def _name_dated_agreements(self, ctx: _Context) -> None:
        """Note the agreements the document names by their date ("the 2015 accord"), for
        references to them that come first."""
        nouns = {lemma for lemma, ps in self.patterns.by_lemma.items()
                 if any(p.kind == "nominal" and p.anaphoric and p.cameo.startswith(
                     REFERENCE_CODES) for p in ps)}
        for sent in ctx.doc.sents:
            for span in self._date_spans(sent, ctx):
                noun = _attributive(span)
                if noun is not None and noun.lemma_.lower() in nouns and (
                        span.text[:1].isdigit()):  # a year, not "last year's deal"
                    ctx.made.name("057", _resolve(span, ctx))

    def _talks_subject(self, token: Token) -> bool:
        """Whether the talks themselves govern an agreeing verb ("the Jeddah Talks will focus
        on reaching agreement"): the sides of the talks are to agree."""
        if token.dep_ != "pcomp" or token.head.dep_ != "prep":
            return False
        verb = _governor(token.head)
        talks = self.patterns.classes.get("TALKS", frozenset())
        return any(c.dep_ in SUBJ and c.lemma_.lower() in talks for c in verb.children)

    def _refused(self, token: Token) -> str | None:
        """The refusal code of a promise never to do something ("pledged never to recognise
        A", "vowed not to negotiate"), from the reject pattern; None for other triggers."""
        if token.lemma_.lower() not in PROMISE_VERBS:
            return None
        for xcomp in (c for c in token.children if c.dep_ == "xcomp"):
            if any(c.dep_ == "neg" or c.lower_ == "never" for c in xcomp.children):
                words, text = _argument_words([xcomp, *_arguments(xcomp)])
                reject = next((p for p in self.patterns.candidates("verb", "reject")
                               if p.id == "reject"), None)
                classes = self.patterns.classes_of(words, text)
                return (reject.code_for(classes) if reject is not None else None) or "120"
        return None

    def _with_party(self, token: Token, ctx: _Context) -> bool:
        """Whether a noun names a party after "with": "a deal with the FARC"."""
        return any(c.dep_ == "prep" and c.lower_ == "with" and any(
            g.dep_ == "pobj" and party_mention(g, ctx.mention) for g in c.children)
            for c in token.children)

    def _answered_deal(self, token: Token, pattern: Pattern, cameo: str,
                       found: list[tuple[Token, Pattern, str, set[int]]]) -> bool:
        """An agreement with a named party that a verb of another kind answers ("voters
        rejected a peace deal with the FARC", "withdrew from the accord with Iran"): the
        agreement is mentioned as well as the answer. Not when the verb codes it already
        ("signed a deal with X")."""
        if not pattern.anaphoric:
            return False
        verbs = {t.i: c for t, p, c, _u in found if p.kind == "verb"}
        verb = token.head if token.dep_ in OBJ else token.head.head
        code = verbs.get(verb.i)
        if verb.dep_ == "xcomp" or any(c.dep_ == "aux" and c.lower_ == "to"
                                       for c in verb.children):
            return False  # "pushed Kyiv to forgo a deal with Moscow": no answer given yet
        return code is not None and code[:2] != cameo[:2] and any(
            c.dep_ == "prep" and c.lower_ == "with" for c in token.children)

    def _refers_back(self, token: Token) -> bool:
        """Whether a verb's object or passive subject is a definite agreement noun that
        refers back ("signed the pact", "the accord was reached", "the accord signed in
        May")."""
        objects = [c for c in token.children if c.dep_ in OBJ + ("nsubjpass",)]
        if _participle(token):
            objects.append(token.head)
        return any(_definite(c) and any(
            p.anaphoric for p in self.patterns.candidates("nominal", c.lemma_.lower()))
            for c in objects)

    # -- roles ------------------------------------------------------------------------
    def _implied_target(self, token: Token, sent: Span, sources: list[Party],
                        ctx: _Context) -> Party | None:
        """The addressee a proposal or answer leaves implicit: the nearest other country or
        organisation named in the sentence."""
        codes = {s.code for s in sources}
        spans = [(s.start, s.end) for s in sources]
        best: tuple[int, Resolution] | None = None
        speaking = _speaker_tokens(token, ctx)
        for i, m in ctx.between(sent.start, sent.end):
            if not (sent.start <= i < sent.end) or not m.code or m.code in codes:
                continue
            if i in speaking:
                continue  # "A agreed to talks, B said": B reports it, A does not answer B
            if any(a <= m.start < b for a, b in spans):
                continue
            if _venue(ctx.doc[i]):
                continue  # "pledged ... at the Ohrid meeting": where, not to whom
            if _in_other_clause(ctx.doc[i : i + 1], token, ("relcl", "acl", "ccomp", "conj")
                                ) and not _in_own_acl(ctx.doc[i], token):
                continue  # "the strength that NATO leaders said they wanted": not the addressee
            if m.sector == "MED":
                continue  # "according to Reuters": a source, not an addressee
            if _topic_of(ctx.doc[i]):
                continue  # "peace in Ukraine", "talk about Ukraine": a topic, not an addressee
            if _subject_above(ctx.doc[i], token):
                continue  # "U.S. and NATO leaders say they keep rejecting talks"
            distance = abs(i - token.i)
            if best is None or distance < best[0]:
                best = (distance, m)
        return Party.of(best[1], "implied") if best else None


    def _sources(self, token: Token, ctx: _Context, paragraph_start: int) -> list[Party]:
        verb = token
        for _ in range(4):
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None:
                obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self._parties(obj, ctx, paragraph_start)
            subjects = [c for c in verb.children if c.dep_ in SUBJ]
            if not subjects:  # the parser's near-misses: "Armenia/npadvmod proposed"
                subjects = [c for c in verb.lefts if c.dep_ in ("npadvmod", "dep", "nmod")
                            and party_mention(c, ctx.mention)]
            if subjects:  # the first subject that names an actor (parsers double them)
                if any(_indefinite(subj) for subj in subjects):
                    return []  # "if someone negotiates": no actor to code
                if split_coordination(subjects):  # "A, adviser to B, and C signed"
                    joined = [p for subj in subjects
                              for p in self._parties(subj, ctx, paragraph_start)]
                    if joined:
                        return joined
                for subj in subjects:
                    found = self._parties(subj, ctx, paragraph_start)
                    if found:
                        return found
                return []
            if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
                break  # "after the summit was cut short": not by the main clause's subject
            if verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
                obj = next((c for c in verb.head.children if c.dep_ in OBJ), None)
                if obj is not None and party_mention(obj, ctx.mention):  # "urged Kyiv to negotiate"
                    return self._parties(obj, ctx, paragraph_start)
                verb = verb.head
            elif verb.dep_ in ("conj", "advcl", "xcomp", "acomp"):
                verb = verb.head
            elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and (
                    _governor(verb.head).pos_ in ("VERB", "AUX", "ADJ")) and (
                    token.lemma_.lower() in self.agreement_lemmas):  # not "succeeded in killing"
                verb = _governor(verb.head)  # "will focus (next) on reaching a deal"
            elif verb.dep_ in ("relcl", "acl"):
                head = verb.head
                found = self._parties(head, ctx, paragraph_start)
                if found:
                    return found
                poss = [c for c in head.children if c.dep_ in ("poss", "compound", "amod")]
                return [p for c in poss for p in self._parties(c, ctx, paragraph_start)]
            else:
                break
        return []

    def _nominal_sources(self, token: Token, pattern: Pattern, ctx: _Context,
                         paragraph_start: int = 0) -> list[Party]:
        out = self._nominal_modifiers(token, pattern, ctx)
        if out:
            return out
        if any(c.dep_ in SUBJ for c in token.children):  # a verb the parser read as a noun
            return self._sources(token, ctx, paragraph_start)
        head = token.head
        if token.dep_ in OBJ and head.lemma_.lower() in self.patterns.light_verbs:
            return self._sources(head, ctx, paragraph_start)  # "made an appeal"
        if token.dep_ == "pobj" and head.lower_ == "with" and head.head.pos_ == "VERB" and (
                not _is_passive(head.head)):
            return self._sources(head.head, ctx, paragraph_start)  # "went public with a call"
        if token.i in ctx.answered and self._with_party(token, ctx):
            verb = head if token.dep_ in OBJ else head.head  # "rejected a deal with the FARC"
            if verb.pos_ == "VERB":
                return self._sources(verb, ctx, paragraph_start)
        if token.dep_ == "pobj" and head.lower_ == "in" and pattern.symmetric and (
                head.head.dep_ in OBJ and head.head.head.lemma_.lower() in (
                    self.patterns.light_verbs)):  # "announced a breakthrough in the talks"
            return self._sources(head.head.head, ctx, paragraph_start)
        if token.dep_ == "pobj" and head.lower_ == "in" and pattern.symmetric and (
                head.head.pos_ == "VERB"):  # "were locked in talks", "took part in the talks"
            verb = head.head
            if not _is_passive(verb):
                return self._sources(verb, ctx, paragraph_start)
            for subj in (c for c in verb.children if c.dep_ == "nsubjpass"):
                found = self._parties(subj, ctx, paragraph_start)
                for prep in (c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"):
                    for obj in (c for c in prep.children if c.dep_ == "pobj"):
                        found = found or self._parties(obj, ctx, paragraph_start)
                return found  # "representatives of A and B were locked in talks"
        return out

    def _nominal_modifiers(self, token: Token, pattern: Pattern, ctx: _Context) -> list[Party]:
        out = []
        for acl in (c for c in token.children if c.dep_ == "acl"
                    and c.lemma_.lower() in self.patterns.light_verbs | {"propose", "offer"}):
            for agent in (c for c in acl.children if c.dep_ == "agent"):
                for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                    for obj in [pobj, *pobj.conjuncts]:  # "drafted by France and Germany"
                        m = party_mention(obj, ctx.mention)  # "proposals made by Putin"
                        if m:
                            out.append(Party.of(m))
        venues = venue_names(token, lambda c: party_mention(c, ctx.mention) is not None) if (
            pattern.symmetric) else set()  # "the first Singapore DPRK-US summit"
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                # "the Chad-Niger talks": the chain of names before the noun
                chain = [child] + ([c for c in child.children if c.dep_ == "compound"]
                                   if pattern.symmetric and child.dep_ == "compound" else [])
                if child.dep_ == "poss" and child.lower_ in PERSONAL | PLURAL | NEUTER:
                    owner = self._antecedent(child, ctx, 0)  # "his call for a truce"
                    for p in owner if isinstance(owner, list) else [owner] if owner else []:
                        if p.code and all(p.key() != q.key() for q in out):
                            out.append(p)
                    continue
                for link in chain:
                    m = party_mention(link, ctx.mention)
                    if m and (link.i in venues or convener(link, m.sector, token)):
                        continue  # where the talks are, or who convenes them ("the UN talks")
                    if m and not (link.dep_ in ("compound", "amod") and m.method == "capital"):
                        party = self._party(link, ctx, 0) if link.dep_ == "poss" else None
                        found = party if isinstance(party, Party) else Party.of(m)
                        if all(found.key() != p.key() for p in out):
                            out.append(found)  # "the Minsk agreement" names a place, not a party
            if child.dep_ == "prep" and child.lower_ in pattern.source_preps or (
                    pattern.place_is_source and child.dep_ == "prep" and child.lower_ == "in"):
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                joined = obj.conjuncts if obj is not None and pattern.symmetric else ()
                for t in [obj, *joined] if obj is not None else []:
                    m = party_mention(t, ctx.mention)  # "a summit of Chad and Niger"
                    if m:
                        party = self._party(t, ctx, 0) if m.code is None else None
                        out.append(party if isinstance(party, Party) and party.code
                                   else Party.of(m))  # "from its forces": its owner's
        if pattern.symmetric:
            between = _between_phrase(token)
            for t in [between, *between.conjuncts] if between is not None else []:
                m = party_mention(t, ctx.mention)  # "a ceasefire between Israel and Hamas"
                if m:
                    party = self._party(t, ctx, 0)
                    out.append(party if isinstance(party, Party) else Party.of(m))
        return out

    def _targets(self, token: Token, pattern: Pattern, ctx: _Context, paragraph_start: int,
                 nominal: bool = False) -> list[Party]:
        if pattern.target == "none":
            return []
        out: list[Party] = []
        heads = [token] + [c for c in token.children if c.dep_ in ("xcomp", "ccomp") or (
            nominal and c.dep_ == "acl")]
        heads += [g for c in token.children if c.dep_ == "prep"
                  for g in c.children if g.dep_ == "pobj"]  # "engage in talks with X"
        if pattern.target == "object" and not nominal:
            for child in token.children:
                if child.dep_ in OBJ + ("dative", "iobj", "nsubjpass"):
                    out += self._parties(child, ctx, paragraph_start)
            for child in (c for c in token.children if c.dep_ in OBJ) if not out else ():
                out += self._owners(child, ctx, paragraph_start)  # "the plan proposed by Peru"
            if not out and token.dep_ == "acl" and token.tag_ == "VBN":
                out += self._parties(token.head, ctx, paragraph_start)  # "Nigeriens detained
                # by Chadian police", "hostages held in Gaza": the noun is what is done to
        if not out:
            for head in heads:
                out += self._prep_objects(head, pattern.target_preps, ctx, paragraph_start)
                for obj in (c for c in head.children if c.dep_ in OBJ):
                    out += self._prep_objects(obj, pattern.target_preps, ctx, paragraph_start)
        if not out and nominal and token.dep_ == "pobj":
            verb = token.head.head  # "was met with a rejection": the verb's subject is the target
            subj = next((c for c in verb.children if c.dep_ in ("nsubjpass",)), None)
            if subj is not None:
                out += self._parties(subj, ctx, paragraph_start)
                if not out:
                    out += [Party.of(party_mention(c, ctx.mention)) for c in subj.children
                            if c.dep_ == "poss" and party_mention(c, ctx.mention)]
        return out

    def _owners(self, noun: Token, ctx: _Context, paragraph_start: int) -> list[Party]:
        """Whose a thing is by the agent of its participle: "the plan proposed by Peru", "the
        roles played by A and B"."""
        out: list[Party] = []
        for acl in (c for c in noun.children if c.dep_ == "acl"
                    and c.lemma_.lower() in OWNER_VERBS | self.patterns.light_verbs):
            for agent in (c for c in acl.children if c.dep_ == "agent"):
                for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                    out += self._parties(pobj, ctx, paragraph_start)
        return out

    def _refused_owners(self, token: Token, ctx: _Context, sources: list[Party]) -> list[Party]:
        """Whose thing a refusal turns down, named inside its noun phrase: "has not signed off
        on a United States peace pledge", "did not sign Peru's draft" (the first actor other
        than the source among the modifiers of the object's head)."""
        codes = {s.code for s in sources}
        objs = [c for c in token.children if c.dep_ in OBJ] + [
            g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        for obj in objs:
            for t in obj.doc[obj.left_edge.i : obj.i]:
                node = t
                while node.i != obj.i and node.dep_ in MODIFIER_DEPS:
                    node = node.head
                m = ctx.mention(t) if node.i == obj.i else None
                if m is not None and m.code and m.code not in codes:
                    return [Party.of(m)]
        return []

    def _met_party(self, token: Token, ctx: _Context, sources: list[Party]) -> list[Party]:
        """The other side of the meeting an act was done at, named before: "we offered a
        realistic proposal in this meeting" after "A and B held talks" (OEDA "(AT MEETING)",
        "(IN MEETING)"). Only a definite meeting with no party of its own."""
        codes = {s.code for s in sources}
        for prep in (c for c in token.children if c.dep_ == "prep"
                     and c.lower_ in MEETING_PREPS):
            for obj in (c for c in prep.children if c.dep_ == "pobj" and meeting(c)):
                if not _definite(obj) or party_mention(obj, ctx.mention) is not None:
                    continue
                ante = ctx.antecedent(("04",), codes)
                if ante is None or not ante.cameo.startswith("04"):
                    return []
                return [_anaphor(t) for s, t in ante.pairs if s.code in codes
                        and t.code not in codes][:1]
        return []

    def _prep_objects(self, head: Token, preps: tuple[str, ...], ctx: _Context,
                      paragraph_start: int) -> list[Party]:
        out: list[Party] = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.lemma_.lower() not in self.patterns.not_parties:
                        out += self._parties(obj, ctx, paragraph_start)
        return out

    def _parties(self, token: Token, ctx: _Context, paragraph_start: int) -> list[Party]:
        out = []
        for t in [token, *token.conjuncts, *listed_appositions(token)]:
            if t.i < token.i:
                continue
            party = self._party(t, ctx, paragraph_start)
            if isinstance(party, list):
                out.extend(party)
            elif party is not None:
                out.append(party)
        return out

    def _party(self, token: Token, ctx: _Context, paragraph_start: int
               ) -> Party | list[Party] | None:
        low = token.lower_
        if low in ADDRESSEE:  # "you" in a quotation is whom the speaker addresses, not the
            return None  # speaker nor the last actor named ("the envoy told them: 'You ...'")
        if token.pos_ == "PRON" or low in PERSONAL | PLURAL | NEUTER | SPEAKER:
            return self._antecedent(token, ctx, paragraph_start)
        if _names_sides(token):
            return self._sides(token, ctx, paragraph_start)
        m = ctx.mention(token)
        if m is None or not m.code and not m.sector and not m.person_name:
            m = titled(token, ctx.mention) or m  # "TPLF representative Getachew Reda"
        for child in token.children:
            if child.dep_ == "appos":
                am = party_mention(child, ctx.mention)
                if am and am.person_name and not (m and m.person_name):
                    return Party.of(am)
                if am and m is None and (am.code or party_mention(token, ctx.mention) is None):
                    named = [ctx.mention(t) for t in [child, *child.conjuncts]]  # "US allies
                    return [Party.of(x) for x in named if x is not None] or Party.of(am)  # A, B"
                # not "Ethiopian Minister Redwan, National Security Advisor, ...": his title's
        if m is None:
            m = party_mention(token, ctx.mention)
        if m is None or m.code is None and m.person_name:
            represented = self._represented(token, ctx, paragraph_start)
            if represented:  # "A and B, representing the government and the rebels, signed"
                return represented
        if m is None:
            return None
        party = Party.of(m)
        led = leader(token, ctx.mention) if party.code is None else None
        if led is not None:  # "the Saudi-led coalition": Saudi Arabia's
            party.code, party.via = led.code, "leader"
        joint = self._joint_owners(token, party, ctx)
        if joint:  # "the leaders of A, B and C", "A and B negotiators": each of them
            return joint
        if party.code is None and party.sector:  # "its troops": the possessor's country
            for child in token.children:
                if child.dep_ == "poss" and child.pos_ == "PRON":
                    owner = self._antecedent(child, ctx, paragraph_start)
                    if isinstance(owner, list):
                        owner = owner[0]
                    if owner is not None and owner.code:
                        party.code, party.via = owner.code, "pronoun"
        if party.code is None and party.sector in COREFERENT_SECTORS:
            named = _named_of_sector(token, party.sector, ctx)  # "the rebels": the FARC
            if named is not None:
                party.code, party.via = named, "context"
        if party.code is None and party.sector in DOMESTIC_SECTORS and not any(
                c.dep_ == "nummod" for c in token.children):  # not "killing 1,200 people"
            near = _nearby_country(token, ctx)  # "the coup leaders", after "Yanukovych"
            if near is not None:
                party.code, party.via = near, "context"
        if party.code is None and party.sector:  # "police in Nairobi": the place's country
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    where = ctx.mention(obj) if obj is not None else None
                    if where is not None and where.code:
                        party.code = where.code
        return party

    def _represented(self, token: Token, ctx: _Context, paragraph_start: int) -> list[Party]:
        """Whom unnamed or unknown people represent: "Redwan and Getachew, representing the
        government and the TPLF" (the acl "representing" on the first of them)."""
        heads = [token, *([token.head] if token.dep_ == "conj" else [])]
        for head in heads:
            for acl in (c for c in head.children if c.dep_ == "acl"
                        and c.lemma_.lower() in REPRESENT_VERBS):
                for obj in (c for c in acl.children if c.dep_ in OBJ):
                    found = self._parties(obj, ctx, paragraph_start)
                    if found:
                        return [Party(p.code, p.sector, p.person, p.text, p.start, p.end,
                                      "represented") for p in found]
        return []

    def _sides(self, token: Token, ctx: _Context, paragraph_start: int,
               exclude: set[int] | None = None, of_war: bool = False) -> list[Party] | None:
        """The two parties "the two sides", "both parties" or "the warring parties" refer to:
        the last pair named together ("talks between A and B"), else the parties of the last
        agreement or talks coded in the document, else the last two actors named in the
        paragraph (of the article's conflict, when it has one; never a venue: "met in
        Sweden"), else the principal parties of that conflict. Whoever reports the sentence
        ("Qatar said the two sides agreed") is a speaker, not a side. ``of_war``: only sides
        of the article's war (for an agreement whose makers the sentence does not name)."""
        speaking = _speaker_tokens(token, ctx) | (exclude or set())
        prior = [m for i, m in reversed(ctx.between(paragraph_start, token.i))
                 if paragraph_start <= i < token.i and not _venue(ctx.doc[i])
                 and i not in speaking and m.code and m.method != "place" and m.sector != "MED"]
        conflict = _conflict_named(token, ctx) or ctx.conflict
        warring = conflict.parties if conflict is not None and of_war else None
        for m in prior:
            pair = [x for x in prior if x is not m and x.code != m.code
                    and _coordinated(x, m, ctx)
                    and (warring is None or {x.code, m.code} <= set(warring))]
            if pair:
                return [Party.of(m, "two sides"), Party.of(pair[0], "two sides")]
        last = [a.pairs for a in ctx.antecedents if conflict is None or any(
            s.code in conflict.parties and t.code in conflict.parties for s, t in a.pairs)]
        if last:  # the parties of the last agreement or talks coded (between sides of the war)
            sides: list[Party] = []
            for pair in last[-1]:
                for p in pair:
                    if all(p.code != q.code for q in sides):
                        sides.append(Party(p.code, p.sector, p.person, p.text, p.start, p.end,
                                           "two sides"))
            return sides
        named: list[Party] = []
        for m in prior:
            if conflict is not None and m.code not in conflict.parties:
                continue
            if all(m.code != p.code for p in named):
                named.append(Party.of(m, "two sides"))
            if len(named) == 2:
                return named
        if conflict is None:
            return None
        counts = Counter(m.code for _, m in ctx.ordered if m.code in conflict.parties)
        best = [code for code, _ in counts.most_common(2)]
        best += [code for code in conflict.parties if code not in best][:2 - len(best)]
        if len(best) < 2:
            return None
        return [Party(code, None, None, token.text, token.idx, token.idx + len(token.text),
                      "two sides") for code in best]

    def _joint_owners(self, token: Token, party: Party, ctx: _Context) -> list[Party]:
        """The countries or organisations of a role noun owned by coordinated names: "the
        foreign ministers of A, B and C", "delegations from A and B", "A and B negotiators",
        "Russian and Chinese envoys". Empty unless two or more different actors own it."""
        owners: list[Token] = []
        for child in token.children:
            if child.dep_ in ("compound", "nmod", "amod", "poss") and child.conjuncts:
                owners = [child, *child.conjuncts]
            elif child.dep_ == "prep" and child.lower_ in ("of", "from"):
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.conjuncts:
                    owners = [obj, *obj.conjuncts]
            if owners:
                break
        out: list[Party] = []
        for owner in owners:
            m = party_mention(owner, ctx.mention)
            if m is None or m.method == "place":
                continue
            found = party if m.code and m.code == party.code else self._party(owner, ctx, 0)
            if not isinstance(found, Party) or not found.code or any(
                    p.code == found.code for p in out):
                continue
            if found.sector is None:
                found.sector = party.sector
            out.append(found)
        return out if len(out) >= 2 else []

    def _antecedent(self, token: Token, ctx: _Context, paragraph_start: int
                    ) -> Party | list[Party] | None:
        low = token.lower_
        if low in SPEAKER and ctx.speaker is not None:
            return ctx.speaker
        said = token.head.head if token.head.dep_ == "ccomp" else None
        subject = next((c for c in said.children if c.dep_ in SUBJ), None) if said else None
        if low in PLURAL and token.dep_ in SUBJ and subject is not None and _names_sides(
                subject):   # "both sides have said they will ...": the sides
            return self._sides(subject, ctx, paragraph_start)
        if low in NEUTER and _closer_thing(token, ctx):
            return None  # "that moment would pass if they failed to seize it"
        fitting = []
        for m in reversed(ctx.before(token, paragraph_start)):
            if low in PERSONAL and not (m.person or m.sector):
                continue
            if low in NEUTER and (m.person or not m.code or _plural(m, ctx)):
                continue  # "it": a country or organisation, not "military leaders"
            if low in SPEAKER:
                continue
            fitting.append(m)
        if not fitting and low in PLURAL and ctx.paragraph_before < paragraph_start:
            # "They agreed last month ..." opening a paragraph: the actors named together
            # last in the paragraph before ("A and B have reached an agreement")
            earlier = [m for _, m in reversed(ctx.between(ctx.paragraph_before,
                                                          paragraph_start))
                       if m.code and m.method != "place"]
            for m in earlier:
                together = [x for x in earlier if x is not m and x.code != m.code
                            and _coordinated(x, m, ctx)]
                if together:
                    return [Party.of(x, "pronoun") for x in [m, *together]]
            return None
        subjects = [m for m in fitting if _mention_is_subject(m, ctx)]
        best = (subjects or fitting or [None])[0]
        if best is None:
            return None
        if low in PLURAL:  # "U.S. and NATO leaders ... they": both
            together = [x for x in fitting if x is not best and _coordinated(x, best, ctx)]
            if together:
                return [Party.of(x, "pronoun") for x in [best, *together]]
            span = ctx.doc.char_span(best.start, best.end, alignment_mode="expand")
            owners = self._joint_owners(span.root, Party.of(best), ctx) if span else []
            if owners:  # "the leaders of A, B and C ... they": each of them
                for owner in owners:
                    owner.via = "pronoun"
                return owners
        return Party.of(best, "pronoun")

    # -- attribution, dates ------------------------------------------------------------
    def _attribution(self, token: Token, ctx: _Context,
                     sentence_speaker: Attribution | None) -> Attribution:
        head = reporting_head(token)
        att = reporting_speaker(head, ctx.mention) if head is not None else None
        att = att or sentence_speaker or AUTHOR
        if att.kind == "named" and not att.code and att.sector in COREFERENT_SECTORS and (
                att.start is not None and att.end is not None):  # '"...," the minister said':
            span = ctx.doc.char_span(att.start, att.end, alignment_mode="expand")  # the
            named = _named_of_sector(span.root, att.sector, ctx) if span else None  # one named
            if named is not None:
                att = replace(att, code=named)
        return att

    def _date_spans(self, sent: Span, ctx: _Context) -> list[Span]:
        spans = self._all_date_spans(sent, ctx)
        dateline = find_dateline(sent.text)
        if dateline is None:
            return spans
        start = sent.start_char + dateline.end  # a dateline's date dates no event
        return [s for s in spans if s.start_char >= start]

    def _all_date_spans(self, sent: Span, ctx: _Context) -> list[Span]:
        spans: list[Span] = []
        base = sent.start_char
        if ctx.conflict is not None:
            for s, e, kind, days in find_conflict_expressions(sent.text):
                span = sent.doc.char_span(base + s, base + e, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
                    ctx.war_spans[(span.start, span.end)] = (kind, days)
        taken = {i for e in spans for i in range(e.start, e.end)}
        spans += [e for e in ctx.ents.get(sent.start, ()) if e.label_ == "DATE"
                  and not any(i in taken for i in range(e.start, e.end))]
        taken = {i for e in spans for i in range(e.start, e.end)}
        for s, e in find_expressions(sent.text):
            span = sent.doc.char_span(base + s, base + e, alignment_mode="expand")
            if span is not None and not any(i in taken for i in range(span.start, span.end)):
                spans.append(span)
                taken.update(range(span.start, span.end))
            elif span is not None:
                # prefer the longer reading ("late 2023" over "2023")
                for i, old in enumerate(spans):
                    if old.start >= span.start and old.end <= span.end and old != span:
                        spans[i] = span
        return spans

    def _joined(self, span: Span, spans: list[Span], resolved: EventDate,
                ctx: _Context) -> EventDate:
        """Widen a date joined to another by "and"/"to" ("in late 2023 and early 2024")."""
        for other in spans:
            gap = ctx.text[span.end_char : other.start_char].strip().lower()
            if other.start > span.start and gap in ("and", "to", "-", "–", "through", "until"):
                more = resolve_expression(other.text, ctx.published, resolved,
                                          future=points_forward(_date_clause(other)))
                if more is not None and more.end > resolved.end:
                    text = ctx.text[span.start_char : other.end_char]
                    return EventDate(resolved.start, more.end, "range", text, resolved.method)
        return resolved

    def _date(self, token: Token, spans: list[Span], ctx: _Context) -> EventDate | None:
        """The date in the trigger's own clause; else the only date in the sentence outside
        other clauses, the paragraph's last event date, the section heading's date, the last
        date of one of the two paragraphs before, and the publication date, in that order."""
        ctx.date_span = None
        clauses = _clauses_of(token)
        spans = [s for s in spans if _names_this(s, token)]
        own = [s for s in spans if not _is_period_start(s) and (
            _date_clause(s).i in clauses or s.root.head.i == token.i)]
        for span in sorted(own, key=lambda s: _tree_distance(token, s.root)):
            resolved = _resolve(span, ctx)
            if resolved is not None:
                resolved = self._joined(span, spans, resolved, ctx)
                if _attributive(span) is None and not _participle_clause(_date_clause(span)):
                    # not a participle's date: "builds on the Declaration signed on April 25"
                    # dates that declaration, not what the paragraph goes on to tell
                    ctx.last_date = ctx.paragraph_date = resolved
                ctx.date_span = span
                return resolved
        free = [s for s in spans if not _is_period_start(s) and not _in_other_clause(s, token)]
        if len(free) == 1:
            resolved = _resolve(free[0], ctx)
            if resolved is not None and _attributive(free[0]) is None:
                ctx.last_date = ctx.paragraph_date = resolved
            if resolved is not None:
                ctx.date_span = free[0]
                return EventDate(resolved.start, resolved.end, resolved.precision,
                                 resolved.text, resolved.method)
        past = token.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD"
                                          for c in token.children)

        ahead = will_do(token)

        def fits(d: EventDate) -> bool:  # "paid tribute" is not dated by "a vote in May" to come
            if ahead and ctx.published is not None and d.end < ctx.published.start:
                return False  # "they will go back to fighting": not the war's start told before
            return not (past and ctx.published is not None and d.start > ctx.published.end)

        if ctx.paragraph_date is not None and fits(ctx.paragraph_date):
            d = ctx.paragraph_date
            return EventDate(d.start, d.end, d.precision, d.text, "paragraph")
        if ctx.section is not None:
            return ctx.section
        if ctx.previous_date is not None and fits(ctx.previous_date):
            d = ctx.previous_date
            return EventDate(d.start, d.end, d.precision, d.text, "context")
        return publication_fallback(ctx.published)


# -- helpers ---------------------------------------------------------------------------
def _tells_coded_act(event: Event, events: list[Event]) -> bool:
    """A bare statement ("informed A that it accepts A's proposals") whose reported clause is
    coded as an act of the same source: the act is the event, the telling is not another. Any
    verb below the statement counts: the parser may hang the "that" clause on a noun before it
    ("informed A through diplomatic channels that ...")."""
    if event.cameo != STATEMENT_CODE or event.source is None:
        return False
    told = {t.i for t in event.trigger.subtree if t.i != event.trigger.i and t.pos_ == "VERB"}
    return any(e is not event and e.trigger.i in told and e.cameo != STATEMENT_CODE
               and e.source is not None and e.source.code == event.source.code for e in events)


def _governor(prep: Token) -> Token:
    """The word a preposition attaches to, past an adverb ("focus next on ...")."""
    head = prep.head
    return head.head if head.pos_ == "ADV" and head.dep_ == "advmod" else head


def _participle_clause(clause: Token) -> bool:
    """A participle modifying a noun, with no subject of its own ("the Declaration signed on
    April 25"), not a clause with one ("the story that A had rejected ...")."""
    return clause.dep_ == "acl" and clause.tag_ == "VBN" and not any(
        c.dep_ in SUBJ + ("nsubjpass",) for c in clause.children)


def _kinds(token: Token) -> tuple[str, ...]:
    if token.pos_ == "VERB":
        return ("verb",)
    if token.pos_ in ("NOUN", "PROPN"):
        return ("nominal",)
    if token.pos_ == "ADJ":
        return ("adjective",)
    return ()


def _extra_words(token: Token, words: tuple[str, ...]) -> set[int] | None:
    """Token ids of a multi-word trigger's other words among the head's dependants."""
    if not words:
        return set()
    near = [c for c in token.children] + [g for c in token.children for g in c.children]
    used = set()
    for w in words:
        hit = next((t for t in near if t.lower_ == w or t.lemma_.lower() == w), None)
        if hit is None:
            return None
        used.add(hit.i)
    return used


def _arguments(token: Token) -> list[Token]:
    """What a trigger governs: objects, complements, prepositional objects, one level down."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in OBJ + ("nsubjpass", "xcomp", "ccomp", "acomp", "compound", "amod",
                               "dative") and child.i != token.i or (
                child.dep_ == "acl" and token.pos_ in ("NOUN", "PROPN")):
            out.append(child)
        elif child.dep_ in ("prep", "agent"):
            out += [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
        elif child.dep_ in ("advmod", "prt") and token.pos_ == "VERB":  # "walked away from"
            out += [g for p in child.children if p.dep_ == "prep"
                    for g in p.children if g.dep_ in ("pobj", "pcomp")]
    more = []
    for arg in out:
        for g in arg.children:
            if g.dep_ in OBJ + ("xcomp", "compound", "amod", "nsubjpass", "acl"):
                more.append(g)
            elif g.dep_ == "prep" and g.lower_ in ("of", "for", "on", "to", "about", "over", "in"):
                more += [x for x in g.children if x.dep_ in ("pobj", "pcomp")]
    return out + more


def _argument_words(args: list[Token]) -> tuple[set[str], str]:
    words = set()
    texts = []
    for a in args:
        words.add(a.lemma_.lower())
        words.add(a.lower_)
        texts.append(a.doc[a.left_edge.i : a.i + 1].text)
    return words, " ".join(texts)


def _date_clause(span: Span) -> Token:
    """The clause a date belongs to; a temporal clause ("before the war broke out") dates
    the clause it modifies."""
    clause = _clause(span.root)
    if clause.dep_ == "advcl" and any(
            c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_MARKS for c in clause.children):
        return _clause(clause.head)
    return clause


def _resolve(span: Span, ctx: _Context) -> EventDate | None:
    war = ctx.war_spans.get((span.start, span.end))
    if war is not None and ctx.conflict is not None:
        return resolve_conflict(war[0], war[1], span.text, ctx.conflict)
    anchor = speech_day(span, ctx.paragraph_date, ctx.published) or ctx.published
    return resolve_expression(span.text, anchor, ctx.last_date,  # quoted "today": the speech's
                              future=points_forward(_date_clause(span)))


def _clause(token: Token) -> Token:
    """The verb heading the clause that ``token`` is in (the root if none)."""
    current = token
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current


def _clauses_of(token: Token) -> set[int]:
    """Clauses whose dates belong to a trigger: its own, its governing verb's, and for a
    nominal the clauses that modify it ("proposals made on June 14")."""
    out = {token.i, _clause(token).i}
    head = token.head
    if token.dep_ in ("xcomp", "acomp") or head.lemma_.lower() in ("be", "have"):
        out.add(_clause(head).i)
    out.update(c.i for c in token.children if c.dep_ in ("acl", "relcl") and not any(
        a.dep_ == "aux" and a.tag_ == "TO" for a in c.children))  # not "a pledge to release
    clause = _clause(token)  # them by March 10": the release's deadline
    if clause.dep_ == "advcl" and any(c.lower_ == "when" for c in clause.children):
        out.add(_clause(clause.head).i)  # "came in March 2022, when they nearly closed a deal"
    return out


def _subject_above(candidate: Token, trigger: Token) -> bool:
    """Whether ``candidate`` is (part of) the subject of a verb that governs ``trigger``."""
    node = candidate
    while node.dep_ in ("compound", "amod", "conj", "appos", "poss", "nmod") and (
            node.head.i != node.i):
        node = node.head
    if node.dep_ not in SUBJ:
        return False
    verb = node.head
    if not verb.left_edge.i <= trigger.i <= verb.right_edge.i:
        return False
    step = trigger  # "While A proposed X, B dismissed it": B answers A's proposal
    while step.head.i != step.i and step.i != verb.i:
        if step.dep_ == "advcl" and step.head.i == verb.i and any(
                c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in step.children):
            return False
        step = step.head
    return True


def _indefinite(token: Token) -> bool:
    """"someone", "no leader", "any country": a subject that names nobody."""
    return token.lower_ in INDEFINITE or any(
        c.dep_ == "det" and c.lower_ in ("no", "any", "every", "each") for c in token.children)


def _state_noun(token: Token) -> bool:
    """A nominal trigger that names what something is about, not an act: the topic after
    "over"/"about" ("a standoff over U.S. sanctions") or a noun modifier ("sanctions
    relief", "a truce monitoring mechanism")."""
    if token.dep_ == "compound" and token.head.pos_ == "NOUN" or topic_of_gerund(token):
        return True  # "a ceasefire monitoring mechanism" (however the parser heads it)
    return token.dep_ == "pobj" and token.head.lower_ in STATE_PREPS


def _introduces_list(sent: Span) -> bool:
    """A sentence that opens a list: "Under the truce:"."""
    return sent.text.rstrip().endswith(":")


def _is_list_item(sent: Span) -> bool:
    """A bulleted list item: "• 50 hostages to be released", "- no flights for four days"."""
    return sent.text.lstrip()[:1] in BULLETS


def _names_object(token: Token) -> bool:
    """A verb that names its object ("called the agreement a 'humanitarian pause'")."""
    return any(c.dep_ in ("oprd", "xcomp", "ccomp") or c.tag_ == "``" for c in token.children)


def _states_terms(sent: Span) -> Token | None:
    """The verb by which "it" or a part of it states an agreement's terms: "It includes
    measures for ...", "(He noted that) the two articles concern ...", else None."""
    root = sent.root
    for verb in [root, *(c for c in root.children if c.dep_ == "ccomp")]:
        if verb.lemma_.lower() in CONTENT_VERBS and any(
                c.dep_ == "nsubj" and c.lower_ in CONTENT_SUBJECTS for c in verb.children):
            return verb
    return None


def _list_item_events(idx: int, sent: Span, heading: list[Event], coded: list[Event],
                      trigger: Token | None = None) -> list[Event]:
    """The agreement of a list's opening sentence, once more for each of its items (a term of
    it: "Under the truce: • 50 hostages to be released"), unless the item codes one itself;
    likewise for a sentence in which "it" states the agreement's terms (``trigger``)."""
    if any(e.cameo.startswith(AGREEMENT_CODES) for e in coded):
        return []
    if trigger is None:
        trigger = sent.root if sent.root.is_alpha else next(
            (t for t in sent if t.is_alpha), sent.root)
    return [Event(idx, trigger, e.pattern, e.cameo, e.source, e.target, e.modality,
                  e.attribution, e.date, max(0.1, e.confidence - 0.2), {"terms_of": e.trigger.i})
            for e in heading]


def _participle(token: Token) -> bool:
    """A past participle that modifies a noun: "the accord signed in May", "the plan reached
    last month"."""
    return token.dep_ == "acl" and token.tag_ == "VBN" and token.head.pos_ in ("NOUN", "PROPN")


def _determined(token: Token) -> bool:
    """A noun with a definite article or demonstrative: "the Declaration of Principles"."""
    return any(c.dep_ == "det" and c.lower_ in DEFINITE for c in token.children)


def _dates_making(span: Span, token: Token) -> bool:
    """Whether a date in an agreement noun's sentence dates the agreement's making: "the 2015
    accord", "the accord signed in May", "the deal was reached on Monday", not "Iran
    withdrew from the accord on Tuesday" nor "the agreement would begin at 7 a.m."."""
    noun = _attributive(span)
    if noun is not None:
        return noun.i == token.i
    clause = _date_clause(span)
    return clause.i == token.i or (clause.head.i == token.i and clause.dep_ in (
        "acl", "relcl")) or makes_agreement(clause)


def _foreign_date(span: Span, token: Token) -> bool:
    """Whether a date of an agreement's sentence is the time of something else the agreement
    does or leads to: its start, resumption or expiry ("the agreement would begin on Friday",
    "agreed to ... resume consultations in January")."""
    return not _dates_making(span, token) and other_time(_date_clause(span), token)


def _reference_date(token: Token, date: EventDate | None, ctx: _Context,
                    prefer: tuple[str, ...]) -> EventDate | None:
    """The date of a reference to an agreement ("the agreement", "the deal") whose sentence
    gives it no date of its own: the date of that agreement's making in the document, else
    the publication (method "publication"). An agreement referred to exists: not the date of
    a truce's start after the publication ("will start a truce on Friday. The agreement
    ...")."""
    if ctx.date_span is not None:
        return date
    if date is not None and date.method not in BORROWED_DATES and not (
            ctx.published is not None and date.start > ctx.published.end):
        return date  # the agreement it refers back to (``Antecedent``), unless still to come
    return ctx.made.of(prefer, token.lemma_.lower()) or publication_fallback(ctx.published)


def _object_nouns(token: Token, pattern: Pattern) -> frozenset[str]:
    """The nouns an agreement made is called by: the trigger noun ("the 2015 accord"), or a
    verb's objects and their "of" phrases ("initialled the text of a peace agreement")."""
    if pattern.kind == "nominal":
        return frozenset([token.lemma_.lower()])
    objects = [c for c in token.children if c.dep_ in OBJ + ("nsubjpass",)]
    objects += [g for o in objects for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
                for g in p.children if g.dep_ == "pobj"]
    return frozenset(o.lemma_.lower() for o in objects)


def _presupposed(token: Token) -> bool:
    """A noun that refers to something that exists ("the agreement", "Azerbaijan's
    proposals", "the Good Friday Agreement"): what governs it does not make it unreal."""
    return token.pos_ in ("NOUN", "PROPN") and (_definite(token) or any(
        c.dep_ == "poss" for c in token.children))


def _in_title(token: Token) -> bool:
    """A trigger word inside a name or title ("the European Security Treaty", a book title)."""
    capitalised = token.text[:1].isupper() and token.i > token.sent.start and not (
        token.doc[token.i - 1].text in OPEN_QUOTE_CHARS and token.i - 1 == token.sent.start)
    return capitalised and not any(c.dep_ == "poss" for c in token.children)


def _topic_of(token: Token) -> bool:
    node = token
    while node.dep_ in ("compound", "amod", "conj", "appos") and node.head.i != node.i:
        node = node.head
    return node.dep_ == "pobj" and node.head.lower_ in TOPIC_PREPS


def _in_other_clause(span: Span, trigger: Token,
                     deps: tuple[str, ...] = ("relcl", "acl", "advcl", "ccomp")) -> bool:
    """Whether ``span`` sits in a subordinate clause (of the kinds ``deps``) that does not
    hold the trigger."""
    node = span.root
    while node.head.i != node.i:
        clause_conj = node.dep_ == "conj" and node.pos_ in ("VERB", "AUX") and "conj" in deps
        if (node.dep_ in deps and node.dep_ != "conj" or clause_conj) and not (
                node.left_edge.i <= trigger.i <= node.right_edge.i):
            return True
        node = node.head
    return False


def _in_own_acl(token: Token, trigger: Token) -> bool:
    """Whether ``token`` sits in an infinitive that completes a nominal trigger ("a pledge to
    release the Taliban's prisoners"), with no clause of other kinds between."""
    node = token
    while node.head.i != node.i and node.dep_ not in ("relcl", "ccomp", "advcl", "acl"):
        node = node.head
    return node.dep_ == "acl" and node.head.i == trigger.i and trigger.pos_ in (
        "NOUN", "PROPN") and any(a.dep_ == "aux" and a.tag_ == "TO" for a in node.children)


def _attributive(span: Span) -> Token | None:
    """The noun a date modifies inside its noun phrase ("the 2015 accord", "the Sept. 11
    attacks"), or None. Such a date names the thing; it is not the time of the narrative."""
    root = span.root
    head = root.head
    if root.dep_ in ATTRIBUTIVE_DEPS and head.pos_ in ("NOUN", "PROPN") and head.is_alpha \
            and not span.start <= head.i < span.end:  # ("|" of a table row is no noun)
        return head
    return None


def _names_this(span: Span, trigger: Token) -> bool:
    """Whether a date may date ``trigger``: an attributive date dates only its own noun ("the
    2015 accord") and a clause whose subject that noun is ("the 2015 accord was signed"),
    not other events of the sentence ("Iran rejected the 2015 accord")."""
    noun = _attributive(span)
    if noun is None:
        return True
    return noun.i == trigger.i or (
        noun.head.i == trigger.i and noun.dep_ in ("nsubj", "nsubjpass", "csubj"))


def _is_period_start(span: Span) -> bool:
    """"since 2008", "for 78 days": a period, not the date of the event."""
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    return span[0].lower_ in PERIOD_WORDS or before in PERIOD_WORDS


def _preps(token: Token) -> frozenset[str]:
    """Prepositions on a trigger and on its objects."""
    heads = [token, *(c for c in token.children if c.dep_ in OBJ)]
    return frozenset(c.lower_ for h in heads for c in h.children if c.dep_ == "prep")


def _is_passive(token: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children)


def _between_phrase(token: Token) -> Token | None:
    """The object of "between" on a noun or on its "of"/"on"/"for" phrases: "a ceasefire
    between A and B", "an agreement on the cessation of hostilities between A and B"."""
    head: Token | None = token
    for _ in range(3):
        if head is None:
            return None
        preps = [c for c in head.children if c.dep_ == "prep"]
        for prep in preps:
            if prep.lower_ == "between":
                return next((c for c in prep.children if c.dep_ == "pobj"), None)
        of = next((p for p in preps if p.lower_ in ("of", "on", "for")), None)
        head = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
    return None


def _has_draft(token: Token) -> bool:
    """"a draft agreement", "the proposed deal", "the agreement drafted by France"."""
    return any(c.lower_ in ("draft", "proposed") or (
        c.dep_ == "acl" and c.lemma_.lower() in ("draft", "propose")) for c in token.children)


def _named_of_sector(token: Token, sector: str, ctx: _Context) -> str | None:
    """The actor a bare role noun refers back to: "the rebels" after "the FARC", "the army"
    after "the Sudanese army", "the government" after "the Afghan government". The last
    earlier mention of that sector with a code, else the most frequent one of the document;
    armed groups only as organisations (not "Ukrainian rebels": a country), and no actor
    when two organisations of the sector are named; state sectors only as countries, and
    with no such mention the country the document names most."""
    found = [(i, m) for i, m in ctx.ordered if m.sector == sector and m.code and i != token.i
             and m.method not in ("place", "capital", "seat")]  # "Pretoria" hosts, not rules
    if sector in ARMED_GROUP_SECTORS:
        found = [(i, m) for i, m in found if m.code not in ctx.countries]
        if len({m.code for _, m in found}) > 1:
            return None
    if sector in STATE_SECTORS:  # "the army" is a state's, not the RSF's
        found = [(i, m) for i, m in found if m.code in ctx.countries]
    earlier = [m for i, m in found if i < token.i]
    if earlier:
        return earlier[-1].code
    counts = Counter(m.code for _, m in found)
    if not counts and sector in STATE_SECTORS:  # "the government": the country most named
        counts = Counter(m.code for _, m in ctx.ordered if m.code in ctx.countries
                         and m.method != "place" and m.sector != "MED")
    return counts.most_common(1)[0][0] if counts else None


def _preferred(cameo: str) -> tuple[str, ...]:
    """The codes of the antecedents a trigger of ``cameo`` refers back to first: a truce to
    the last truce, an agreement to the last agreement (else to the last talks or offer)."""
    if cameo.startswith(CEASEFIRE_CODES):
        return CEASEFIRE_CODES + AGREEMENT_CODES
    return AGREEMENT_CODES


def _subjects_above(token: Token) -> set[int]:
    """Token indices of the subjects of the verbs that govern ``token`` ("officials confirmed
    that a deal was reached": the officials report it, they are not its sides)."""
    out: set[int] = set()
    node = token
    while node.head.i != node.i:
        node = node.head
        for subj in (c for c in node.children if c.dep_ in SUBJ):
            out |= {t.i for t in subj.subtree}
    return out


def _venue(token: Token) -> bool:
    """Whether a name is where something happens: "met in Sweden", "talks in Jeddah"."""
    node = token
    while node.dep_ in ("compound", "amod", "conj", "appos") and node.head.i != node.i:
        node = node.head
    prep = node.head
    return node.dep_ == "pobj" and prep.lower_ in ("in", "at") and (
        prep.head.pos_ in ("VERB", "AUX") or prep.head.lemma_.lower() in VENUE_NOUNS)


def _conflict_named(token: Token, ctx: _Context) -> Conflict | None:
    """The war that "the parties to the conflict in Yemen" names by its country: the one
    under way at publication whose parties include it."""
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "to"):
        for topic in (g for g in prep.children if g.dep_ == "pobj"):
            for where in (c for c in topic.children if c.dep_ == "prep" and c.lower_ == "in"):
                for obj in (g for g in where.children if g.dep_ == "pobj"):
                    m = ctx.mention(obj)
                    if m is not None and m.code:
                        return conflict_of(m.code, ctx.published)
    return None


def _anaphor(party: Party) -> Party:
    """A copy of an antecedent's party, marked as reached through "the agreement"."""
    return Party(party.code, party.sector, party.person, party.text, party.start, party.end,
                 "anaphora")


def _definite(token: Token) -> bool:
    """Whether a noun refers back: "the/this agreement", "the Good Friday Agreement"."""
    return any(c.dep_ == "det" and c.lower_ in DEFINITE for c in token.children) or (
        token.text[:1].isupper() and token.i > token.sent.start)


def _nearby_country(token: Token, ctx: _Context) -> str | None:
    """The country named last before ``token`` in its sentence or the one before."""
    sent = token.sent
    start = sent.start
    if start > 0:
        start = ctx.doc[start - 1].sent.start
    for i, m in reversed(ctx.between(start, token.i)):
        if start <= i < token.i and m.code and len(m.code) == 3 and m.code.isalpha() and (
                m.code in ctx.countries):
            return m.code
    return None


def _closer_thing(pronoun: Token, ctx: _Context) -> bool:
    """Whether a subject that names no actor stands between "it" and the sentence start (not
    one whose phrase holds the pronoun: "all hostilities from its forces would cease")."""
    for t in reversed(pronoun.doc[pronoun.sent.start : pronoun.i]):
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") and not (
                t.left_edge.i <= pronoun.i <= t.right_edge.i):
            return party_mention(t, ctx.mention) is None
    return False


def _coordinated(a: Resolution, b: Resolution, ctx: _Context) -> bool:
    """Whether two mentions are conjuncts of one phrase ("the U.S. and NATO")."""
    sa = ctx.doc.char_span(a.start, a.end, alignment_mode="expand")
    sb = ctx.doc.char_span(b.start, b.end, alignment_mode="expand")
    if sa is None or sb is None:
        return False
    ra, rb = sa.root, sb.root
    links = ("compound", "conj", "nmod")
    return rb.i in {c.i for c in ra.conjuncts} or ra.head.i == rb.i and ra.dep_ in links or (
        rb.head.i == ra.i and rb.dep_ in links)


def _side_by_side(a: Resolution, b: Resolution, ctx: _Context) -> bool:
    """Whether two mentions head conjoined phrases ("A and B", "A's leader and B's
    leader", "the leaders of A and B")."""
    def phrase(m: Resolution) -> Token | None:
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return None
        node = span.root
        for _ in range(3):
            if node.dep_ in ("poss", "compound", "nmod", "amod", "appos", "pobj") and (
                    node.head.i != node.i):
                node = node.head if node.dep_ != "pobj" or node.head.lower_ == "of" else node
                if node.dep_ == "prep":
                    node = node.head
            else:
                break
        return node
    ha, hb = phrase(a), phrase(b)
    return ha is not None and hb is not None and ha.i != hb.i and (
        hb.i in {c.i for c in ha.conjuncts}) or _coordinated(a, b, ctx)


def _names_sides(token: Token) -> bool:
    """ "the two sides", "both parties", "the warring parties": the parties to a conflict or a
    negotiation, not political parties ("opposition parties", "the ruling party")."""
    if token.lemma_.lower() not in SIDE_NOUNS or token.tag_ != "NNS":
        return False
    words = {c.lower_ for c in token.children}
    if words & {"two", "both"}:
        return True
    if any(c.dep_ == "prep" and c.lower_ == "to" and any(  # "parties to the conflict"
            g.dep_ == "pobj" and g.lemma_.lower() in SIDE_TOPICS for g in c.children)
            for c in token.children):
        return True
    modifiers = [c for c in token.children if c.dep_ in ("amod", "compound", "nmod", "poss",
                                                            "nummod")]
    if any(c.dep_ == "poss" for c in modifiers):  # "Sudan's rival factions", not "Sudan's parties"
        others = [c for c in modifiers if c.dep_ != "poss"]
        return bool(others) and all(c.lower_ in SIDE_ADJECTIVES for c in others)
    return "the" in words and all(c.lower_ in SIDE_ADJECTIVES for c in modifiers)


def _speaker_tokens(token: Token, ctx: _Context) -> set[int]:
    """Token indices of whoever reports the clause of ``token`` ("X said", "according to X")."""
    out: set[int] = set()
    head = reporting_head(token)
    if head is not None:
        for subj in (c for c in head.children if c.dep_ in SUBJ):
            out |= {t.i for t in subj.subtree}
    acc = according_to(token.sent)
    if acc is not None:
        out |= {t.i for t in acc.subtree}
    return out


def _plural(m: Resolution, ctx: _Context) -> bool:
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and span.root.tag_ in ("NNS", "NNPS")


def _mention_is_subject(m: Resolution, ctx: _Context) -> bool:
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and (span.root.dep_ in SUBJ or span.root.dep_ == "ROOT" and any(
        c.dep_ == "acl" and (c.tag_ in ("VBD", "VBZ", "VBP") or any(
            g.dep_ == "ccomp" for g in c.children)) for c in span.root.children))
    # a root name with a finite verb hung on it ("Hamas - who had ... - confirmed that ...")


def _attribution_party(att: Attribution) -> Party | None:
    if att.kind == "author" or not att.code:
        return None
    return Party(att.code, att.sector, att.person, att.text or "", att.start or 0, att.end or 0,
                 "speaker")


def _modality(token: Token, attribution: Attribution) -> str:
    chain = [token]
    while chain[-1].dep_ in ("xcomp", "conj") and chain[-1].head.i != chain[-1].i and not (
            chain[-1].dep_ == "conj" and any(c.dep_ in SUBJ for c in chain[-1].children)):
        chain.append(chain[-1].head)  # an independent clause ("..., and Blinken promised")
    words = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")}
    negated = any(c.dep_ == "neg" or c.lower_ == "never" for t in chain for c in t.children)
    marks = {c.lower_ for t in chain for c in t.children if c.dep_ == "mark"}
    adverbs = {c.lower_ for c in token.children if c.dep_ == "advmod"}
    heads = {t.lemma_.lower() for t in chain[1:]}
    governor = (token.head.lemma_.lower()
                if token.dep_ in ("xcomp", "advcl", "acl", "relcl") else "")
    if governor in UNREAL_HEADS and not negated:
        return "hypothetical"
    if negated or attribution.denied:
        return "negated"
    if words & HYPOTHETICAL or "if" in marks or adverbs & NEARLY or heads & UNREAL_HEADS:
        return "hypothetical"
    if words & DEMAND_AUX or (heads & DEMAND_HEADS and token.dep_ == "xcomp") or (
            governor in APPEAL_HEADS or governor in DEMAND_NOUNS):
        return "demanded"
    if words & FUTURE_AUX or heads & FUTURE_HEADS or "going" in words:
        return "future"
    if attribution.kind != "author":
        return "reported"
    return "asserted"


def _tree_distance(a: Token, b: Token) -> int:
    def path(t: Token) -> list[int]:
        out = [t.i]
        while t.head.i != t.i:
            t = t.head
            out.append(t.i)
        return out

    pa, pb = path(a), path(b)
    common = set(pa) & set(pb)
    if not common:
        return 100 + abs(a.i - b.i)
    da = next(i for i, x in enumerate(pa) if x in common)
    db = next(i for i, x in enumerate(pb) if x in common)
    return da + db


def _is_heading(sent: Span) -> bool:
    text = sent.text.strip()
    return len(text) < 80 and not text.endswith((".", "!", "?", "”", '"'))
