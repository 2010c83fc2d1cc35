"""Times as callers give them: one rule for every boundary (API, CLI, ticket files).

A time without a zone is taken as UTC; a time with one is converted to UTC, so that stored
times, filters and comparisons never mix zones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00:00+05:00 lies before year 1 in UTC
        raise PydanticCustomError("out_of_range", "out of range once converted to UTC") from exc


UtcDatetime = Annotated[datetime, AfterValidator(_in_utc)]
"""A datetime field that always holds an aware UTC time."""
