"""Reviewers: hashed passwords, names, duplicates, disabling. SQLite, and PostgreSQL where the
store's behaviour matters (each argon2 hash costs about 0.3 s, so not everything runs twice)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import Session, select

from deskroute.errors import BadInputError, NotFoundError
from deskroute.review.reviewers import (
    add_reviewer,
    list_reviewers,
    set_disabled,
    verify_password,
)
from deskroute.store.db import make_engine, transaction
from deskroute.store.tables import Reviewer

PASSWORD = "correct horse battery"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def any_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _stored_hash(engine: Engine, name: str) -> str:
    with Session(engine) as session:
        return session.exec(select(Reviewer.password_hash).where(Reviewer.name == name)).one()


def test_password_is_kept_as_an_argon2_hash_and_verifies(any_engine: Engine) -> None:
    engine = any_engine
    added = add_reviewer(engine, name="ana", password=PASSWORD)
    assert added.name == "ana" and added.disabled is False
    stored = _stored_hash(engine, "ana")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    found = verify_password(engine, name="ana", password=PASSWORD)
    assert found is not None and found.name == "ana"
    assert verify_password(engine, name="ana", password=PASSWORD + "x") is None
    assert verify_password(engine, name="nobody", password=PASSWORD) is None
    assert verify_password(engine, name="not a name!", password=PASSWORD) is None


def test_duplicate_name_is_refused(any_engine: Engine) -> None:
    engine = any_engine
    add_reviewer(engine, name="ana", password=PASSWORD)
    with pytest.raises(BadInputError) as caught:
        add_reviewer(engine, name="ana", password="another long password")
    assert caught.value.code == "duplicate_name" and "'ana' already exists" in str(caught.value)
    assert [r.name for r in list_reviewers(engine)] == ["ana"]


@pytest.mark.parametrize(
    ("name", "password", "code"),
    [
        ("ana", "", "password_too_short"),
        ("ana", "123456789", "password_too_short"),
        ("ana", "x" * 1025, "password_too_long"),
        ("", PASSWORD, "invalid_name"),
        ("ana lópez", PASSWORD, "invalid_name"),
        ("a" * 65, PASSWORD, "invalid_name"),
    ],
)
def test_bad_names_and_passwords_are_refused(
    engine: Engine, name: str, password: str, code: str
) -> None:
    with pytest.raises(BadInputError) as caught:
        add_reviewer(engine, name=name, password=password)
    assert caught.value.code == code
    assert list_reviewers(engine) == []


def test_names_may_use_any_script(engine: Engine) -> None:
    add_reviewer(engine, name="ana.lópez@support", password=PASSWORD)
    assert verify_password(engine, name="ana.lópez@support", password=PASSWORD) is not None


def test_disabled_reviewer_cannot_sign_in(engine: Engine) -> None:
    add_reviewer(engine, name="ana", password=PASSWORD)
    assert set_disabled(engine, name="ana", disabled=True).disabled is True
    assert verify_password(engine, name="ana", password=PASSWORD) is None
    set_disabled(engine, name="ana", disabled=False)
    assert verify_password(engine, name="ana", password=PASSWORD) is not None
    with pytest.raises(NotFoundError, match="no reviewer named 'bob'"):
        set_disabled(engine, name="bob", disabled=True)


def test_hash_with_outdated_parameters_is_replaced_at_sign_in(engine: Engine) -> None:
    add_reviewer(engine, name="ana", password=PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with transaction(engine) as session:  # as a store made with older parameters holds it
        row = session.exec(select(Reviewer).where(Reviewer.name == "ana")).one()
        row.password_hash = weak
    assert verify_password(engine, name="ana", password=PASSWORD) is not None
    renewed = _stored_hash(engine, "ana")
    assert renewed != weak and not PasswordHasher().check_needs_rehash(renewed)
