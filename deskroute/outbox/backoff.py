"""When to try a failed delivery again: exponential backoff with full jitter, or the time the
receiver asked for (Retry-After)."""

from __future__ import annotations

import random
from datetime import datetime
from email.utils import parsedate_to_datetime

from deskroute.policies.notifications import Retry


def backoff_seconds(attempts: int, retry: Retry, rng: random.Random) -> float:
    """The wait after the `attempts`-th failed attempt: a random time up to
    min(cap, base * 2^(attempts-1)), so retries of many deliveries spread out."""
    ceiling = min(retry.cap_seconds, retry.base_seconds * 2 ** min(attempts - 1, 60))
    return rng.uniform(0, ceiling)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A Retry-After header as seconds from `now`: delta-seconds or an HTTP-date; None when
    absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())
