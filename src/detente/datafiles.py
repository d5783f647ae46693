"""Data files: read with line numbers, checked against a schema, versioned and hashed.

Every reference data file (YAML or TSV, built-in or the user's) is read by :func:`load`,
which checks it against the schema of its kind (:data:`SCHEMAS`) and returns a
:class:`DataFile`: the plain data, the file's ``version`` and the sha256 of its bytes.
A misspelt key, a wrong type or a missing required key fails with a :class:`DataFileError`
naming the file, the line and the key::

    patterns.yaml:123: unknown key 'lemmass' in verbs[4] (expected one of: cameo, id, ...)

User files extend the built-in file of their kind by one rule (:func:`merge`): mappings are
merged key by key, lists are appended, scalars replace, and in a list of records with an
``id`` a record whose id is already there is merged into that record instead of appended.

Adding a file kind is a schema in :data:`SCHEMAS` (built from :class:`Record`,
:class:`ListOf`, :class:`MapOf`, :class:`Table` and the scalar types) and a call to
:func:`load`.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


class DataFileError(ValueError):
    """A data file that does not match its schema: ``file:line: message``."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


# -- schemas ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scalar:
    """A scalar of one of ``types`` (YAML tags ``str``, ``int``, ``float``, ``bool``)."""

    types: tuple[str, ...]
    name: str


STR = Scalar(("str",), "a string")
INT = Scalar(("int",), "an integer")
NUM = Scalar(("int", "float"), "a number")
BOOL = Scalar(("bool",), "true or false")
SCALAR = Scalar(("str", "int", "float", "bool"), "a string or number")
DATE = Scalar(("str", "timestamp"), "a date (YYYY-MM-DD)")
ANY = Scalar((), "anything")  # not checked


@dataclass(frozen=True)
class ListOf:
    item: Spec


@dataclass(frozen=True)
class MapOf:
    """A mapping with free keys (e.g. noun class names) whose values are all ``value``."""

    value: Spec


@dataclass(frozen=True)
class Record:
    """A mapping with fixed keys; ``required`` keys must be present."""

    fields: dict[str, Spec]
    required: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Nullable:
    spec: Spec


@dataclass(frozen=True)
class OneOf:
    options: tuple[Spec, ...]
    name: str


@dataclass(frozen=True)
class Table:
    """A tab-separated file with a header row; ``#`` lines are comments."""

    columns: dict[str, Scalar]
    required: frozenset[str] = frozenset()


Spec = Scalar | ListOf | MapOf | Record | Nullable | OneOf | Table


def record(required: Iterable[str] = (), **fields: Spec) -> Record:
    return Record(dict(fields), frozenset(required))


# -- schemas of the built-in kinds ------------------------------------------------------------
WORDS = ListOf(STR)
_REFINE = record(["if", "cameo"], **{"if": STR, "cameo": STR, "prep": STR})
_PATTERN = record(
    ["id", "lemmas", "cameo"],
    id=STR, lemmas=WORDS, cameo=STR, refine=ListOf(_REFINE), requires=WORDS,
    requires_for=MapOf(WORDS), target=STR, target_preps=WORDS, target_iobj=BOOL,
    symmetric=BOOL, needs_actor=BOOL, place_is_source=BOOL, requires_object_actor=BOOL,
    requires_place=BOOL, subject_sectors=WORDS, draft_cameo=STR, skip_passive=BOOL,
    skip_naming=BOOL, source_preps=WORDS, negated_cameo=STR, episode_subject=BOOL,
    anaphoric=BOOL, object_only=BOOL, named_only=BOOL, judges=BOOL, judged_subject=BOOL,
    unreal_only=BOOL, requires_or_actor=BOOL,
)
_ROLE = record(["role"], country=Nullable(STR), sector=Nullable(STR), role=STR,
               start=Nullable(DATE), end=Nullable(DATE))
