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
        metadata_origin TEXT,            -- JSON: field -> option | meta.jsonl | header | html | text
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
]

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
                     mentions: Iterable[dict[str, Any]]) -> bool:
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
        clauses, params = [], []
        if doc_id:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if code:
            clauses.append("code = ?")
            params.append(code)
        if unresolved is True:
            clauses.append("method = 'unresolved'")
        elif unresolved is False:
            clauses.append("method != 'unresolved'")
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
