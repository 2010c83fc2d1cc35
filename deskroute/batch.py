"""Routing a file of tickets (JSONL or CSV): every row is routed or reported, never dropped."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from time import perf_counter
from typing import Any

from deskroute.errors import BadInputError
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketIn
from deskroute.runtime import Workspace
from deskroute.service import Attached, route_new

FIELDS = set(TicketIn.model_fields)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
EXTRA_CELLS = "(cells beyond the header)"
"""Where a rejected CSV row keeps the cells that no column names."""


@dataclass
class Rejected:
    row: int
    field: str | None
    message: str
    original: str | dict[str, str]
    """The row as the file has it: a JSONL line, or a CSV record's cells by column, so that it
    can be fixed and submitted again."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "row": self.row,
                "field": self.field,
                "error": self.message,
                "original": self.original,
            },
            ensure_ascii=False,
        )


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
    rejected_path: Path | None = None
    """Where the rejected rows were written (None: no row was rejected)."""


@dataclass(frozen=True)
class Row:
    number: int
    original: str | dict[str, str]
    fields: dict[str, Any] | BadInputError
    """The ticket's fields, or why the row cannot be read as a ticket."""


def default_out_path(path: Path) -> Path:
    """`tickets.jsonl` -> `tickets.outcomes.jsonl`, next to the input."""
    return path.with_name(f"{path.stem}.outcomes.jsonl")


def rejected_path_for(out_path: Path) -> Path:
    """`outcomes.jsonl` -> `outcomes.rejected.jsonl`, next to the outcome records."""
    return out_path.with_suffix(".rejected.jsonl")


def decode_utf8(data: bytes, *, line: int = 1) -> str:
    """Text of a file or of its line `line`; anything else is a `BadInputError` that says
    which line is not UTF-8 (a UTF-8 byte-order mark is dropped)."""
    if data.startswith(UTF16_BOMS) or b"\x00" in data:
        raise BadInputError("the file looks like UTF-16 text; save it as UTF-8", code="not_utf8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line += data.count(b"\n", 0, exc.start)
        raise BadInputError(
            f"line {line} is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            code="not_utf8",
        ) from exc


def _csv_rows(path: Path) -> Iterator[Row]:
    try:
        text = decode_utf8(path.read_bytes())
    except BadInputError as exc:
        raise BadInputError(exc.message, field=str(path), code=exc.code) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    unknown = set(reader.fieldnames or []) - FIELDS
    if unknown:
        raise BadInputError(
            f"unknown column(s) {sorted(unknown)}; allowed: {', '.join(sorted(FIELDS))}",
            field=str(path),
        )
    for number, row in enumerate(reader, start=2):
        cells = {k: v for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
        if extra := row.get(None):  # csv's key for cells beyond the header
            cells[EXTRA_CELLS] = ",".join(extra)
            error = BadInputError(f"{len(extra)} cell(s) more than the header has", field="row")
            yield Row(number, cells, error)
            continue
        yield Row(number, cells, {k: v for k, v in cells.items() if v != ""})


def _jsonl_rows(path: Path) -> Iterator[Row]:
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                line = decode_utf8(raw, line=number).rstrip("\r\n")
            except BadInputError as exc:
                if number == 1 and raw.startswith(UTF16_BOMS):  # the whole file, not a row
                    raise BadInputError(exc.message, field=str(path), code=exc.code) from exc
                original = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                yield Row(number, original, BadInputError(exc.message, field="row", code=exc.code))
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Row(number, line, BadInputError(f"invalid JSON: {exc.msg}", field="row"))
                continue
            if not isinstance(data, dict):
                error = BadInputError("each line must be a JSON object", field="row")
                yield Row(number, line, error)
                continue
            yield Row(number, line, data)


def read_rows(path: Path) -> Iterator[Row]:
    """Each ticket row of the file; a row that cannot be read carries the error instead."""
    if not path.is_file():
        raise BadInputError("file not found", field=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_rows(path)
    raise BadInputError("unsupported file type; use .jsonl or .csv", field=str(path))


def route_file(
    ws: Workspace,
    path: Path,
    out_path: Path,
    on_row: Callable[[int, OutcomeRecord | Rejected], None] = lambda _n, _r: None,
) -> FileSummary:
    """Route every row; outcome records go to `out_path` as JSONL, and rejected rows, with the
    original row and the error, next to it (`rejected_path_for`). A file without a single
    ticket is bad input, not a run that did nothing."""
    rows = read_rows(path)
    first = next(rows, None)
    if first is None:
        raise BadInputError(f"no tickets in {path}", field=str(path), code="empty")
    summary = FileSummary()
    started = perf_counter()
    try:
        sink = out_path.open("w", encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"cannot write outcome records: {exc.strerror}", field="--out") from exc
    with sink:
        for row in chain([first], rows):
            summary.total += 1
            result: OutcomeRecord | Rejected
            if isinstance(row.fields, BadInputError):
                result = Rejected(row.number, row.fields.field, row.fields.message, row.original)
            else:
                try:
                    submitted, result = route_new(ws, row.fields)
                    # A follow-up under a known external id joined that ticket's thread.
                    new = submitted.created and not isinstance(submitted, Attached)
                    summary.resubmitted += 0 if new else 1
                except BadInputError as exc:
                    result = Rejected(row.number, exc.field, exc.message, row.original)
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
                sink.write(result.model_dump_json() + "\n")
            on_row(row.number, result)
    rejected_path = rejected_path_for(out_path)
    if summary.rejected:
        rejected_path.write_text(
            "".join(r.to_json() + "\n" for r in summary.rejected), encoding="utf-8"
        )
        summary.rejected_path = rejected_path
    else:
        rejected_path.unlink(missing_ok=True)  # a stale list from an earlier run would mislead
    summary.seconds = perf_counter() - started
    return summary
