"""Storage: all SQL lives here.

SQLite by default (one file, WAL mode, Datasette opens it), or PostgreSQL for a shared store
(``postgresql://user@host/dbname``; :mod:`detente.pg` translates the dialect). The schema is
migrated by numbered steps recorded in ``PRAGMA user_version`` (SQLite) or the table
``detente_schema`` (PostgreSQL). Callers use :class:`Store` methods only.

Concurrent writers (two ingests, an ingest while the web app serves) wait for each other:
every write transaction takes SQLite's write lock at its start (``BEGIN IMMEDIATE``), or on
PostgreSQL an advisory lock where a transaction reads before it writes (migrations, episode
building), so no transaction fails half-way with "database is locked" or works on stale rows.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import pg
from .rows import (
    CLAIM,
    DISAGREEMENT,
    DOCUMENT,
    EPISODE,
    EPISODE_TERM,
    EVENT,
    JOB,
    MEMBER,
    MENTION,
    PARTY,
    ROWS,
    SENTENCE,
    SIDE,
    TERM,
    Field,
    Row,
)

MIGRATIONS: list[str] = [
    # 1: documents, sentences, actor mentions, runs
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,             -- sha256 of the clean text
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        title TEXT,
        author TEXT,
        outlet TEXT,
        url TEXT,
        published TEXT,                  -- ISO date at its precision: 2024, 2024-06, 2024-06-20
        published_precision TEXT,        -- day | month | year
        metadata_origin TEXT,  -- JSON: field -> option | meta.jsonl | header | html | text
        language TEXT,
        text TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        n_sentences INTEGER NOT NULL,
        n_mentions INTEGER NOT NULL,
        run_id INTEGER,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE sentences (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence_idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        code TEXT,
        sector TEXT,
        person_id TEXT,
        person TEXT,
        role TEXT,
        role_current INTEGER,
        method TEXT NOT NULL,           -- how it was resolved; 'unresolved' if not
        entry TEXT,                     -- dictionary entries that matched
        ner_label TEXT
    );
    CREATE INDEX mentions_doc ON mentions(doc_id, sentence_idx);
    CREATE INDEX mentions_code ON mentions(code);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        command TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        model TEXT,
        model_version TEXT,
        data_versions TEXT,             -- JSON: data file -> {path, kind, version, sha256}
        settings TEXT,                  -- JSON
        inputs TEXT,                    -- JSON list: source, input_hash, doc_id, status, reason
        n_read INTEGER DEFAULT 0,
        n_stored INTEGER DEFAULT 0,
        n_duplicate INTEGER DEFAULT 0,
        n_failed INTEGER DEFAULT 0
    );
    """,
    # 2: coded events
    """
    CREATE TABLE events (
        id TEXT PRIMARY KEY,             -- doc id prefix + sentence + trigger offset + dyad
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence_idx INTEGER NOT NULL,
        trigger_text TEXT NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        cameo TEXT NOT NULL,
        cameo_name TEXT,
        plover_type TEXT,
        plover_mode TEXT,
        plover_context TEXT,
        goldstein REAL,
        quad_class INTEGER,
        source_code TEXT, source_sector TEXT, source_person TEXT, source_text TEXT,
        source_start INTEGER, source_end INTEGER,
        target_code TEXT, target_sector TEXT, target_person TEXT, target_text TEXT,
        target_start INTEGER, target_end INTEGER,
        modality TEXT NOT NULL,          -- asserted reported negated hypothetical demanded future
        attribution_kind TEXT NOT NULL,  -- author named unnamed outlet
        attribution_text TEXT, attribution_code TEXT, attribution_sector TEXT,
        attribution_person TEXT,
        date_start TEXT, date_end TEXT, date_precision TEXT, date_text TEXT, date_method TEXT,
        pattern_id TEXT NOT NULL,
        coder_version TEXT NOT NULL,
        confidence REAL NOT NULL
    );
    CREATE INDEX events_doc ON events(doc_id, sentence_idx);
    CREATE INDEX events_cameo ON events(cameo);
    CREATE INDEX events_dates ON events(date_start, date_end);
    """,
    # 3: terms, claims (per document); episodes and disagreements (across documents)
    """
    CREATE TABLE terms (
        id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence_idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        provision_id TEXT NOT NULL,
        provision TEXT NOT NULL,
        stance TEXT,                     -- demand offer accept reject
        scope TEXT,
        conditionality TEXT,
        negated INTEGER NOT NULL DEFAULT 0,
        pattern TEXT
    );
    CREATE INDEX terms_doc ON terms(doc_id, sentence_idx);
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence_idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value REAL, value_max REAL, approx TEXT, unit TEXT, counted TEXT, category TEXT,
        rate TEXT, whose TEXT, whose_text TEXT, period_text TEXT,
        date_start TEXT, date_end TEXT, date_precision TEXT,
        attribution_kind TEXT, attribution_text TEXT, attribution_code TEXT,
        method TEXT
    );
    CREATE INDEX claims_doc ON claims(doc_id, sentence_idx);
    CREATE TABLE episodes (
        id TEXT PRIMARY KEY,             -- stable across rebuilds (kept by member overlap)
        kind TEXT NOT NULL,              -- proposal talks agreement ceasefire mediation
        title TEXT NOT NULL,
        proposer TEXT,                   -- JSON list of actor codes
        addressee TEXT,                  -- JSON list
        mediators TEXT,                  -- JSON list
        signatories TEXT,                -- JSON list
        named_object TEXT,
        date_start TEXT, date_end TEXT, date_precision TEXT,
        n_mentions INTEGER NOT NULL,
        n_sources INTEGER NOT NULL,
        n_answers INTEGER NOT NULL,
        answers_summary TEXT,            -- JSON list: {by, kind}
        builder_version TEXT NOT NULL,
        built_at TEXT NOT NULL
    );
    CREATE TABLE episode_members (
        episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        role TEXT NOT NULL,              -- mention answer denial
        answer_kind TEXT,                -- rejected accepted ignored abandoned ...
        reason TEXT NOT NULL,            -- why it joined (explainable grouping)
        PRIMARY KEY (episode_id, event_id)
    );
    CREATE INDEX episode_members_event ON episode_members(event_id);
    CREATE TABLE episode_parties (
        episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        role TEXT NOT NULL,              -- proposer addressee mediator host signatory
        code TEXT NOT NULL,
        doc_id TEXT, sentence_idx INTEGER, start INTEGER, end INTEGER, text TEXT
    );
    CREATE INDEX episode_parties_ep ON episode_parties(episode_id);
    CREATE TABLE episode_terms (
        episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        term_id TEXT NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        PRIMARY KEY (episode_id, term_id)
    );
    CREATE TABLE disagreements (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,              -- quantity parties characterisation denial
        about TEXT NOT NULL,
        note TEXT,
        episode_id TEXT REFERENCES episodes(id) ON DELETE SET NULL
    );
    CREATE TABLE disagreement_sides (
        disagreement_id TEXT NOT NULL REFERENCES disagreements(id) ON DELETE CASCADE,
        side INTEGER NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence_idx INTEGER NOT NULL,
        start INTEGER, end INTEGER,
        text TEXT NOT NULL,              -- the words that carry this side's position
        position TEXT,                   -- short statement of the side
        source_code TEXT,                -- who holds it, if known
        ref TEXT                         -- claim, event or party row it comes from
    );
    CREATE INDEX disagreement_sides_d ON disagreement_sides(disagreement_id);
    """,
    # 4: a run's words parsed and seconds per stage
    """
    ALTER TABLE runs ADD COLUMN n_words INTEGER DEFAULT 0;
    ALTER TABLE runs ADD COLUMN timings TEXT;
    """,
    # 5: ingest jobs of the web app, kept so that they survive a restart
    """
    CREATE TABLE ingest_jobs (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,            -- queued running done failed
        stage TEXT NOT NULL,
        total INTEGER NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        stored TEXT,                     -- JSON list of document ids
        duplicates TEXT,
        failed TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        inputs TEXT                      -- JSON: the documents read, until the job ends
    );
    """,
    # 6: the index of incremental episode building (detente/incremental.py): every group of
    # mentions (an episode or not) with its members and lookup keys, and the documents
    # built into it under which rules
    """
    CREATE TABLE episode_docs (
        group_id TEXT NOT NULL,          -- the episode id the group has (or would have)
        seq INTEGER NOT NULL,            -- the order in which its mentions joined it
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence_idx INTEGER NOT NULL,
        event_id TEXT NOT NULL,          -- the mention's first event
        side TEXT NOT NULL,              -- proposer | answerer
        reason TEXT NOT NULL,
        group_rank TEXT NOT NULL,        -- the group's place in the order groups are made
        PRIMARY KEY (group_id, seq)
    );
    CREATE INDEX episode_docs_doc ON episode_docs(doc_id);
    CREATE TABLE episode_keys (
        lookup TEXT NOT NULL,            -- o:NAME, i:CODE:BUCKET, q:CODE:BUCKET
        group_id TEXT NOT NULL,
        PRIMARY KEY (lookup, group_id)
    );
    CREATE INDEX episode_keys_group ON episode_keys(group_id);
    CREATE TABLE episode_inputs (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        rules TEXT NOT NULL              -- fingerprint of the rules and data it was built with
    );
    """,
    # 7: what the wording detectors read of each sentence alone (detente/wording.py), kept
    # so that an episode update does not derive it again for every related document; and
    # the indexes an update looks disagreements up by (without them each look-up, and each
    # episode deleted, reads every disagreement of the store)
    """
    CREATE INDEX disagreements_episode ON disagreements(episode_id);
    CREATE INDEX disagreement_sides_doc ON disagreement_sides(doc_id);
    CREATE TABLE wording_cues (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        rules TEXT NOT NULL,             -- fingerprint of the cue words and code version
        cues TEXT NOT NULL               -- JSON: sentence index -> its cues (none: empty)
    );
    """,
]
FULLTEXT = "sentences_fts"  # SQLite FTS5 index over sentences.text (see _sqlite_fulltext)

