"""Opening a workspace: the demo CRM goes only where the demo asks for it; the company name
comes from the policies."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_tree, edit_yaml, view
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, func, select

from deskroute.llm.redact import Redactor
from deskroute.runtime import open_workspace
from deskroute.service import route_new
from deskroute.settings import Settings
from deskroute.store.tables import (
    Customer,
    HelpArticle,
    Invoice,
    KnownIssue,
    LoginEvent,
    Plan,
    Subscription,
)

DEMO_TABLES: list[type[SQLModel]] = [
    Customer,
    Subscription,
    Invoice,
    LoginEvent,
    KnownIssue,
    Plan,
    HelpArticle,
]


def demo_rows(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.__name__: session.exec(select(func.count()).select_from(table)).one()
            for table in DEMO_TABLES
        }


def test_a_database_url_stays_empty_of_demo_rows(settings: Settings, database_url: str) -> None:
    ws = open_workspace(settings.model_copy(update={"database_url": database_url}))
    try:
        rows = demo_rows(ws.engine)
        assert rows == dict.fromkeys(rows, 0)
        # A team's empty CRM still routes: the sender is simply unknown.
        _, record = route_new(ws, {"body": "Please resend invoice INV-2026-0101"})
        assert record.queue and record.category == "billing"
        assert demo_rows(ws.engine)["Customer"] == 0
    finally:
        ws.engine.dispose()


def test_a_database_url_gets_the_demo_crm_only_when_asked(
    settings: Settings, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKROUTE_DATABASE_URL", postgres_url)
    monkeypatch.setenv("DESKROUTE_SEED_DEMO", "1")
    asked = Settings(home=settings.home, model_path=settings.model_path)
    assert asked.database_url == postgres_url
    ws = open_workspace(asked)
    try:
        rows = demo_rows(ws.engine)
        assert rows["Customer"] == 24 and all(rows.values()), rows
    finally:
        ws.engine.dispose()


def test_the_default_home_gets_the_demo_crm(settings: Settings) -> None:
    assert settings.database_url is None
    rows = demo_rows(open_workspace(settings).engine)
    assert rows["Customer"] == 24 and all(rows.values()), rows


@pytest.mark.parametrize(
    ("env", "seeded"),
    [
        ({}, True),
        ({"DESKROUTE_SEED_DEMO": "0"}, False),
        ({"DESKROUTE_DATABASE_URL": "postgresql+psycopg://db.internal/crm"}, False),
        (
            {
                "DESKROUTE_DATABASE_URL": "postgresql+psycopg://db.internal/crm",
                "DESKROUTE_SEED_DEMO": "1",
            },
            True,
        ),
    ],
)
def test_seed_demo_follows_the_database_url_unless_set(
    env: dict[str, str], seeded: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Settings().resolved_seed_demo is seeded


def test_the_company_name_comes_from_the_routing_policy(settings: Settings, tmp_path: Path) -> None:
    policies = copy_tree("policies", tmp_path)
    edit_yaml(policies / "routing.yaml", lambda d: d.update(company="Acme Analytics"))
    ws = open_workspace(
        settings.model_copy(
            update={
                "policies_dir": policies,
                "llm": "openai-compatible:any",
                "llm_base_url": "http://127.0.0.1:9/v1",  # never called here
            }
        )
    )
    assert ws.deps.company == "Acme Analytics"
    assert ws.deps.cascade.llm is not None
    ticket = view(ws.policies, body="Where is my invoice?")
    system, _human = ws.deps.cascade.llm.messages(ticket, None, Redactor(enabled=False))
    assert "for Acme Analytics." in system.content and "Brightline" not in system.content
