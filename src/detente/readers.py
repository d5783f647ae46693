"""Read sources (files, folders, JSON lines, URLs) into raw documents with metadata.

Every failure becomes a :class:`ReadError` naming the source and the reason, so one bad
input never stops a batch.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
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
    warnings: list[str] = field(default_factory=list)  # read, but not quite as given

    def add_meta(self, layer: dict[str, Any], origin: str) -> None:
        """Set fields from a layer of higher precedence than what is there.

        Raises InputError for a field that is not a string or a number (a list, an object).
        """
        for key in META_FIELDS:
            value = layer.get(key)
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                raise InputError(f'metadata field "{key}" must be a string, not '
                                 f"{_json_type(value)}")
            if value not in (None, ""):
                self.meta[key] = str(value).replace("\x00", "")
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


def _json_type(value: Any) -> str:
    names = {list: "a list", dict: "an object", bool: "true/false"}
    return names.get(type(value), type(value).__name__)


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


def count_inputs(sources: Iterable[str]) -> int | None:
    """How many documents ``sources`` hold, for a progress bar's ETA: one per file (a
    JSON-lines file counts its non-blank lines), None when a URL is among them."""
    total = 0
    for source in sources:
        if source.startswith(("http://", "https://")):
            return None
        path = Path(source)
        files = ([p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.name != SIDECAR] if path.is_dir() else [path])
        for f in files:
            if f.suffix.lower() in JSONL_SUFFIXES:
                try:
                    with f.open("rb") as lines:
                        total += sum(1 for line in lines if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


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
            try:
                item.add_meta(sidecar[path.name], SIDECAR)
            except InputError as exc:
                yield ReadError(source, f"{SIDECAR}: {exc}")
                continue
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
        warnings: list[str] = []
        text = decode_bytes(data, warnings)
        if suffix in HTML_SUFFIXES:
            doc = _from_html(source, text, data)
        else:
            doc = _from_text(source, text, data)
    except InputError as exc:
        yield ReadError(source, str(exc))
        return
    doc.warnings += warnings
    yield doc


BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# UTF-8 with valid multi-byte characters and few invalid sequences (no more than the valid
# ones, this many, or this share of the text) is read as UTF-8 with the bad bytes replaced,
# not as a legacy encoding
BAD_UTF8_FEW = 8
BAD_UTF8_SHARE = 0.01


def decode_bytes(data: bytes, warnings: list[str] | None = None) -> str:
    """Decode text: by its byte-order mark (UTF-8, UTF-16, UTF-32), as UTF-8, as UTF-8 with
    a few bad bytes replaced (a warning is added to ``warnings``), as Windows-1252, else as
    the detected encoding. Refuses empty and binary data."""
    if not data.strip():
        raise InputError("empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {encoding.upper()} after its byte-order mark "
                                 f"(byte {exc.start + 1})") from exc
            if not text.strip():
                raise InputError("empty file")
            return text
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _mostly_utf8(data)
    if text is not None:
        bad = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
        if warnings is not None:
            warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD; "
                            "check the file's encoding")
        return text
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


def _mostly_utf8(data: bytes) -> str | None:
    """``data`` decoded as UTF-8 with replacement when it is UTF-8 with a few bad bytes: it has
    valid multi-byte characters, and its invalid bytes are few beside them."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if multibyte == 0 or bad > max(multibyte, BAD_UTF8_FEW, len(text) * BAD_UTF8_SHARE):
        return None
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
    """One document per line; each line is decoded and checked on its own, so a bad byte or
    a bad field spoils only its line."""
    if not data.strip():
        raise InputError("empty file")
    data = data.removeprefix(b"\xef\xbb\xbf")
    for lineno, raw_line in enumerate(data.split(b"\n"), start=1):
        raw_line = raw_line.removesuffix(b"\r")
        where = f"{source}:{lineno}"
        if not raw_line.strip():
            continue
        if b"\x00" in raw_line:
            yield ReadError(where, "contains a NUL byte (binary data), not a JSON line")
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield ReadError(where, f"invalid UTF-8 at byte {exc.start + 1}; save the file as "
                            "UTF-8")
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
        doc = RawDocument(source=where, text=body.replace("\x00", ""), format="jsonl",
                          input_hash=_hash(raw_line))
        try:
            doc.add_meta(row, "jsonl")
        except InputError as exc:
            yield ReadError(where, str(exc))
            continue
        yield doc


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port; refuse the others."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            raise InputError(f"redirected to another site or scheme ({newurl}); not followed. "
                             "Ingest that address directly if you trust it")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


def _read_url(url: str, settings: Settings) -> RawDocument:
    """Fetch ``url`` within ``settings.url_deadline`` seconds in all (each network wait at most
    ``settings.url_timeout``) and ``settings.url_max_bytes``; redirects only within the site."""
    try:
        _origin(url)  # a malformed address ("http://[::1") raises ValueError here
        request = urllib.request.Request(url, headers={"User-Agent": "detente (+text ingest)"})
    except ValueError as exc:
        raise InputError(f"malformed URL ({exc})") from exc
    opener = urllib.request.build_opener(_SameOriginRedirects())
    deadline = time.monotonic() + settings.url_deadline
    limit = settings.url_max_bytes
    try:
        with opener.open(request, timeout=settings.url_timeout) as response:
            content_type = response.headers.get("Content-Type", "")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise InputError(f"stopped after {settings.url_deadline:g} s with "
                                     f"{size:,} bytes read: the server sends too slowly; "
                                     "not ingested")
                chunk = response.read1(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise InputError(f"stopped at {limit / 2**20:g} MiB: the response is "
                                     "larger than the limit; not ingested")
            data = b"".join(chunks)
    except InputError:
        raise
    except urllib.error.HTTPError as exc:
        raise InputError(f"could not fetch URL: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException,
            ValueError) as exc:
        reason = getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}"
        raise InputError(
            f"could not fetch URL ({reason}); check the address or the network"
        ) from exc
    warnings: list[str] = []
    text = decode_bytes(data, warnings)
    if "html" in content_type or text.lstrip()[:1] == "<":
        doc = _from_html(url, text, data, url=url)
    else:
        doc = _from_text(url, text, data)
        doc.add_meta({"url": url}, "fetch")
    doc.warnings += warnings
    return doc
