"""Columnar export: one Parquet file per table and a manifest of what produced them.

``detente export --format parquet -o DIR`` writes ``DIR/<table>.parquet`` for the tables in
:data:`TABLES` (types from :mod:`detente.rows`: TEXT as string, INTEGER as int64, REAL as
float64; JSON columns stay JSON text) and ``DIR/manifest.json``: the Detente version, the
store's schema version, and for every run the model and every data file in force with its
version and SHA-256. pandas, Polars, DuckDB and Spark read the files as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__
from .rows import (
    CLAIM,
    DISAGREEMENT,
    DOCUMENT,
    EPISODE,
    EPISODE_TERM,
    EVENT,
    MEMBER,
    PARTY,
    SENTENCE,
    SIDE,
    TERM,
    Row,
)
from .store import Store

TABLES: tuple[Row, ...] = (DOCUMENT, SENTENCE, EVENT, TERM, CLAIM, EPISODE, MEMBER, PARTY,
                           EPISODE_TERM, DISAGREEMENT, SIDE)
ARROW_TYPES = {"TEXT": pa.string(), "INTEGER": pa.int64(), "REAL": pa.float64()}
BATCH_ROWS = 10_000


def arrow_schema(row: Row) -> pa.Schema:
    """The Arrow schema of a row type, with each field's description as metadata."""
    return pa.schema([pa.field(f.name, ARROW_TYPES[f.type], nullable=not f.required,
                               metadata={"description": f.doc}) for f in row.fields],
                     metadata={"description": row.doc})


def write_table(store: Store, row: Row, path: Path) -> int:
    """Stream one table into a Parquet file; returns the number of rows."""
    schema = arrow_schema(row)
    cursor = store.scan(row)
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while batch := cursor.fetchmany(BATCH_ROWS):
            data = {name: [r[i] for r in batch] for i, name in enumerate(row.names)}
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
            n += len(batch)
    return n


def manifest(store: Store, counts: dict[str, int]) -> dict[str, Any]:
    """What produced the export: code, schema, and each run's model and data files."""
    runs = []
    for run in store.runs():
        runs.append({
            "id": run["id"], "command": run["command"], "started_at": run["started_at"],
            "finished_at": run["finished_at"], "tool_version": run["tool_version"],
            "model": run["model"], "model_version": run["model_version"],
            "data_files": json.loads(run["data_versions"] or "{}"),
            "counts": {k: run[f"n_{k}"] for k in ("read", "stored", "duplicate", "failed")},
        })
    return {"detente_version": __version__, "schema_version": store.schema_version,
            "tables": {table: {"file": f"{table}.parquet", "rows": n}
                       for table, n in counts.items()},
            "runs": runs}


def export_parquet(store: Store, directory: str | Path) -> dict[str, int]:
    """Write every table of :data:`TABLES` and ``manifest.json`` into ``directory``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    counts = {row.table: write_table(store, row, out / f"{row.table}.parquet")
              for row in TABLES}
    (out / "manifest.json").write_text(json.dumps(manifest(store, counts), indent=2,
                                                  ensure_ascii=False) + "\n", encoding="utf-8")
    return counts
