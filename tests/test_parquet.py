"""Parquet export: every table readable by pandas, Polars and DuckDB, with a manifest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
from click.testing import CliRunner

from detente.cli import main
from detente.parquet import TABLES

from .conftest import SAMPLES


def test_parquet_export_is_read_by_pandas_polars_and_duckdb(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(SAMPLES), "--db", str(db), "--quiet",
                                  "--workers", "1"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "pq"
    result = runner.invoke(main, ["export", "--format", "parquet", "-o", str(out),
                                  "--db", str(db)])
    assert result.exit_code == 0, result.output

    con = sqlite3.connect(db)
    for row in TABLES:
        stored = con.execute(f"SELECT COUNT(*) FROM {row.table}").fetchone()[0]
        path = out / f"{row.table}.parquet"
        assert len(pd.read_parquet(path)) == stored, row.table
        assert pl.read_parquet(path).columns == list(row.names)
        assert duckdb.sql(f"SELECT COUNT(*) FROM '{path}'").fetchall() == [(stored,)]
    events = pl.read_parquet(out / "events.parquet")
    assert events.height > 0 and events.schema["goldstein"] == pl.Float64
    first = con.execute("SELECT id, cameo FROM events ORDER BY rowid LIMIT 1").fetchone()
    assert events.row(0, named=True)["id"] == first[0]
    assert events.row(0, named=True)["cameo"] == first[1]

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["events"]["rows"] == events.height
    files = manifest["runs"][0]["data_files"]
    assert "patterns.yaml" in files and len(files["patterns.yaml"]["sha256"]) == 64


def test_parquet_needs_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "parquet",
                                       "--db", str(tmp_path / "e.db")])
    assert result.exit_code != 0 and "folder" in result.output
