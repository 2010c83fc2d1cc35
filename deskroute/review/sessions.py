"""Signed-in reviewers: sign in, look up a session by its cookie token, sign out. The one
write path for the `reviewer_sessions` table.

The cookie carries a random token; the store keeps only its SHA-256, so reading the store
does not let anyone sign in. Each session has its own CSRF secret, which every form of the
review page carries back.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from deskroute.errors import DeskRouteError
from deskroute.review import throttle
from deskroute.review.reviewers import verify_password
from deskroute.store.db import transaction
from deskroute.store.tables import Reviewer, ReviewerSession
from deskroute.store.types import utcnow

log = logging.getLogger(__name__)

SESSION_TTL = timedelta(hours=12)
"""A working day; then the reviewer signs in again."""
# secrets.token_urlsafe(32): 43 characters of base64url. Anything else is no token of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class SignInRefused(DeskRouteError):
    """Wrong name or password (never which of the two); `retry_after_s` when the name must
    now wait before its next try."""

    def __init__(self, retry_after_s: int = 0) -> None:
        self.retry_after_s = retry_after_s
        wait = f"; try again in {retry_after_s} s" if retry_after_s else ""
        super().__init__(f"wrong name or password{wait}")


class SignInThrottled(DeskRouteError):
    """Too many wrong passwords for this name: refused without checking the password."""

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"too many wrong passwords for this name; try again in {retry_after_s} s")


class ActiveSession(BaseModel):
    """A signed-in reviewer, as a request sees it."""

    model_config = ConfigDict(frozen=True)

    reviewer: str
    csrf_token: str
    expires_at: datetime


class NewSession(ActiveSession):
    """A session just started; `token` is the cookie value, known only at this moment."""

    token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def sign_in(engine: Engine, *, name: str, password: str, now: datetime | None = None) -> NewSession:
    """Check the password and start a session; `SignInRefused` or `SignInThrottled` if not."""
    now = now or utcnow()
    name = name.strip()
    if wait := throttle.seconds_blocked(engine, name=name, now=now):
        raise SignInThrottled(wait)
    reviewer = verify_password(engine, name=name, password=password)
    if reviewer is None or reviewer.id is None:
        wait = throttle.record_failure(engine, name=name, now=now)
        if wait:
            log.warning("sign-in for %r refused for %d s after repeated failures", name, wait)
        raise SignInRefused(wait)
    throttle.forget(engine, name=name)
    token = secrets.token_urlsafe(32)
    row = ReviewerSession(
        token_hash=_digest(token),
        reviewer_id=reviewer.id,
        created_at=now,
        expires_at=now + SESSION_TTL,
        csrf_secret=secrets.token_urlsafe(32),
    )
    with transaction(engine) as session:
        session.exec(delete(ReviewerSession).where(col(ReviewerSession.expires_at) <= now))
        session.add(row)
    log.info("reviewer %s signed in", reviewer.name)
    return NewSession(
        reviewer=reviewer.name, csrf_token=row.csrf_secret, expires_at=row.expires_at, token=token
    )


def reviewer_for_session(
    engine: Engine, *, token: str, now: datetime | None = None
) -> ActiveSession | None:
    """The session a cookie token names; None when unknown, expired, signed out or disabled."""
    if not _TOKEN.fullmatch(token):
        return None
    now = now or utcnow()
    with Session(engine) as session:
        found = session.exec(
            select(ReviewerSession, Reviewer)
            .join(Reviewer, col(Reviewer.id) == col(ReviewerSession.reviewer_id))
            .where(col(ReviewerSession.token_hash) == _digest(token))
        ).first()
    if found is None:
        return None
    row, reviewer = found
    if row.expires_at <= now or reviewer.disabled:
        return None
    return ActiveSession(
        reviewer=reviewer.name, csrf_token=row.csrf_secret, expires_at=row.expires_at
    )


def csrf_matches(active: ActiveSession, given: str) -> bool:
    """Whether a form's CSRF token is this session's (compared in constant time)."""
    return hmac.compare_digest(active.csrf_token.encode(), given.encode("utf-8", "replace"))


def sign_out(engine: Engine, *, token: str) -> None:
    """End the session server-side: its cookie no longer signs anyone in, even if kept."""
    if not _TOKEN.fullmatch(token):
        return
    with transaction(engine) as session:
        session.exec(
            delete(ReviewerSession).where(col(ReviewerSession.token_hash) == _digest(token))
        )
