"""`audit HISTORY`: measure today's flow from a helpdesk's event log before routing anything."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskroute.audit.mapping import PRESETS, resolve_mapping
from deskroute.audit.service import audit_history
from deskroute.cli.audit_render import report_view
from deskroute.cli.render import out


def _col(field: str) -> object:
    return typer.Option(f"--col-{field.replace('_', '-')}", help=f"The column for {field}.")


def audit(
    history: Annotated[Path, typer.Argument(help="The export: a CSV file, or a zip holding one.")],
    preset: Annotated[
        str | None, typer.Option(help=f"A known export's columns: {', '.join(PRESETS)}.")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--map", help="A YAML file naming the columns.")
    ] = None,
    col_id: Annotated[str | None, _col("id")] = None,
    col_opened_at: Annotated[str | None, _col("opened_at")] = None,
    col_group: Annotated[str | None, _col("group")] = None,
    col_updated_at: Annotated[str | None, _col("updated_at")] = None,
    col_assignee: Annotated[str | None, _col("assignee")] = None,
    col_priority: Annotated[str | None, _col("priority")] = None,
    col_resolved_at: Annotated[str | None, _col("resolved_at")] = None,
    col_reassignment_count: Annotated[str | None, _col("reassignment_count")] = None,
    col_reopen_count: Annotated[str | None, _col("reopen_count")] = None,
    col_made_sla: Annotated[str | None, _col("made_sla")] = None,
    date_format: Annotated[
        str | None, typer.Option(help="strptime format of the dates (default: ISO 8601).")
    ] = None,
    delimiter: Annotated[str | None, typer.Option(help="The CSV field separator.")] = None,
    top: Annotated[int, typer.Option(min=1, help="How many groups, chains and people.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Reassignment rate, time to assignment and resolution, SLA attainment, reopens,
    reassignment chains and load over people, from the helpdesk's event log."""
    columns = {
        "id": col_id,
        "opened_at": col_opened_at,
        "group": col_group,
        "updated_at": col_updated_at,
        "assignee": col_assignee,
        "priority": col_priority,
        "resolved_at": col_resolved_at,
        "reassignment_count": col_reassignment_count,
        "reopen_count": col_reopen_count,
        "made_sla": col_made_sla,
    }
    resolved = resolve_mapping(
        preset=preset, file=mapping, columns=columns, date_format=date_format, delimiter=delimiter
    )
    report = audit_history(history, resolved, top=top)
    if as_json:
        out.print_json(report.model_dump_json())
        return
    out.print(report_view(report, top), highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(audit)
