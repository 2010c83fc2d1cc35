"""`train`: fit the local classifier on labelled tickets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from deskroute.classify import embeddings as encoder
from deskroute.classify.data import load_labelled
from deskroute.classify.local import train_local
from deskroute.cli.render import err, out
from deskroute.errors import BadInputError
from deskroute.settings import Settings


def train(
    data: Annotated[Path, typer.Argument(help="Labelled tickets, CSV or JSONL.")],
    text_col: Annotated[str, typer.Option(help="Column with the ticket text.")] = "text",
    label_col: Annotated[str, typer.Option(help="Column with the category.")] = "category",
    model: Annotated[Path | None, typer.Option(help="Where to save the model.")] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Skip rows with empty text or label (they are counted).")
    ] = False,
    target_precision: Annotated[
        float,
        typer.Option(
            min=0.5, max=1.0, help="Precision auto-routed tickets must reach; sets the thresholds."
        ),
    ] = 0.95,
    oos_label: Annotated[
        str | None,
        typer.Option(help="Label of out-of-scope rows; they only calibrate escalation."),
    ] = None,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help=f"Add {encoder.NAME} sentence embeddings (the `embeddings` extra; slower).",
        ),
    ] = False,
) -> None:
    """Train the local classifier and save it with its metadata."""
    if embeddings and not encoder.installed():
        raise BadInputError(
            f"needs the `embeddings` extra; {encoder.INSTALL}", field="--embeddings"
        )
    labelled = load_labelled(
        data, text_col=text_col, label_col=label_col, skip_invalid=skip_invalid
    )
    path = model or Settings().home / "models" / f"{data.stem}.joblib"
    _check_writable(path)  # before training, not after minutes of it
    with err.status(f"training on {len(labelled.texts):,} tickets"):
        trained = train_local(
            labelled.texts,
            labelled.labels,
            name=data.stem,
            source=str(data),
            target_precision=target_precision,
            oos_label=oos_label,
            embeddings=embeddings,
        )
    try:
        trained.save(path)
    except OSError as exc:
        raise BadInputError(f"cannot save the model to {path}: {exc}", field="--model") from exc
    meta = trained.meta
    table = Table(title=f"model {meta.version}", show_header=False)
    table.add_row("saved to", str(path))
    table.add_row(
        "rows", f"{meta.rows:,}" + (f" ({labelled.skipped} skipped)" if labelled.skipped else "")
    )
    table.add_row("categories", str(len(meta.label_counts)))
    if meta.embeddings:
        table.add_row("embeddings", f"{meta.embeddings} (needs the `embeddings` extra to load)")
    table.add_row("training time", f"{meta.train_seconds:.1f} s")
    th = meta.thresholds
    table.add_row(
        "thresholds",
        f"global {th.global_threshold:.3f} for precision "
        f"{th.target_precision:.3f}; {th.expected_coverage:.1%} of the calibration rows "
        f"pass ({th.calibration_rows} rows, {th.oos_rows} out of scope; scored by models "
        "trained on half the data, so the final model usually routes more)",
    )
    out.print(table)
    out.print(f'use it with: DESKROUTE_MODEL_PATH={path} deskroute route "..."')


def _check_writable(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"cannot create {path.parent}: {exc}", field="--model") from exc
    if path.is_dir():
        raise BadInputError(f"{path} is a directory; give a file name", field="--model")
    if not os.access(path.parent, os.W_OK):
        raise BadInputError(f"{path.parent} is not writable", field="--model")


def register(app: typer.Typer) -> None:
    app.command()(train)
