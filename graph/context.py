"""Run dependencies handed to every node through LangGraph's runtime context (not state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from deskroute.classify.cascade import Cascade
from deskroute.classify.thresholds import Thresholds
from deskroute.models.specialists import SpecialistName
from deskroute.policies.schema import Policies
from deskroute.prompts import Prompt
from deskroute.store.types import utcnow
from specialists.registry import Loaded

if TYPE_CHECKING:
    from deskroute.llm.runtime import LLMRuntime


@dataclass(frozen=True)
class Deps:
    policies: Policies
    engine: Engine
    cascade: Cascade
    specialists: dict[SpecialistName, Loaded]
    escalation_prompt: Prompt
    intake_prompt: Prompt
    thresholds: Thresholds | None
    """The local model's calibrated thresholds (for `auto` in taxonomy.yaml)."""
    llm: LLMRuntime | None = None
    """The configured LLM for specialists (None: the embedded default)."""
    company: str = field(kw_only=True)
    """The organisation's name in prompts (`company` in policies/routing.yaml)."""
    clock: Callable[[], datetime] = utcnow
