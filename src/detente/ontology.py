"""CAMEO codes (names, Goldstein scores, quad classes) and the CAMEO -> PLOVER crosswalk."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "ontology"


@dataclass(frozen=True)
class Code:
    """One CAMEO code with its PLOVER equivalent."""

    cameo: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    mode: str | None
    context: str | None


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


class Ontology:
    """Look-ups over the CAMEO table and the PLOVER crosswalk, with prefix fallback."""

    def __init__(self) -> None:
        self.cameo = {r["code"]: r for r in _rows(DATA / "cameo_codes.tsv")}
        self.plover: dict[str, dict[str, str]] = {}
        for name in ("cameo_to_plover.tsv", "cameo_to_plover_extra.tsv"):
            for r in _rows(DATA / name):
                self.plover.setdefault(r["cameo"], r)

    def _lookup(self, table: dict[str, dict[str, str]], code: str) -> dict[str, str] | None:
        for n in range(len(code), 1, -1):
            row = table.get(code[:n])
            if row:
                return row
        return None

    def code(self, cameo: str) -> Code:
        """The CAMEO code's name, Goldstein score, quad class and PLOVER type/mode/context."""
        if cameo not in self.cameo:
            raise KeyError(f"unknown CAMEO code {cameo!r}")
        row = self.cameo[cameo]
        pl = self._lookup(self.plover, cameo) or {}
        return Code(
            cameo=cameo,
            name=row["name"],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover=pl.get("plover") or None,
            mode=pl.get("mode") or None,
            context=pl.get("context") or None,
        )

    def known(self, cameo: str) -> bool:
        return cameo in self.cameo


@lru_cache(maxsize=1)
def ontology() -> Ontology:
    return Ontology()
