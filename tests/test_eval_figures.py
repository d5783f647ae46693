"""`detente eval` figures on the seeds and the development corpus, held against recorded floors.

Each set's articles (*.txt and meta.jsonl; not the corpus's INDEX.md) are ingested into a fresh
database and scored exactly as `detente ingest` and
`detente eval` do (through the CLI, in process). The floors and ceilings live in
tests/eval_floors.yaml: a drop fails, an improvement passes (then raise the floor).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from detente.cli import main

from .conftest import SHARED

FLOORS = yaml.safe_load((Path(__file__).parent / "eval_floors.yaml").read_text(encoding="utf-8"))


def _figures(tmp_path: Path, name: str) -> dict[str, float]:
    corpus = SHARED / "corpus" / name
    gold = SHARED / "gold" / f"{name}_episodes.yaml"
    if not corpus.is_dir() or not gold.is_file():
        pytest.skip(f"../shared/corpus/{name} or its gold file not present")
    articles = tmp_path / name  # the articles and their metadata, as the stop hook copies them
    articles.mkdir()
    for path in [*corpus.glob("*.txt"), *corpus.glob("meta.jsonl")]:
        shutil.copy(path, articles)
    db = str(tmp_path / f"{name}.db")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(articles), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["eval", "--gold", str(gold), "--db", db])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    return {k: float(v) for k, v in (kv.split("=", 1) for kv in last.split())}


def _tolerance(limit: float) -> float:
    """Integers in the floors file are counts, decimals ratios."""
    tol = FLOORS["tolerance"]
    return float(tol["counts"] if isinstance(limit, int) else tol["ratios"])


@pytest.mark.parametrize("name", sorted(FLOORS["sets"]))
def test_eval_figures_hold_their_floors(tmp_path, name):
    figures = _figures(tmp_path, name)
    limits = FLOORS["sets"][name]
    drops = [f"{k}={figures.get(k)} < floor {v}" for k, v in limits["floors"].items()
             if k not in figures or figures[k] < v - _tolerance(v)]
    drops += [f"{k}={figures.get(k)} > ceiling {v}" for k, v in limits["ceilings"].items()
              if k not in figures or figures[k] > v + _tolerance(v)]
    assert not drops, f"{name}: " + "; ".join(drops)
