"""Read an export's rows into typed events, naming the line and column of any bad value."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TextIO, TypeVar

from deskroute.audit.mapping import REQUIRED, ResolvedMapping
from deskroute.errors import BadInputError, did_you_mean

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Event:
    """One row: an update of an incident. Optional fields are None where the value is empty
    or the export has no such column."""

    id: str
    opened_at: datetime
    group: str | None
    updated_at: datetime | None
    assignee: str | None
    priority: str | None
    resolved_at: datetime | None
    reassignment_count: int | None
    reopen_count: int | None
    made_sla: bool | None


def locate(header: list[str], resolved: ResolvedMapping, source: str) -> dict[str, int]:
    """Column index per field measured. A column the preset, file or options name must exist;
    one left at its default name is left out when absent (unless the audit needs it)."""
    where = {name: i for i, name in enumerate(header)}
    found: dict[str, int] = {}
    missing: list[str] = []
    for field, column in resolved.mapping.columns.model_dump().items():
        if column is None:
            continue
        if column in where:
            found[field] = where[column]
            continue
        named_by = resolved.named_by.get(field)
        if named_by is None and field not in REQUIRED:
            continue
        how = f"named by {named_by}" if named_by else f"map it with --col-{field.replace('_', '-')}"
        missing.append(f"{column!r} for {field} ({how}){did_you_mean(column, header)}")
    if missing:
        raise BadInputError(
            f"no column {'; no column '.join(missing)}. "
            f"Its columns are: {', '.join(header) or 'none'}",
            field=source,
        )
    return found


class _Column(Generic[T]):
    """One field's cells: parsed once per distinct text (exports repeat values a lot), with
    errors that name the line and the column."""

    def __init__(
        self, field: str, index: int | None, parse: Callable[[str], T], reader: _Reader
    ) -> None:
        self.field = field
        self.index = index
        self.parse = parse
        self.reader = reader
        self.cache: dict[str, T | None] = {}

    def get(self, row: list[str], line: int) -> T | None:
        if self.index is None:
            return None
        raw = row[self.index]
        if raw in self.cache:
            return self.cache[raw]
        value = self._parse(raw, line)
        self.cache[raw] = value
        return value

    def need(self, row: list[str], line: int) -> T:
        value = self.get(row, line)
        if value is None:
            raise self.reader.bad(line, self.field, "empty (every event needs one)")
        return value

    def _parse(self, raw: str, line: int) -> T | None:
        text = raw.strip()
        if text in self.reader.empty:
            return None
        try:
            return self.parse(text)
        except ValueError as exc:
            raise self.reader.bad(line, self.field, f"{text!r} is not {exc}") from exc


class _Reader:
    """Turns rows into events for one mapping and header."""

    def __init__(self, resolved: ResolvedMapping, at: dict[str, int], source: str) -> None:
        m = resolved.mapping
        self.columns = m.columns
        self.source = source
        self.width = max(at.values()) + 1
        self.date_format = m.date_format
        self.empty = frozenset(m.empty)
        self.true = frozenset(v.lower() for v in m.true_values)
        self.false = frozenset(v.lower() for v in m.false_values)

        def text(field: str) -> _Column[str]:
            return _Column(field, at.get(field), str, self)

        def date(field: str) -> _Column[datetime]:
            return _Column(field, at.get(field), self.date, self)

        def count(field: str) -> _Column[int]:
            return _Column(field, at.get(field), _count, self)

        self.id, self.group = text("id"), text("group")
        self.assignee, self.priority = text("assignee"), text("priority")
        self.opened_at, self.updated_at = date("opened_at"), date("updated_at")
        self.resolved_at = date("resolved_at")
        self.reassignment_count, self.reopen_count = (
            count("reassignment_count"),
            count("reopen_count"),
        )
        self.made_sla = _Column("made_sla", at.get("made_sla"), self.flag, self)

    def bad(self, line: int, field: str, problem: str) -> BadInputError:
        column = getattr(self.columns, field)
        return BadInputError(f"line {line}, column {column!r}: {problem}", field=self.source)

    def date(self, text: str) -> datetime:
        try:
            value = (
                datetime.fromisoformat(text)
                if self.date_format is None
                else datetime.strptime(text, self.date_format)
            )
        except ValueError as exc:
            shown = self.date_format or "ISO 8601, e.g. 2026-03-01 09:30"
            raise ValueError(f"a date ({shown})") from exc
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value

    def flag(self, text: str) -> bool:
        if text.lower() in self.true:
            return True
        if text.lower() in self.false:
            return False
        raise ValueError(f"true or false (one of {', '.join(sorted(self.true | self.false))})")

    def event(self, row: list[str], line: int) -> Event:
        if len(row) < self.width:
            raise BadInputError(
                f"line {line} has {len(row)} fields; the columns read need {self.width}",
                field=self.source,
            )
        return Event(
            id=self.id.need(row, line),
            opened_at=self.opened_at.need(row, line),
            group=self.group.get(row, line),
            updated_at=(
                self.updated_at.need(row, line) if self.updated_at.index is not None else None
            ),
            assignee=self.assignee.get(row, line),
            priority=self.priority.get(row, line),
            resolved_at=self.resolved_at.get(row, line),
            reassignment_count=self.reassignment_count.get(row, line),
            reopen_count=self.reopen_count.get(row, line),
            made_sla=self.made_sla.get(row, line),
        )


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError("a whole number, 0 or more")
    return int(text)


@contextmanager
def _csv_errors(reader: Any, source: str) -> Iterator[None]:
    try:
        yield
    except csv.Error as exc:
        raise BadInputError(f"line {reader.line_num}: not valid CSV ({exc})", field=source) from exc
    except UnicodeDecodeError as exc:
        raise BadInputError("the file is not UTF-8 text", field=source) from exc


def read_events(
    text: TextIO, resolved: ResolvedMapping, source: str
) -> tuple[frozenset[str], Iterator[Event]]:
    """The fields the export has columns for, and its events in file order (read lazily; the
    first bad line stops them with a clear error)."""
    reader = csv.reader(text, delimiter=resolved.mapping.delimiter)
    with _csv_errors(reader, source):
        header = next(reader, None)
    if header is None:
        raise BadInputError("the file is empty (no header line)", field=source)
    header = [name.strip() for name in header]
    at = locate(header, resolved, source)
    return frozenset(at), _rows(reader, _Reader(resolved, at, source), source)


def _rows(reader: Any, cells: _Reader, source: str) -> Iterator[Event]:
    with _csv_errors(reader, source):
        for row in reader:
            if row:
                yield cells.event(row, reader.line_num)
