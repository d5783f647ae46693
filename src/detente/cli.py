"""The ``detente`` command: a thin layer over the library."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import Settings, default_db, default_model
from .dates import parse_partial
from .output import print_json_lines, print_table
from .rows import CLAIM, DISAGREEMENT_KINDS, EVENT
from .store import Store, StoreError, open_store

DOC_COLUMNS = ("id", "published", "outlet", "title", "n_sentences", "n_mentions", "n_resolved",
               "n_events")
MENTION_COLUMNS = ("doc_id", "sentence_idx", "start", "end", "text", "code", "sector", "person",
                   "role", "method")
RESOLVE_COLUMNS = ("text", "code", "name", "sector", "person", "role", "role_current", "method",
                   "entry")


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", default=default_db, show_default="./detente.db or $DETENTE_DB",
        help="SQLite database file, or postgresql://user@host:port/dbname.",
    )(f)


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print JSON lines, one object per row.")(f)


def actors_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
        help="Extra actor dictionary (YAML, see docs/actors.md). Repeatable.",
    )(f)


DATA_OPTIONS = {
    # option: (Settings field, help)
    "patterns": ("pattern_files", "Your own event patterns (YAML, the shape of "
                 "data/events/patterns.yaml), merged over the built-in ones."),
    "provisions": ("provision_files", "Your own provisions/terms (YAML, the shape of "
                   "data/terms/provisions.yaml), merged over the built-in ones."),
    "quantities": ("quantity_files", "Your own quantity vocabulary for claims (YAML, the "
                   "shape of data/claims/quantities.yaml), merged over the built-in one."),
    "episode-rules": ("episode_rule_files", "Your own episode rules (YAML, the shape of "
                      "data/episodes/episodes.yaml), merged over the built-in ones."),
}


def data_options(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Repeatable ``--patterns FILE`` etc. options; each file is merged over the built-in one
    (mappings key by key, lists appended, records with the same ``id`` merged)."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(names):
            dest, help_text = DATA_OPTIONS[name]
            f = click.option(f"--{name}", dest, multiple=True, metavar="FILE",
                             type=click.Path(exists=True, dir_okay=False),
                             help=f"{help_text} Repeatable.")(f)
        return f

    return decorate


def _settings(model: str, actor_files: tuple[str, ...] = (), **data_files: Any) -> Settings:
    """Settings from the CLI options, the data files checked (a DataFileError is a usage
    error: it names the file, line and key)."""
    from .datafiles import DataFileError
    from .ingest import data_files as files_in_force

    settings = Settings(model=model, actor_files=actor_files, **data_files)
    try:
        files_in_force(settings)
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    return settings


def model_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--model", default=default_model, show_default="$DETENTE_MODEL or the installed one",
        help="spaCy pipeline name or path.",
    )(f)


def _open(db: str) -> Store:
    try:
        return open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _doc_id(store: Store, doc_ref: str | None) -> str | None:
    """The id of the document a user named (id, id prefix, path or file name), or None."""
    if not doc_ref:
        return None
    doc = store.document(doc_ref)
    if doc is None:
        raise click.ClickException(f"no document {doc_ref!r}; see 'detente docs'")
    return str(doc["id"])


def _emit(rows: list[dict[str, Any]], columns: tuple[str, ...], as_json: bool,
          widths: dict[str, int] | None = None) -> None:
    if as_json:
        print_json_lines(rows, columns, sys.stdout)
    else:
        print_table(rows, columns, sys.stdout, widths)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="detente")
def main() -> None:
    """Detente: a sourced record of a conflict's diplomacy, built from articles.

    Ingest articles (cleaned, parsed, actors resolved, events, terms and claims coded,
    negotiation episodes and disagreements rebuilt), then list documents, actors, events,
    episodes, claims and disagreements, export them, serve them in a web app, or score
    them against a gold file.
    """


@main.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@model_option
@actors_option
@data_options("patterns", "provisions", "quantities", "episode-rules")
@click.option("--published", help="Publication date for all inputs (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--outlet", help="Outlet name for all inputs.")
@click.option("--max-bytes", type=int, default=None,
              help="Refuse documents larger than this many bytes (default 20 MiB).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that parse in parallel (default: the number of cores).")
@click.option("--dask", metavar="local|tcp://HOST:PORT",
              help="Parse on Dask distributed: a local cluster of --workers processes, or "
                   "the scheduler at this address.")
@click.option("-q", "--quiet", is_flag=True, help="Print failures and the summary only.")
def ingest(sources: tuple[str, ...], db: str, model: str, actor_files: tuple[str, ...],
           published: str | None, outlet: str | None, max_bytes: int | None,
           workers: int | None, dask: str | None, quiet: bool,
           **data_files: tuple[str, ...]) -> None:
    """Read SOURCES (files, folders, .jsonl, http(s) URLs) into the database.

    Text, HTML and JSON-lines files are read; folders recursively, with metadata from a
    sidecar meta.jsonl. Re-ingesting a document changes nothing. Exits with status 1 if any
    document failed; the others are stored all the same.
    """
    from tqdm import tqdm

    from .ingest import IngestReport
    from .ingest import ingest as run_ingest
    from .nlp import ModelNotFound
    from .parallel import default_workers
    from .readers import count_inputs

    if published and parse_partial(published) is None:
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD", param_hint="--published")
    settings = _settings(model, actor_files, **data_files)
    if max_bytes:
        settings = replace(settings, max_document_bytes=max_bytes)
    store = _open(db)
    tty = sys.stderr.isatty() and not quiet
    bar = tqdm(desc="ingest", unit="doc", disable=not tty, file=sys.stderr,
               total=count_inputs(sources) if tty else None)

    def on_item(source: str, status: str, detail: str) -> None:
        bar.update(1)
        if status == "failed":
            bar.write(f"error: {source}: {detail}", file=sys.stderr)
        elif not quiet and not tty:
            click.echo(f"{status}: {source} ({detail})", err=True)

    def progress(report: IngestReport) -> None:
        seconds = report.timings.get("total") or 1e-9
        bar.set_postfix_str(f"{len(report.stored) / seconds:.1f} docs/s, "
                            f"{report.words / seconds:,.0f} words/s", refresh=False)

    try:
        report = run_ingest(sources, store, settings,
                            {"published": published, "outlet": outlet}, on_item,
                            workers=workers or default_workers(), dask=dask,
                            progress=progress if tty else None)
    except ModelNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()
        store.close()
    c = report.counts()
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not quiet:
        click.echo(f"timings: {report.timing_line()}", err=True)
    click.echo(
        f"{c['stored']} stored, {c['duplicate']} already present, {c['failed']} failed "
        f"(run {report.run_id}, database {db})", err=True,
    )
    if not report.ok:
        sys.exit(1)


@main.command()
@db_option
@json_option
def docs(db: str, as_json: bool) -> None:
    """List documents with title, outlet, date and counts."""
    store = _open(db)
    rows = store.documents()
    if not as_json:
        for r in rows:
            r["id"] = r["id"][:12]
    _emit(rows, DOC_COLUMNS, as_json, {"title": 50, "outlet": 24})


@main.command()
@db_option
@json_option
@click.option("--doc", "doc_ref", help="Only this document (id, id prefix or source path).")
@click.option("--code", help="Only mentions resolved to this actor code (e.g. RUS, NATO).")
@click.option("--unresolved", is_flag=True, help="Only mentions that resolved to no actor.")
def actors(db: str, as_json: bool, doc_ref: str | None, code: str | None,
           unresolved: bool) -> None:
    """List actor mentions and the actors they resolved to."""
    store = _open(db)
    rows = store.mentions(_doc_id(store, doc_ref), code, True if unresolved else None)
    if not as_json:
        for r in rows:
            r["doc_id"] = r["doc_id"][:8]
    _emit(rows, MENTION_COLUMNS, as_json, {"text": 40, "role": 28})


@main.command()
@click.argument("phrases", nargs=-1, required=True)
@click.option("--date", "on_date",
              help="Resolve roles as of this date (YYYY-MM-DD); default today.")
@model_option
@actors_option
@json_option
def resolve(phrases: tuple[str, ...], on_date: str | None, model: str,
            actor_files: tuple[str, ...], as_json: bool) -> None:
    """Show how PHRASES resolve to actors ('-' reads phrases from stdin, one per line).

    Prints country or organisation code, sector, person and role on the date, and which
    dictionary entry matched.
    """
    from .actors import load_resolver
    from .nlp import ModelNotFound, load_model

    when = date.today()
    if on_date:
        parsed = parse_partial(on_date)
        if parsed is None:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--date")
        when = parsed.start
    items: list[str] = []
    for p in phrases:
        if p == "-":
            items += [line.strip() for line in sys.stdin if line.strip()]
        else:
            items.append(p)
    try:
        nlp = load_model(model)
        resolver = load_resolver(nlp, actor_files)
    except (ModelNotFound, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    rows = []
    for text in items:
        res = resolver.resolve_phrase(nlp(text), when)
        row = res.as_dict()
        row["text"] = text
        row["mention"] = res.text if res.resolved else None
        row["name"] = resolver.dictionary.describe(res.code)
        row["date"] = when.isoformat()
        rows.append(row)
    columns = RESOLVE_COLUMNS + (("mention", "person_id", "date") if as_json else ())
    _emit(rows, columns, as_json, {"entry": 60})


EVENT_COLUMNS = ("date_start", "date_precision", "source_code", "source_sector", "cameo",
                 "plover_type", "target_code", "target_sector", "modality", "attribution_kind",
                 "trigger_text", "doc_id", "sentence_idx")
# --json: the table columns first, then every other field of the row, then its sentence
EVENT_JSON_COLUMNS = (*EVENT_COLUMNS, *(n for n in EVENT.names if n not in EVENT_COLUMNS),
                      "sentence")
MODALITIES = ("asserted", "reported", "negated", "hypothetical", "demanded", "future")


def _iso_option(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    parsed = parse_partial(value)
    if parsed is None:
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD", param_hint=name)
    return (parsed.start if name == "--from" else parsed.end).isoformat()


def _event_filters(store: Store, doc_ref: str | None, actor: str | None, plover: str | None,
                   cameo: str | None, date_from: str | None, date_to: str | None,
                   modality: str | None) -> dict[str, Any]:
    return {"doc_id": _doc_id(store, doc_ref), "actor": actor.upper() if actor else None,
            "plover": plover, "cameo_prefix": cameo,
            "date_from": _iso_option(date_from, "--from"),
            "date_to": _iso_option(date_to, "--to"), "modality": modality}


def event_filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed([
        click.option("--doc", "doc_ref", help="Only this document (id, id prefix or file name)."),
        click.option("--actor", help="Source or target actor code (RUS, NATO, ...)."),
        click.option("--type", "plover", help="PLOVER type (REJECT, AGREE, CONSULT, ...)."),
        click.option("--cameo", help="CAMEO code prefix (e.g. 12, 036)."),
        click.option("--from", "date_from", help="Events ending on or after this date."),
        click.option("--to", "date_to", help="Events starting on or before this date."),
        click.option("--modality", type=click.Choice(MODALITIES), help="Only this modality."),
    ]):
        f = opt(f)
    return f


@main.command()
@db_option
@json_option
@event_filter_options
@click.option("--limit", type=int, default=None, help="Show at most this many events.")
def events(db: str, as_json: bool, doc_ref: str | None, actor: str | None, plover: str | None,
           cameo: str | None, date_from: str | None, date_to: str | None,
           modality: str | None, limit: int | None) -> None:
    """List coded events: date, dyad, CAMEO and PLOVER codes, modality, source sentence."""
    store = _open(db)
    filters = _event_filters(store, doc_ref, actor, plover, cameo, date_from, date_to, modality)
    rows = store.events(**filters, limit=limit)
    if not as_json:
        for r in rows:
            r["doc_id"] = r["doc_id"][:8]
    _emit(rows, EVENT_JSON_COLUMNS if as_json else EVENT_COLUMNS, as_json,
          {"trigger_text": 16})


@main.command()
@click.option("--format", "fmt",
              type=click.Choice(["plover", "cameo-tsv", "csv", "episodes-json", "parquet"]),
              required=True,
              help="plover: PLOVER JSON lines; cameo-tsv: GDELT-like TSV; csv; episodes-json: "
                   "one JSON object per episode with its terms, answers, mentions and "
                   "disagreements; parquet: a folder with one Parquet file per table and a "
                   "manifest.json (event filters do not apply to the last two).")
@click.option("-o", "--output", type=click.Path(writable=True), default="-",
              help="Output file (default: standard output); a folder for parquet.")
@db_option
@event_filter_options
def export(fmt: str, output: str, db: str, doc_ref: str | None, actor: str | None,
           plover: str | None, cameo: str | None, date_from: str | None, date_to: str | None,
           modality: str | None) -> None:
    """Export events (or episodes, or every table) in a format other tools read."""
    from .export import write_episodes, write_events

    store = _open(db)
    if fmt == "parquet":
        from .parquet import export_parquet

        if output == "-":
            raise click.BadParameter("give a folder for the Parquet files", param_hint="-o")
        counts = export_parquet(store, output)
        click.echo(f"{sum(counts.values())} rows in {len(counts)} tables written to {output}/ "
                   "(manifest.json lists the code and data versions)", err=True)
        return
    if fmt == "episodes-json":
        with click.open_file(output, "w", encoding="utf-8") as out:
            n = write_episodes(store, out)
        if output != "-":
            click.echo(f"{n} episodes written to {output}", err=True)
        return
    filters = _event_filters(store, doc_ref, actor, plover, cameo, date_from, date_to, modality)
    rows = store.events(**filters)
    with click.open_file(output, "w", encoding="utf-8") as out:
        n = write_events(rows, fmt, out)
    if output != "-":
        click.echo(f"{n} events written to {output}", err=True)


@main.command()
@click.argument("source", default="-", type=click.File("rb"))
@model_option
@actors_option
@data_options("patterns")
def code(source: Any, model: str, actor_files: tuple[str, ...],
         pattern_files: tuple[str, ...]) -> None:
    """Code sentence records without a database (PETRARCH-style batch mode).

    Reads JSON lines {"id": ..., "text": ..., "date": "YYYY-MM-DD"?} in UTF-8 from SOURCE (a
    file or '-' for standard input) and prints one line {"id": ..., "events": [...]} per
    record. A bad record (invalid JSON or UTF-8, no text, a text over 1,000,000 characters)
    prints {"id", "line", "error"} instead, and a line on standard error; the others are
    coded all the same, and the exit status is 1.
    """
    import json

    from .code_text import code_records
    from .nlp import ModelNotFound

    settings = _settings(model, actor_files, pattern_files=pattern_files)
    failed = False
    try:
        for out in code_records(source, settings):
            if "error" in out:
                failed = True
                click.echo(f"error: line {out['line']}: {out['error']}", err=True)
            click.echo(json.dumps(out, ensure_ascii=False))
    except ModelNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    if failed:
        sys.exit(1)


EPISODE_COLUMNS = ("date", "kind", "proposer", "addressee", "title", "answers", "sources", "id")
EPISODE_JSON_COLUMNS = ("id", "kind", "title", "proposer", "addressee", "mediators",
                        "signatories", "named_object", "date_start", "date_end",
                        "date_precision", "terms", "answers", "sources", "n_sources",
                        "n_mentions")
CLAIM_COLUMNS = ("doc_id", "sentence_idx", "text", "value", "approx", "counted", "category",
                 "rate", "whose", "attribution_kind", "attribution_text")
CLAIM_JSON_COLUMNS = (*CLAIM.names, "sentence")


@main.command()
@db_option
@json_option
@click.option("--kind", type=click.Choice(["proposal", "talks", "agreement", "ceasefire",
                                           "mediation"]), help="Only this kind.")
@click.option("--party", help="Only episodes with this party (proposer, addressee, mediator).")
@click.option("--from", "date_from", help="Episodes ending on or after this date.")
@click.option("--to", "date_to", help="Episodes starting on or before this date.")
@click.option("--doc", "doc_ref", help="Only episodes this document reports.")
@click.option("--rebuild", is_flag=True,
              help="Rebuild episodes and disagreements from all the stored events first "
                   "(ingest builds new documents into them incrementally).")
@data_options("episode-rules", "provisions", "quantities")
def episodes(db: str, as_json: bool, kind: str | None, party: str | None,
             date_from: str | None, date_to: str | None, doc_ref: str | None,
             rebuild: bool, **data_files: tuple[str, ...]) -> None:
    """Timeline of negotiation episodes: date, kind, parties, title, answers, sources.

    Episodes are proposals, talks, agreements, ceasefires and mediations, each merged across
    articles. 'detente episode ID' shows one in full.
    """
    from .rebuild import build_episodes

    if any(data_files.values()) and not rebuild:
        raise click.UsageError("--episode-rules, --provisions and --quantities apply when "
                               "episodes are rebuilt: add --rebuild")
    store = _open(db)
    if rebuild:
        build_episodes(store, settings=_settings(default_model(), **data_files), full=True)
    rows = store.episodes(kind=kind, party=party.upper() if party else None,
                          date_from=_iso_option(date_from, "--from"),
                          date_to=_iso_option(date_to, "--to"),
                          doc_id=_doc_id(store, doc_ref))
    if as_json:
        _emit(rows, EPISODE_JSON_COLUMNS, True)
        return
    for r in rows:
        r["date"] = _date_range(r["date_start"], r["date_end"], r.get("date_precision"))
        r["proposer"] = ", ".join(r["proposer"])
        r["addressee"] = ", ".join(r["addressee"])
        r["answers"] = "; ".join(f"{','.join(a['by'])} {a['kind']}" for a in r["answers"])
        r["sources"] = r["n_sources"]
    _emit(rows, EPISODE_COLUMNS, False, {"title": 48, "answers": 40})


def _date_range(start: str | None, end: str | None, precision: str | None = None) -> str:
    if not start:
        return "?"
    shown = start if start == end else f"{start}..{end}"
    # an undated episode shows its articles' publication period, marked as such
    return f"{shown} ({precision})" if precision in ("publication", "before publication") \
        else shown


@main.command()
@click.argument("episode_id")
@db_option
@json_option
def episode(episode_id: str, db: str, as_json: bool) -> None:
    """Dossier of one episode: parties, terms, answers, mentions by source, disagreements."""
    import json

    from .dossier import dossier_lines

    store = _open(db)
    found = store.episode(episode_id)
    if found is None:
        matches = [e["id"] for e in store.episodes() if e["id"].startswith(episode_id)]
        found = store.episode(matches[0]) if len(matches) == 1 else None
    if found is None:
        raise click.ClickException(f"no episode {episode_id!r}; see 'detente episodes'")
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, default=str))
        return
    for line in dossier_lines(found):
        click.echo(line)


@main.command()
@db_option
@json_option
@click.option("--doc", "doc_ref", help="Only this document.")
@click.option("--category",
              help="casualties, military, money, area, population, humanitarian, other.")
@click.option("--whose", help="Only quantities of this actor (e.g. UKR).")
def claims(db: str, as_json: bool, doc_ref: str | None, category: str | None,
           whose: str | None) -> None:
    """Quantitative claims: value, what is counted, whose, who asserts it."""
    store = _open(db)
    rows = store.claims(doc_id=_doc_id(store, doc_ref), category=category,
                        whose=whose.upper() if whose else None)
    if not as_json:
        for r in rows:
            r["doc_id"] = r["doc_id"][:8]
    _emit(rows, CLAIM_JSON_COLUMNS if as_json else CLAIM_COLUMNS, as_json,
          {"text": 36, "attribution_text": 24})


@main.command()
@db_option
@json_option
@click.option("--kind", type=click.Choice(list(DISAGREEMENT_KINDS)), help="Only this kind.")
def disagreements(db: str, as_json: bool, kind: str | None) -> None:
    """Where sources disagree, each side with its source and sentence."""
    import json

    from .dossier import distinct_sides

    store = _open(db)
    rows = store.disagreements(kind=kind)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    titles = {d["id"]: d for d in store.documents()}
    for r in rows:
        click.echo(f"{r['id']}  {r['kind']}: {r['about']}")
        if r["note"]:
            click.echo(f"  {r['note']}")
        for s in distinct_sides(r["sides"]):
            doc = titles.get(s["doc_id"], {})
            click.echo(f"  side {s['side']}  {doc.get('outlet') or doc.get('source', '')} "
                       f"{doc.get('published') or ''}  [{s['position']}]")
            click.echo(f"      {' '.join(s['sentence'].split())}")
        click.echo("")


@main.command()
@db_option
@model_option
@actors_option
@data_options("patterns", "provisions", "quantities", "episode-rules")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; keep 127.0.0.1 unless others should reach it.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name (without port) browsers may use to reach the server, besides "
                   "localhost, 127.0.0.1, ::1 and --host; '*' allows any. Repeatable.")
@click.option("--create", is_flag=True,
              help="Create the database if it does not exist (to fill it from the ingest page).")
def serve(db: str, model: str, actor_files: tuple[str, ...], host: str, port: int,
          allowed_hosts: tuple[str, ...], create: bool, **data_files: tuple[str, ...]) -> None:
    """Serve the web app and REST API (timeline, dossiers, documents, events, ingest).

    Open http://HOST:PORT/ in a browser; the API is under /api (schema at /openapi.json).
    Requests for other host names (DNS rebinding) and form posts from other sites are
    refused.
    """
    import uvicorn

    from .web import create_app
    from .web.app import LOCAL_HOSTS

    if not create and "://" not in db and not Path(db).is_file():
        raise click.ClickException(
            f"no database at {db}; check the path, fill one with `detente ingest FILE --db "
            f"{db}`, or pass --create to start empty and ingest from the web page")

    hosts = (*LOCAL_HOSTS, *allowed_hosts)
    if host not in ("0.0.0.0", "::", ""):
        hosts += (host,)
    try:
        app = create_app(db, _settings(model, actor_files, **data_files), allowed_hosts=hosts)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Detente on http://{host}:{port}/ (database {db}); Ctrl+C stops it", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


@main.command(name="eval")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold YAML (e.g. ../shared/gold/seeds_episodes.yaml).")
@db_option
@click.option("--no-unmatched", is_flag=True, help="Do not list events that match no gold item.")
def eval_command(gold: str, db: str, no_unmatched: bool) -> None:
    """Score the database against a gold file; the last line is key=value figures.

    Exits 0 whatever the score; 2 when the gold file is unreadable or misshapen (one line
    says where), 1 when the database cannot be opened.
    """
    from .evaluate import GoldFileError, evaluate, format_report, load_gold
    from .evaluate_episodes import evaluate_episodes, format_episode_report

    try:
        load_gold(gold)
    except GoldFileError as exc:
        click.echo(f"error: gold file {gold}: {exc}", err=True)
        sys.exit(2)
    store = _open(db)
    report = evaluate(store, gold)

    lines = list(format_report(report, show_unmatched=not no_unmatched))
    figures = lines.pop()
    for line in lines:
        click.echo(line)
    episodes = evaluate_episodes(store, gold)
    for line in format_episode_report(episodes):
        click.echo(line)
    click.echo(figures + " " + " ".join(f"{k}={v}" for k, v in episodes.summary().items()))


@main.command()
@db_option
def summary(db: str) -> None:
    """Print a readable summary of what the database holds."""
    store = _open(db)
    rows = store.documents()
    click.echo(f"{len(rows)} documents in {db}\n")
    for r in rows:
        r["id"] = r["id"][:12]
    print_table(rows, DOC_COLUMNS, sys.stdout, {"title": 50, "outlet": 24})
    click.echo("\nMost mentioned actors")
    actors = store.actor_counts()
    from .actors import ActorDictionary

    names = ActorDictionary.load()
    for a in actors:
        a["name"] = names.describe(a["code"])
    print_table(actors, ("code", "name", "sector", "mentions", "documents"), sys.stdout)
    click.echo("\nEvents by PLOVER type")
    print_table(store.event_counts(), ("plover_type", "events", "asserted", "documents"),
                sys.stdout)
    sample = [e for e in store.events() if e["modality"] == "asserted" and e["target_code"]]
    if sample:
        click.echo("\nAsserted events with both actors, by date (first 12)")
        for e in sample[:12]:
            e["dyad"] = f"{e['source_code']} -> {e['target_code']}"
        print_table(sample[:12], ("date_start", "dyad", "plover_type", "cameo", "trigger_text",
                                  "date_method"), sys.stdout)
    eps = store.episodes()
    if eps:
        click.echo(f"\nNegotiation episodes ({len(eps)}; 'detente episode ID' shows one)")
        for r in eps:
            r["date"] = _date_range(r["date_start"], r["date_end"])
            r["answers"] = "; ".join(f"{','.join(a['by'])} {a['kind']}" for a in r["answers"])
            r["sources"] = r["n_sources"]
        print_table(eps, ("date", "kind", "title", "answers", "sources", "id"), sys.stdout,
                    {"title": 48, "answers": 36})
    disputes = store.disagreements()
    if disputes:
        click.echo(f"\nDisagreements between sources ({len(disputes)}; 'detente disagreements')")
        for d in disputes:
            click.echo(f"  {d['kind']}: {d['about']}")
    share = store.resolution_share()
    if share["total"]:
        click.echo(f"\nNamed mentions resolved to an actor: {share['resolved']}/{share['total']} "
                   f"({share['resolved'] / share['total']:.0%})")


if __name__ == "__main__":  # pragma: no cover
    main()
