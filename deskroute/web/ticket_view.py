"""What the ticket page shows of an escalation, worked out once so the templates only lay it
out: the proposals with their inputs, the actions already decided, who else has it open,
and which decisions fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deskroute.models.actions import ActionRecord
from deskroute.models.review import DecisionRecord
from deskroute.review.decide import draft_of, proposed
from deskroute.review.views import EscalationDetail
from deskroute.web.forms import ArgInput, FormError, arg_inputs
from specialists.tools import TOOLS


@dataclass(frozen=True)
class Proposal:
    """A proposed action waiting for the reviewer, with its edit form's inputs."""

    index: int
    """Its place among the proposals: what a decision's `index` names."""
    action: ActionRecord
    description: str
    inputs: list[ArgInput]


def _described(tool: str) -> str:
    known = TOOLS.get(tool)
    return known.description if known is not None else ""


def _proposals(detail: EscalationDetail, failed: FormError | None) -> list[Proposal]:
    found = []
    for n, (_place, action) in enumerate(proposed(detail.outcome)):
        typed = failed.values if failed is not None and failed.form == f"edit-{n}" else None
        found.append(
            Proposal(
                index=n,
                action=action,
                description=_described(action.tool),
                inputs=arg_inputs(action.tool, action.args, typed),
            )
        )
    return found


def ticket_context(
    detail: EscalationDetail,
    *,
    reviewer: str,
    categories: dict[str, str],
    failed: FormError | None = None,
) -> dict[str, Any]:
    """The ticket template's context."""
    outcome = detail.outcome
    summary = detail.summary
    awaiting = summary.state == "awaiting_review"
    proposals = _proposals(detail, failed) if awaiting else []
    draft = draft_of(outcome)
    writes = [a for a in outcome.actions if a.kind == "write" and a.status != "proposed"]
    decisions: list[DecisionRecord] = outcome.review.decisions if outcome.review else []
    held_by = summary.opened_by if summary.opened_by not in (None, reviewer) else None
    return {
        "detail": detail,
        "summary": summary,
        "outcome": outcome,
        "package": outcome.escalation,
        "customer": outcome.escalation.customer if outcome.escalation else None,
        "awaiting": awaiting,
        "proposals": proposals,
        "settled": writes,
        "lookups": [a for a in outcome.actions if a.kind == "lookup"],
        "draft": draft,
        "can_approve": bool(proposals) or draft is not None,
        "decisions": decisions,
        "held_by": held_by,
        "categories": categories,
        "failed": failed,
        "descriptions": {a.tool: _described(a.tool) for a in outcome.actions},
    }
