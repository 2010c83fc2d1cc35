"""How model versions, training results and gate decisions look in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from deskroute.registry.gates import GateDecision
from deskroute.registry.training import Trained
from deskroute.registry.views import VersionDetail, VersionSummary

STATUS_STYLE = {"promoted": "green", "candidate": "cyan", "refused": "red", "retired": "dim"}


def _pct(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "-"


def gate_lines(decision: GateDecision) -> list[Text]:
    lines = [Text("gates: passed" if decision.passed else "gates: failed", style="bold")]
    for check in decision.checks:
        mark, style = ("ok  ", "green") if check.passed else ("FAIL", "red")
        lines.append(Text(f"  {mark} {check.reason}", style=style))
    return lines


def trained_table(trained: Trained) -> Table:
    table = Table(title=f"model {trained.version}", show_header=False)
    table.add_row("status", Text(trained.status, style=STATUS_STYLE.get(trained.status, "")))
    table.add_row("saved to", trained.path)
    rows = f"{trained.rows:,}"
    extra = [f"{trained.held_out} in the evaluation set left out"] if trained.held_out else []
    if trained.skipped:
        extra.append(f"{trained.skipped} invalid skipped")
    table.add_row("training rows", rows + (f" ({'; '.join(extra)})" if extra else ""))
    used = trained.corrections
    if used is not None:
        table.add_row(
            "reviewers' labels",
            f"{used.count} used, weight {used.weight:g}: {trained.overridden} base rows "
            f"relabelled, {trained.added} new texts",
        )
    if trained.conflicts:
        table.add_row(
            "disputed",
            Text(
                f"{len(trained.conflicts)} text(s) left out: reviewers disagree "
                "(deskroute corrections conflicts)",
                style="yellow",
            ),
        )
    ev = trained.eval_set
    table.add_row("evaluation set", f"{ev.rows:,} rows, {ev.kind}: {ev.source}")
    report = trained.report
    table.add_row(
        "on it",
        f"accuracy {_pct(report.accuracy)}; routes {_pct(report.coverage)} at "
        f"{_pct(report.covered_accuracy)} (target precision {report.target_precision:.2f})",
    )
    table.add_row("training time", f"{trained.train_seconds:.1f} s")
    return table


def versions_table(rows: Sequence[VersionSummary]) -> Table:
    """Figures on the evaluation set: accuracy, share routed, accuracy of those routed."""
    table = Table(
        "version", "status", "created", "rows", "labels", "acc", "routed", "at", "gates", "by"
    )
    for row in rows:
        table.add_row(
            row.version,
            Text(row.status, style=STATUS_STYLE.get(row.status, "")),
            row.created_at.strftime("%m-%d %H:%M"),
            f"{row.rows:,}" if row.rows is not None else "-",
            str(row.corrections),
            _pct(row.accuracy),
            _pct(row.coverage),
            _pct(row.covered_accuracy),
            {True: "passed", False: "failed", None: "-"}[row.passed],
            row.promoted_by or "",
        )
    return table


def version_detail(detail: VersionDetail) -> list[Table | Text]:
    facts = Table(title=f"model {detail.version}", show_header=False)
    facts.add_row("status", Text(detail.status, style=STATUS_STYLE.get(detail.status, "")))
    facts.add_row("file", detail.path)
    facts.add_row("created", detail.created_at.isoformat(timespec="seconds"))
    if detail.promoted_at is not None:
        facts.add_row(
            "promoted",
            f"{detail.promoted_at.isoformat(timespec='seconds')} by {detail.promoted_by}",
        )
    source = detail.training.get("source", {})
    facts.add_row(
        "data", f"{source.get('path') or 'policies/examples'} (digest {detail.data_digest})"
    )
    facts.add_row("training rows", str(detail.training.get("rows", "-")))
    used = detail.corrections_used
    if used is not None:
        newest = used.newest_at.isoformat(timespec="seconds") if used.newest_at else "-"
        facts.add_row(
            "reviewers' labels",
            f"{used.count} (weight {used.weight:g}, newest {newest}, through correction "
            f"#{used.through_id}; {used.conflicts} disputed left out)",
        )
    if detail.eval_set is not None:
        ev = detail.eval_set
        facts.add_row("evaluation set", f"{ev.rows:,} rows, {ev.kind}: {ev.source} ({ev.digest})")
    report = detail.report
    facts.add_row(
        "on it",
        f"accuracy {_pct(report.get('accuracy'))}; routes {_pct(report.get('coverage'))} at "
        f"{_pct(report.get('covered_accuracy'))}; escalates {_pct(report.get('escalation_rate'))}",
    )
    th = detail.thresholds
    if th:
        facts.add_row(
            "thresholds",
            f"global {th['global_threshold']:.3f} for precision {th['target_precision']:.2f}",
        )
    parts: list[Table | Text] = [facts]
    if detail.gates is not None:
        parts += gate_lines(detail.gates)
    for event in detail.events:
        parts.append(
            Text(
                f"{event.at.isoformat(timespec='seconds')} {event.kind} by {event.by} "
                f"{event.detail}",
                style="dim",
            )
        )
    return parts