_ACTORS = record(
    version=SCALAR,
    countries=ListOf(record(["code"], code=STR, name=STR, names=WORDS, adjectives=WORDS,
                            demonyms=WORDS, capitals=WORDS, seats=WORDS)),
    organisations=ListOf(record(["code"], code=STR, name=STR, names=WORDS, adjectives=WORDS,
                                sector=Nullable(STR), country=Nullable(STR))),
    sectors=MapOf(Nullable(record(name=STR, nouns=WORDS))),
    titles=ListOf(record(["title"], title=STR, sector=Nullable(STR), role=Nullable(STR))),
    institutions=ListOf(record(["country", "names"], country=STR, sector=Nullable(STR),
                               names=WORDS)),
    places=ListOf(record(["name", "country"], name=STR, country=STR, aliases=WORDS,
                         disputed=WORDS)),
    persons=ListOf(record(["id", "name"], id=STR, name=STR, aliases=WORDS,
                          roles=ListOf(_ROLE))),
)
_NUMBER_MAP = MapOf(NUM)
_PROVISION_CUE = OneOf((STR, record(id=STR, tokens=ListOf(MapOf(ANY)), regex=STR, act=WORDS,
                                    obj=WORDS, mod=WORDS, not_mod=WORDS)),
                       "a regex string or a mapping {id, tokens} / {id, regex} / "
                       "{id, act, obj, mod, not_mod}")

