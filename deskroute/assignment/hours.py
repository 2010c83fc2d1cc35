"""Working hours: `mon-fri 09:00-17:00` in an agent's time zone; none means any time.

Stored as `{"days": ["mon", ...], "start": "09:00", "end": "17:00"}`. An end before the start
is a night shift: it runs into the next morning and belongs to the day it started."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deskroute.errors import BadInputError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(r"^\s*(?P<days>[a-z,\-]+)\s+(?P<start>\d\d:\d\d)-(?P<end>\d\d:\d\d)\s*$")


def _days(text: str) -> list[str]:
    days: list[str] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise BadInputError(
                f"unknown day in {part!r}; use {', '.join(DAYS)}", field="hours", code="bad_hours"
            )
        if not last:
            days.append(first)
            continue
        i, j = DAYS.index(first), DAYS.index(last)
        days += [DAYS[(i + k) % 7] for k in range((j - i) % 7 + 1)]
    return [d for d in DAYS if d in days]


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError as exc:
        raise BadInputError(
            f"not a time of day: {text!r}", field="hours", code="bad_hours"
        ) from exc


def parse_hours(text: str) -> dict[str, Any]:
    """`mon-fri 09:00-17:00`, `mon,wed,fri 22:00-06:00`, or `always` / empty for any time."""
    text = text.strip().lower()
    if text in ("", "always", "24x7"):
        return {}
    match = _SPEC.match(text)
    if match is None:
        raise BadInputError(
            f"not working hours: {text!r}; write e.g. 'mon-fri 09:00-17:00' or 'always'",
            field="hours",
            code="bad_hours",
        )
    start, end = _clock(match["start"]), _clock(match["end"])
    if start == end:
        raise BadInputError("start and end are the same time", field="hours", code="bad_hours")
    return {"days": _days(match["days"]), "start": match["start"], "end": match["end"]}


def describe(hours: dict[str, Any]) -> str:
    """The hours as `parse_hours` reads them, runs of days shortened (`mon-fri`)."""
    if not hours:
        return "always"
    runs: list[list[int]] = []
    for i in sorted(DAYS.index(d) for d in hours["days"]):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    days = ",".join(DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}-{DAYS[r[-1]]}" for r in runs)
    return f"{days} {hours['start']}-{hours['end']}"


def check_timezone(name: str) -> str:
    """An IANA time zone name, or a `BadInputError`."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadInputError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)",
            field="timezone",
            code="bad_timezone",
        ) from exc
    return name


def working(hours: dict[str, Any], timezone: str, now: datetime) -> bool:
    """Whether `now` (aware) falls inside the working hours."""
    if not hours:
        return True
    local = now.astimezone(ZoneInfo(timezone))
    start, end = time.fromisoformat(hours["start"]), time.fromisoformat(hours["end"])
    today = DAYS[local.weekday()]
    at = local.time()
    if start < end:
        return today in hours["days"] and start <= at < end
    yesterday = DAYS[(local - timedelta(days=1)).weekday()]
    return (today in hours["days"] and at >= start) or (yesterday in hours["days"] and at < end)
