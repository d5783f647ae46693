"""Read sources (files, folders, JSON lines, URLs) into raw documents with metadata.

Every failure becomes a :class:`ReadError` naming the source and the reason, so one bad
input never stops a batch.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import charset_normalizer

from .config import Settings
from .metadata import META_FIELDS, header_metadata, html_metadata

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR = "meta.jsonl"


@dataclass
class RawDocument:
    """Text as read from a source, before cleaning, with its metadata layers."""

    source: str
    text: str
    format: str
    input_hash: str
    meta: dict[str, Any] = field(default_factory=dict)
    meta_origin: dict[str, str] = field(default_factory=dict)
    paragraphs_are_lines: bool = False

    def add_meta(self, layer: dict[str, Any], origin: str) -> None:
        """Set fields from a layer of higher precedence than what is there."""
        for key in META_FIELDS:
            value = layer.get(key)
            if value not in (None, ""):
                self.meta[key] = value
                self.meta_origin[key] = origin


@dataclass
class ReadError:
    """A source that could not be read, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class InputError(ValueError):
    """Raised inside readers; turned into a ReadError for the source at hand."""


def read_sources(
    sources: Iterable[str],
    settings: Settings,
    overrides: dict[str, Any] | None = None,
) -> Iterator[RawDocument | ReadError]:
    """Yield one RawDocument or ReadError per document found in ``sources``.

    ``overrides`` are explicit metadata options (``--published``, ``--outlet``); they win
    over every other metadata source.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    for source in sources:
        for item in _read_one_source(source, settings):
            if isinstance(item, RawDocument) and overrides:
                item.add_meta(overrides, "option")
            yield item


def _read_one_source(source: str, settings: Settings) -> Iterator[RawDocument | ReadError]:
    if source.startswith(("http://", "https://")):
        try:
            yield _read_url(source, settings)
        except InputError as exc:
            yield ReadError(source, str(exc))
        return
    path = Path(source)
    if not path.exists():
        yield ReadError(source, "no such file or folder")
        return
    if path.is_dir():
        yield from _read_folder(path, settings)
        return
    yield from _read_file(path, settings, _sidecar_for(path))


def _read_folder(folder: Path, settings: Settings) -> Iterator[RawDocument | ReadError]:
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in files:
        if path.name == SIDECAR:
            continue
        if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
            yield ReadError(str(path), f"unsupported file type {path.suffix or '(none)'!r}; "
                            "use .txt, .html or .jsonl")
            continue
        if path.parent not in sidecars:
            sidecars[path.parent] = _load_sidecar(path.parent)
        yield from _read_file(path, settings, sidecars[path.parent])


def _sidecar_for(path: Path) -> dict[str, dict[str, Any]]:
    return _load_sidecar(path.parent)


def _load_sidecar(folder: Path) -> dict[str, dict[str, Any]]:
    """Map file name -> metadata from ``meta.jsonl`` in ``folder``, if there is one."""
    sidecar = folder / SIDECAR
    if not sidecar.is_file():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for line in sidecar.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and isinstance(row.get("file"), str):
            out[row["file"]] = row
    return out


def _read_file(
    path: Path, settings: Settings, sidecar: dict[str, dict[str, Any]]
) -> Iterator[RawDocument | ReadError]:
    source = str(path)
    try:
        _check_size(path.stat().st_size, settings)
        data = path.read_bytes()
    except InputError as exc:
        yield ReadError(source, str(exc))
        return
    except OSError as exc:
        yield ReadError(source, f"cannot read file: {exc.strerror or exc}")
        return
    for item in read_bytes(source, data, path.suffix, settings):
        if isinstance(item, RawDocument) and item.format != "jsonl" and path.name in sidecar:
            item.add_meta(sidecar[path.name], SIDECAR)
        yield item


def _check_size(size: int, settings: Settings) -> None:
    if size > settings.max_document_bytes:
        raise InputError(
            f"file too large ({size / 2**20:.1f} MiB, limit "
            f"{settings.max_document_bytes / 2**20:.0f} MiB); split it into smaller documents"
        )


def read_bytes(source: str, data: bytes, suffix: str,
               settings: Settings) -> Iterator[RawDocument | ReadError]:
    """Read the bytes of one file already in memory (an upload) as a file of ``suffix``.

    Text unless ``suffix`` is an HTML or JSON-lines one; the same checks and messages as files.
    """
    suffix = suffix.lower()
    try:
        _check_size(len(data), settings)
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(source, data, settings)
            return
        text = decode_bytes(data)
        if suffix in HTML_SUFFIXES:
            doc = _from_html(source, text, data)
        else:
            doc = _from_text(source, text, data)
    except InputError as exc:
        yield ReadError(source, str(exc))
        return
    yield doc


def decode_bytes(data: bytes) -> str:
    """Decode as UTF-8, else Windows-1252, else the detected encoding; refuse empty and binary."""
    if not data.strip():
        raise InputError("empty file")
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # the usual legacy encoding of English web text; decoding fails on unused bytes
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        raise InputError("undecodable bytes: not UTF-8 and no text encoding detected")
    text = str(match)
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > len(text) * 0.01:
        raise InputError("binary file (control characters), not text")
    return text


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _from_text(source: str, text: str, data: bytes) -> RawDocument:
    header, body = header_metadata(text)
    doc = RawDocument(source=source, text=body, format="txt", input_hash=_hash(data))
    doc.add_meta(header, "header")
    return doc


def _from_html(source: str, html: str, data: bytes, url: str | None = None) -> RawDocument:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise InputError(f"malformed HTML ({type(exc).__name__})") from exc
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or len(re.findall(r"[^\W\d_]{2,}", text)) < 3:
        raise InputError("malformed HTML or no main text found in it")
    doc = RawDocument(
        source=source, text=text, format="html", input_hash=_hash(data),
        paragraphs_are_lines=True,
    )
    doc.add_meta(html_metadata(extracted), "html")
    if url:
        doc.add_meta({"url": url}, "fetch")
    return doc


def _read_jsonl(source: str, data: bytes, settings: Settings) -> Iterator[RawDocument | ReadError]:
    text = decode_bytes(data)
    for lineno, line in enumerate(text.splitlines(), start=1):
        where = f"{source}:{lineno}"
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            yield ReadError(where, 'expected a JSON object with a "text" string')
            continue
        body = row["text"]
        if not body.strip():
            yield ReadError(where, "empty text")
            continue
        if len(body.encode("utf-8")) > settings.max_document_bytes:
            yield ReadError(where, "text too large; split it into smaller documents")
            continue
        raw = line.encode("utf-8")
        doc = RawDocument(source=where, text=body, format="jsonl", input_hash=_hash(raw))
        doc.add_meta(row, "jsonl")
        yield doc


def _read_url(url: str, settings: Settings) -> RawDocument:
    request = urllib.request.Request(url, headers={"User-Agent": "detente (+text ingest)"})
    try:
        with urllib.request.urlopen(request, timeout=settings.url_timeout) as response:  # noqa: S310
            data = response.read(settings.url_max_bytes + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise InputError(f"could not fetch URL: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(
            f"could not fetch URL ({reason}); check the address or the network"
        ) from exc
    if len(data) > settings.url_max_bytes:
        limit = settings.url_max_bytes / 2**20
        raise InputError(f"response larger than {limit:.0f} MiB; not ingested")
    text = decode_bytes(data)
    if "html" in content_type or text.lstrip()[:1] == "<":
        return _from_html(url, text, data, url=url)
    doc = _from_text(url, text, data)
    doc.add_meta({"url": url}, "fetch")
    return doc