SCHEMAS: dict[str, Spec] = {
    "actors": _ACTORS,
    "boilerplate": record(version=SCALAR, drop=WORDS, end_markers=WORDS, caption_credits=WORDS),
    "patterns": record(
        version=SCALAR, noun_classes=MapOf(WORDS), light_verbs=WORDS, not_parties=WORDS,
        verbs=ListOf(_PATTERN), nominals=ListOf(_PATTERN), adjectives=ListOf(_PATTERN),
        conditions=ListOf(_PATTERN), obligations=ListOf(_PATTERN),
    ),
    "conflicts": record(
        version=SCALAR,
        conflicts=ListOf(record(["id", "name", "start"], id=STR, name=STR, start=DATE,
                                end=Nullable(DATE), parties=WORDS)),
    ),
    "provisions": record(
        version=SCALAR, macros=MapOf(STR), negated_stance=MapOf(STR),
        stance=MapOf(Nullable(record(lemmas=Nullable(WORDS), modals=Nullable(WORDS)))),
        conditionality=MapOf(WORDS), scope=WORDS, characterizing=WORDS,
        negating_preps=WORDS,
        episode=record(list_cues=WORDS, max_list_sentences=INT, intro_window=INT,
                       intro_lines=WORDS, intro_topics=WORDS, item_markers=WORDS,
                       follow_cues=WORDS, list_breaks=WORDS),
        provisions=ListOf(record(
            ["id"], id=STR, name=STR, group=STR, definition=STR, pax=STR,
            patterns=ListOf(_PROVISION_CUE), scope_places=BOOL, suppresses=WORDS,
            replace_patterns=BOOL)),
    ),
    "quantities": record(
        version=SCALAR,
        numbers=record(words=_NUMBER_MAP, hundred=_NUMBER_MAP, scales=_NUMBER_MAP,
                       abbreviations=_NUMBER_MAP, multipliers=_NUMBER_MAP, fractions=_NUMBER_MAP,
                       vague=_NUMBER_MAP, not_counts=WORDS, compounds=MapOf(STR),
                       years=ListOf(INT)),
        qualifiers=record(about=WORDS, lower=WORDS, upper=WORDS, postfix=WORDS),
        units=record(quantulum_entities=MapOf(STR),
                     currencies=record(prefix=MapOf(STR), suffix=MapOf(STR)),
                     area=MapOf(STR), quantulum_area=MapOf(STR), km2=_NUMBER_MAP,
                     percent=WORDS),
        counted=MapOf(MapOf(WORDS)), persons=WORDS, person_kinds=WORDS,
        predicates=MapOf(WORDS), casualty_parts=WORDS, owner_verbs=WORDS, owner_preps=WORDS,
        copulas=WORDS, rates=MapOf(WORDS),
        periods=record(prepositions=WORDS, since=WORDS, deadlines=WORDS, patterns=WORDS),
        reporting=WORDS, counting=WORDS,
        conflicts=record(comparable=ListOf(record(["narrow", "broad"], narrow=STR, broad=STR,
                                                  note=STR)),
                         cumulative=WORDS, max_publication_gap_days=INT, max_ratio=NUM,
                         tolerance=NUM, narrower_share=record(counted=NUM, whose=NUM)),
    ),
    "episodes": record(
        version=SCALAR,
        kinds=MapOf(record(["kind"], kind=STR, needs_object=BOOL)),
        kind_priority=WORDS, objects=WORDS, named_heads=WORDS, background_cues=WORDS,
        object_classes=MapOf(WORDS), earlier_cues=MapOf(WORDS), offer_cues=WORDS,
        publication_window_days=INT, day_slack_days=INT, span_days=INT, blocs=MapOf(WORDS),
        min_mentions=INT,
        answer_kinds=MapOf(WORDS), accept_codes=WORDS, accept_lemmas=WORDS, answer_window=INT,
        answer_only_lemmas=WORDS, withdrawal_codes=WORDS, conditional_cues=WORDS,
        threat_codes=WORDS, prospective_cues=WORDS, prospective_objects=MapOf(WORDS),
        prospective_forums=WORDS,
        confirmation_lemmas=WORDS, name_words=MapOf(WORDS),
        irregular_forms=MapOf(STR), continuation_lemmas=WORDS,
        lead_window=INT,
        answer_days=INT, mediator_cues=MapOf(WORDS), facilitator_codes=MapOf(STR),
        context_window=INT, characterisation=MapOf(WORDS), title_words=WORDS,
        disagreements=record(
            related_days=INT, related_codes=INT, date_steps=MapOf(WORDS), future_cues=WORDS,
            date_max_gap_days=INT, report_verbs=WORDS, settled=WORDS, unsettled=WORDS,
            scope_all=WORDS, scope_part=WORDS, scope_topics=WORDS, scope_window=INT,
            agreement_codes=WORDS,
            agreement_lemmas=WORDS, reporting=WORDS, contrast=WORDS, restriction=WORDS,
            vote_sides=MapOf(WORDS), vote_topics=WORDS, vote_window=INT,
            affiliation_before=WORDS, affiliation_after=WORDS),
    ),
    "coder_words": record(
        ["modality", "domestic_sectors", "appeal_for", "side_adjectives", "coreferent_sectors",
         "armed_group_sectors", "state_sectors", "side_topics", "side_nouns"], version=SCALAR,
        modality=MapOf(WORDS), domestic_sectors=WORDS, appeal_for=ListOf(WORDS),
        side_adjectives=WORDS, coreferent_sectors=WORDS, armed_group_sectors=WORDS,
        state_sectors=WORDS, side_topics=WORDS, side_nouns=WORDS, content_verbs=WORDS,
        content_subjects=WORDS, promise_verbs=WORDS),
    "roles": record(["topic_gerunds", "meeting_nouns", "convener_sectors"], version=SCALAR,
                    topic_gerunds=WORDS, meeting_nouns=WORDS, convener_sectors=WORDS,
                    earlier_words=WORDS, lasting_words=WORDS, since_anaphors=WORDS,
                    reciprocal_words=WORDS,
                    standing_codes=WORDS),
    "speakers": record(["reporting", "quotation", "self_reference", "denial", "unnamed"],
                       version=SCALAR, reporting=WORDS, quotation=WORDS, self_reference=WORDS,
                       denial=WORDS, unnamed=WORDS, personal=WORDS, statements=WORDS),
    "tense": record(version=SCALAR, future_aux=WORDS, reported_future_aux=WORDS,
                    perfect_aux=WORDS, present_aux=WORDS, present_not_future=WORDS,
                    forward_nouns=WORDS, unreal_aux=WORDS, unreal_governors=WORDS,
                    forward_frames=WORDS, climb_deps=WORDS, other_time_verbs=WORDS,
                    making_verbs=WORDS),
    "cameo_codes": Table({"code": STR, "name": STR, "goldstein": NUM, "quad_class": INT},
                         frozenset({"code", "name", "goldstein", "quad_class"})),
    "cameo_to_plover": Table({"cameo": STR, "plover": STR, "mode": STR, "context": STR,
                              "cameo_name": STR}, frozenset({"cameo", "plover"})),
}


