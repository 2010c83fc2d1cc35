"""Self-contained HTML pieces (inline CSS and SVG, no scripts or external files)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

__all__ = ["escape", "heatmap", "page", "quotes", "section", "table", "curve_svg"]

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#1d1d1f}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .6rem;border:1px solid #e3e3e3}
th{background:#f6f6f8;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.cm td{width:11px;height:11px;padding:0;border:1px solid #fff}.cm th{font-size:9px;padding:0 3px}
.muted{color:#777}.bad{color:#b00020}.good{color:#0a7d32}blockquote{margin:.2rem 0;color:#444}
"""


def page(title: str, sections: Iterable[str]) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
        + "".join(sections)
        + "</body></html>"
    )


def section(title: str, body: str, anchor: str) -> str:
    return f"<section id='{anchor}'><h2>{escape(title)}</h2>{body}</section>"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"<td class='num'>{value:.4f}</td>"
    if isinstance(value, int):
        return f"<td class='num'>{value}</td>"
    if value is None:
        return "<td class='muted'>-</td>"
    return f"<td>{escape(str(value))}</td>"


def heatmap(labels: Sequence[str], counts: Sequence[Sequence[int]]) -> str:
    """Confusion matrix: rows are true labels, columns predictions; shade by row share."""
    head = "".join(f"<th title='{escape(lb)}'>{i}</th>" for i, lb in enumerate(labels))
    rows = []
    for i, (label, row) in enumerate(zip(labels, counts, strict=True)):
        total = sum(row) or 1
        cells = []
        for j, count in enumerate(row):
            share = count / total
            hue = 140 if i == j else 0
            colour = f"hsl({hue},70%,{100 - 55 * share:.0f}%)" if count else "#fafafa"
            cells.append(
                f"<td style='background:{colour}' title='{escape(label)} → "
                f"{escape(labels[j])}: {count}'></td>"
            )
        rows.append(
            f"<tr><th title='{escape(label)}'>{i} {escape(label[:28])}</th>"
            + "".join(cells)
            + "</tr>"
        )
    return f"<table class='cm'><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def curve_svg(
    points: Sequence[tuple[float, float]],
    marker: tuple[float, float] | None,
    x_label: str,
    y_label: str,
    y_min: float,
) -> str:
    """A line chart of (x, y) in [0,1] x [y_min,1], with the operating point circled."""
    width, height, pad = 640, 380, 50

    def xy(x: float, y: float) -> tuple[float, float]:
        return (
            pad + x * (width - 2 * pad),
            height - pad - (y - y_min) / (1 - y_min) * (height - 2 * pad),
        )

    line = " ".join(f"{a:.1f},{b:.1f}" for a, b in (xy(x, max(y, y_min)) for x, y in points))
    ticks = "".join(
        f"<text x='{xy(t / 10, y_min)[0]:.0f}' y='{height - pad + 18}' font-size='11' "
        f"text-anchor='middle'>{t / 10:.1f}</text>"
        for t in range(0, 11, 2)
    )
    yticks = "".join(
        f"<text x='{pad - 8}' y='{xy(0, v)[1] + 4:.0f}' font-size='11' text-anchor='end'>"
        f"{v:.2f}</text>"
        for v in [y_min + k * (1 - y_min) / 5 for k in range(6)]
    )
    mark = ""
    if marker is not None:
        mx, my = xy(*marker)
        mark = (
            f"<circle cx='{mx:.1f}' cy='{my:.1f}' r='6' fill='#b00020'/>"
            f"<text x='{mx + 10:.1f}' y='{my - 10:.1f}' font-size='12' fill='#b00020'>"
            f"operating point ({marker[0]:.3f}, {marker[1]:.3f})</text>"
        )
    return (
        f"<svg width='{width}' height='{height}' xmlns='http://www.w3.org/2000/svg'>"
        f"<rect x='{pad}' y='{pad}' width='{width - 2 * pad}' height='{height - 2 * pad}' "
        f"fill='none' stroke='#ccc'/>{ticks}{yticks}"
        f"<polyline points='{line}' fill='none' stroke='#3355cc' stroke-width='2'/>{mark}"
        f"<text x='{width / 2}' y='{height - 8}' font-size='12' text-anchor='middle'>"
        f"{escape(x_label)}</text><text x='14' y='{height / 2}' font-size='12' "
        f"transform='rotate(-90 14 {height / 2})' text-anchor='middle'>{escape(y_label)}"
        f"</text></svg>"
    )


def quotes(texts: Iterable[str], limit: int = 200) -> str:
    return "".join(f"<blockquote>{escape(t[:limit])}</blockquote>" for t in texts)
