"""`train` and `retrain`: fit the local classifier, on labelled tickets and reviewers' labels,
and keep it as a model version (or, with `--model`, as a file of its own)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from deskroute.classify import embeddings as encoder
from deskroute.classify.data import load_labelled
from deskroute.classify.local import train_local
from deskroute.cli.render import err, out
from deskroute.errors import BadInputError
from deskroute.settings import Settings

if TYPE_CHECKING:
    from deskroute.classify.local import LocalModel
    from deskroute.registry.training import Trained

WithCorrections = Annotated[
    bool,
    typer.Option(
        "--with-corrections",
        help="Add reviewers' corrections and confirmations (they override the data's label).",
    ),
]
CorrectionWeight = Annotated[
    float | None,
    typer.Option(
        min=0.01, max=100, help="Sample weight of a reviewer's label (policies/models.yaml)."
    ),
]
EvalFile = Annotated[
    Path | None,
    typer.Option(
        "--eval",
        help="Judge the version on this labelled file (same columns) instead of the held-out "
        "split or the file in policies/models.yaml.",
    ),
]
Promote = Annotated[
    bool, typer.Option("--promote", help="Serve the version at once if it passes the gates.")
]
By = Annotated[
    str | None,
    typer.Option("--by", envvar="DESKROUTE_REVIEWER", help="Who promotes it (with --promote)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def train(
    data: Annotated[Path, typer.Argument(help="Labelled tickets, CSV or JSONL.")],
    text_col: Annotated[str, typer.Option(help="Column with the ticket text.")] = "text",
    label_col: Annotated[str, typer.Option(help="Column with the category.")] = "category",
    model: Annotated[
        Path | None,
        typer.Option(help="Save a model file of its own here instead of a model version."),
    ] = None,
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
    with_corrections: WithCorrections = False,
    correction_weight: CorrectionWeight = None,
    eval_file: EvalFile = None,
    new_eval_split: Annotated[
        bool,
        typer.Option(
            help="Hold out a fresh evaluation split of DATA (when the data changed altogether)."
        ),
    ] = False,
    promote: Promote = False,
    by: By = None,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help=f"Add {encoder.NAME} sentence embeddings (the `embeddings` extra; slower).",
        ),
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Train the local classifier and keep it as a model version, judged by the quality gates
    of policies/models.yaml; `deskroute models promote` serves it."""
    if embeddings and not encoder.installed():
        raise BadInputError(
            f"needs the `embeddings` extra; {encoder.INSTALL}", field="--embeddings"
        )
    if model is not None:
        if eval_file is not None or promote or new_eval_split:
            raise BadInputError(
                "--eval, --new-eval-split and --promote are for model versions; drop --model",
                field="--model",
            )
        _train_file(
            data,
            model,
            text_col=text_col,
            label_col=label_col,
            skip_invalid=skip_invalid,
            target_precision=target_precision,
            oos_label=oos_label,
            with_corrections=with_corrections,
            correction_weight=correction_weight,
            embeddings=embeddings,
        )
        return
    from deskroute.registry.context import Registry
    from deskroute.registry.training import TrainingSource, train_version

    if not data.is_file():
        raise BadInputError("file not found", field=str(data))
    source = TrainingSource(
        kind="file",
        name=data.stem,
        path=str(data.resolve()),
        text_col=text_col,
        label_col=label_col,
        skip_invalid=skip_invalid,
        oos_label=oos_label,
        target_precision=target_precision,
        embeddings=embeddings,
    )
    registry = Registry.open(Settings())
    with err.status("training") as status:
        trained = train_version(
            registry,
            source,
            with_corrections=with_corrections,
            correction_weight=correction_weight,
            eval_file=eval_file,
            new_split=new_eval_split,
            promote_by=_promoter(promote, by),
            on_stage=status.update,
        )
    _show(trained, as_json=as_json, promote=promote)