# -- loading ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataFile:
    """One data file as loaded: plain data, version and content hash."""

    path: Path
    kind: str
    data: Any = field(repr=False, compare=False, hash=False)
    version: str
    sha256: str
    builtin: bool

    @property
    def name(self) -> str:
        """The key in the ``runs`` table: the file name for built-in files, else the path."""
        return self.path.name if self.builtin else str(self.path)

    def record(self) -> dict[str, str]:
        return {"path": str(self.path), "kind": self.kind, "version": self.version,
                "sha256": self.sha256}


def builtin_path(relative: str) -> Path:
    """The path of a built-in data file, e.g. ``builtin_path("events/patterns.yaml")``."""
    return DATA_DIR / relative


def load(path: Path | str, kind: str) -> DataFile:
    """Read, check and hash the data file at ``path`` as a file of ``kind``."""
    return _load(str(path), kind)


@lru_cache(maxsize=64)
def _load(path_str: str, kind: str) -> DataFile:
    path = Path(path_str)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, None, f"cannot read the {kind} file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, "not UTF-8 text; save the file as UTF-8") from exc
    schema = SCHEMAS[kind]
    builtin = path.resolve().is_relative_to(DATA_DIR.resolve())
    if isinstance(schema, Table):
        data, version = _read_table(path, text, schema), _tsv_version(text)
    else:
        data = _read_yaml(path, text, schema)
        version = str(data.get("version", "?")) if isinstance(data, dict) else "?"
    return DataFile(path, kind, data, version, hashlib.sha256(raw).hexdigest(), builtin)


def load_all(builtin: str, kind: str, extra: Iterable[Path | str] = ()) -> list[DataFile]:
    """The built-in file ``builtin`` (relative to ``data/``) followed by the user's files."""
    return [load(builtin_path(builtin), kind), *(load(p, kind) for p in extra)]


def merged(files: Iterable[DataFile]) -> dict[str, Any]:
    """The data of ``files`` merged in order by :func:`merge` (``version`` is dropped)."""
    out: dict[str, Any] = {}
    for f in files:
        out = merge(out, {k: v for k, v in (f.data or {}).items() if k != "version"})
    return out


