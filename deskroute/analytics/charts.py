"""Charts as inline SVG, drawn here: no script, no fetched asset, no inline style (the review
site's Content-Security-Policy allows none), so they show in the dashboard, in the HTML file
of `deskroute report --html` and with JavaScript off. Each names itself for screen readers;
the views put the same numbers in a table beside it.

Colours keep at least 3:1 against white (WCAG 1.4.11 for graphics)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from deskroute.analytics.report import Day

CURRENT = "#1d4ed8"
PREVIOUS = "#64748b"
PREVIOUS_DARK = "#334155"
WARN = "#b45309"
INK = "#1f2937"
GRID = "#d1d5db"
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"


@dataclass(frozen=True)
class Series:
    """One stacked part of a day's bar, and its colour in the period before (greys)."""

    name: str
    value: Callable[[Day], int]
    colour: str
    before: str = PREVIOUS


def _axis(value: float) -> tuple[int, int]:
    """A round top at or above `value` and how many gridline steps to it: whole steps of
    1, 2, 2.5 (from 25 up) or 5 times a power of ten, four or five of them."""
    steps = sorted(
        m * 10**k for k in range(9) for m in (1, 2, 2.5, 5) if m * 10**k == int(m * 10**k)
    )
    return min(
        ((int(step * n), n) for step in steps for n in (4, 5) if step * n >= max(value, 1)),
        key=lambda pair: (pair[0], pair[1]),
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}" font-family="{FONT}">{escape(text)}</text>'
    )


def _frame(chart_id: str, title: str, summary: str, width: int, height: int, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>{body}</svg>'
    )


def daily_bars(
    chart_id: str,
    title: str,
    days: Sequence[Day],
    series: Sequence[Series],
    *,
    split: int | None = None,
) -> Markup:
    """A bar per day, its parts stacked; the days before `split` (the period before) drawn
    in grey, the rest in each series' colour."""
    width, height, left, bottom, top_pad = 560, 250, 44, 40, 34
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    totals = [sum(s.value(d) for s in series) for d in days]
    top, steps = _axis(max(totals, default=0))
    slot = plot_w / max(len(days), 1)
    bar = max(2.0, slot * 0.7)
    parts = []
    for i in range(steps + 1):  # grid lines and their labels
        value = top * i / steps
        y = top_pad + plot_h - plot_h * i / steps
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 12}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, f"{value:,.0f}", anchor="end", size=12))
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar) / 2
        base = float(top_pad + plot_h)
        earlier = split is not None and i < split
        for s in series:
            value = s.value(day)
            if not value:
                continue
            h = plot_h * value / top
            base -= h
            colour = s.before if earlier else s.colour
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(f"{day.start:%a %d %b}: {value:,} {s.name}")}'
                "</title></rect>"
            )
        if len(days) <= 16 or i % 2 == 0:
            parts.append(
                _text(
                    x + bar / 2, height - bottom + 16, f"{day.start:%a}", anchor="middle", size=11
                )
            )
            parts.append(
                _text(
                    x + bar / 2, height - bottom + 30, f"{day.start:%d}", anchor="middle", size=11
                )
            )
    if split is not None and 0 < split < len(days):
        x = left + split * slot
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_pad - 6}" x2="{x:.1f}" y2="{top_pad + plot_h}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
    legend_x = left
    for s in series:
        parts.append(_swatch(legend_x, 8, s.colour, s.name))
        legend_x += 24 + 8 * len(s.name) + 12
    if split is not None:
        parts.append(_swatch(legend_x, 8, series[0].before, "period before, grey"))
    summary = "; ".join(
        f"{d.start:%a %d %b}: " + ", ".join(f"{s.value(d):,} {s.name}" for s in series)
        for d in days
    )
    return _frame(chart_id, title, summary, width, height, "".join(parts))


def _swatch(x: float, y: float, colour: str, label: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{colour}"/>' + _text(
        x + 18, y + 11, label, size=12
    )


def paired_bars(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float, float | None]],
    *,
    show: Callable[[float], str] = lambda v: f"{v:,.0f}",
) -> Markup:
    """Horizontal bars, one pair per item: this period (blue) over the period before
    (grey, when there is one)."""
    compared = any(before is not None for _, _, before in items)
    row_h = 36 if compared else 22
    label_w, width = 170, 560
    height = 30 + row_h * max(len(items), 1)
    top = max([max(now, before or 0) for _, now, before in items] or [0]) or 1
    plot_w = width - label_w - 50
    parts = [_swatch(label_w, 6, CURRENT, "this period")]
    if compared:
        parts.append(_swatch(label_w + 120, 6, PREVIOUS, "period before"))
    for i, (label, now, before) in enumerate(items):
        y = 30 + i * row_h
        parts.append(_text(label_w - 8, y + 14, label, anchor="end", size=13))
        bars = [(now, CURRENT)] + ([(before, PREVIOUS)] if compared and before is not None else [])
        for j, (value, colour) in enumerate(bars):
            w = plot_w * value / top
            by = y + j * 15
            parts.append(
                f'<rect x="{label_w}" y="{by:.1f}" width="{max(w, 1):.1f}" height="13" '
                f'fill="{colour}"/>'
            )
            parts.append(_text(label_w + max(w, 1) + 6, by + 11, show(value), size=12))
    summary = "; ".join(
        f"{label}: {show(now)}" + (f" (before: {show(before)})" if before is not None else "")
        for label, now, before in items
    )
    return _frame(chart_id, title, summary, width, height, "".join(parts))
