"""At most one message per interval per destination (Slack takes one per second per webhook),
and no message at all while a destination has asked to be left alone (429 Retry-After).

The pacer lives in the dispatcher's memory and is shared by its threads: the limit is exact
with one dispatcher per deployment, which is what `deskroute serve` runs (its keeper process).
Two dispatchers on one store would each keep the limit, so together send up to twice as often;
deliveries are still never sent twice at once (their claims are in the store)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class Pacer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, datetime] = {}

    def ready(self, destination: str, now: datetime) -> bool:
        with self._lock:
            slot = self._next.get(destination)
            return slot is None or slot <= now

    def take(self, destination: str, now: datetime, interval: float) -> bool:
        """Take the destination's slot at `now` if it is free; the next is `interval` later."""
        with self._lock:
            slot = self._next.get(destination)
            if slot is not None and slot > now:
                return False
            self._next[destination] = now + timedelta(seconds=interval)
            return True

    def hold(self, destination: str, until: datetime) -> None:
        """Send nothing to the destination before `until` (it answered 429 with Retry-After)."""
        with self._lock:
            self._next[destination] = max(until, self._next.get(destination, until))
