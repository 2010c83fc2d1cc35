"""A growing delay after repeated wrong passwords for one name.

The first `FREE_FAILURES - 1` mistakes cost nothing; from the `FREE_FAILURES`-th on, the name
is refused until `2 ** (failures - FREE_FAILURES)` seconds have passed (1, 2, 4, ... capped at
`MAX_DELAY_S`), without checking the password. Refused attempts do not count, so the wait
never grows while someone merely waits. Nothing sleeps: the refusal says how long to wait.
A name's count is forgotten on a successful sign-in, or after a day without failures.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from deskroute.store.db import transaction
from deskroute.store.tables import SignInFailures

FREE_FAILURES = 3
MAX_DELAY_S = 900
FORGET_AFTER = timedelta(days=1)


def delay_after(failures: int) -> int:
    """Seconds a name is refused after this many consecutive failures."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES), MAX_DELAY_S)


def seconds_blocked(engine: Engine, *, name: str, now: datetime) -> int:
    """Whole seconds until the name may try again; 0 when it may now."""
    with Session(engine) as session:
        row = session.get(SignInFailures, name)
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return 0
    return math.ceil((row.blocked_until - now).total_seconds())


def _count_failure(engine: Engine, name: str, now: datetime) -> int:
    this = col(SignInFailures.name) == name
    with transaction(engine) as session:
        # The UPDATE comes first, so it takes the write lock before anything is read: two
        # concurrent failures both count.
        counted = session.exec(
            update(SignInFailures)
            .where(this)
            .values(failures=col(SignInFailures.failures) + 1, last_failed_at=now)
        )
        if counted.rowcount == 0:
            session.add(SignInFailures(name=name, failures=1, last_failed_at=now))
            session.flush()
        failures = session.exec(select(SignInFailures.failures).where(this)).one()
        delay = delay_after(failures)
        blocked_until = now + timedelta(seconds=delay) if delay else None
        session.exec(update(SignInFailures).where(this).values(blocked_until=blocked_until))
        session.exec(
            delete(SignInFailures).where(col(SignInFailures.last_failed_at) < now - FORGET_AFTER)
        )
        return delay


def record_failure(engine: Engine, *, name: str, now: datetime) -> int:
    """Count one wrong password for the name; returns the seconds it is now refused."""
    try:
        return _count_failure(engine, name, now)
    except IntegrityError:  # another request stored this name's first failure meanwhile
        return _count_failure(engine, name, now)


def forget(engine: Engine, *, name: str) -> None:
    """A successful sign-in clears the name's count."""
    with transaction(engine) as session:
        session.exec(delete(SignInFailures).where(col(SignInFailures.name) == name))
