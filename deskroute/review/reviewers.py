"""Reviewers: who may sign in to the review page. The one write path for the `reviewers` table.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, which follow RFC 9106); a
hash made with older parameters is replaced at the next successful sign-in.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from deskroute.errors import BadInputError, NotFoundError
from deskroute.store.db import transaction
from deskroute.store.tables import Reviewer
from deskroute.store.types import utcnow

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_NAME = 64
# Letters (any script), digits and . _ - @: a name works unquoted on a command line.
_NAME = re.compile(rf"[\w.@-]{{1,{MAX_NAME}}}")

_hasher = PasswordHasher()


class ReviewerPublic(BaseModel):
    """A reviewer as listings show it (never the hash)."""

    model_config = ConfigDict(frozen=True)

    name: str
    created_at: datetime
    disabled: bool


def is_valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def check_name(name: str) -> str:
    if not is_valid_name(name):
        raise BadInputError(
            f"use 1-{MAX_NAME} letters, digits, '.', '_', '-' or '@' (no spaces)",
            field="name",
            code="invalid_name",
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise BadInputError(
            f"a password needs at least {MIN_PASSWORD} characters (got {len(password)})",
            field="password",
            code="password_too_short",
        )
    if len(password) > MAX_PASSWORD:
        raise BadInputError(
            f"a password may have at most {MAX_PASSWORD} characters",
            field="password",
            code="password_too_long",
        )
    return password


def _public(row: Reviewer) -> ReviewerPublic:
    return ReviewerPublic(name=row.name, created_at=row.created_at, disabled=row.disabled)


def _exists(name: str) -> BadInputError:
    return BadInputError(
        f"a reviewer named {name!r} already exists", field="name", code="duplicate_name"
    )


def add_reviewer(engine: Engine, *, name: str, password: str) -> ReviewerPublic:
    """Create a reviewer; a taken name, a bad name or a short password is a `BadInputError`."""
    check_name(name)
    check_password(password)
    with Session(engine) as session:
        if session.exec(select(Reviewer.id).where(Reviewer.name == name)).first() is not None:
            raise _exists(name)
    row = Reviewer(name=name, password_hash=_hasher.hash(password), created_at=utcnow())
    try:
        with transaction(engine) as session:
            session.add(row)
    except IntegrityError as exc:  # added by someone else since the check above
        raise _exists(name) from exc
    return _public(row)


def set_disabled(engine: Engine, *, name: str, disabled: bool) -> ReviewerPublic:
    """Disable or re-enable a reviewer; a disabled one can neither sign in nor use a session
    started before."""
    with transaction(engine) as session:
        row = session.exec(select(Reviewer).where(Reviewer.name == name)).first()
        if row is None:
            raise NotFoundError(f"no reviewer named {name!r}")
        row.disabled = disabled
    return _public(row)


def list_reviewers(engine: Engine) -> list[ReviewerPublic]:
    with Session(engine) as session:
        rows = session.exec(select(Reviewer).order_by(Reviewer.name)).all()
    return [_public(row) for row in rows]


@cache
def _decoy_hash() -> str:
    return _hasher.hash("no reviewer has this password")


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(engine: Engine, *, name: str, password: str) -> Reviewer | None:
    """The enabled reviewer with this name and password, or None. An unknown name costs the
    same hash as a known one, so the answer's timing does not tell which names exist."""
    with Session(engine) as session:
        row = (
            session.exec(select(Reviewer).where(Reviewer.name == name)).first()
            if is_valid_name(name) and len(password) <= MAX_PASSWORD
            else None
        )
    if row is None:
        _matches(_decoy_hash(), password)
        return None
    if not _matches(row.password_hash, password) or row.disabled:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with transaction(engine) as session:
            session.exec(
                update(Reviewer)
                .where(col(Reviewer.id) == row.id)
                .values(password_hash=_hasher.hash(password))
            )
    return row
