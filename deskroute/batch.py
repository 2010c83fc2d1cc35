"""Routing a file of tickets (JSONL or CSV): every row is routed or reported, never dropped."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import IO, Any

from deskroute.errors import BadInputError
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketIn
from deskroute.runtime import Workspace
from deskroute.service import Attached, route_new

FIELDS = set(TicketIn.model_fields)


@dataclass
class Rejected:
    row: int
    field: str | None
    message: str


@dataclass
class FileSummary:
    total: int = 0
    routed: int = 0
    escalated: int = 0
    duplicates: int = 0
    resubmitted: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    queues: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | BadInputError]]:
    """(row number, fields) per ticket; a row that cannot be parsed yields the error instead."""
    if not path.is_file():
        raise BadInputError("file not found", field=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            unknown = set(reader.fieldnames or []) - FIELDS
            if unknown:
                raise BadInputError(
                    f"unknown column(s) {sorted(unknown)}; allowed: {', '.join(sorted(FIELDS))}",
                    field=str(path),
                )
            for number, row in enumerate(reader, start=2):
                yield number, {k: v for k, v in row.items() if v not in ("", None)}
    elif suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, BadInputError(f"invalid JSON: {exc.msg}", field="row")
                    continue
                if not isinstance(data, dict):
                    yield number, BadInputError("each line must be a JSON object", field="row")
                    continue
                yield number, data
    else:
        raise BadInputError("unsupported file type; use .jsonl or .csv", field=str(path))


def route_file(
    ws: Workspace,
    path: Path,
    sink: IO[str] | None,
    on_row: Callable[[int, OutcomeRecord | Rejected], None] = lambda _n, _r: None,
) -> FileSummary:
    summary = FileSummary()
    started = perf_counter()
    try:
        for number, row in read_rows(path):
            summary.total += 1
            if isinstance(row, BadInputError):
                result: OutcomeRecord | Rejected = Rejected(number, row.field, row.message)
            else:
                try:
                    submitted, result = route_new(ws, row)
                    # A follow-up under a known external id joined that ticket's thread.
                    new = submitted.created and not isinstance(submitted, Attached)
                    summary.resubmitted += 0 if new else 1
                except BadInputError as exc:
                    result = Rejected(number, exc.field, exc.message)
            if isinstance(result, Rejected):
                summary.rejected.append(result)
            else:
                summary.queues[result.queue] += 1
                summary.duplicates += 1 if result.duplicate_of else 0
                if result.escalated:
                    summary.escalated += 1
                    summary.reasons.update(result.escalation_reasons)
                else:
                    summary.routed += 1
                if sink is not None:
                    sink.write(result.model_dump_json() + "\n")
            on_row(number, result)
    except UnicodeDecodeError as exc:
        raise BadInputError("file is not UTF-8 text", field=str(path)) from exc
    summary.seconds = perf_counter() - started
    return summary
