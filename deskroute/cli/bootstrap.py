"""`bootstrap`: proposed labels for unlabelled history, least certain first, for a person to
label before the first training."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from deskroute.classify.cold_start import CONFIDENT, UNSURE, BootstrapSummary, bootstrap
from deskroute.cli.render import err, out


def _table(summary: BootstrapSummary) -> Table:
    table = Table(title="proposed labels", show_header=False)
    table.add_row("written", f"{summary.written:,} rows to {summary.out}, least certain first")
    read = f"{summary.rows:,}" + (f" ({summary.skipped} without text)" if summary.skipped else "")
    table.add_row("tickets read", read)
    table.add_row("confident", f"{summary.confident:,} (confidence >= {CONFIDENT})")
    table.add_row("unsure", f"{summary.unsure:,} (confidence < {UNSURE})")
    table.add_row("no match", f"{summary.no_match:,} (no example shares a word)")
    table.add_row("by category", ", ".join(f"{k} {v}" for k, v in summary.by_category.items()))
    if summary.llm is not None:
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(summary.llm_verdicts.items()))
        table.add_row("LLM", f"{summary.llm}: {verdicts}")
    return table


def bootstrap_command(
    data: Annotated[Path, typer.Argument(help="Unlabelled tickets, CSV or JSONL.")],
    text_col: Annotated[str, typer.Option(help="Column with the ticket text.")] = "text",
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="The review file (CSV); default: DATA's name + .review.csv."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Write only this many, the least certain.")
    ] = None,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Only the nearest examples, even with an LLM set.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Propose a label with a confidence for every ticket (the nearest taxonomy examples, and
    the LLM when DESKROUTE_LLM is set), and write a review file, least certain first, with an
    empty `category` column to fill; `deskroute train FILE --skip-invalid` then reads it."""
    target = out_path or data.with_name(f"{data.stem}.review.csv")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("proposing labels", total=None)
        summary = bootstrap(
            data,
            text_col=text_col,
            out=target,
            limit=limit,
            use_llm=not no_llm,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        out.print_json(summary.model_dump_json())
        return
    out.print(_table(summary))
    out.print(
        f"next: fill the category column of {target}, then: deskroute train {target} --skip-invalid"
    )


def register(app: typer.Typer) -> None:
    app.command("bootstrap")(bootstrap_command)
