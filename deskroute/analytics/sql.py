"""The SQL expressions SQLite and PostgreSQL spell differently, compiled for each.

Times are read as seconds since 1970 (a float): one parse per stored time, and durations and
days are then simple arithmetic, in SQL or in numpy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement

UNIX_EPOCH_JULIAN_DAY = 2440587.5
"""1970-01-01 00:00 UTC as SQLite's julianday() counts."""


class epoch_seconds(FunctionElement[float]):  # noqa: N801 - a SQL function's spelling
    """A stored (naive UTC) time as seconds since 1970-01-01 UTC; NULL stays NULL."""

    type = Float()
    inherit_cache = True
    name = "epoch_seconds"

    def __init__(self, moment: Any) -> None:
        super().__init__(moment)


class day_index(FunctionElement[int]):  # noqa: N801
    """Whole days from `origin` (seconds since 1970) to `moment` (0 for the first 24 hours)."""

    type = Integer()
    inherit_cache = True
    name = "day_index"

    def __init__(self, moment: Any, origin: Any) -> None:
        super().__init__(moment, origin)


def _arguments(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(argument, **kw) for argument in element.clauses]


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = _arguments(element, compiler, **kw)
    return f"((julianday({moment}) - {UNIX_EPOCH_JULIAN_DAY}) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = _arguments(element, compiler, **kw)
    # EXTRACT gives numeric (a Decimal in Python): a float is what the callers need.
    return f"CAST(EXTRACT(EPOCH FROM {moment}) AS DOUBLE PRECISION)"


@compiles(day_index, "sqlite")
def _day_sqlite(element: day_index, compiler: SQLCompiler, **kw: Any) -> str:
    moment, origin = _arguments(element, compiler, **kw)
    seconds = f"((julianday({moment}) - {UNIX_EPOCH_JULIAN_DAY}) * 86400.0)"
    return f"CAST(({seconds} - {origin}) / 86400.0 AS INTEGER)"


@compiles(day_index, "postgresql")
def _day_postgresql(element: day_index, compiler: SQLCompiler, **kw: Any) -> str:
    moment, origin = _arguments(element, compiler, **kw)
    return f"CAST(FLOOR((EXTRACT(EPOCH FROM {moment}) - {origin}) / 86400) AS INTEGER)"
