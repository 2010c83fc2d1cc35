"""Run one specialist's embedded handler against the real seeded store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from helpers import view
from sqlmodel import Session

from deskroute.enrich import customer_context
from deskroute.models.actions import ActionRecord
from deskroute.runtime import Workspace
from specialists.base import NotMine, Reply


@dataclass
class Ran:
    result: Reply | NotMine
    actions: list[ActionRecord]

    @property
    def text(self) -> str:
        assert isinstance(self.result, Reply)
        return self.result.text

    def status(self, tool: str) -> str | None:
        return next((a.status for a in self.actions if a.tool == tool), None)


Runner = Callable[..., Ran]


@pytest.fixture
def run_specialist(workspace: Workspace) -> Runner:
    def run(name: str, body: str, category: str, **sender: str) -> Ran:
        loaded = workspace.deps.specialists[name]
        ticket = view(workspace.policies, body=body, **sender)
        now = datetime.now(UTC)
        with Session(workspace.engine) as session:
            customer = customer_context(
                session,
                ticket,
                now=now,
                free_mail_domains=workspace.policies.intake.free_mail_domains,
            )
            work = loaded.start(
                ticket=ticket,
                category=category,
                customer=customer,
                session=session,
                policies=workspace.policies,
                now=now,
            )
            result = loaded.specialist.handle(work)
        gate = work.gate
        for action in gate.actions:
            assert action.tool in loaded.policy.tools, f"{name} called {action.tool}"
        return Ran(result=result, actions=gate.actions)

    return run
