"""`llm check` and `prompts eval`: is the provider there, and which prompt works better."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from deskroute.classify.data import load_labelled
from deskroute.classify.demo import examples_of
from deskroute.classify.prompt import PROMPT_SPEC
from deskroute.cli.evaluation import COLUMNS
from deskroute.cli.render import err, out
from deskroute.errors import ConfigError
from deskroute.llm.cache import AnswerCache
from deskroute.llm.config import llm_config
from deskroute.prompts import load_prompt
from deskroute.settings import Settings

llm_app = typer.Typer(help="The optional LLM provider.", no_args_is_help=True)
prompts_app = typer.Typer(
    help="Measure prompt versions before shipping them.", no_args_is_help=True
)


@llm_app.command()
def check() -> None:
    """Show the configured provider, whether its server answers, and which models it has."""
    from deskroute.llm.provider import check_server  # provider clients load only here

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
    out.print(table)
    if not result.reachable:
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
    from deskroute.classify.examples import ExampleIndex
    from deskroute.classify.llm import LLMClassifier
    from deskroute.evaluation.prompts import PromptReport, evaluate_prompt
    from deskroute.runtime import open_workspace

    ws = open_workspace()
    if ws.deps.llm is None:
        raise ConfigError(
            "no LLM configured; set DESKROUTE_LLM (see `deskroute llm check`)", file="DESKROUTE_LLM"
        )
    labelled = load_labelled(data, text_col=text_col, label_col=label_col)
    texts, labels = labelled.texts[:limit], labelled.labels[:limit]
    llm = ws.deps.llm
    examples = ExampleIndex(*examples_of(ws.policies))
    settings = ws.settings
    cache = AnswerCache((settings.cache_dir or settings.home / "cache") / "llm-answers.sqlite")
    reports: list[PromptReport] = []
    paths = [prompt or settings.prompts_dir / "classifier.yaml"] + (
        [compare_with] if compare_with else []
    )
    try:
        with Progress(*COLUMNS, console=err, transient=True) as progress:
            for path in paths:
                loaded = load_prompt(path, PROMPT_SPEC)
                classifier = LLMClassifier(
                    llm=llm,
                    prompt=loaded,
                    policies=ws.policies,
                    examples=examples,
                    company=ws.deps.company,
                )
                task = progress.add_task(f"{loaded.version}", total=len(texts))
                reports.append(
                    evaluate_prompt(
                        ws,
                        classifier,
                        texts,
                        labels,
                        cache,
                        on_row=partial(progress.advance, task),
                    )
                )
    finally:
        cache.close()
    if as_json:
        out.print(json.dumps([r.model_dump() for r in reports]), soft_wrap=True, highlight=False)
        return
    table = Table(title=f"{len(texts)} tickets, {llm.config.label}")
    table.add_column("metric")
    for report in reports:
        table.add_column(report.prompt, justify="right")
    for field in PromptReport.model_fields:
        if field in ("prompt", "model"):
            continue
        table.add_row(field, *[str(getattr(r, field)) for r in reports])
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(llm_app, name="llm")
    app.add_typer(prompts_app, name="prompts")
