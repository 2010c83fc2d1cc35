"""`eval` and `shadow`: prove routing quality on labelled tickets and on past routing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from deskroute.classify.data import load_labelled
from deskroute.classify.demo import ensure_demo_model
from deskroute.classify.local import LocalModel
from deskroute.cli.render import err, out
from deskroute.errors import BadInputError, ClassifierError, ConfigError
from deskroute.evaluation.compare import HEADLINE, compare
from deskroute.evaluation.metrics import EvalResult, Predictions, evaluate
from deskroute.evaluation.report import (
    write_comparison_report,
    write_report,
    write_shadow_report,
)
from deskroute.policies import load_policies
from deskroute.settings import Settings

COLUMNS = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())


def _named(path: Path, option: str) -> LocalModel:
    """A model file named on the command line: missing or unreadable is the caller's mistake."""
    try:
        return LocalModel.load(path)
    except ClassifierError as exc:
        raise BadInputError(str(exc), field=option) from exc


def _load(path: Path | None) -> LocalModel:
    if path is not None:
        return _named(path, "--model")
    settings = Settings()
    if settings.model_path is not None:
        try:
            return LocalModel.load(settings.model_path)
        except ClassifierError as exc:
            raise ConfigError(str(exc), file="DESKROUTE_MODEL_PATH") from exc
    return ensure_demo_model(settings.resolved_model_path, load_policies(settings.policies_dir))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _run(
    model: LocalModel, texts: list[str], labels: list[str], oos: str | None, progress: Progress
) -> tuple[EvalResult, Predictions]:
    task = progress.add_task(f"evaluating {model.meta.version}", total=len(texts))
    return evaluate(
        model, texts, labels, oos_label=oos, on_batch=lambda n: progress.advance(task, n)
    )


def eval_(
    data: Annotated[Path, typer.Argument(help="Labelled tickets, CSV or JSONL.")],
    text_col: Annotated[str, typer.Option(help="Column with the ticket text.")] = "text",
    label_col: Annotated[str, typer.Option(help="Column with the true category.")] = "category",
    model: Annotated[
        Path | None, typer.Option(help="Model file (default: the configured one).")
    ] = None,
    oos_label: Annotated[str | None, typer.Option(help="Label of out-of-scope rows.")] = None,
    compare_with: Annotated[
        Path | None, typer.Option("--compare", help="Another model to compare with, side by side.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write an HTML report into this folder.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Measure a model through its confidence gate: accuracy, coverage, escalations."""
    labelled = load_labelled(data, text_col=text_col, label_col=label_col)
    primary = _load(model)
    other = _named(compare_with, "--compare") if compare_with else None
    with Progress(*COLUMNS, console=err, transient=True) as progress:
        result, rows = _run(primary, labelled.texts, labelled.labels, oos_label, progress)
        second = (
            _run(other, labelled.texts, labelled.labels, oos_label, progress) if other else None
        )
    other_result = second[0] if second else None
    comparison = compare(result, second[0]) if second else None
    if report is not None:
        if second is not None and comparison is not None:
            path = write_comparison_report((result, rows), second, comparison, report, str(data))
        else:
            path = write_report(result, rows, report, str(data))
        err.print(f"report: {path}")
    if as_json:
        payload = result.model_dump(mode="json")
        if other_result is not None and comparison is not None:
            payload["compare"] = other_result.model_dump(mode="json")
            payload["delta"] = comparison.model_dump(mode="json")
        out.print(json.dumps(payload), soft_wrap=True, highlight=False)
        return
    table = Table(title=f"{result.n} tickets ({result.in_scope} in scope, {result.oos} out)")
    table.add_column("metric")
    table.add_column(result.model, justify="right")
    if other_result is not None:
        table.add_column(other_result.model, justify="right")
        table.add_column("Δ", justify="right")
    for key in HEADLINE:
        row = [key, _fmt(getattr(result, key))]
        if other_result is not None and comparison is not None:
            row += [_fmt(getattr(other_result, key)), _fmt(comparison.headline[key])]
        table.add_row(*row)
    out.print(table)
    if comparison is not None:
        deltas = Table(title="largest per-label changes (F1, first model minus second)")
        for column in ("label", "ΔF1", "Δprecision", "Δrecall", "support"):
            deltas.add_column(column, justify="right" if column != "label" else "left")
        for d in comparison.per_label[:15]:
            deltas.add_row(
                d.label, f"{d.f1:+.4f}", f"{d.precision:+.4f}", f"{d.recall:+.4f}", str(d.support)
            )
        out.print(deltas)
    if result.unknown_labels:
        err.print(
            f"[yellow]labels the model does not know:[/yellow] "
            f"{', '.join(result.unknown_labels[:10])}"
        )


def shadow(
    history: Annotated[Path, typer.Argument(help="Past tickets with where people sent them.")],
    text_col: Annotated[str, typer.Option(help="Column with the ticket text.")] = "text",
    assigned_col: Annotated[
        str, typer.Option(help="Column with the human assignment (queue or category).")
    ] = "queue",
    report: Annotated[
        Path | None, typer.Option(help="Write an HTML report into this folder.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Route past tickets without acting and compare with where people sent them."""
    from deskroute.evaluation.shadow import run_shadow
    from deskroute.runtime import UnavailableClassifier, open_workspace

    labelled = load_labelled(history, text_col=text_col, label_col=assigned_col)
    ws = open_workspace()
    local = ws.deps.cascade.local
    if isinstance(local, UnavailableClassifier):
        # Every row would escalate, and the report would read as a model that agrees with no one.
        setting = "DESKROUTE_MODEL_PATH" if ws.settings.model_path else "the demo model"
        raise ConfigError(local.reason, file=setting)
    for warning in ws.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}")
    with Progress(*COLUMNS, console=err, transient=True) as progress:
        task = progress.add_task("shadow routing", total=len(labelled.texts))
        result = run_shadow(
            ws, labelled.texts, labelled.labels, on_row=lambda: progress.advance(task)
        )
    if report is not None:
        err.print(f"report: {write_shadow_report(result, report, str(history))}")
    if as_json:
        out.print(result.model_dump_json(), soft_wrap=True, highlight=False)
        return
    table = Table(
        title=f"shadow: {result.n} tickets, {result.confident} the model is sure of, "
        f"agreement {result.agreement:.1%} (compared as {result.mapping})"
    )
    for column in ("target", "model sent", "people sent", "agreed", "precision", "recall"):
        table.add_column(column, justify="left" if column == "target" else "right")
    for t in result.per_target:
        table.add_row(
            t.target,
            str(t.proposed),
            str(t.assigned),
            str(t.agreed),
            f"{t.precision:.3f}",
            f"{t.recall:.3f}",
        )
    out.print(table)
    worst = Table(title="most confident disagreements")
    for column in ("row", "people", "model", "conf", "ticket"):
        worst.add_column(column, overflow="fold")
    for d in result.disagreements[:10]:
        worst.add_row(str(d.row), d.assigned, d.proposed, f"{d.confidence:.2f}", d.text[:80])
    out.print(worst)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_)
    app.command()(shadow)
