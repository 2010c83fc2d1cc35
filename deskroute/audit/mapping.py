"""Which column of an export holds what: built from a preset, a mapping file and options.

A mapping file is YAML validated like a policy file (an error names the file and the key):

    columns: {id: number, opened_at: opened_at, group: assignment_group}
    date_format: "%d/%m/%Y %H:%M"
    empty: ["?", ""]

Layers apply in order: the preset, then the file, then `--col-*` options. A column left at its
default name that the export lacks is simply not measured; one named by a preset, a file or an
option must exist, or the audit stops and says which."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from deskroute.errors import BadInputError, ConfigError, did_you_mean
from deskroute.policies.base import Strict
from deskroute.policies.loader import read_yaml, validate_file


class Columns(Strict):
    """Export column names, one per field the audit reads; None: the export has no such column."""

    id: str = "id"
    """The incident's number; every event of an incident carries it."""
    opened_at: str = "opened_at"
    group: str = "group"
    """The assignment group (team, queue) holding the incident at that event."""
    updated_at: str | None = "updated_at"
    """When the event happened: orders an incident's events and times its first assignment."""
    assignee: str | None = "assignee"
    priority: str | None = "priority"
    resolved_at: str | None = "resolved_at"
    reassignment_count: str | None = "reassignment_count"
    """Counted by the helpdesk; without it, reassignments are the group changes seen."""
    reopen_count: str | None = "reopen_count"
    made_sla: str | None = "made_sla"


REQUIRED = ("id", "opened_at", "group")


class Mapping(Strict):
    columns: Columns = Columns()
    date_format: str | None = None
    """A `strptime` format; None reads ISO 8601 (a zone, when given, is converted to UTC)."""
    delimiter: str = Field(",", min_length=1, max_length=1)
    empty: list[str] = [""]
    """Values that mean "no value" (ServiceNow writes `?`)."""
    true_values: list[str] = ["true", "yes", "1"]
    false_values: list[str] = ["false", "no", "0"]


@dataclass(frozen=True)
class ResolvedMapping:
    """The mapping, with where each explicitly named column came from (for error messages)."""

    mapping: Mapping
    named_by: dict[str, str]


SERVICENOW = Mapping(
    columns=Columns(
        id="number",
        opened_at="opened_at",
        group="assignment_group",
        updated_at="sys_updated_at",
        assignee="assigned_to",
        priority="priority",
        resolved_at="resolved_at",
        reassignment_count="reassignment_count",
        reopen_count="reopen_count",
        made_sla="made_sla",
    ),
    date_format="%d/%m/%Y %H:%M",
    empty=["?", ""],
)
"""ServiceNow's incident export (the `incident` table's event log): day/month/year dates,
`?` for empty."""

PRESETS: dict[str, Mapping] = {"servicenow": SERVICENOW}


def _preset(name: str) -> Mapping:
    if name not in PRESETS:
        raise BadInputError(
            f"unknown preset {name!r}{did_you_mean(name, PRESETS)}; known: {', '.join(PRESETS)}",
            field="--preset",
        )
    return PRESETS[name]


def _file_layer(file: Path, below: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The mapping file laid over `below`; its `columns` overlay the ones below key by key."""
    raw = read_yaml(file)
    if not isinstance(raw, dict):
        raise ConfigError("a mapping file is a YAML mapping with a `columns` key", file=str(file))
    named: dict[str, str] = {}
    file_columns = raw.get("columns")
    if isinstance(file_columns, dict):
        named = {str(k): f"{file.name} (columns.{k})" for k in file_columns}
        raw = {**raw, "columns": {**below.get("columns", {}), **file_columns}}
    merged = {**below, **raw}
    validate_file(file, Mapping, merged)
    return merged, named


def resolve_mapping(
    *,
    preset: str | None = None,
    file: Path | None = None,
    columns: dict[str, str | None] | None = None,
    date_format: str | None = None,
    delimiter: str | None = None,
) -> ResolvedMapping:
    """The preset, overlaid by the mapping file, overlaid by options (`columns` by field name)."""
    data: dict[str, Any] = _preset(preset).model_dump() if preset else {}
    named_by = {k: f"--preset {preset}" for k in data.get("columns", {})}
    if file is not None:
        data, from_file = _file_layer(file, data)
        named_by |= from_file
    options = {k: v for k, v in (columns or {}).items() if v is not None}
    named_by |= {k: f"--col-{k.replace('_', '-')}" for k in options}
    data["columns"] = {**data.get("columns", {}), **options}
    if date_format is not None:
        data["date_format"] = date_format
    if delimiter is not None:
        data["delimiter"] = delimiter
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BadInputError(first["msg"], field=f"--{first['loc'][0]}") from exc
    return ResolvedMapping(mapping=mapping, named_by=named_by)
