"""Untrusted text with character spans marked as ``<mark>`` elements, safely escaped.

Every piece of text and every attribute value goes through :func:`markupsafe.escape`; only
the composed result is :class:`~markupsafe.Markup`. Overlapping spans nest; a span that
crosses another is closed and reopened around it, so the HTML is always well formed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

_ATTR_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` (offsets in the document) to mark with ``cls``."""

    start: int | None
    end: int | None
    cls: str
    title: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    cls: str
    title: str | None
    attrs: tuple[tuple[str, str], ...]


def _marks(spans: Iterable[Span], offset: int, n: int) -> list[_Mark]:
    """Spans inside the text, relative to it; one per (start, end, cls), with the titles
    joined by blank lines and the attribute values by spaces."""
    merged: dict[tuple[int, int, str], _Mark] = {}
    for s in spans:
        if s.start is None or s.end is None:
            continue
        start, end = s.start - offset, s.end - offset
        if not 0 <= start < end <= n:
            continue
        old = merged.get((start, end, s.cls))
        if old is None:
            merged[(start, end, s.cls)] = _Mark(start, end, s.cls, s.title, s.attrs)
            continue
        title = "\n\n".join(t for t in (old.title, s.title) if t) or None
        attrs = dict(old.attrs)
        for name, value in s.attrs:
            attrs[name] = f"{attrs[name]} {value}" if name in attrs else value
        merged[(start, end, s.cls)] = _Mark(start, end, s.cls, title, tuple(attrs.items()))
    return list(merged.values())


def _open(span: _Mark) -> str:
    parts = [f'<mark class="{escape(span.cls)}"']
    if span.title:
        parts.append(f' title="{escape(span.title)}"')
    for name, value in span.attrs:
        if not _ATTR_NAME.match(name):
            raise ValueError(f"bad attribute name {name!r}")
        parts.append(f' {name}="{escape(value)}"')
    return "".join(parts) + ">"


def highlight(text: str, spans: Iterable[Span], offset: int = 0) -> Markup:
    """``text`` (which starts at document offset ``offset``) with ``spans`` marked.

    Spans without offsets, empty or outside the text are skipped.
    """
    n = len(text)
    local = _marks(spans, offset, n)
    starts: dict[int, list[_Mark]] = {}
    for s in local:
        starts.setdefault(s.start, []).append(s)
    bounds = sorted({0, n} | {s.start for s in local} | {s.end for s in local})
    out: list[str] = []
    stack: list[_Mark] = []
    pos = 0
    for b in bounds:
        out.append(str(escape(text[pos:b])))
        pos = b
        if any(s.end == b for s in stack):
            reopen: list[_Mark] = []
            while any(s.end == b for s in stack):
                top = stack.pop()
                out.append("</mark>")
                if top.end != b:
                    reopen.append(top)
            for s in reversed(reopen):
                out.append(_open(s))
                stack.append(s)
        for s in sorted(starts.get(b, []), key=lambda s: -s.end):
            out.append(_open(s))
            stack.append(s)
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out))