def merge(base: Any, extra: Any) -> Any:
    """``extra`` over ``base``: mappings key by key, lists appended (records with an ``id``
    already in ``base`` merged into that record), scalars replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        out_list = list(base)
        index = {item["id"]: i for i, item in enumerate(out_list)
                 if isinstance(item, dict) and "id" in item}
        for item in extra:
            if isinstance(item, dict) and item.get("id") in index:
                i = index[item["id"]]
                out_list[i] = merge(out_list[i], item)
            else:
                out_list.append(item)
        return out_list
    return extra


# -- YAML ------------------------------------------------------------------------------------
_TAGS = {f"tag:yaml.org,2002:{t}": t for t in ("str", "int", "float", "bool", "null",
                                                 "timestamp", "map", "seq")}


# libyaml's parser when PyYAML was built with it: the same nodes and marks, many times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, text: str, schema: Spec) -> Any:
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        _check(node, schema, path, "")
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataFileError(path, line, f"not valid YAML: {exc.problem}") from exc
    finally:
        loader.dispose()


def _tag(node: yaml.Node) -> str:
    return _TAGS.get(node.tag, node.tag)


def _describe(node: yaml.Node) -> str:
    tag = _tag(node)
    if tag == "map":
        return "a mapping"
    if tag == "seq":
        return "a list"
    if tag == "null":
        return "empty"
    return f"{tag} {node.value!r}"


def _check(node: yaml.Node, spec: Spec, path: Path, where: str) -> None:
    line = node.start_mark.line + 1
    place = where or "the top level"

    def fail(message: str) -> None:
        raise DataFileError(path, line, message)

    if isinstance(spec, Nullable):
        if _tag(node) == "null":
            return
        spec = spec.spec
    if isinstance(spec, OneOf):
        for option in spec.options:
            try:
                _check(node, option, path, where)
                return
            except DataFileError:
                continue
        fail(f"{place} should be {spec.name}, not {_describe(node)}")
    if isinstance(spec, Scalar):
        if not spec.types:
            return
        tag = _tag(node)
        if tag not in spec.types:
            hint = ""
            if tag == "bool" and "str" in spec.types:
                hint = f" (YAML reads {node.value!r} as true/false: write '{node.value}' in quotes)"
            elif tag == "int" and spec.types == ("str",):
                hint = f" (quote it: '{node.value}')"
            fail(f"{place} should be {spec.name}, not {_describe(node)}{hint}")
        return
    if isinstance(spec, ListOf):
        if not isinstance(node, yaml.SequenceNode):
            fail(f"{place} should be a list, not {_describe(node)}")
        for i, item in enumerate(node.value):
            _check(item, spec.item, path, f"{where}[{i}]")
        return
    if not isinstance(node, yaml.MappingNode):
        fail(f"{place} should be a mapping, not {_describe(node)}")
    assert isinstance(node, yaml.MappingNode)
    if isinstance(spec, MapOf):
        for key, value in node.value:
            _check(value, spec.value, path, f"{where}.{key.value}" if where else key.value)
        return
    assert isinstance(spec, Record)
    seen = set()
    for key, value in node.value:
        name = key.value
        sub = f"{where}.{name}" if where else name
        if name not in spec.fields:
            raise DataFileError(path, key.start_mark.line + 1,
                                f"unknown key {name!r} in {place} (expected one of: "
                                f"{', '.join(sorted(spec.fields))})")
        seen.add(name)
        _check(value, spec.fields[name], path, sub)
    missing = sorted(spec.required - seen)
    if missing:
        fail(f"{place} lacks the required key{'s' if len(missing) > 1 else ''} "
             f"{', '.join(repr(m) for m in missing)}")


# -- TSV -------------------------------------------------------------------------------------
def _tsv_version(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#") and line[1:].strip().lower().startswith("version:"):
            return line.split(":", 1)[1].strip()
    return "?"


def _read_table(path: Path, text: str, table: Table) -> list[dict[str, str]]:
    numbered = [(n, ln) for n, ln in enumerate(text.splitlines(), start=1)
                if ln and not ln.startswith("#")]
    if not numbered:
        raise DataFileError(path, None, "no header row")
    header_line, header = numbered[0]
    names = next(csv.reader([header], delimiter="\t"))
    for name in names:
        if name not in table.columns:
            raise DataFileError(path, header_line,
                                f"unknown column {name!r} (expected: {', '.join(table.columns)})")
    missing = sorted(table.required - set(names))
    if missing:
        raise DataFileError(path, header_line, f"missing column(s) {', '.join(missing)}")
    rows = []
    for n, line in numbered[1:]:
        cells = next(csv.reader([line], delimiter="\t"))
        if len(cells) > len(names):
            raise DataFileError(path, n, f"{len(cells)} fields, the header has {len(names)}")
        row = dict(zip(names, cells + [""] * (len(names) - len(cells)), strict=True))
        for name, value in row.items():
            kind = table.columns[name]
            if name in table.required and not value:
                raise DataFileError(path, n, f"empty {name!r}")
            if value and kind in (NUM, INT):
                try:
                    int(value) if kind is INT else float(value)
                except ValueError:
                    raise DataFileError(path, n, f"{name!r} should be {kind.name}, "
                                                 f"not {value!r}") from None
        rows.append(row)
    return rows
