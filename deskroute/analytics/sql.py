"""The two SQL expressions SQLite and PostgreSQL spell differently, compiled for each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement


class seconds_between(FunctionElement[float]):  # noqa: N801 - a SQL function's spelling
    """`later - earlier` in seconds (NULL when either is)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)


class day_index(FunctionElement[int]):  # noqa: N801
    """Whole days from `origin` to `moment` (0 for the first 24 hours)."""

    type = Integer()
    inherit_cache = True
    name = "day_index"

    def __init__(self, moment: Any, origin: Any) -> None:
        super().__init__(moment, origin)


def _arguments(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(argument, **kw) for argument in element.clauses]


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _arguments(element, compiler, **kw)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _arguments(element, compiler, **kw)
    # EXTRACT gives numeric (a Decimal in Python): a float is what the callers need.
    return f"CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS DOUBLE PRECISION)"


@compiles(day_index, "sqlite")
def _day_sqlite(element: day_index, compiler: SQLCompiler, **kw: Any) -> str:
    moment, origin = _arguments(element, compiler, **kw)
    return f"CAST(julianday({moment}) - julianday({origin}) AS INTEGER)"


@compiles(day_index, "postgresql")
def _day_postgresql(element: day_index, compiler: SQLCompiler, **kw: Any) -> str:
    moment, origin = _arguments(element, compiler, **kw)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({moment} - {origin})) / 86400) AS INTEGER)"
