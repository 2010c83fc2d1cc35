"""`deskroute eval --report DIR`: one self-contained HTML page a team lead can read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from deskroute.evaluation import html
from deskroute.evaluation.compare import Comparison
from deskroute.evaluation.metrics import EvalResult, Predictions, confused_pairs, coverage_curve

if TYPE_CHECKING:  # shadow.py imports the graph; `eval --report` needs neither
    from deskroute.evaluation.shadow import ShadowResult

HEADLINE = [
    ("accuracy", "Top-1 accuracy (in-scope rows, ignoring the gate)"),
    ("macro_f1", "Macro F1"),
    ("coverage", "Coverage (share of all rows auto-routed)"),
    ("covered_accuracy", "Accuracy of auto-routed rows"),
    ("escalation_rate", "Escalated to a person"),
    ("oos_recall", "Out-of-scope rows escalated"),
    ("in_scope_routed_accuracy", "In-scope rows correctly auto-routed"),
]


def _confusion(result: EvalResult, rows: Predictions) -> tuple[list[str], list[list[int]]]:
    labels = sorted(set(rows.classes) | {t for t in rows.truth if t is not None})
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=int)
    for truth, predicted in zip(rows.truth, rows.predicted, strict=True):
        if truth is not None:
            counts[index[truth], index[rows.classes[predicted]]] += 1
    return labels, counts.tolist()


def _model_sections(result: EvalResult, rows: Predictions, *, name: str = "") -> list[str]:
    """A model's headline, curve, confusion matrix, per-label table and confused pairs; with
    `name`, titles and anchors carry it, so that two models fit on one page."""
    anchor = f"{name}-" if name else ""
    title = f"{result.model}: " if name else ""
    headline = html.table(
        ["metric", "value"],
        [(label, getattr(result, key)) for key, label in HEADLINE]
        + [
            ("rows (in scope / out of scope)", f"{result.n} ({result.in_scope} / {result.oos})"),
            ("target precision of the thresholds", result.threshold.target_precision),
            ("global threshold", result.threshold.global_threshold),
        ],
    )
    curve = coverage_curve(rows)
    operating = (result.coverage, result.covered_accuracy or 0.0)
    y_min = max(0.0, min((p for _, _, p in curve), default=0.0) - 0.02)
    chart = html.curve_svg(
        [(c, p) for _, c, p in curve],
        operating,
        "coverage (share auto-routed)",
        "accuracy of routed rows",
        y_min,
    )
    labels, counts = _confusion(result, rows)
    per_label = html.table(
        ["label", "precision", "recall", "F1", "support"],
        [
            (label, m.precision, m.recall, m.f1, m.support)
            for label, m in sorted(result.per_label.items(), key=lambda kv: kv[1].f1)
        ],
    )
    pairs = (
        "<table><tr><th>true label</th><th>predicted</th><th>count</th><th>examples</th></tr>"
        + "".join(
            f"<tr><td>{html.escape(t)}</td><td>{html.escape(p)}</td>"
            f"<td class='num'>{n}</td><td>{html.quotes(ex)}</td></tr>"
            for t, p, n, ex in confused_pairs(rows)
        )
        + "</table>"
    )
    return [
        html.section(f"{title}Headline metrics", headline, f"{anchor}headline"),
        html.section(
            f"{title}Coverage and accuracy",
            "<p>Each point is one global confidence threshold; the red point is the "
            "model's calibrated per-category thresholds.</p>" + chart,
            f"{anchor}curve",
        ),
        html.section(
            f"{title}Confusion matrix",
            "<p>Rows: true label; columns: predicted (hover for names and counts).</p>"
            + html.heatmap(labels, counts),
            f"{anchor}confusion",
        ),
        html.section(f"{title}Per label (worst F1 first)", per_label, f"{anchor}labels"),
        html.section(f"{title}Most confused pairs", pairs, f"{anchor}confused"),
    ]


def _write(directory: Path, title: str, data: str, sections: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = f"<p class='muted'>{html.escape(data)} · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>"
    path = directory / "index.html"
    path.write_text(html.page(title, [stamp, *sections]), encoding="utf-8")
    return path


def write_report(result: EvalResult, rows: Predictions, directory: Path, data: str) -> Path:
    return _write(
        directory, f"DeskRoute evaluation: {result.model}", data, _model_sections(result, rows)
    )


def write_comparison_report(
    first: tuple[EvalResult, Predictions],
    second: tuple[EvalResult, Predictions],
    comparison: Comparison,
    directory: Path,
    data: str,
) -> Path:
    """`eval --compare --report`: both models side by side with the deltas, then each model's
    own sections, on one page."""
    (a, a_rows), (b, b_rows) = first, second
    side_by_side = html.table(
        ["metric", f"{a.model} (first)", f"{b.model} (second)", "Δ (first − second)"],
        [
            (label, getattr(a, key), getattr(b, key), comparison.headline[key])
            for key, label in HEADLINE
        ],
    )
    deltas = html.table(
        ["label", "ΔF1", "Δprecision", "Δrecall", "support"],
        [(d.label, d.f1, d.precision, d.recall, d.support) for d in comparison.per_label],
    )
    return _write(
        directory,
        f"DeskRoute evaluation: {a.model} compared with {b.model}",
        data,
        [
            html.section("Side by side", side_by_side, "compare"),
            html.section("Per-label changes (largest F1 change first)", deltas, "deltas"),
            *_model_sections(a, a_rows, name="first"),
            *_model_sections(b, b_rows, name="second"),
        ],
    )


def write_shadow_report(result: ShadowResult, directory: Path, data: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    headline = html.table(
        ["measure", "value"],
        [
            ("tickets", result.n),
            ("the model is sure of the category", result.confident),
            ("the model is unsure (would escalate)", result.unsure),
            ("agreement with people (sure rows)", result.agreement),
            ("best-guess agreement (unsure rows)", result.fallback_agreement),
            ("compared as", result.mapping),
        ],
    )
    mapping = (
        html.table(
            ["model category", "assigned label it stands for"], sorted(result.learned_map.items())
        )
        if result.learned_map
        else ""
    )
    per_target = html.table(
        ["target", "model sent", "people sent", "agreed", "precision", "recall"],
        [
            (t.target, t.proposed, t.assigned, t.agreed, t.precision, t.recall)
            for t in result.per_target
        ],
    )
    disagreements = html.table(
        ["row", "people sent it to", "model would send it to", "confidence", "ticket"],
        [
            (d.row, d.assigned, d.proposed, d.confidence, d.text[:240])
            for d in result.disagreements[:200]
        ],
    )
    page = html.page(
        "DeskRoute shadow mode",
        [
            f"<p class='muted'>{html.escape(data)} · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>",
            html.section("Agreement", headline + mapping, "agreement"),
            html.section("Per queue", per_target, "queues"),
            html.section(
                "Disagreements (most confident first)",
                "<p>A confident disagreement is often a mistake in the history: review "
                "these first.</p>" + disagreements,
                "disagreements",
            ),
        ],
    )
    path = directory / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
