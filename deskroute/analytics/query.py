"""Which metrics to compute: the options of `deskroute report`, the parameters of
`GET /v1/metrics/summary` and the dashboard's, checked here once for all three."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from deskroute.models.times import UtcDatetime

Dimension = Literal["category", "queue", "tier", "language", "channel"]
DIMENSIONS: tuple[Dimension, ...] = ("category", "queue", "tier", "language", "channel")
_SPAN = re.compile(r"^(?P<n>\d{1,4})(?P<unit>[hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
MAX_SPAN = timedelta(days=366)
"""The longest period: a year of days is what a chart and a report still show."""


def parse_span(text: str) -> timedelta:
    """`7d` -> 7 days; also hours (`24h`) and weeks (`2w`)."""
    match = _SPAN.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a span: write it like 24h, 7d or 2w")
    span = int(match["n"]) * _UNITS[match["unit"]]
    if not timedelta(0) < span <= MAX_SPAN:
        raise ValueError(f"{text!r} must be longer than zero and at most 366 days")
    return span


class MetricsQuery(BaseModel):
    """A period (`since` before `until`), the period before it when asked for, one
    breakdown, and filters that keep only the tickets with these values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: str = Field(
        default="7d",
        max_length=40,
        description="How far back from `until`: 24h, 7d, 2w; or an ISO date or time (UTC).",
    )
    until: UtcDatetime | None = Field(
        default=None, description="The end of the period (UTC unless it has a zone); now."
    )
    compare_previous: bool = Field(
        default=False, description="Also the period of the same length just before it."
    )
    by: Dimension | None = Field(default=None, description="Break the figures down by this.")
    category: str | None = Field(default=None, max_length=100)
    queue: str | None = Field(default=None, max_length=100)
    tier: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=20)
    channel: str | None = Field(default=None, max_length=40)

    @field_validator("since")
    @classmethod
    def _since(cls, value: str) -> str:
        value = value.strip()
        if _SPAN.match(value):
            parse_span(value)
            return value
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is neither a span (24h, 7d, 2w) nor an ISO date or time"
            ) from None
        return value

    @property
    def filters(self) -> dict[Dimension, str]:
        """The filters given, by dimension."""
        return {d: v for d in DIMENSIONS if (v := getattr(self, d)) is not None}

    def window(self, now: datetime) -> Window:
        """The period this query names, `now` standing in for a missing `until`; a
        `ValueError` for one that ends before it starts, or is longer than `MAX_SPAN`."""
        end = self.until or now
        try:
            if _SPAN.match(self.since):
                start = end - parse_span(self.since)
            else:
                moment = datetime.fromisoformat(self.since)
                start = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
            window = Window(start=start, end=end)
            _ = window.previous  # the period before must lie in the calendar too
        except OverflowError:
            raise ValueError("the period lies outside the calendar") from None
        if start >= end:
            raise ValueError(f"since ({start.isoformat()}) must be before until")
        if end - start > MAX_SPAN:
            raise ValueError("the period is longer than 366 days")
        return window


@dataclass(frozen=True)
class Window:
    """[start, end), in UTC."""

    start: datetime
    end: datetime

    @property
    def previous(self) -> Window:
        """The window of the same length just before this one."""
        return Window(start=self.start - (self.end - self.start), end=self.start)
