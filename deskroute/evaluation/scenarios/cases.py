"""Scenario cases: a realistic ticket and what a support lead expects of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from deskroute.errors import ConfigError
from deskroute.models.ticket import TicketIn
from deskroute.policies.loader import read_yaml, validate_file
from deskroute.settings import PROJECT_ROOT

SCENARIOS = PROJECT_ROOT / "bench" / "data" / "scenarios.yaml"

OneOf = str | list[str]
"""One accepted value, or the accepted ones."""
Priority = Literal["P1", "P2", "P3", "P4"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpectedAction(_Strict):
    """A tool call that must be among the outcome's actions."""

    tool: str
    status: Literal["executed", "proposed"] | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    """Text matches case-insensitively as a part, numbers within a cent, a list means any
    of its values, None means the argument is left open."""


class Expectation(_Strict):
    language: str
    category: OneOf
    intents: list[str] = Field(default_factory=list)
    queue: OneOf
    priority: Priority | list[Priority]
    escalated: bool | None = None
    reasons: list[str] = Field(default_factory=list)
    actions: list[ExpectedAction] = Field(default_factory=list)
    forbid: list[str] = Field(default_factory=list)
    """Tools that must be neither executed nor proposed; `tool:executed` only forbids
    running it."""
    reply: list[OneOf] = Field(default_factory=list)
    """Facts the reply or the reviewer's draft must mention (a list: any of them)."""
    reply_not: list[str] = Field(default_factory=list)


class Scenario(_Strict):
    id: str
    about: str
    ticket: TicketIn
    expect: Expectation


class ScenarioFile(_Strict):
    cases: list[Scenario] = Field(min_length=1)


def load_scenarios(path: Path = SCENARIOS) -> list[Scenario]:
    """The cases of a scenario file; a `ConfigError` names the file and key of a bad one."""
    cases = validate_file(path, ScenarioFile, read_yaml(path)).cases
    seen: set[str] = set()
    for n, case in enumerate(cases):
        if case.id in seen:
            raise ConfigError(
                f"case id {case.id} appears twice", file=str(path), key=f"cases[{n}].id"
            )
        seen.add(case.id)
    return cases
