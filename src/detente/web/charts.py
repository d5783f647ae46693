"""Charts drawn on the server as SVG (no script): counts over time, answers by kind, and a
matrix of who proposed to whom. Each chart comes with the numbers behind it (a table on the
page, CSV and JSON from the API). Every text in a drawing is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..store import Store

BAR_W_MAX = 28
PLOT_H = 180
LEFT = 44
ROW_H = 24


@dataclass(frozen=True)
class Chart:
    """A chart: its name, title, the columns and rows behind it, and how to draw it."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    kind: str  # bars | hbars | matrix

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def svg(self) -> Markup:
        draw = {"bars": _bars, "hbars": _hbars, "matrix": _matrix}[self.kind]
        return draw(self)


CHARTS = ("episodes-over-time", "events-over-time", "answers-by-kind", "dyads")


def chart(store: Store, name: str) -> Chart:
    """The chart ``name`` (one of :data:`CHARTS`) over what ``store`` holds."""
    if name == "episodes-over-time":
        return Chart(name, "Episodes per month (by start date)", ("month", "episodes"),
                     every_month(store.counts_by_month("episodes")), "bars")
    if name == "events-over-time":
        return Chart(name, "Coded events per month", ("month", "events"),
                     every_month(store.counts_by_month("events")), "bars")
    if name == "answers-by-kind":
        return Chart(name, "Answers to episodes, by kind", ("answer", "answers"),
                     list(store.answer_counts()), "hbars")
    if name == "dyads":
        return Chart(name, "Who proposed to whom (episodes)",
                     ("proposer", "addressee", "episodes"), list(store.dyad_counts()), "matrix")
    raise KeyError(name)


def every_month(counts: Sequence[tuple[str, int]], most: int = 600) -> list[tuple[str, int]]:
    """Monthly counts with the months between them that have none, as 0 (so that time runs
    evenly along the axis); as given when the span exceeds ``most`` months or a month is
    not YYYY-MM."""
    try:
        keys = [(int(m[:4]), int(m[5:7])) for m, _ in counts]
    except ValueError:
        return list(counts)
    if not keys:
        return []
    (y0, m0), (y1, m1) = keys[0], keys[-1]
    span = (y1 - y0) * 12 + m1 - m0 + 1
    if span > most or span < len(keys):
        return list(counts)
    have = dict(counts)
    out = []
    for i in range(span):
        y, m = y0 + (m0 - 1 + i) // 12, (m0 - 1 + i) % 12 + 1
        out.append((f"{y:04d}-{m:02d}", have.get(f"{y:04d}-{m:02d}", 0)))
    return out


def _open(c: Chart, width: float, height: float) -> str:
    return (f'<svg class="chart chart-{escape(c.name)}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
            f'role="img" aria-labelledby="chart-{escape(c.name)}-title">'
            f'<title id="chart-{escape(c.name)}-title">{escape(c.title)}</title>')


def _empty(c: Chart) -> Markup:
    return Markup(_open(c, 320, 40) + '<text x="8" y="24" class="empty">Nothing to count '
                  'yet.</text></svg>')


def _bars(c: Chart) -> Markup:
    """Vertical bars, one per row (label, count), labels thinned to fit."""
    if not c.rows:
        return _empty(c)
    n = len(c.rows)
    bar = max(4.0, min(BAR_W_MAX, 640 / n))
    width = LEFT + n * bar + 16
    top = max(int(row[1]) for row in c.rows) or 1
    parts = [_open(c, width, PLOT_H + 50),
             f'<line class="axis" x1="{LEFT}" y1="{PLOT_H + 10}" x2="{width - 8:.0f}" '
             f'y2="{PLOT_H + 10}"/>',
             f'<text class="tick-label" x="{LEFT - 6}" y="18" text-anchor="end">{top}</text>',
             f'<text class="tick-label" x="{LEFT - 6}" y="{PLOT_H + 10}" '
             f'text-anchor="end">0</text>']
    every = max(1, int(60 // bar) + 1)
    for i, (label, count) in enumerate(c.rows):
        h = PLOT_H * int(count) / top
        x = LEFT + i * bar
        parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{PLOT_H + 10 - h:.1f}" '
                     f'width="{bar - 2:.1f}" height="{h:.1f}"><title>{escape(label)}: '
                     f'{int(count)}</title></rect>')
        if i % every == 0:
            parts.append(f'<text class="tick-label" x="{x + bar / 2:.1f}" y="{PLOT_H + 28}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _hbars(c: Chart) -> Markup:
    """Horizontal bars, one per row (label, count), with the count written at the end."""
    if not c.rows:
        return _empty(c)
    label_w = 110
    top = max(int(row[1]) for row in c.rows) or 1
    width = 520
    parts = [_open(c, width, len(c.rows) * ROW_H + 10)]
    for i, (label, count) in enumerate(c.rows):
        y = 5 + i * ROW_H
        w = (width - label_w - 50) * int(count) / top
        parts.append(f'<text class="bar-label" x="{label_w - 8}" y="{y + 16}" '
                     f'text-anchor="end">{escape(label)}</text>'
                     f'<rect class="bar answer-{escape(label)}" x="{label_w}" y="{y + 3}" '
                     f'width="{w:.1f}" height="{ROW_H - 8}"/>'
                     f'<text class="bar-value" x="{label_w + w + 6:.1f}" y="{y + 16}">'
                     f'{int(count)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _matrix(c: Chart, limit: int = 15) -> Markup:
    """A grid of proposers (rows) by addressees (columns), the most active ``limit`` of
    each, cells shaded by count and labelled with it."""
    if not c.rows:
        return _empty(c)
    props = _top([(r[0], int(r[2])) for r in c.rows], limit)
    addrs = _top([(r[1], int(r[2])) for r in c.rows], limit)
    counts = {(r[0], r[1]): int(r[2]) for r in c.rows}
    top = max(counts.values()) or 1
    cell, left, head = 30, 70, 60
    width, height = left + cell * len(addrs) + 10, head + cell * len(props) + 10
    parts = [_open(c, width, height)]
    for j, a in enumerate(addrs):
        x = left + j * cell + cell / 2
        parts.append(f'<text class="tick-label" transform="translate({x:.0f} {head - 6}) '
                     f'rotate(-45)">{escape(a)}</text>')
    for i, p in enumerate(props):
        y = head + i * cell
        parts.append(f'<text class="tick-label" x="{left - 6}" y="{y + cell / 2 + 4:.0f}" '
                     f'text-anchor="end">{escape(p)}</text>')
        for j, a in enumerate(addrs):
            n = counts.get((p, a), 0)
            x = left + j * cell
            shade = 0.12 + 0.88 * n / top if n else 0
            parts.append(f'<rect class="cell" x="{x}" y="{y}" width="{cell - 2}" '
                         f'height="{cell - 2}" fill-opacity="{shade:.2f}"><title>'
                         f'{escape(p)} → {escape(a)}: {n}</title></rect>')
            if n:
                parts.append(f'<text class="cell-value{" dark" if shade > .55 else ""}" '
                             f'x="{x + cell / 2 - 1:.0f}" y="{y + cell / 2 + 4:.0f}" '
                             f'text-anchor="middle">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _top(pairs: Sequence[tuple[str, int]], limit: int) -> list[str]:
    totals: dict[str, int] = {}
    for code, n in pairs:
        totals[code] = totals.get(code, 0) + n
    return [c for c, _ in sorted(totals.items(), key=lambda x: (-x[1], x[0]))[:limit]]