class StoreError(RuntimeError):
    """The database cannot be opened or used."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


BUSY_TIMEOUT = 600  # seconds a SQLite writer waits for another one


def open_store(url: str | Path) -> Store:
    """Open the store at ``url``: a SQLite path, or ``postgresql://user@host/dbname``."""
    text = str(url)
    if pg.is_url(text):
        return Store(text)
    return Store(Path(text.removeprefix("sqlite:///")))


class Store:
    """A Detente database in SQLite (a path) or PostgreSQL (a ``postgresql://`` URL)."""

    def __init__(self, path: Path | str):
        self.path = path
        self._depth = 0
        if isinstance(path, str) and pg.is_url(path):
            self.dialect = "postgresql"
            try:
                self.conn: Any = pg.Connection(path)
                self.migrate()
                self.check_schema()
                self.fulltext = False   # search uses LIKE (an FTS index is SQLite's)
            except pg.PgError as exc:
                raise StoreError(f"{exc}. Check that the server runs and the URL names an "
                                 f"existing database (postgresql://user@host:port/dbname)"
                                 ) from exc
            return
        self.dialect = "sqlite"
        path = Path(path)
        self.path = path
        try:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self._wal()
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.migrate()
            self.check_schema()
            self.fulltext = _sqlite_fulltext(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a Detente database ({exc})") from exc

    def _wal(self) -> None:
        """Switch to WAL (once per file); another process switching at the same moment
        holds the lock briefly, so retry rather than fail."""
        for attempt in range(50):
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                # under WAL a commit stays atomic and the file consistent without a sync per
                # commit; a power cut may lose the last commits, a killed process does not
                self.conn.execute("PRAGMA synchronous=NORMAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)

    # -- schema -----------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        if self.dialect == "postgresql":
            return int(self.conn.schema_version())
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the migrations this database has not seen yet (one process at a time)."""
        if self.schema_version == len(MIGRATIONS):
            return
        with self.transaction(exclusive=True):
            version = self.schema_version   # again, under the lock
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this Detente "
                    f"({len(MIGRATIONS)}); upgrade detente"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                if self.dialect == "postgresql":
                    self.conn.executescript(script)
                    self.conn.set_schema_version(number)
                else:
                    for statement in _statements(script):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version={number}")

    def check_schema(self) -> None:
        """Raise StoreError unless every table matches its definition in ``detente.rows``."""
        problems = [p for row_type in ROWS for p in schema_differences(self.conn, row_type)]
        if problems:
            raise StoreError(f"{self.path}: the tables do not match the row definitions "
                             f"(detente/rows.py): {'; '.join(problems)}. A field added to a "
                             f"definition needs a migration in store.MIGRATIONS "
                             f"(see add_column_sql)")

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[Any]:
        """One write transaction; nested calls join the outer one.

        It takes SQLite's write lock at once (``BEGIN IMMEDIATE``), so it waits for another
        writer instead of failing later with "database is locked". ``exclusive`` also takes
        PostgreSQL's advisory lock: for work that reads, then writes what it read (episodes).
        """
        if self._depth:
            if exclusive and self.dialect == "postgresql":
                self.conn.lock()
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        if self.dialect == "postgresql":
            self.conn.begin()
            if exclusive:
                self.conn.lock()
        else:
            if self.conn.in_transaction:
                self.conn.commit()
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        finally:
            self._depth = 0

    def close(self) -> None:
        self.conn.close()

    @property
    def _row(self) -> str:
        """The hidden column that orders rows as inserted: the last key of every ORDER BY,
        so that both backends list ties alike."""
        return "ctid" if self.dialect == "postgresql" else "rowid"

    # -- runs -------------------------------------------------------------------------
    def start_run(self, command: str, tool_version: str, model: str | None,
                  model_version: str | None, data_versions: dict[str, Any],
                  settings: dict[str, Any]) -> int:
        with self.transaction():
            row = self.conn.execute(
                "INSERT INTO runs (started_at, command, tool_version, model, model_version, "
                "data_versions, settings) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (now(), command, tool_version, model, model_version,
                 json.dumps(data_versions, sort_keys=True), json.dumps(settings, sort_keys=True)),
            ).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, inputs: list[dict[str, Any]], counts: dict[str, int],
                   timings: dict[str, float] | None = None) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, inputs = ?, n_read = ?, n_stored = ?, "
                "n_duplicate = ?, n_failed = ?, n_words = ?, timings = ? WHERE id = ?",
                (now(), json.dumps(inputs), counts.get("read", 0), counts.get("stored", 0),
                 counts.get("duplicate", 0), counts.get("failed", 0), counts.get("words", 0),
                 json.dumps(timings or {}, sort_keys=True), run_id),
            )

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM runs ORDER BY id")]

    # -- documents --------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    def episodes_stale(self) -> bool:
        """True when documents were stored that the episodes were not built from (or when
        the episodes were lost while the incremental index holds groups)."""
        row = self.conn.execute(
            "SELECT (SELECT MAX(ingested_at) FROM documents), (SELECT MIN(built_at) FROM episodes),"
            " (SELECT COUNT(*) FROM episode_inputs)").fetchone()
        ingested, built, inputs = row[0], row[1], row[2]
        if not inputs:   # built before the incremental index (or never)
            return ingested is not None and (built is None or ingested > built)
        return self.conn.execute(
            "SELECT 1 FROM documents WHERE id NOT IN (SELECT doc_id FROM episode_inputs)"
        ).fetchone() is not None or self.episodes_lost()

    def episodes_lost(self) -> bool:
        """No episode rows although the incremental index holds groups of mentions."""
        return self.conn.execute("SELECT 1 FROM episodes LIMIT 1").fetchone() is None and \
            self.conn.execute("SELECT 1 FROM episode_docs LIMIT 1").fetchone() is not None

    def add_document(self, document: dict[str, Any], sentences: Iterable[dict[str, Any]],
                     mentions: Iterable[dict[str, Any]],
                     events: Iterable[dict[str, Any]] = (),
                     terms: Iterable[dict[str, Any]] = (),
                     claims: Iterable[dict[str, Any]] = ()) -> bool:
        """Store one document and its rows atomically. False if it was already there."""
        with self.transaction():
            cur = self.conn.execute(insert_sql(DOCUMENT, or_ignore=True),
                                    [document.get(c) for c in DOCUMENT.inserted])
            if cur.rowcount == 0:
                return False
            self._insert_many(SENTENCE, sentences)
            self._insert_many(MENTION, mentions)
            self._insert_many(EVENT, events)
            self._insert_many(TERM, terms)
            self._insert_many(CLAIM, claims)
        return True

    def add_packed(self, documents: Iterable[tuple[dict[str, Any],
                                                   dict[str, list[tuple[Any, ...]]]]]
                   ) -> list[bool]:
        """Store several documents in one transaction, each whole or not at all (a document
        already there is skipped with its rows). ``documents`` are (document row, table name
        -> rows as tuples in the order of ``Row.inserted``), as in
        :class:`detente.pipeline.PackedRows`. Returns, per document, whether it was stored."""
        stored = []
        with self.transaction():
            insert_doc = insert_sql(DOCUMENT, or_ignore=True)
            for document, tables in documents:
                cur = self.conn.execute(insert_doc, [document.get(c) for c in DOCUMENT.inserted])
                stored.append(cur.rowcount != 0)
                if not stored[-1]:
                    continue
                for row_type in (SENTENCE, MENTION, EVENT, TERM, CLAIM):
                    rows = tables.get(row_type.table)
                    if rows:
                        self.conn.executemany(insert_sql(row_type), rows)
        return stored

    def _insert_many(self, row_type: Row, rows: Iterable[dict[str, Any]]) -> None:
        columns = row_type.inserted
        self.conn.executemany(insert_sql(row_type),
                              ([row.get(c) for c in columns] for row in rows))

    def scan(self, row_type: Row) -> Any:
        """A cursor over every row of a table, its fields in order, in insertion order."""
        columns = ", ".join(f'"{name}"' for name in row_type.names)
        return self.conn.execute(f"SELECT {columns} FROM {row_type.table} ORDER BY {self._row}")

    def documents(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            f"SELECT {', '.join(DOCUMENT.listed)}, "
            "(SELECT COUNT(*) FROM events e WHERE e.doc_id = d.id) AS n_events, "
            "(SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id AND m.method != 'unresolved')"
            " AS n_resolved, length(text) AS n_chars "
            f"FROM documents d ORDER BY published NULLS FIRST, source, d.{self._row}"
        )
        return [dict(r) for r in rows]

    def document(self, doc_ref: str) -> dict[str, Any] | None:
        """A document by id, unique id prefix, source path or unique file-name prefix."""
        row = self.conn.execute(
            "SELECT * FROM documents WHERE id = ? OR source = ? ORDER BY id LIMIT 1",
            (doc_ref, doc_ref),
        ).fetchone()
        if row is not None:
            return dict(row)
        candidates = [
            r for r in self.conn.execute("SELECT id, source FROM documents")
            if (len(doc_ref) >= 4 and r["id"].startswith(doc_ref))
            or Path(r["source"].split("#")[0]).name.startswith(doc_ref)
        ]
        if len(candidates) != 1:
            return None
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?",
                                (candidates[0]["id"],)).fetchone()
        return dict(row)

    def sentences(self, doc_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT * FROM sentences WHERE doc_id = ? ORDER BY idx", (doc_id,))
        return [dict(r) for r in rows]

    def mentions(self, doc_id: str | None = None, code: str | None = None,
                 unresolved: bool | None = None) -> list[dict[str, Any]]:
        clauses, params = _where(("doc_id = ?", doc_id), ("code = ?", code))
        if unresolved is not None:
            clauses.append("method = 'unresolved'" if unresolved else "method != 'unresolved'")
        where = _sql_where(clauses)
        rows = self.conn.execute(
            f"SELECT * FROM mentions {where} ORDER BY doc_id, start, {self._row}", params)
        return [dict(r) for r in rows]

    def actor_counts(self, limit: int = 15) -> list[dict[str, Any]]:
        """Resolved actors by number of mentions, with the number of documents naming them."""
        rows = self.conn.execute(
            "SELECT code, sector, COUNT(*) AS mentions, COUNT(DISTINCT doc_id) AS documents "
            "FROM mentions WHERE code IS NOT NULL GROUP BY code, sector "
            "ORDER BY mentions DESC, code, sector NULLS FIRST LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def event_counts(self) -> list[dict[str, Any]]:
        """Events by PLOVER type, with how many are asserted."""
        rows = self.conn.execute(
            "SELECT plover_type, COUNT(*) AS events, "
            "SUM(CASE WHEN modality = 'asserted' THEN 1 ELSE 0 END) AS asserted, "
            "COUNT(DISTINCT doc_id) AS documents FROM events GROUP BY plover_type "
            "ORDER BY events DESC, plover_type NULLS FIRST")
        return [dict(r) for r in rows]

    def resolution_share(self, labels: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP")
                         ) -> dict[str, int]:
        """How many named-entity mentions resolved to an actor, of how many."""
        marks = ", ".join("?" * len(labels))
        row = self.conn.execute(
            f"SELECT COUNT(*) AS total, "
            f"SUM(CASE WHEN method != 'unresolved' THEN 1 ELSE 0 END) AS resolved FROM mentions "
            f"WHERE ner_label IN ({marks}) OR (ner_label IS NULL AND method != 'role')",
            labels,
        ).fetchone()
        return {"total": row["total"] or 0, "resolved": row["resolved"] or 0}

    def events(self, *, doc_id: str | None = None, actor: str | None = None,
               plover: str | None = None, cameo_prefix: str | None = None,
               date_from: str | None = None, date_to: str | None = None,
               modality: str | None = None, limit: int | None = None,
               offset: int = 0, actors: list[str] | None = None,
               words: str | None = None, event_id: str | None = None,
               newest_first: bool = False) -> list[dict[str, Any]]:
        """Events, filtered; dates compare on the event interval overlapping [from, to];
        ``actors`` matches any of the codes, ``words`` the full text of the sentence."""
        clauses, params = _event_filters(doc_id, actor, plover, cameo_prefix, date_from,
                                         date_to, modality, actors, self._words(words))
        if event_id is not None:
            _add(clauses, params, "e.id = ?", [event_id])
        where = _sql_where(clauses)
        sql = (f"SELECT e.*, d.source AS doc_source, d.url AS doc_url, d.published AS "
               f"doc_published, d.title AS doc_title, d.outlet AS outlet, "
               f"s.text AS sentence, s.start AS "
               f"sentence_start, s.end AS sentence_end FROM events e "
               f"JOIN documents d ON d.id = e.doc_id "
               f"JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence_idx "
               f"{where} ORDER BY e.date_start"
               f"{' DESC NULLS LAST' if newest_first else ' NULLS FIRST'}, e.doc_id, "
               f"e.trigger_start, e.{self._row}")
        sql, params = _paged(sql, params, limit, offset)
        return [dict(r) for r in self.conn.execute(sql, params)]

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its document and sentence (as in :meth:`events`)."""
        found = self.events(event_id=event_id)
        return found[0] if found else None

    def count_events(self, **filters: Any) -> int:
        filters["words"] = self._words(filters.get("words"))
        clauses, params = _event_filters(**filters)
        where = _sql_where(clauses)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM events e {where}",
                                     params).fetchone()[0])

    # -- terms and claims -------------------------------------------------------------
    def terms(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        clauses, params = _where(("doc_id = ?", doc_id))
        where = _sql_where(clauses)
        rows = self.conn.execute(
            f"SELECT * FROM terms {where} ORDER BY doc_id, start, {self._row}", params)
        return [dict(r) for r in rows]

    def claims(self, doc_id: str | None = None, category: str | None = None,
               whose: str | list[str] | None = None, limit: int | None = None,
               offset: int = 0) -> list[dict[str, Any]]:
        """Quantitative claims with their sentence, filtered (``whose``: one code or any of a
        list)."""
        clauses, params = _claim_filters(doc_id, category, whose)
        where = _sql_where(clauses)
        sql = (f"SELECT c.*, s.text AS sentence, d.title AS doc_title, d.outlet AS outlet, "
               f"d.published AS doc_published FROM claims c "
               f"JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence_idx "
               f"JOIN documents d ON d.id = c.doc_id {where} "
               f"ORDER BY d.published NULLS FIRST, c.doc_id, c.start, c.{self._row}")
        sql, params = _paged(sql, params, limit, offset)
        return [dict(r) for r in self.conn.execute(sql, params)]

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        """One claim with its sentence and document (as in :meth:`claims`)."""
        row = self.conn.execute(
            "SELECT c.*, s.text AS sentence, d.title AS doc_title, d.outlet AS outlet, "
            "d.published AS doc_published FROM claims c "
            "JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence_idx "
            "JOIN documents d ON d.id = c.doc_id WHERE c.id = ?", (claim_id,)).fetchone()
        return dict(row) if row else None

    def count_claims(self, doc_id: str | None = None, category: str | None = None,
                     whose: str | list[str] | None = None) -> int:
        clauses, params = _claim_filters(doc_id, category, whose)
        where = _sql_where(clauses)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM claims c {where}",
                                     params).fetchone()[0])

    # -- episodes and disagreements -----------------------------------------------------
    def replace_episodes(self, episodes: list[dict[str, Any]], members: list[dict[str, Any]],
                         parties: list[dict[str, Any]], terms: list[dict[str, Any]],
                         disagreements: list[dict[str, Any]],
                         sides: list[dict[str, Any]]) -> None:
        """Replace all cross-document results at once (they are rebuilt as a whole)."""
        with self.transaction():
            for table in ("disagreement_sides", "disagreements", "episode_terms",
                          "episode_parties", "episode_members", "episodes"):
                self.conn.execute(f"DELETE FROM {table}")
            self.add_episodes(episodes, members, parties, terms)
            self.add_disagreements(disagreements, sides)

    def add_episodes(self, episodes: list[dict[str, Any]], members: list[dict[str, Any]],
                     parties: list[dict[str, Any]], terms: list[dict[str, Any]]) -> None:
        """Add episode rows (an incremental build, inside the caller's transaction)."""
        lists = [f.name for f in EPISODE.fields if f.json is not None]
        rows = []
        for ep in episodes:
            row = dict(ep)
            for key in lists:
                row[key] = json.dumps(row.get(key) or [])
            rows.append(row)
        self._insert_many(EPISODE, rows)
        self._insert_many(MEMBER, members)
        self._insert_many(PARTY, parties)
        self._insert_many(EPISODE_TERM, terms)

    def add_disagreements(self, disagreements: list[dict[str, Any]],
                          sides: list[dict[str, Any]]) -> None:
        self._insert_many(DISAGREEMENT, disagreements)
        self._insert_many(SIDE, sides)

    def episode_memberships(self) -> dict[str, set[str]]:
        """Episode id -> member event ids, to keep ids stable across rebuilds."""
        out: dict[str, set[str]] = {}
        for r in self.conn.execute("SELECT episode_id, event_id FROM episode_members"):
            out.setdefault(r["episode_id"], set()).add(r["event_id"])
        return out

    def episodes(self, kind: str | None = None, party: str | list[str] | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 doc_id: str | None = None, limit: int | None = None,
                 offset: int = 0, episode_id: str | None = None, sort: str = "date",
                 event_id: str | None = None, **more: Any) -> list[dict[str, Any]]:
        """Episodes in date order (or ``sort``: date, sources, mentions, with '-' for
        descending), filtered (``more``: see :func:`_episode_filters`); lists are decoded,
        terms, sources and the number of disagreements added."""
        clauses, params = _episode_filters(kind, party, date_from, date_to, doc_id, **more)
        if episode_id:
            clauses.append("p.id = ?")
            params.append(episode_id)
        if event_id:
            _add(clauses, params, "p.id IN (SELECT episode_id FROM episode_members WHERE "
                                  "event_id = ?)", [event_id])
        where = _sql_where(clauses)
        column = {"date": "p.date_start", "sources": "p.n_sources",
                  "mentions": "p.n_mentions"}.get(sort.lstrip("-"), "p.date_start")
        direction = "DESC NULLS LAST" if sort.startswith("-") else "ASC NULLS FIRST"
        order = f"{column} {direction}, p.date_start NULLS FIRST, p.id"
        sql = (f"SELECT p.*, (SELECT COUNT(*) FROM disagreements x WHERE x.episode_id = p.id)"
               f" AS n_disagreements FROM episodes p {where} ORDER BY {order}")
        sql, params = _paged(sql, params, limit, offset)
        episodes = [self._episode_row(dict(r)) for r in self.conn.execute(sql, params)]
        if not episodes:
            return episodes
        ids = [e["id"] for e in episodes]
        marks = ", ".join("?" * len(ids))
        terms: dict[str, list[str]] = {}
        for r in self.conn.execute(
                f"SELECT et.episode_id, t.provision, MIN(t.provision_id) AS first_id FROM "
                f"episode_terms et JOIN terms t ON t.id = et.term_id WHERE et.episode_id IN "
                f"({marks}) GROUP BY et.episode_id, t.provision ORDER BY first_id, t.provision",
                ids):
            terms.setdefault(r["episode_id"], []).append(r["provision"])
        sources: dict[str, list[str]] = {}
        for r in self.conn.execute(
                f"SELECT DISTINCT m.episode_id, e.doc_id FROM episode_members m "
                f"JOIN events e ON e.id = m.event_id WHERE m.episode_id IN ({marks}) "
                f"ORDER BY e.doc_id", ids):
            sources.setdefault(r["episode_id"], []).append(r["doc_id"])
        for ep in episodes:
            ep["terms"] = terms.get(ep["id"], [])
            ep["sources"] = sources.get(ep["id"], [])
        return episodes

    def count_episodes(self, kind: str | None = None, party: str | list[str] | None = None,
                       date_from: str | None = None, date_to: str | None = None,
                       doc_id: str | None = None, **more: Any) -> int:
        clauses, params = _episode_filters(kind, party, date_from, date_to, doc_id, **more)
        where = _sql_where(clauses)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM episodes p {where}",
                                     params).fetchone()[0])

    def episode(self, episode_id: str) -> dict[str, Any] | None:
        """One episode with its members, terms, parties and disagreements (a dossier)."""
        found = self.episodes(episode_id=episode_id)
        if not found:
            return None
        ep = found[0]
        ep["members"] = [dict(r) for r in self.conn.execute(
            "SELECT e.*, m.role, m.answer_kind, m.reason, d.source AS doc_source, "
            "d.url AS doc_url, d.published AS doc_published, d.title AS doc_title, "
            "d.outlet AS outlet, d.author AS author, s.text AS sentence, "
            "s.start AS sentence_start, s.end AS sentence_end, s.paragraph AS paragraph "
            "FROM episode_members m JOIN events e ON e.id = m.event_id "
            "JOIN documents d ON d.id = e.doc_id "
            "JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence_idx "
            f"WHERE m.episode_id = ? ORDER BY d.published NULLS FIRST, e.doc_id, e.trigger_start, "
            f"e.{self._row}",
            (episode_id,))]
        ep["terms_detail"] = [dict(r) for r in self.conn.execute(
            "SELECT t.*, et.reason, s.text AS sentence FROM episode_terms et "
            "JOIN terms t ON t.id = et.term_id "
            "JOIN sentences s ON s.doc_id = t.doc_id AND s.idx = t.sentence_idx "
            f"WHERE et.episode_id = ? ORDER BY t.provision_id, t.doc_id, t.start, t.{self._row}",
            (episode_id,))]
        ep["parties"] = [dict(r) for r in self.conn.execute(
            "SELECT role, code, doc_id, sentence_idx, start, end, text FROM episode_parties "
            f"WHERE episode_id = ? ORDER BY role, code, doc_id NULLS FIRST, start NULLS FIRST, "
            f"{self._row}", (episode_id,))]
        ep["disagreements"] = self.disagreements(episode_id=episode_id)
        return ep

    def disagreements(self, episode_id: str | None = None,
                      kind: str | None = None) -> list[dict[str, Any]]:
        """Disagreements with their sides (source, sentence, words)."""
        clauses, params = _where(("episode_id = ?", episode_id), ("kind = ?", kind))
        where = _sql_where(clauses)
        out = [dict(r) for r in self.conn.execute(
            f"SELECT * FROM disagreements {where} ORDER BY kind, id", params)]
        for d in out:
            d["sides"] = [dict(r) for r in self.conn.execute(
                "SELECT x.side, x.doc_id, d.title AS doc_title, d.outlet AS outlet, "
                "d.published AS doc_published, x.sentence_idx, x.start, x.end, x.text, "
                "x.position, x.source_code, x.ref, s.text AS sentence "
                "FROM disagreement_sides x JOIN documents d ON d.id = x.doc_id "
                "JOIN sentences s ON s.doc_id = x.doc_id AND s.idx = x.sentence_idx "
                f"WHERE x.disagreement_id = ? ORDER BY x.side, x.doc_id, x.start NULLS FIRST, "
                f"x.{self._row}",
                (d["id"],))]
        return out

    @staticmethod
    def _episode_row(row: dict[str, Any]) -> dict[str, Any]:
        for f in EPISODE.fields:
            if f.json is not None:
                row[f.name] = json.loads(row.get(f.name) or "[]")
        row["answers"] = row.pop("answers_summary", [])
        return row

    # -- read-only queries for the web app ----------------------------------------------
    def documents_page(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Documents (without their text) by date, with sentence, mention and event counts."""
        sql = (f"SELECT {', '.join(DOCUMENT.listed)}, "
               "(SELECT COUNT(*) FROM events e WHERE e.doc_id = d.id) AS n_events, "
               "length(text) AS n_chars FROM documents d "
               "ORDER BY published NULLS FIRST, source, id")
        params: list[Any] = []
        sql, params = _paged(sql, params, limit, offset)
        return [dict(r) for r in self.conn.execute(sql, params)]

    def count_documents(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def _words(self, words: str | None) -> tuple[str, list[Any]] | None:
        """A condition on a sentence ``({doc}, {idx})`` containing every word of ``words``:
        FTS5 when this SQLite has it, else LIKE (slower, same meaning for whole words)."""
        tokens = search_tokens(words)
        if not words:
            return None
        if not tokens:
            return "0 = 1", []
        if self.fulltext:
            query = " ".join('"' + t.replace('"', '""') + '"' for t in tokens)
            return (f"({{doc}}, {{idx}}) IN (SELECT s2.doc_id, s2.idx FROM {FULLTEXT} f "
                    f"JOIN sentences s2 ON s2.rowid = f.rowid WHERE {FULLTEXT} MATCH ?)",
                    [query])
        likes = " AND ".join(["lower(s2.text) LIKE ?"] * len(tokens))
        return (f"({{doc}}, {{idx}}) IN (SELECT s2.doc_id, s2.idx FROM sentences s2 WHERE "
                f"{likes})", [f"%{t.lower()}%" for t in tokens])

    def search_sentences(self, words: str, limit: int = 50, offset: int = 0
                         ) -> tuple[list[dict[str, Any]], int]:
        """Sentences containing every word of ``words``, with their document; and how many."""
        cond = self._words(words)
        if cond is None:
            return [], 0
        where = cond[0].format(doc="s.doc_id", idx="s.idx")
        rows = self.conn.execute(
            f"SELECT s.doc_id, s.idx, s.start, s.end, s.text, d.title AS doc_title, "
            f"d.outlet AS outlet, d.published AS doc_published, d.source AS doc_source "
            f"FROM sentences s JOIN documents d ON d.id = s.doc_id WHERE {where} "
            f"ORDER BY d.published, s.doc_id, s.idx LIMIT ? OFFSET ?",
            [*cond[1], limit, offset])
        total = self.conn.execute(f"SELECT COUNT(*) FROM sentences s WHERE {where}",
                                  cond[1]).fetchone()[0]
        return [dict(r) for r in rows], int(total)

    def search_documents(self, words: str, limit: int = 20) -> list[dict[str, Any]]:
        """Documents whose title or outlet contains every word of ``words``."""
        tokens = search_tokens(words)
        if not tokens:
            return []
        cond = " AND ".join(["lower(coalesce(title, '') || ' ' || coalesce(outlet, '')) "
                             "LIKE ?"] * len(tokens))
        rows = self.conn.execute(
            f"SELECT {', '.join(DOCUMENT.listed)}, (SELECT COUNT(*) FROM events e WHERE "
            f"e.doc_id = d.id) AS n_events, length(text) AS n_chars FROM documents d "
            f"WHERE {cond} ORDER BY published, id LIMIT ?",
            [*(f"%{t.lower()}%" for t in tokens), limit])
        return [dict(r) for r in rows]

    def mention_codes(self, name: str) -> list[tuple[str, int]]:
        """Actor codes that mentions written ``name`` (any case, 'the' left off) resolved
        to, with how many such mentions, most first."""
        key = name.strip().lower().removeprefix("the ").strip()
        rows = self.conn.execute(
            "SELECT code, COUNT(*) AS n FROM mentions WHERE code IS NOT NULL AND "
            "(lower(text) = ? OR lower(text) = ?) GROUP BY code ORDER BY n DESC, code",
            (key, f"the {key}"))
        return [(str(r[0]), int(r[1])) for r in rows]

    def facet_counts(self) -> dict[str, list[tuple[str, int]]]:
        """Counts beside filter values: episodes per party, kind, answer, provision, outlet;
        claims per category."""
        queries = {
            "party": "SELECT code, COUNT(DISTINCT episode_id) FROM episode_parties GROUP BY code",
            "kind": "SELECT kind, COUNT(*) FROM episodes GROUP BY kind",
            "answer": "SELECT answer_kind, COUNT(DISTINCT episode_id) FROM episode_members "
                      "WHERE role = 'answer' AND answer_kind IS NOT NULL GROUP BY answer_kind",
            "provision": "SELECT t.provision, COUNT(DISTINCT et.episode_id) FROM episode_terms "
                         "et JOIN terms t ON t.id = et.term_id GROUP BY t.provision",
            "outlet": "SELECT d.outlet, COUNT(DISTINCT m.episode_id) FROM episode_members m "
                      "JOIN events e ON e.id = m.event_id JOIN documents d ON d.id = e.doc_id "
                      "WHERE d.outlet IS NOT NULL GROUP BY d.outlet",
            "category": "SELECT category, COUNT(*) FROM claims WHERE category IS NOT NULL "
                        "GROUP BY category",
        }
        return {key: sorted(((str(r[0]), int(r[1])) for r in self.conn.execute(sql)),
                            key=lambda x: (-x[1], x[0]))
                for key, sql in queries.items()}

    # -- numbers behind the charts ---------------------------------------------------------
    def counts_by_month(self, table: str) -> list[tuple[str, int]]:
        """Episodes or events (``table``) per month of their start date, in order."""
        if table not in ("episodes", "events"):
            raise ValueError(f"no monthly counts for {table!r}; use episodes or events")
        rows = self.conn.execute(
            f"SELECT substr(date_start, 1, 7) AS month, COUNT(*) FROM {table} "
            f"WHERE date_start IS NOT NULL GROUP BY month ORDER BY month")
        return [(str(r[0]), int(r[1])) for r in rows]

    def answer_counts(self) -> list[tuple[str, int]]:
        """Answers to episodes by kind, most first."""
        rows = self.conn.execute(
            "SELECT answer_kind, COUNT(*) AS n FROM episode_members WHERE role = 'answer' "
            "AND answer_kind IS NOT NULL GROUP BY answer_kind ORDER BY n DESC, answer_kind")
        return [(str(r[0]), int(r[1])) for r in rows]

    def dyad_counts(self) -> list[tuple[str, str, int]]:
        """(proposer, addressee, episodes) for every pair that occurs."""
        rows = self.conn.execute(
            "SELECT a.code, b.code, COUNT(DISTINCT a.episode_id) AS n FROM episode_parties a "
            "JOIN episode_parties b ON b.episode_id = a.episode_id AND b.role = 'addressee' "
            "WHERE a.role = 'proposer' GROUP BY a.code, b.code ORDER BY n DESC, a.code, b.code")
        return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    # -- ingest jobs of the web app -------------------------------------------------------
    def save_job(self, job: dict[str, Any]) -> None:
        """Insert or replace an ingest job (lists as JSON)."""
        row = {k: job.get(k) for k in JOB.inserted}
        for f in JOB.fields:
            if f.json is not None and row[f.name] is not None:
                row[f.name] = json.dumps(row[f.name], ensure_ascii=False)
        columns = ", ".join(f'"{c}"' for c in JOB.inserted)
        with self.transaction():
            self.conn.execute(f"DELETE FROM {JOB.table} WHERE id = ?", (job["id"],))
            self.conn.execute(f"INSERT INTO {JOB.table} ({columns}) VALUES "
                              f"({', '.join('?' * len(JOB.inserted))})",
                              [row[c] for c in JOB.inserted])

    def job(self, job_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(f"SELECT * FROM {JOB.table} WHERE id = ?",
                                (job_id,)).fetchone()
        return _decode(JOB, dict(row)) if row else None

    def unfinished_jobs(self) -> list[dict[str, Any]]:
        """Jobs queued or running when the server stopped, oldest first."""
        rows = self.conn.execute(f"SELECT * FROM {JOB.table} WHERE status IN "
                                 "('queued', 'running') ORDER BY created_at, id")
        return [_decode(JOB, dict(r)) for r in rows]

    def party_codes(self) -> list[str]:
        """Actor codes that are a party to some episode, sorted."""
        rows = self.conn.execute("SELECT DISTINCT code FROM episode_parties ORDER BY code")
        return [str(r[0]) for r in rows]


def _decode(row_type: Row, row: dict[str, Any]) -> dict[str, Any]:
    for f in row_type.fields:
        if f.json is not None and isinstance(row.get(f.name), str):
            row[f.name] = json.loads(row[f.name])
    return row


def search_tokens(words: str | None) -> list[str]:
    """The words of a search, without punctuation (at most 12)."""
    import re

    return re.findall(r"\w+", words or "")[:12]


def _sqlite_fulltext(conn: sqlite3.Connection) -> bool:
    """Keep an FTS5 index of sentence texts (created on first open, filled from the table,
    then kept by triggers). SQLite-only: False where FTS5 is missing (search uses LIKE)."""
    try:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                              (FULLTEXT,)).fetchone()
        if exists:
            return True
        with conn:
            conn.executescript(f"""
                BEGIN;
                CREATE VIRTUAL TABLE {FULLTEXT} USING fts5(text, content='sentences',
                    content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
                CREATE TRIGGER {FULLTEXT}_ai AFTER INSERT ON sentences BEGIN
                    INSERT INTO {FULLTEXT}(rowid, text) VALUES (new.rowid, new.text); END;
                CREATE TRIGGER {FULLTEXT}_ad AFTER DELETE ON sentences BEGIN
                    INSERT INTO {FULLTEXT}({FULLTEXT}, rowid, text)
                    VALUES ('delete', old.rowid, old.text); END;
                INSERT INTO {FULLTEXT}({FULLTEXT}) VALUES ('rebuild');
                COMMIT;""")
        return True
    except sqlite3.OperationalError:
        return False


def _column_sql(f: Field, *, inline_key: bool) -> str:
    parts = [f'"{f.name}"', f.type]
    if inline_key:
        parts.append("PRIMARY KEY")
    if f.required:
        parts.append("NOT NULL")
    if f.default is not None:
        parts.append(f"DEFAULT {f.default}")
    if f.references:
        parts.append(f"REFERENCES {f.references}")
    return " ".join(parts)


def create_table_sql(row_type: Row) -> str:
    """``CREATE TABLE`` for ``row_type`` as defined now (for a migration adding a table)."""
    keys = [f.name for f in row_type.fields if f.key]
    lines = [_column_sql(f, inline_key=keys == [f.name]) for f in row_type.fields]
    if len(keys) > 1:
        lines.append(f"PRIMARY KEY ({', '.join(keys)})")
    body = ",\n    ".join(lines)
    return f"CREATE TABLE {row_type.table} (\n    {body}\n)"


def add_column_sql(row_type: Row, name: str) -> str:
    """``ALTER TABLE ... ADD COLUMN`` for the field ``name`` (for a migration adding it)."""
    f = row_type.field(name)
    if f.key or (f.required and f.default is None):
        raise ValueError(f"{row_type.table}.{name}: SQLite cannot add a key column or a NOT "
                         f"NULL column without a default; give it a default or rebuild the "
                         f"table in the migration")
    return f"ALTER TABLE {row_type.table} ADD COLUMN {_column_sql(f, inline_key=False)}"


def insert_sql(row_type: Row, *, or_ignore: bool = False) -> str:
    """``INSERT`` of one row of ``row_type`` with a ``?`` per inserted field, in order."""
    columns = row_type.inserted
    quoted = ", ".join(f'"{c}"' for c in columns)
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    return (f"{verb} INTO {row_type.table} ({quoted}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def schema_differences(conn: sqlite3.Connection, row_type: Row) -> list[str]:
    """How the table of ``row_type`` in ``conn`` differs from its definition (name, type,
    NOT NULL, primary key); empty if it matches. Column order is not compared, as columns
    added by migrations come last in older databases."""
    table = row_type.table
    info = (conn.table_info(table) if hasattr(conn, "table_info")
            else conn.execute(f"PRAGMA table_info({table})"))
    actual = {r[1]: tuple(r) for r in info}
    if not actual:
        return [f"no table {table}"]
    out = []
    for f in row_type.fields:
        col = actual.pop(f.name, None)
        if col is None:
            out.append(f"{table} lacks {f.name}")
            continue
        _, _, type_, notnull, _, pk = col
        if type_.upper() != f.type:
            out.append(f"{table}.{f.name} is {type_}, defined {f.type}")
        if bool(notnull) != f.required and not pk:  # a key column may be implicitly NOT NULL
            out.append(f"{table}.{f.name} is {'' if notnull else 'not '}NOT NULL")
        if bool(pk) != f.key:
            out.append(f"{table}.{f.name} is {'' if pk else 'not '}in the primary key")
    out += [f"{table}.{name} is not defined" for name in actual]
    return out


def _statements(script: str) -> Iterator[str]:
    """The statements of a SQLite script, one by one (to run them in one transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer


def _sql_where(clauses: list[str]) -> str:
    """A WHERE clause joining ``clauses`` with AND, or nothing."""
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _paged(sql: str, params: list[Any], limit: int | None, offset: int
           ) -> tuple[str, list[Any]]:
    """``sql`` with LIMIT and OFFSET when a limit is given."""
    if limit is None:
        return sql, params
    return f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]


def _where(*conditions: tuple[str, Any]) -> tuple[list[str], list[Any]]:
    """SQL conditions with one ``?`` each, for the values that are set."""
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in conditions:
        if value:
            clauses.append(clause)
            params += [value] * clause.count("?")
    return clauses, params


def _any_of(template: str, values: str | list[str] | None) -> tuple[str, list[Any]]:
    """``template`` (with ``{in}`` for a list of marks) for one value or any of a list."""
    items = [values] if isinstance(values, str) else list(values or [])
    return template.replace("{in}", ", ".join("?" * len(items))), items


def _add(clauses: list[str], params: list[Any], clause: str, values: list[Any]) -> None:
    clauses.append(clause)
    params += values


def _event_filters(doc_id: str | None = None, actor: str | None = None,
                   plover: str | None = None, cameo_prefix: str | None = None,
                   date_from: str | None = None, date_to: str | None = None,
                   modality: str | None = None, actors: list[str] | None = None,
                   words: tuple[str, list[Any]] | None = None
                   ) -> tuple[list[str], list[Any]]:
    clauses, params = _event_conditions(doc_id, actor, plover, cameo_prefix, date_from,
                                        date_to, modality)
    if actors is not None:
        sql, codes = _any_of("e.source_code IN ({in})", actors)
        _add(clauses, params, f"({sql} OR {sql.replace('source', 'target')})", codes + codes)
    if words is not None:
        _add(clauses, params, words[0].format(doc="e.doc_id", idx="e.sentence_idx"), words[1])
    return clauses, params


def _event_conditions(doc_id: str | None, actor: str | None, plover: str | None,
                      cameo_prefix: str | None, date_from: str | None, date_to: str | None,
                      modality: str | None) -> tuple[list[str], list[Any]]:
    return _where(
        ("e.doc_id = ?", doc_id),
        ("(e.source_code = ? OR e.target_code = ?)", actor),
        ("e.plover_type = ?", plover.upper() if plover else None),
        ("e.cameo LIKE ?", cameo_prefix + "%" if cameo_prefix else None),
        ("e.date_end >= ?", date_from),
        ("e.date_start <= ?", date_to),
        ("e.modality = ?", modality),
    )


def _claim_filters(doc_id: str | None = None, category: str | None = None,
                   whose: str | list[str] | None = None) -> tuple[list[str], list[Any]]:
    clauses, params = _where(("c.doc_id = ?", doc_id), ("c.category = ?", category))
    if whose is not None:
        codes = [whose] if isinstance(whose, str) else whose
        likes = " OR ".join(["(',' || c.whose || ',') LIKE ?"] * len(codes)) or "0 = 1"
        _add(clauses, params, f"({likes})", [f"%,{c},%" for c in codes])
    return clauses, params


def _episode_filters(kind: str | None = None, party: str | list[str] | None = None,
                     date_from: str | None = None, date_to: str | None = None,
                     doc_id: str | None = None, role: str | None = None,
                     answer: str | None = None, provision: str | None = None,
                     outlet: str | None = None, disputed: bool | None = None
                     ) -> tuple[list[str], list[Any]]:
    """Conditions on episodes: a party (one code or any of a list, in ``role`` if given),
    an answer kind, a provision (name or id), a source outlet, disputed or not."""
    clauses, params = _where(
        ("p.kind = ?", kind),
        ("p.date_end >= ?", date_from),
        ("p.date_start <= ?", date_to),
        ("p.id IN (SELECT m.episode_id FROM episode_members m JOIN events e "
         "ON e.id = m.event_id WHERE e.doc_id = ?)", doc_id),
        ("p.id IN (SELECT m.episode_id FROM episode_members m WHERE m.role = 'answer' "
         "AND m.answer_kind = ?)", answer),
        ("p.id IN (SELECT et.episode_id FROM episode_terms et JOIN terms t ON t.id = "
         "et.term_id WHERE lower(t.provision) = lower(?) OR t.provision_id = ?)", provision),
        ("p.id IN (SELECT m.episode_id FROM episode_members m JOIN events e ON e.id = "
         "m.event_id JOIN documents d ON d.id = e.doc_id WHERE lower(d.outlet) = lower(?))",
         outlet),
    )
    if party is not None:
        sql, codes = _any_of("code IN ({in})", party)
        in_role = " AND role = ?" if role else ""
        _add(clauses, params, f"p.id IN (SELECT episode_id FROM episode_parties WHERE {sql}"
                              f"{in_role})", codes + ([role] if role else []))
    elif role:
        _add(clauses, params, "p.id IN (SELECT episode_id FROM episode_parties WHERE "
                              "role = ?)", [role])
    if disputed is not None:
        _add(clauses, params, ("" if disputed else "NOT ") + "EXISTS (SELECT 1 FROM "
             "disagreements x WHERE x.episode_id = p.id)", [])
    return clauses, params
