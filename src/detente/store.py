"""Storage: all SQL lives here.

SQLite by default (one file, WAL mode, Datasette opens it). The schema is migrated by
numbered steps recorded in ``PRAGMA user_version``. Callers use :class:`Store` methods
only, so that another backend (PostgreSQL) can be added behind :func:`open_store`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
        data_versions TEXT,             -- JSON: data file -> version#hash
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
]

EVENT_COLUMNS = (
    "id", "doc_id", "sentence_idx", "trigger_text", "trigger_start", "trigger_end", "cameo",
    "cameo_name", "plover_type", "plover_mode", "plover_context", "goldstein", "quad_class",
    "source_code", "source_sector", "source_person", "source_text", "source_start", "source_end",
    "target_code", "target_sector", "target_person", "target_text", "target_start", "target_end",
    "modality", "attribution_kind", "attribution_text", "attribution_code",
    "attribution_sector", "attribution_person", "date_start", "date_end", "date_precision",
    "date_text", "date_method", "pattern_id", "coder_version", "confidence",
)

DOCUMENT_COLUMNS = (
    "id", "source", "format", "title", "author", "outlet", "url", "published",
    "published_precision", "metadata_origin", "language", "text", "input_hash",
    "n_sentences", "n_mentions", "run_id", "ingested_at",
)
SENTENCE_COLUMNS = ("doc_id", "idx", "paragraph", "start", "end", "text")
MENTION_COLUMNS = (
    "doc_id", "sentence_idx", "start", "end", "text", "code", "sector", "person_id", "person",
    "role", "role_current", "method", "entry", "ner_label",
)


class StoreError(RuntimeError):
    """The database cannot be opened or used."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_store(url: str | Path) -> Store:
    """Open the store at ``url``: a SQLite path (``postgresql://`` is not yet supported)."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError("PostgreSQL is not supported yet; use a SQLite file path for --db")
    return Store(Path(text.removeprefix("sqlite:///")))


class Store:
    """A Detente database in SQLite."""

    def __init__(self, path: Path):
        self.path = path
        try:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), timeout=30)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a Detente database ({exc})") from exc

    # -- schema -----------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the migrations this database has not seen yet."""
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this Detente "
                f"({len(MIGRATIONS)}); upgrade detente"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                self.conn.executescript("BEGIN;" + script + f";PRAGMA user_version={number};")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def close(self) -> None:
        self.conn.close()

    # -- runs -------------------------------------------------------------------------
    def start_run(self, command: str, tool_version: str, model: str | None,
                  model_version: str | None, data_versions: dict[str, str],
                  settings: dict[str, Any]) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO runs (started_at, command, tool_version, model, model_version, "
                "data_versions, settings) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now(), command, tool_version, model, model_version,
                 json.dumps(data_versions, sort_keys=True), json.dumps(settings, sort_keys=True)),
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, inputs: list[dict[str, Any]], counts: dict[str, int]) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, inputs = ?, n_read = ?, n_stored = ?, "
                "n_duplicate = ?, n_failed = ? WHERE id = ?",
                (now(), json.dumps(inputs), counts.get("read", 0), counts.get("stored", 0),
                 counts.get("duplicate", 0), counts.get("failed", 0), run_id),
            )

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM runs ORDER BY id")]

    # -- documents --------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    def add_document(self, document: dict[str, Any], sentences: Iterable[dict[str, Any]],
                     mentions: Iterable[dict[str, Any]],
                     events: Iterable[dict[str, Any]] = ()) -> bool:
        """Store one document and its rows atomically. False if it was already there."""
        with self.transaction():
            cur = self.conn.execute(
                f"INSERT OR IGNORE INTO documents ({', '.join(DOCUMENT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(DOCUMENT_COLUMNS))})",
                [document.get(c) for c in DOCUMENT_COLUMNS],
            )
            if cur.rowcount == 0:
                return False
            self._insert_many("sentences", SENTENCE_COLUMNS, sentences)
            self._insert_many("mentions", MENTION_COLUMNS, mentions)
            self._insert_many("events", EVENT_COLUMNS, events)
        return True

    def _insert_many(self, table: str, columns: tuple[str, ...],
                     rows: Iterable[dict[str, Any]]) -> None:
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.conn.executemany(
            f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})",
            ([row.get(c) for c in columns] for row in rows),
        )

    def documents(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT id, source, title, author, outlet, url, published, published_precision, "
            "language, n_sentences, n_mentions, "
            "(SELECT COUNT(*) FROM events e WHERE e.doc_id = d.id) AS n_events, "
            "(SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id AND m.method != 'unresolved')"
            " AS n_resolved, length(text) AS n_chars "
            "FROM documents d ORDER BY published, source"
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
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.conn.execute(
            f"SELECT * FROM mentions {where} ORDER BY doc_id, start", params)
        return [dict(r) for r in rows]

    def actor_counts(self, limit: int = 15) -> list[dict[str, Any]]:
        """Resolved actors by number of mentions, with the number of documents naming them."""
        rows = self.conn.execute(
            "SELECT code, sector, COUNT(*) AS mentions, COUNT(DISTINCT doc_id) AS documents "
            "FROM mentions WHERE code IS NOT NULL GROUP BY code, sector "
            "ORDER BY mentions DESC, code LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def event_counts(self) -> list[dict[str, Any]]:
        """Events by PLOVER type, with how many are asserted."""
        rows = self.conn.execute(
            "SELECT plover_type, COUNT(*) AS events, SUM(modality = 'asserted') AS asserted, "
            "COUNT(DISTINCT doc_id) AS documents FROM events GROUP BY plover_type "
            "ORDER BY events DESC, plover_type")
        return [dict(r) for r in rows]

    def resolution_share(self, labels: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP")
                         ) -> dict[str, int]:
        """How many named-entity mentions resolved to an actor, of how many."""
        marks = ", ".join("?" * len(labels))
        row = self.conn.execute(
            f"SELECT COUNT(*) AS total, SUM(method != 'unresolved') AS resolved FROM mentions "
            f"WHERE ner_label IN ({marks}) OR (ner_label IS NULL AND method != 'role')",
            labels,
        ).fetchone()
        return {"total": row["total"] or 0, "resolved": row["resolved"] or 0}

    def events(self, *, doc_id: str | None = None, actor: str | None = None,
               plover: str | None = None, cameo_prefix: str | None = None,
               date_from: str | None = None, date_to: str | None = None,
               modality: str | None = None, limit: int | None = None,
               offset: int = 0) -> list[dict[str, Any]]:
        """Events, filtered; dates compare on the event interval overlapping [from, to]."""
        clauses, params = _event_filters(doc_id, actor, plover, cameo_prefix, date_from,
                                         date_to, modality)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = (f"SELECT e.*, d.source AS doc_source, d.url AS doc_url, d.published AS "
               f"doc_published, d.title AS doc_title, s.text AS sentence, s.start AS "
               f"sentence_start, s.end AS sentence_end FROM events e "
               f"JOIN documents d ON d.id = e.doc_id "
               f"JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence_idx "
               f"{where} ORDER BY e.date_start, e.doc_id, e.trigger_start")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [dict(r) for r in self.conn.execute(sql, params)]

    def count_events(self, **filters: Any) -> int:
        clauses, params = _event_filters(**filters)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return int(self.conn.execute(f"SELECT COUNT(*) FROM events e {where}",
                                     params).fetchone()[0])


def _where(*conditions: tuple[str, Any]) -> tuple[list[str], list[Any]]:
    """SQL conditions with one ``?`` each, for the values that are set."""
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in conditions:
        if value:
            clauses.append(clause)
            params += [value] * clause.count("?")
    return clauses, params


def _event_filters(doc_id: str | None = None, actor: str | None = None,
                   plover: str | None = None, cameo_prefix: str | None = None,
                   date_from: str | None = None, date_to: str | None = None,
                   modality: str | None = None) -> tuple[list[str], list[Any]]:
    return _where(
        ("e.doc_id = ?", doc_id),
        ("(e.source_code = ? OR e.target_code = ?)", actor),
        ("e.plover_type = ?", plover.upper() if plover else None),
        ("e.cameo LIKE ?", cameo_prefix + "%" if cameo_prefix else None),
        ("e.date_end >= ?", date_from),
        ("e.date_start <= ?", date_to),
        ("e.modality = ?", modality),
    )
