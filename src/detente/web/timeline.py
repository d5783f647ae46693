"""Episodes over time as an SVG drawing, built as a string on the server (no script needed).

One lane per proposer (a joint proposal goes to the lane of its proposer with the most
episodes, so one country's offers stay together), time along x. An episode is a shape
for its kind at its start date, with a bar to its end date when it lasts more than a day, and
small marks for its answers. Each is a link ``<a class="episode" data-id=...>`` to its
dossier. Every text in the drawing is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

LABEL_W = 130
UNDATED_W = 50
RIGHT = 30
TOP = 34
ROW_H = 22
MARK_R = 6

SHAPES = {
    "proposal": "circle",
    "talks": "square",
    "agreement": "diamond",
    "ceasefire": "triangle",
    "mediation": "hexagon",
}
ANSWER_GLYPHS = {
    "accepted": "M-3 0 L-1 3 L3.5 -3.5",          # tick
    "rejected": "M-3 -3 L3 3 M3 -3 L-3 3",         # cross
    "refused": "M-3.5 -3.5 L3.5 3.5 M-3.5 0 A3.5 3.5 0 1 1 -3.5 0.01",  # slashed circle
    "subverted": "M-4 2 L-1.5 -2.5 L1 2 L3.5 -2.5",  # zigzag
    "ignored": "M-3.5 0 L3.5 0",                   # dash
    "abandoned": "M-3 3 L3 -3 M-3.5 -3.5 L3.5 -3.5 L3.5 3.5 L-3.5 3.5 Z",  # struck box
    "threatened": "M0 -4 L0 1.5 M0 3 L0 4",          # exclamation mark
}


@dataclass
class _Item:
    ep: Mapping[str, Any]
    start: date | None
    end: date | None
    x0: float = 0.0
    x1: float = 0.0
    row: int = 0


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def lane_of(ep: Mapping[str, Any], weight: Mapping[str, int] | None = None) -> str:
    """The lane: the proposer (of joint proposers, the one with most episodes in
    ``weight``, then the first), or '?' when nobody is known to propose."""
    proposers = list(ep.get("proposer") or [])
    if not proposers:
        return "?"
    weight = weight or {}
    return min(proposers, key=lambda c: (-weight.get(c, 0), proposers.index(c)))


def _short(label: str, room: int = 18) -> str:
    """A lane label that fits its column: 'FRA, UKR +2' for four joint proposers."""
    if len(label) <= room:
        return label
    codes = label.split(", ")
    shown: list[str] = []
    for code in codes:
        if len(", ".join([*shown, code])) + 4 > room:
            break
        shown.append(code)
    if not shown:
        return label[:room - 1] + "…"
    return f"{', '.join(shown)} +{len(codes) - len(shown)}"


def shape(kind: str, x: float, y: float, r: float = MARK_R) -> str:
    """The SVG element drawing ``kind`` centred on (x, y)."""
    form = SHAPES.get(kind, "circle")
    if form == "square":
        return (f'<rect class="shape" x="{x - r + 1:.1f}" y="{y - r + 1:.1f}" '
                f'width="{2 * r - 2:.1f}" height="{2 * r - 2:.1f}"/>')
    if form == "diamond":
        points = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    elif form == "triangle":
        points = [(x, y - r - 1), (x + r + 1, y + r - 1), (x - r - 1, y + r - 1)]
    elif form == "hexagon":
        h = r * 0.87
        points = [(x - r / 2, y - h), (x + r / 2, y - h), (x + r, y), (x + r / 2, y + h),
                  (x - r / 2, y + h), (x - r, y)]
    else:
        return f'<circle class="shape" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    text = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return f'<polygon class="shape" points="{text}"/>'


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    """Axis ticks: years, months or days, at most about a dozen."""
    days = (hi - lo).days
    if days > 3 * 365:
        step = max(1, (hi.year - lo.year) // 12 + 1)
        return [(date(y, 1, 1), str(y)) for y in range(lo.year + 1, hi.year + 1, step)]
    if days > 75:
        months = (hi.year - lo.year) * 12 + hi.month - lo.month
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 12)
        out = []
        y, m = lo.year, lo.month
        while True:
            m += 1
            if m > 12:
                y, m = y + 1, 1
            d = date(y, m, 1)
            if d > hi:
                return out
            if (m - 1) % step == 0:
                out.append((d, d.strftime("%Y-%m") if m == 1 or not out else d.strftime("%b")))
    step = next(s for s in (1, 2, 7, 14, 28) if days / s <= 12)
    return [(lo + timedelta(days=i), (lo + timedelta(days=i)).isoformat())
            for i in range(0, days + 1, step)]


def _pack(items: list[_Item]) -> int:
    """Put overlapping items of one lane on separate rows; returns the number of rows."""
    ends: list[float] = []
    for it in sorted(items, key=lambda i: (i.x0, i.x1)):
        right = it.x1 + 10 * len(it.ep.get("answers") or [])
        for row, last in enumerate(ends):
            if it.x0 > last + 3 * MARK_R + 4:
                it.row, ends[row] = row, right
                break
        else:
            it.row = len(ends)
            ends.append(right)
    return max(1, len(ends))


def _tooltip(ep: Mapping[str, Any]) -> str:
    when = ep.get("date_start") or "undated"
    if ep.get("date_end") and ep.get("date_end") != ep.get("date_start"):
        when += f" to {ep['date_end']}"
    disputed = (f" · disputed ({ep['n_disagreements']} disagreement(s))"
                if ep.get("n_disagreements") else "")
    lines = [str(ep.get("title") or ep.get("id")) + disputed,
             f"{ep.get('kind')} · {when} ({ep.get('date_precision') or '?'})",
             f"{', '.join(ep.get('proposer') or []) or '?'} → "
             f"{', '.join(ep.get('addressee') or []) or '?'}"]
    for a in ep.get("answers") or []:
        lines.append(f"answer: {', '.join(str(b) for b in a.get('by') or [])} {a.get('kind')}")
    lines.append(f"{ep.get('n_sources', 0)} source(s)")
    return "\n".join(lines)


def timeline_svg(episodes: Sequence[Mapping[str, Any]], width: int = 820) -> Markup:
    """The timeline of ``episodes`` (rows of :meth:`Store.episodes`) as an ``<svg>``."""
    items = [_Item(ep, _day(ep.get("date_start")), _day(ep.get("date_end"))) for ep in episodes]
    dated = [it for it in items if it.start]
    has_undated = len(dated) < len(items)
    plot0 = LABEL_W + (UNDATED_W if has_undated else 0)
    # Room on the right for the answer marks drawn after the last episode's end.
    most_answers = max((len(it.ep.get("answers") or []) for it in dated), default=0)
    plot1 = width - max(RIGHT, min(MARK_R + 10 + 10 * most_answers, width // 4))
    if dated:
        lo = min(it.start for it in dated if it.start)
        hi = max(max(it.end or it.start, it.start) for it in dated if it.start)
    else:
        lo = hi = date.today()
    pad = max(15, (hi - lo).days // 40)
    lo, hi = lo - timedelta(days=pad), hi + timedelta(days=pad)
    scale = (plot1 - plot0) / max(1, (hi - lo).days)

    def x_of(d: date) -> float:
        return plot0 + (d - lo).days * scale

    for it in items:
        if it.start:
            it.x0 = x_of(it.start)
            it.x1 = max(it.x0, x_of(max(it.end or it.start, it.start)))
        else:
            it.x0 = it.x1 = LABEL_W + UNDATED_W / 2
    weight: dict[str, int] = {}
    for it in items:
        for code in it.ep.get("proposer") or []:
            weight[code] = weight.get(code, 0) + 1
    lanes: dict[str, list[_Item]] = {}
    for it in sorted(items, key=lambda i: (i.start or date.min, str(i.ep.get("id")))):
        lanes.setdefault(lane_of(it.ep, weight), []).append(it)
    order = sorted(lanes, key=lambda k: (k == "?", min(i.start or date.min for i in lanes[k]),
                                         k))
    parts: list[str] = []
    y = TOP
    for n, lane in enumerate(order):
        rows = _pack(lanes[lane])
        height = rows * ROW_H + 6
        parts.append(f'<g class="lane" data-lane="{escape(lane)}">')
        if n % 2:
            parts.append(f'<rect class="lane-bg" x="0" y="{y}" width="{width}" '
                         f'height="{height}"/>')
        parts.append(f'<text class="lane-label" x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 7:.1f}" '
                     f'text-anchor="end"><title>{escape(lane)}</title>'
                     f'{escape(_short(lane))}</text>')
        for it in lanes[lane]:
            cy = y + 3 + it.row * ROW_H + ROW_H / 2
            parts.append(_episode(it, cy))
        parts.append("</g>")
        y += height
    plot_bottom = y
    axis = [f'<line class="axis" x1="{plot0}" y1="{TOP - 4}" x2="{plot1}" y2="{TOP - 4}"/>']
    if dated:
        for d, label in _ticks(lo, hi):
            x = x_of(d)
            axis.append(f'<line class="tick" x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" '
                        f'y2="{plot_bottom}"/>')
            axis.append(f'<text class="tick-label" x="{x:.1f}" y="{TOP - 12}" '
                        f'text-anchor="middle">{escape(label)}</text>')
    if has_undated:
        axis.append(f'<text class="tick-label" x="{LABEL_W + UNDATED_W / 2:.1f}" '
                    f'y="{TOP - 12}" text-anchor="middle">undated</text>')
    if not items:
        parts.append(f'<text class="empty" x="{width / 2}" y="{TOP + 24}" '
                     f'text-anchor="middle">No episodes match these filters.</text>')
        plot_bottom = TOP + 40
    legend, legend_h = _legend(plot_bottom + 16, width)
    height = int(plot_bottom + legend_h)
    return Markup(
        f'<svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="timeline-title">'
        f'<title id="timeline-title">Timeline of {len(items)} negotiation episodes, one lane '
        f'per proposer</title>' + "".join(axis) + "".join(parts) + legend
        + "</svg>"
    )


def _episode(it: _Item, cy: float) -> str:
    ep = it.ep
    ep_id = str(ep.get("id"))
    kind = str(ep.get("kind") or "")
    disputed = " disputed" if ep.get("n_disagreements") else ""
    out = [f'<a class="episode kind-{escape(kind)}{disputed}" data-id="{escape(ep_id)}" '
           f'href="/episodes/{escape(quote(ep_id, safe=""))}">',
           f"<title>{escape(_tooltip(ep))}</title>"]
    n_answers = len(ep.get("answers") or [])
    right = it.x1 + MARK_R + 2 + (10 * n_answers + 4 if n_answers else 0)
    out.append(f'<rect class="hit" x="{it.x0 - MARK_R - 2:.1f}" y="{cy - MARK_R - 2:.1f}" '
               f'width="{right - it.x0 + MARK_R + 2:.1f}" height="{2 * MARK_R + 4}"/>')
    if it.x1 - it.x0 >= 1:
        out.append(f'<rect class="range" x="{it.x0:.1f}" y="{cy - 3:.1f}" '
                   f'width="{it.x1 - it.x0:.1f}" height="6" rx="3"/>')
    if disputed:
        out.append(f'<circle class="disputed-ring" cx="{it.x0:.1f}" cy="{cy:.1f}" '
                   f'r="{MARK_R + 3}"/>')
    out.append(shape(kind, it.x0, cy))
    for n, answer in enumerate(ep.get("answers") or []):
        akind = str(answer.get("kind") or "rejected")
        glyph = ANSWER_GLYPHS.get(akind, ANSWER_GLYPHS["rejected"])
        ax = it.x1 + MARK_R + 6 + n * 10
        out.append(f'<path class="answer answer-{escape(akind)}" '
                   f'transform="translate({ax:.1f} {cy:.1f})" d="{glyph}"/>')
    out.append("</a>")
    return "".join(out)


def _legend_step(label: str) -> int:
    """Room for a legend entry: its symbol, its label (about 8 px a letter) and a gap."""
    return 10 + 8 * len(label) + 16


def _legend(y: float, width: int) -> tuple[str, float]:
    """The legend (kinds, then every answer kind, then 'disputed'), wrapped to ``width``;
    and its height."""
    entries: list[tuple[str, str]] = []
    for kind in SHAPES:
        entries.append((kind, f'<g class="kind-{kind}">{{shape}}</g>'))
    for akind in ANSWER_GLYPHS:
        entries.append((akind, f'<path class="answer answer-{akind}" transform="translate'
                               f'({{x}} {{y}})" d="{ANSWER_GLYPHS[akind]}"/>'))
    entries.append(("disputed", '<circle class="disputed-ring" cx="{x}" cy="{y}" r="8"/>'))
    out = ['<g class="legend">']
    x, row_y = 12.0, y
    for n, (label, symbol) in enumerate(entries):
        step = _legend_step(label)
        if x + step > width:
            x, row_y = 12.0, row_y + 22
        kind = SHAPES.get(label)
        mark = (symbol.replace("{shape}", shape(label, x, row_y)) if kind and n < len(SHAPES)
                else symbol.format(x=f"{x:.1f}", y=f"{row_y:.1f}"))
        out.append(f'{mark}<text class="legend-label" x="{x + 11:.1f}" '
                   f'y="{row_y + 4:.1f}">{label}</text>')
        x += step
    out.append("</g>")
    return "".join(out), row_y - y + 30
