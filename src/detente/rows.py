"""One definition per row type: the single place where a stored field is named.

Each :class:`Row` lists its fields (name, SQL type, nullability, key, reference, description).
Everything else that lists fields is derived from here: the INSERT statements and the schema
check in :mod:`detente.store`, the REST API models in :mod:`detente.web.models`, the CSV
export and the full-record CLI columns. This module depends on nothing else in Detente, so
extraction modules can name their fields without depending on storage.

To add a field to events: add a :class:`Field` to ``EVENT`` below, set it in
``coder.Event.as_row``, and append a migration to ``store.MIGRATIONS`` made with
``store.add_column_sql(EVENT, "name")``. The store refuses to open a database whose tables do
not match these definitions, so a forgotten migration shows up at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT, INTEGER, REAL = "TEXT", "INTEGER", "REAL"
PY_TYPES: dict[str, type] = {TEXT: str, INTEGER: int, REAL: float}


@dataclass(frozen=True)
class Field:
    """One stored field of a row type."""

    name: str
    type: str  # TEXT | INTEGER | REAL (the SQLite declared type)
    doc: str
    required: bool = False  # NOT NULL
    key: bool = False  # part of the primary key
    auto: bool = False  # assigned by the database (INTEGER PRIMARY KEY): never inserted
    references: str | None = None  # "documents(id) ON DELETE CASCADE"
    default: str | None = None  # SQL literal of the column default
    json: Any = None  # stored as JSON text; the Python type once decoded (e.g. list[str])
    detail: bool = False  # large or technical: only in single-item views, not in listings

    @property
    def py_type(self) -> Any:
        """The Python type of a value once read (and decoded), without None."""
        return self.json if self.json is not None else PY_TYPES[self.type]


@dataclass(frozen=True)
class Row:
    """A row type: a table and its fields, in column order."""

    table: str
    doc: str
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.table}: a field name appears twice in {names}")
        for f in self.fields:
            if f.type not in PY_TYPES:
                raise ValueError(f"{self.table}.{f.name}: type {f.type!r} is not one of "
                                 f"{', '.join(PY_TYPES)}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def inserted(self) -> tuple[str, ...]:
        """The fields an INSERT sets (all but those the database assigns)."""
        return tuple(f.name for f in self.fields if not f.auto)

    @property
    def listed(self) -> tuple[str, ...]:
        """The fields shown in listings (all but the ``detail`` ones)."""
        return tuple(f.name for f in self.fields if not f.detail)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.table} has no field {name!r}; it has {', '.join(self.names)}")

    def without(self, *names: str) -> tuple[Field, ...]:
        """The fields except ``names`` (each must exist)."""
        for name in names:
            self.field(name)
        return tuple(f for f in self.fields if f.name not in names)


def _party(prefix: str, who: str) -> tuple[Field, ...]:
    """The fields of an event party (``source_code``, ``source_sector``, ...)."""
    return (
        Field(f"{prefix}_code", TEXT, f"Actor code of the {who} (CAMEO-style, e.g. RUS)."),
        Field(f"{prefix}_sector", TEXT, f"Sector code of the {who} (GOV, MIL, ...)."),
        Field(f"{prefix}_person", TEXT, f"Name of the person who is the {who}, if one."),
        Field(f"{prefix}_text", TEXT, f"The words naming the {who}."),
        Field(f"{prefix}_start", INTEGER, f"Character offset where the {who}'s words start."),
        Field(f"{prefix}_end", INTEGER, f"Character offset where the {who}'s words end."),
    )


def _span(what: str) -> tuple[Field, ...]:
    return (
        Field("start", INTEGER, f"Character offset of the {what} in the document text.",
              required=True),
        Field("end", INTEGER, f"Character offset just after the {what}.", required=True),
    )


def _in_sentence(what: str) -> tuple[Field, ...]:
    """Document, sentence and span of something found in one sentence."""
    return (
        Field("doc_id", TEXT, "The document it was found in.", required=True,
              references="documents(id) ON DELETE CASCADE"),
        Field("sentence_idx", INTEGER, "Index of its sentence in the document.",
              required=True),
        *_span(what),
        Field("text", TEXT, f"The words of the {what}.", required=True),
    )


def _dates(what: str) -> tuple[Field, ...]:
    return (
        Field("date_start", TEXT, f"First day the {what} may fall on (ISO date)."),
        Field("date_end", TEXT, f"Last day the {what} may fall on (ISO date)."),
        Field("date_precision", TEXT, "day, month, year, ..."),
    )


DOCUMENT = Row("documents", "One article: its metadata and clean text.", (
    Field("id", TEXT, "sha256 of the clean text.", key=True),
    Field("source", TEXT, "Where it was read from: a path, path#line or URL.", required=True),
    Field("format", TEXT, "txt, html, jsonl, ...", required=True, detail=True),
    Field("title", TEXT, "Headline."),
    Field("author", TEXT, "Byline."),
    Field("outlet", TEXT, "Publication."),
    Field("url", TEXT, "Address of the article."),
    Field("published", TEXT, "ISO date at its precision: 2024, 2024-06, 2024-06-20."),
    Field("published_precision", TEXT, "day, month or year."),
    Field("metadata_origin", TEXT, "Where each metadata field came from: option, meta.jsonl, "
          "header, html or text.", json=dict[str, Any], detail=True),
    Field("language", TEXT, "Language code (en)."),
    Field("text", TEXT, "The clean text that offsets refer to.", required=True, detail=True),
    Field("input_hash", TEXT, "sha256 of the raw input.", required=True, detail=True),
    Field("n_sentences", INTEGER, "Number of sentences.", required=True),
    Field("n_mentions", INTEGER, "Number of actor mentions.", required=True),
    Field("run_id", INTEGER, "The run that stored it.", detail=True),
    Field("ingested_at", TEXT, "When it was stored (UTC, ISO).", required=True, detail=True),
))

SENTENCE = Row("sentences", "One sentence of a document.", (
    Field("doc_id", TEXT, "The document.", required=True, key=True,
          references="documents(id) ON DELETE CASCADE"),
    Field("idx", INTEGER, "Index of the sentence in the document.", required=True, key=True),
    Field("paragraph", INTEGER, "Index of its paragraph.", required=True),
    *_span("sentence"),
    Field("text", TEXT, "The sentence.", required=True),
))

MENTION = Row("mentions", "A phrase naming an actor, and what it resolved to.", (
    Field("id", INTEGER, "Row number.", key=True, auto=True),
    *_in_sentence("mention"),
    Field("code", TEXT, "Actor code it resolved to."),
    Field("sector", TEXT, "Sector code."),
    Field("person_id", TEXT, "Dictionary id of the person."),
    Field("person", TEXT, "Name of the person."),
    Field("role", TEXT, "The person's role at the date."),
    Field("role_current", INTEGER, "1 if the role was held at the document's date."),
    Field("method", TEXT, "How it was resolved; 'unresolved' if not.", required=True),
    Field("entry", TEXT, "Dictionary entries that matched."),
    Field("ner_label", TEXT, "spaCy entity label."),
))

EVENT = Row("events", "One coded event with its provenance.", (
    Field("id", TEXT, "Document id prefix + sentence + trigger offset + dyad.", key=True),
    Field("doc_id", TEXT, "The document.", required=True,
          references="documents(id) ON DELETE CASCADE"),
    Field("sentence_idx", INTEGER, "Index of its sentence in the document.", required=True),
    Field("trigger_text", TEXT, "The word that triggered the pattern.", required=True),
    Field("trigger_start", INTEGER, "Character offset of the trigger.", required=True),
    Field("trigger_end", INTEGER, "Character offset just after the trigger.", required=True),
    Field("cameo", TEXT, "CAMEO event code.", required=True),
    Field("cameo_name", TEXT, "Name of the CAMEO code."),
    Field("plover_type", TEXT, "PLOVER event type (AGREE, REJECT, ...)."),
    Field("plover_mode", TEXT, "PLOVER mode."),
    Field("plover_context", TEXT, "PLOVER context."),
    Field("goldstein", REAL, "Goldstein score of the CAMEO code."),
    Field("quad_class", INTEGER, "Quad class 1-4 of the CAMEO code."),
    *_party("source", "source actor"),
    *_party("target", "target actor"),
    Field("modality", TEXT, "asserted, reported, negated, hypothetical, demanded or future.",
          required=True),
    Field("attribution_kind", TEXT, "Who says so: author, named, unnamed or outlet.",
          required=True),
    Field("attribution_text", TEXT, "The words naming the speaker."),
    Field("attribution_code", TEXT, "Actor code of the speaker."),
    Field("attribution_sector", TEXT, "Sector code of the speaker."),
    Field("attribution_person", TEXT, "Name of the speaking person."),
    *_dates("event"),
    Field("date_text", TEXT, "The words that dated it."),
    Field("date_method", TEXT, "How it was dated."),
    Field("pattern_id", TEXT, "The pattern that coded it.", required=True),
    Field("coder_version", TEXT, "Version of the coder.", required=True),
    Field("confidence", REAL, "Confidence of the coding, 0-1.", required=True),
))

TERM = Row("terms", "A provision (term) of a deal found in a sentence.", (
    Field("id", TEXT, "Stable id.", key=True),
    *_in_sentence("term"),
    Field("provision_id", TEXT, "Id of the provision in the provisions file.", required=True),
    Field("provision", TEXT, "Name of the provision.", required=True),
    Field("stance", TEXT, "demand, offer, accept or reject."),
    Field("scope", TEXT, "What it applies to."),
    Field("conditionality", TEXT, "The condition it is tied to."),
    Field("negated", INTEGER, "1 if the provision is negated.", required=True, default="0"),
    Field("pattern", TEXT, "The pattern that found it."),
))

CLAIM = Row("claims", "A quantitative claim: a number, what it counts, who says so.", (
    Field("id", TEXT, "Stable id.", key=True),
    *_in_sentence("claim"),
    Field("value", REAL, "The number."),
    Field("value_max", REAL, "Upper bound of a range."),
    Field("approx", TEXT, "about, at least, up to, ..."),
    Field("unit", TEXT, "Unit of the number."),
    Field("counted", TEXT, "What is counted."),
    Field("category", TEXT, "casualties, military, money, area, population, humanitarian, "
          "other."),
    Field("rate", TEXT, "Per what, for a rate."),
    Field("whose", TEXT, "Comma-separated actor codes the quantity belongs to."),
    Field("whose_text", TEXT, "The words naming whose it is."),
    Field("period_text", TEXT, "The words giving its period."),
    *_dates("period"),
    Field("attribution_kind", TEXT, "Who says so: author, named, unnamed or outlet."),
    Field("attribution_text", TEXT, "The words naming the speaker."),
    Field("attribution_code", TEXT, "Actor code of the speaker."),
    Field("method", TEXT, "How the number was read."),
))

EPISODE = Row("episodes", "A negotiation episode merged across documents.", (
    Field("id", TEXT, "Stable across rebuilds (kept by member overlap).", key=True),
    Field("kind", TEXT, "proposal, talks, agreement, ceasefire or mediation.", required=True),
    Field("title", TEXT, "A short title.", required=True),
    Field("proposer", TEXT, "Actor codes of the proposers.", json=list[str]),
    Field("addressee", TEXT, "Actor codes of the addressees.", json=list[str]),
    Field("mediators", TEXT, "Actor codes of the mediators.", json=list[str]),
    Field("signatories", TEXT, "Actor codes of the signatories.", json=list[str]),
    Field("named_object", TEXT, "The name of the plan or agreement, if it has one."),
    *_dates("episode"),
    Field("n_mentions", INTEGER, "Number of member events.", required=True),
    Field("n_sources", INTEGER, "Number of documents reporting it.", required=True),
    Field("n_answers", INTEGER, "Number of answers.", required=True),
    Field("answers_summary", TEXT, "The answers: who and what kind.",
          json=list[dict[str, Any]]),
    Field("builder_version", TEXT, "Version of the episode builder.", required=True),
    Field("built_at", TEXT, "When it was built (UTC, ISO).", required=True),
))

MEMBER = Row("episode_members", "An event of an episode: a mention, an answer or a denial.", (
    Field("episode_id", TEXT, "The episode.", required=True, key=True,
          references="episodes(id) ON DELETE CASCADE"),
    Field("event_id", TEXT, "The event.", required=True, key=True,
          references="events(id) ON DELETE CASCADE"),
    Field("role", TEXT, "mention, answer or denial.", required=True),
    Field("answer_kind", TEXT, "rejected, accepted, ignored, abandoned, ..."),
    Field("reason", TEXT, "Why it joined the episode.", required=True),
))

PARTY = Row("episode_parties", "A party to an episode and where it is named.", (
    Field("episode_id", TEXT, "The episode.", required=True,
          references="episodes(id) ON DELETE CASCADE"),
    Field("role", TEXT, "proposer, addressee, mediator, host or signatory.", required=True),
    Field("code", TEXT, "Actor code.", required=True),
    Field("doc_id", TEXT, "Document naming it."),
    Field("sentence_idx", INTEGER, "Sentence naming it."),
    Field("start", INTEGER, "Character offset of the words naming it."),
    Field("end", INTEGER, "Character offset just after them."),
    Field("text", TEXT, "The words naming it."),
))

EPISODE_TERM = Row("episode_terms", "A term found near an episode's mentions.", (
    Field("episode_id", TEXT, "The episode.", required=True, key=True,
          references="episodes(id) ON DELETE CASCADE"),
    Field("term_id", TEXT, "The term.", required=True, key=True,
          references="terms(id) ON DELETE CASCADE"),
    Field("reason", TEXT, "Why it belongs to the episode.", required=True),
))

# Kinds of disagreement: disagreements.py (the first four) and wording.py (the rest).
DISAGREEMENT_KINDS = ("quantity", "parties", "characterisation", "denial", "date", "outcome",
                      "scope", "signatories", "statement", "figure", "affiliation")

DISAGREEMENT = Row("disagreements", "Where sources disagree.", (
    Field("id", TEXT, "Stable id.", key=True),
    Field("kind", TEXT, f"One of {', '.join(DISAGREEMENT_KINDS)}.", required=True),
    Field("about", TEXT, "What they disagree about.", required=True),
    Field("note", TEXT, "How they differ."),
    Field("episode_id", TEXT, "The episode it concerns.",
          references="episodes(id) ON DELETE SET NULL"),
))

SIDE = Row("disagreement_sides", "One side of a disagreement, in one sentence.", (
    Field("disagreement_id", TEXT, "The disagreement.", required=True,
          references="disagreements(id) ON DELETE CASCADE"),
    Field("side", INTEGER, "Number of the side.", required=True),
    Field("doc_id", TEXT, "The document.", required=True,
          references="documents(id) ON DELETE CASCADE"),
    Field("sentence_idx", INTEGER, "Index of the sentence.", required=True),
    Field("start", INTEGER, "Character offset of the words."),
    Field("end", INTEGER, "Character offset just after the words."),
    Field("text", TEXT, "The words that carry this side's position.", required=True),
    Field("position", TEXT, "Short statement of the side."),
    Field("source_code", TEXT, "Who holds it, if known."),
    Field("ref", TEXT, "The claim, event or party row it comes from."),
))

RUN = Row("runs", "One run of a command that wrote to the database.", (
    Field("id", INTEGER, "Run number.", key=True, auto=True),
    Field("started_at", TEXT, "Start (UTC, ISO).", required=True),
    Field("finished_at", TEXT, "End (UTC, ISO)."),
    Field("command", TEXT, "The command.", required=True),
    Field("tool_version", TEXT, "Detente version.", required=True),
    Field("model", TEXT, "spaCy pipeline."),
    Field("model_version", TEXT, "Its version."),
    Field("data_versions", TEXT, "Data file -> version#hash.", json=dict[str, str]),
    Field("settings", TEXT, "The settings.", json=dict[str, Any]),
    Field("inputs", TEXT, "Each input: source, input_hash, doc_id, status, reason.",
          json=list[dict[str, Any]]),
    Field("n_read", INTEGER, "Inputs read.", default="0"),
    Field("n_stored", INTEGER, "Documents stored.", default="0"),
    Field("n_duplicate", INTEGER, "Inputs already stored.", default="0"),
    Field("n_failed", INTEGER, "Inputs that failed.", default="0"),
    Field("n_words", INTEGER, "Words in the documents parsed.", default="0"),
    Field("timings", TEXT, "Seconds per stage (prepare, spaCy, each Detente stage, write, "
          "episodes) and in all.", json=dict[str, float]),
))

JOB = Row("ingest_jobs", "One ingest started from the web app or POST /api/ingest.", (
    Field("id", TEXT, "Job id.", key=True),
    Field("status", TEXT, "queued, running, done or failed.", required=True),
    Field("stage", TEXT, "What it is doing, in words.", required=True),
    Field("total", INTEGER, "Documents to process.", required=True),
    Field("done", INTEGER, "Documents processed.", required=True, default="0"),
    Field("stored", TEXT, "Ids of the documents stored.", json=list[str]),
    Field("duplicates", TEXT, "Ids of the documents already present.", json=list[str]),
    Field("failed", TEXT, "Inputs that failed, with the reason.", json=list[str]),
    Field("error", TEXT, "Why the job failed, if it did."),
    Field("created_at", TEXT, "When it was accepted (UTC, ISO).", required=True),
    Field("finished_at", TEXT, "When it ended (UTC, ISO)."),
    Field("inputs", TEXT, "The documents read from the request, kept until the job ends so "
          "that a restarted server runs it again.", json=list[dict[str, Any]], detail=True),
))

# the index of incremental episode building (detente/incremental.py)
GROUP_MEMBER = Row("episode_docs", "A mention of a group of mentions (an episode or not), in "
                   "the order it joined the group.", (
    Field("group_id", TEXT, "The episode id the group has (or would have).", key=True,
          required=True),
    Field("seq", INTEGER, "The order in which its mentions joined it.", key=True,
          required=True),
    Field("doc_id", TEXT, "Document of the mention.", required=True,
          references="documents(id) ON DELETE CASCADE"),
    Field("sentence_idx", INTEGER, "Sentence of the mention.", required=True),
    Field("event_id", TEXT, "The mention's first event.", required=True),
    Field("side", TEXT, "proposer or answerer.", required=True),
    Field("reason", TEXT, "Why the mention joined the group.", required=True),
    Field("group_rank", TEXT, "The group's place in the order groups are made.",
          required=True),
))
GROUP_KEY = Row("episode_keys", "A lookup key by which new mentions find a group.", (
    Field("lookup", TEXT, "o:NAME, i:CODE:BUCKET or q:CODE:BUCKET.", key=True,
          required=True),
    Field("group_id", TEXT, "The group.", key=True, required=True),
))
GROUP_INPUT = Row("episode_inputs", "A document built into the episodes, and under which "
                  "rules.", (
    Field("doc_id", TEXT, "Document.", key=True, references="documents(id) ON DELETE CASCADE"),
    Field("rules", TEXT, "Fingerprint of the rules and data files it was built with.",
          required=True),
))

WORDING_CUES = Row("wording_cues", "What the wording detectors read of each sentence of a "
                   "document alone (step dates, scope words, vote shares, affiliations).", (
    Field("doc_id", TEXT, "Document.", key=True, references="documents(id) ON DELETE CASCADE"),
    Field("rules", TEXT, "Fingerprint of the cue words and code version they were read with.",
          required=True),
    Field("cues", TEXT, "Sentence index -> its cues (sentences without any left out).",
          required=True, json=dict[str, Any]),
))

ROWS: tuple[Row, ...] = (DOCUMENT, SENTENCE, MENTION, EVENT, TERM, CLAIM, EPISODE, MEMBER,
                         PARTY, EPISODE_TERM, DISAGREEMENT, SIDE, RUN, JOB, GROUP_MEMBER,
                         GROUP_KEY, GROUP_INPUT, WORDING_CUES)

