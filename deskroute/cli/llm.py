"""`llm check` and `prompts eval`: is the provider there, and which prompt works better."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from deskroute.classify.data import load_labelled
from deskroute.classify.prompt import PROMPT_SPEC
from deskroute.cli.evaluation import COLUMNS
from deskroute.cli.render import err, out
from deskroute.errors import ConfigError
from deskroute.llm.cache import AnswerCache
from deskroute.llm.config import llm_config
from deskroute.llm.errors import FailureCount, FailureKind
from deskroute.policies import Policies
from deskroute.prompts import load_prompt
from deskroute.settings import Settings

if TYPE_CHECKING:  # the routing graph loads only in the commands that need it
    from deskroute.classify.llm import LLMClassifier
    from deskroute.evaluation.prompts import PromptReport
    from deskroute.runtime import Workspace

llm_app = typer.Typer(help="The optional LLM provider.", no_args_is_help=True)
prompts_app = typer.Typer(
    help="Measure prompt versions before shipping them.", no_args_is_help=True
)


def _classifier(ws: Workspace, path: Path) -> LLMClassifier:
    """The LLM classifier as routing builds it, with the prompt file at `path`."""
    from deskroute.classify.llm import llm_classifier

    if ws.deps.llm is None:
        raise ConfigError(
            "no LLM configured; set DESKROUTE_LLM (see `deskroute llm check`)", file="DESKROUTE_LLM"
        )
    return llm_classifier(ws.deps.llm, load_prompt(path, PROMPT_SPEC), ws.policies)


def _failures(reports: Sequence[PromptReport]) -> Table:
    """Why the provider could not answer, per failure kind, with counts per report."""
    table = Table(title="why LLM calls failed")
    table.add_column("reason")
    for report in reports:
        table.add_column(report.prompt if len(reports) > 1 else "tickets", justify="right")
    table.add_column("what it means")
    table.add_column("first error", overflow="fold")
    first: dict[FailureKind, FailureCount] = {}
    for report in reports:
        for failure in report.failures:
            first.setdefault(failure.kind, failure)
    for kind, failure in first.items():
        counts = [{f.kind: f.count for f in r.failures}.get(kind, 0) for r in reports]
        table.add_row(kind, *map(str, counts), failure.meaning, failure.first_error)
    return table


def _samples(policies: Policies, n: int) -> tuple[list[str], list[str]]:
    """`n` example tickets from policies/examples/, one category after another."""
    pairs = [
        (examples[i], category)
        for i in range(max(len(e) for e in policies.examples.values()))
        for category, examples in policies.examples.items()
        if i < len(examples)
    ][:n]
    return [text for text, _ in pairs], [label for _, label in pairs]


@llm_app.command()
def check(
    calls: Annotated[
        int,
        typer.Option(
            min=0, max=50, help="Classifier calls to send, one per example ticket (0: none)."
        ),
    ] = 1,
) -> None:
    """Show the configured provider, whether its server answers, which models it has, and
    how real classifier calls fare: answered, how fast, and why any failed."""
    from deskroute.evaluation.prompts import evaluate_prompt
    from deskroute.llm.provider import check_server  # provider clients load only here
    from deskroute.runtime import open_workspace

    config = llm_config(Settings())
    if config is None:
        out.print("DESKROUTE_LLM=none: embedded only (rules + local model, template replies).")
        return
    table = Table(show_header=False, title=f"LLM {config.label}")
    table.add_row("server", config.base_url)
    table.add_row("PII redaction", "on" if config.redact else "off (the server is local)")
    table.add_row("timeout / retries", f"{config.timeout_s:g} s / {config.max_retries}")
    table.add_row(
        "circuit breaker",
        f"opens after {config.breaker_failures} failures for {config.breaker_cooldown_s:g} s",
    )
    result = check_server(config)
    table.add_row("answers", "yes" if result.reachable else "NO")
    table.add_row("models", ", ".join(result.models) or "-")
    table.add_row("detail", result.detail)
    report = None
    if calls:
        ws = open_workspace()
        texts, labels = _samples(ws.policies, calls)
        with err.status(f"{calls} classifier call(s), up to {config.timeout_s:g} s each"):
            report = evaluate_prompt(
                ws,
                _classifier(ws, ws.settings.prompts_dir / "classifier.yaml"),
                texts,
                labels,
                cache=None,
            )
        answered = report.n - sum(f.count for f in report.failures)
        speed = f", {report.latency_ms_p50 / 1000:.1f} s p50" if answered else ""
        table.add_row("classifier calls", f"{answered} of {report.n} answered{speed}")
    out.print(table)
    if report is not None and report.failures:
        out.print(_failures([report]))
    if not result.reachable or (report is not None and report.failures):
        raise typer.Exit(1)


@prompts_app.command("eval")
def eval_prompts(
    data: Annotated[Path, typer.Option(help="Labelled tickets, CSV or JSONL.")],
    text_col: Annotated[str, typer.Option(help="Column with the ticket text.")] = "text",
    label_col: Annotated[str, typer.Option(help="Column with the category.")] = "category",
    prompt: Annotated[
        Path | None, typer.Option(help="Classifier prompt file (default: prompts/classifier.yaml).")
    ] = None,
    compare_with: Annotated[
        Path | None, typer.Option("--compare", help="A second prompt file to measure side by side.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N tickets.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run the LLM classifier over labelled tickets for one or two prompt versions."""
    from deskroute.evaluation.prompts import PromptReport, evaluate_prompt
    from deskroute.runtime import open_workspace

    ws = open_workspace()
    settings = ws.settings
    paths = [prompt or settings.prompts_dir / "classifier.yaml"] + (
        [compare_with] if compare_with else []
    )
    classifiers = [_classifier(ws, path) for path in paths]  # every prompt checked first
    labelled = load_labelled(data, text_col=text_col, label_col=label_col)
    texts, labels = labelled.texts[:limit], labelled.labels[:limit]
    cache = AnswerCache((settings.cache_dir or settings.home / "cache") / "llm-answers.sqlite")
    reports: list[PromptReport] = []
    try:
        with Progress(*COLUMNS, console=err, transient=True) as progress:
            for classifier in classifiers:
                task = progress.add_task(classifier.prompt.version, total=len(texts))
                reports.append(
                    evaluate_prompt(
                        ws, classifier, texts, labels, cache, on_row=partial(progress.advance, task)
                    )
                )
    finally:
        cache.close()
    if as_json:
        out.print(json.dumps([r.model_dump() for r in reports]), soft_wrap=True, highlight=False)
        return
    table = Table(title=f"{len(texts)} tickets, {classifiers[0].llm.config.label}")
    table.add_column("metric")
    for report in reports:
        table.add_column(report.prompt, justify="right")
    if len(reports) == 2:
        table.add_column("Δ (first − second)", justify="right")
    for field in PromptReport.model_fields:
        if field in ("prompt", "model", "failures"):
            continue
        values = [getattr(r, field) for r in reports]
        table.add_row(field, *map(str, values), *([_delta(*values)] if len(values) == 2 else []))
    out.print(table)
    if any(r.failures for r in reports):
        out.print(_failures(reports))


def _delta(first: float | None, second: float | None) -> str:
    if first is None or second is None:
        return "-"
    delta = round(first - second, 4)
    return f"{delta:+d}" if isinstance(delta, int) else f"{delta:+g}"


def register(app: typer.Typer) -> None:
    app.add_typer(llm_app, name="llm")
    app.add_typer(prompts_app, name="prompts")
