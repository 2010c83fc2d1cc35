"""The building blocks every policy file's schema shares (kept apart from `schema.py` so that
a file's schema in a module of its own can use them without an import cycle)."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Priority = Literal["P1", "P2", "P3", "P4"]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
DAYS: dict[str, int] = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}: use a name like Europe/Berlin") from exc
    return value


def _day(value: str) -> str:
    if value not in DAYS:
        raise ValueError(f"unknown day {value!r}: use {', '.join(DAYS)}")
    return value


TimeZoneName = Annotated[str, AfterValidator(_zone)]
"""An IANA time zone name such as Europe/Berlin."""
DayName = Annotated[str, AfterValidator(_day)]
"""mon, tue, ... sun."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
