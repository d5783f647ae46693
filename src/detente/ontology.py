"""CAMEO codes (names, Goldstein scores, quad classes) and the CAMEO -> PLOVER crosswalk."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .datafiles import DataFile, builtin_path, load_all

CODES = "ontology/cameo_codes.tsv"
CROSSWALK = ("ontology/cameo_to_plover.tsv", "ontology/cameo_to_plover_extra.tsv")


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


def ontology_files() -> list[DataFile]:
    """The CAMEO table and the crosswalk files, in the order they are read."""
    return [*load_all(CODES, "cameo_codes"),
            *load_all(CROSSWALK[0], "cameo_to_plover", [builtin_path(CROSSWALK[1])])]


class Ontology:
    """Look-ups over the CAMEO table and the PLOVER crosswalk, with prefix fallback."""

    def __init__(self) -> None:
        codes, *crosswalk = ontology_files()
        self.cameo = {r["code"]: r for r in codes.data}
        self.plover: dict[str, dict[str, str]] = {}
        for f in crosswalk:
            for r in f.data:
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
