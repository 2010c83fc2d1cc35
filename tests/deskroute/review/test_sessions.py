"""Sessions and the sign-in delay, with the clock passed in; on SQLite, and on PostgreSQL for
the session lookup and the failure count."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from deskroute.review import throttle
from deskroute.review.reviewers import add_reviewer, set_disabled
from deskroute.review.sessions import (
    SESSION_TTL,
    SignInRefused,
    SignInThrottled,
    csrf_matches,
    reviewer_for_session,
    sign_in,
    sign_out,
)
from deskroute.store.db import make_engine
from deskroute.store.tables import ReviewerSession

PASSWORD = "correct horse battery"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _with_ana(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    add_reviewer(engine, name="ana", password=PASSWORD)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    yield from _with_ana(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture
def any_engine(database_url: str) -> Iterator[Engine]:
    yield from _with_ana(database_url)


def _attempt(engine: Engine, password: str, at: datetime) -> str:
    """What one sign-in attempt at a given time answers, as a short word."""
    try:
        sign_in(engine, name="ana", password=password, now=at)
    except SignInThrottled as exc:
        return f"throttled {exc.retry_after_s}"
    except SignInRefused as exc:
        return f"refused {exc.retry_after_s}"
    return "signed in"


def test_session_lifecycle(any_engine: Engine) -> None:
    engine = any_engine
    new = sign_in(engine, name="ana", password=PASSWORD, now=T0)
    assert new.reviewer == "ana" and new.expires_at == T0 + SESSION_TTL
    active = reviewer_for_session(engine, token=new.token, now=T0 + timedelta(hours=1))
    assert active is not None and active.reviewer == "ana"
    assert csrf_matches(active, new.csrf_token) and not csrf_matches(active, "x" + new.csrf_token)
    sign_out(engine, token=new.token)
    assert reviewer_for_session(engine, token=new.token, now=T0) is None


def test_only_a_digest_of_the_token_is_stored(engine: Engine) -> None:
    new = sign_in(engine, name="ana", password=PASSWORD, now=T0)
    with Session(engine) as session:
        stored = session.exec(select(ReviewerSession.token_hash)).all()
    assert len(stored) == 1 and stored[0] != new.token and len(stored[0]) == 64


def test_each_session_has_its_own_csrf_token(engine: Engine) -> None:
    first = sign_in(engine, name="ana", password=PASSWORD, now=T0)
    second = sign_in(engine, name="ana", password=PASSWORD, now=T0)
    assert first.token != second.token and first.csrf_token != second.csrf_token
    active = reviewer_for_session(engine, token=second.token, now=T0)
    assert active is not None and not csrf_matches(active, first.csrf_token)


def test_expired_disabled_and_malformed_sessions_sign_nobody_in(engine: Engine) -> None:
    new = sign_in(engine, name="ana", password=PASSWORD, now=T0)
    assert reviewer_for_session(engine, token=new.token, now=T0 + SESSION_TTL) is None
    assert reviewer_for_session(engine, token="a" * 43, now=T0) is None
    assert reviewer_for_session(engine, token="<script>", now=T0) is None
    set_disabled(engine, name="ana", disabled=True)
    assert reviewer_for_session(engine, token=new.token, now=T0) is None


def test_expired_sessions_are_removed_at_the_next_sign_in(engine: Engine) -> None:
    sign_in(engine, name="ana", password=PASSWORD, now=T0)
    sign_in(engine, name="ana", password=PASSWORD, now=T0 + SESSION_TTL)
    with Session(engine) as session:
        assert len(session.exec(select(ReviewerSession)).all()) == 1


def test_delay_grows_after_repeated_wrong_passwords(engine: Engine) -> None:
    answers = []
    at = T0
    for _ in range(5):
        answer = _attempt(engine, "wrong password", at)
        answers.append(answer)
        at += timedelta(seconds=int(answer.split()[1]))  # wait exactly as long as told
    assert answers == ["refused 0", "refused 0", "refused 1", "refused 2", "refused 4"]


def test_each_counted_failure_doubles_the_wait(any_engine: Engine) -> None:
    waits = []
    at = T0
    for _ in range(8):
        waits.append(throttle.record_failure(any_engine, name="ana", now=at))
        assert throttle.seconds_blocked(any_engine, name="ana", now=at) == waits[-1]
        at += timedelta(seconds=waits[-1])
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32]
    assert throttle.seconds_blocked(any_engine, name="ana", now=at) == 0
    throttle.forget(any_engine, name="ana")
    assert throttle.record_failure(any_engine, name="ana", now=at) == 0


def test_while_blocked_even_the_right_password_waits(engine: Engine) -> None:
    for _ in range(3):
        throttle.record_failure(engine, name="ana", now=T0)  # now blocked for 1 s
    assert _attempt(engine, PASSWORD, T0) == "throttled 1"
    assert _attempt(engine, PASSWORD, T0 + timedelta(milliseconds=500)) == "throttled 1"
    # Attempts refused while blocked did not count: the wait did not grow.
    assert _attempt(engine, PASSWORD, T0 + timedelta(seconds=1)) == "signed in"
    # A successful sign-in forgets the failures.
    assert _attempt(engine, "wrong password", T0 + timedelta(seconds=2)) == "refused 0"


def test_unknown_names_are_delayed_the_same_way(engine: Engine) -> None:
    """The delay does not tell a name that exists from one that does not."""
    waits = []
    for _ in range(3):
        with pytest.raises(SignInRefused) as caught:
            sign_in(engine, name="mallory", password="guess guess", now=T0)
        waits.append(caught.value.retry_after_s)
    assert waits == [0, 0, 1]
    with pytest.raises(SignInThrottled):
        sign_in(engine, name="mallory", password="guess guess", now=T0)
    assert _attempt(engine, PASSWORD, T0) == "signed in"  # other names are not held up


def test_delay_is_capped() -> None:
    assert [throttle.delay_after(n) for n in range(6)] == [0, 0, 0, 1, 2, 4]
    assert throttle.delay_after(40) == throttle.MAX_DELAY_S


def test_failures_are_forgotten_after_a_quiet_day(engine: Engine) -> None:
    for _ in range(3):
        _attempt(engine, "wrong password", T0)
    later = T0 + throttle.FORGET_AFTER + timedelta(seconds=1)
    # Another name's failure prunes the stale count.
    with pytest.raises(SignInRefused):
        sign_in(engine, name="bob", password="wrong password", now=later)
    assert _attempt(engine, "wrong password", later) == "refused 0"


def test_concurrent_failures_all_count(any_engine: Engine) -> None:
    """Five wrong passwords at once, for a name never tried before, count as five."""
    with ThreadPoolExecutor(max_workers=5) as pool:
        waits = list(
            pool.map(lambda _: throttle.record_failure(any_engine, name="eve", now=T0), range(5))
        )
    assert sorted(waits) == [0, 0, 1, 2, 4]
    assert throttle.seconds_blocked(any_engine, name="eve", now=T0) == 4