def retrain(
    correction_weight: CorrectionWeight = None,
    eval_file: EvalFile = None,
    promote: Promote = False,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Train again on the served version's data plus every reviewer's label; nothing happens
    when no label came since the newest version trained on that data."""
    from deskroute.registry.context import Registry
    from deskroute.registry.training import NothingNew
    from deskroute.registry.training import retrain as run

    registry = Registry.open(Settings())
    with err.status("training") as status:
        result = run(
            registry,
            correction_weight=correction_weight,
            eval_file=eval_file,
            promote_by=_promoter(promote, by),
            on_stage=status.update,
        )
    if isinstance(result, NothingNew):
        if as_json:
            out.print(result.model_dump_json(), soft_wrap=True, highlight=False, markup=False)
        else:
            out.print(result.message, highlight=False)
        return
    _show(result, as_json=as_json, promote=promote)


def _promoter(promote: bool, by: str | None) -> str | None:
    if promote and not by:
        raise BadInputError("say who promotes it: --by NAME (or DESKROUTE_REVIEWER)", field="--by")
    return by if promote else None


def _show(trained: Trained, *, as_json: bool, promote: bool) -> None:
    from deskroute.cli.models_render import gate_lines, trained_table

    if as_json:
        out.print(trained.model_dump_json(), soft_wrap=True, highlight=False, markup=False)
    else:
        out.print(trained_table(trained))
        for line in gate_lines(trained.decision):
            out.print(line)
        for note in trained.notes:
            out.print(f"note: {note}", highlight=False)
        if trained.promoted:
            out.print(f"{trained.version} is now served", highlight=False)
        elif trained.decision.passed:
            out.print(
                f"serve it with: deskroute models promote {trained.version} --by NAME",
                highlight=False,
            )
        else:
            out.print(f"{trained.version} is refused: it is kept, never served", highlight=False)
    if promote and not trained.promoted:
        raise typer.Exit(3)


def _train_file(
    data: Path,
    path: Path,
    *,
    text_col: str,
    label_col: str,
    skip_invalid: bool,
    target_precision: float,
    oos_label: str | None,
    with_corrections: bool,
    correction_weight: float | None,
    embeddings: bool,
) -> None:
    """A model file outside the registry (`DESKROUTE_MODEL_PATH` pins a server to it)."""
    labelled = load_labelled(
        data, text_col=text_col, label_col=label_col, skip_invalid=skip_invalid
    )
    _check_writable(path)  # before training, not after minutes of it
    texts, labels, weights, used = labelled.texts, labelled.labels, None, None
    if with_corrections:
        from deskroute.registry.context import Registry
        from deskroute.registry.labels import merge_labels
        from deskroute.registry.reviewed import reviewer_labels

        registry = Registry.open(Settings())
        reviewed, settled = reviewer_labels(registry.engine)
        rows = merge_labels(
            texts,
            labels,
            reviewed,
            settled,
            weight=correction_weight or registry.policy.training.correction_weight,
        )
        texts, labels, weights, used = rows.texts, rows.labels, rows.weights, rows.used
        for conflict in rows.conflicts:
            err.print(
                f"left out, reviewers disagree ({conflict.key}): {conflict.text[:60]!r}",
                highlight=False,
            )
    with err.status(f"training on {len(texts):,} tickets"):
        trained = train_local(
            texts,
            labels,
            name=data.stem,
            source=str(data),
            target_precision=target_precision,
            oos_label=oos_label,
            sample_weight=weights,
            embeddings=embeddings,
        )
    if used is not None:
        trained = type(trained)(
            meta=trained.meta.model_copy(update={"corrections": used}), model=trained.model
        )
    try:
        trained.save(path)
    except OSError as exc:
        raise BadInputError(f"cannot save the model to {path}: {exc}", field="--model") from exc
    _file_table(trained, path, labelled.skipped)
    out.print(f'use it with: DESKROUTE_MODEL_PATH={path} deskroute route "..."')


def _file_table(trained: LocalModel, path: Path, skipped: int) -> None:
    meta = trained.meta
    table = Table(title=f"model {meta.version}", show_header=False)
    table.add_row("saved to", str(path))
    table.add_row("rows", f"{meta.rows:,}" + (f" ({skipped} skipped)" if skipped else ""))
    if meta.corrections is not None:
        table.add_row(
            "reviewers' labels", f"{meta.corrections.count} (weight {meta.corrections.weight:g})"
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
    app.command()(retrain)
