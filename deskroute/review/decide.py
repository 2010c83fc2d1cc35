"""What a reviewer's decision makes of an outcome awaiting review, before anything is applied.

Pure: the outcome the decision leads to, and the record of the decision. The transaction that
carries it out is `deskroute.review.carry`; a `reassign` is not decided here, the run resumes
at the new specialist instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deskroute.errors import BadInputError
from deskroute.models.actions import ActionRecord
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.review import ActionChange, Decision, DecisionRecord, ReviewInfo
from deskroute.prompts import Prompt
from deskroute.replies import compose


def proposed(outcome: OutcomeRecord) -> list[tuple[int, ActionRecord]]:
    """The actions waiting for a decision, with their places in `outcome.actions`."""
    return [(i, a) for i, a in enumerate(outcome.actions) if a.status == "proposed"]


def draft_of(outcome: OutcomeRecord) -> str | None:
    return outcome.escalation.draft_reply if outcome.escalation is not None else None


def chosen(outcome: OutcomeRecord, decision: Decision) -> int | None:
    """The place in `outcome.actions` of the proposal an `edit` or `reject` is about: the one
    `decision.index` names (counted among proposals), the only one, or None for all."""
    waiting = proposed(outcome)
    if decision.index is None:
        if decision.action == "edit" and decision.args is not None:
            if len(waiting) != 1:
                raise BadInputError(
                    f"{len(waiting)} actions are proposed: say which one to edit (index)",
                    field="index",
                )
            return waiting[0][0]
        return None
    if decision.index >= len(waiting):
        raise BadInputError(
            f"there are {len(waiting)} proposed actions; index {decision.index} is not one",
            field="index",
        )
    return waiting[decision.index][0]


@dataclass(frozen=True)
class Decided:
    outcome: OutcomeRecord
    """The outcome after the decision: `resolved`, or still `awaiting_review` when proposals
    remain undecided (one of several was rejected)."""
    record: DecisionRecord


def _change(i: int, before: ActionRecord, after: ActionRecord) -> ActionChange:
    return ActionChange(
        index=i,
        tool=before.tool,
        verdict="executed" if after.status == "executed" else "rejected",
        args_before=before.args,
        args_after=after.args,
        reason=after.reason,
    )


def decide(
    outcome: OutcomeRecord,
    decision: Decision,
    *,
    round: int,
    now: datetime,
    prompt: Prompt,
    company: str,
    args: dict[int, dict[str, object]] | None = None,
) -> Decided:
    """The outcome `decision` leads to. `args`: validated new arguments by action place
    (an `edit`). Raises `BadInputError` for a decision that does not fit the ticket."""
    if decision.action == "reassign":
        raise ValueError("a reassign resumes the run at another specialist")
    waiting = proposed(outcome)
    draft = draft_of(outcome)
    target = chosen(outcome, decision) if decision.action in ("edit", "reject") else None
    actions = list(outcome.actions)
    changes: list[ActionChange] = []

    def settle(i: int, status: str, reason: str | None, new_args: dict | None = None) -> None:
        before = actions[i]
        after = before.model_copy(
            update={
                "status": status,
                "reason": reason,
                "args": new_args if new_args is not None else before.args,
                "decided_by": decision.reviewer,
                "decided_at": now,
            }
        )
        actions[i] = after
        changes.append(_change(i, before, after))

    who = f"approved by {decision.reviewer}"
    if decision.action in ("approve", "edit"):
        if not waiting and decision.reply is None and draft is None:
            raise BadInputError(
                "nothing to approve: no action is proposed and there is no draft reply; "
                "reply, reassign or dismiss instead",
                field="action",
            )
        for i, _a in waiting:
            edited = (args or {}).get(i)
            settle(i, "executed", f"{who} (edited)" if edited else who, edited)
    elif decision.action == "reject":
        if not waiting:
            raise BadInputError("no action is proposed: there is nothing to reject", field="action")
        for i, _a in waiting:
            if target is None or i == target:
                settle(i, "rejected", f"rejected by {decision.reviewer}: {decision.reason}")
    else:  # reply, dismiss
        why = "a person replied instead" if decision.action == "reply" else decision.reason
        for i, _a in waiting:
            settle(i, "rejected", f"not carried out: {why} ({decision.reviewer})")

    pending = any(a.status == "proposed" for a in actions)
    response = _response(
        outcome, decision, actions, draft=draft, prompt=prompt, company=company, pending=pending
    )
    record = DecisionRecord(
        round=round,
        action=decision.action,
        reviewer=decision.reviewer,
        decided_at=now,
        reason=decision.reason,
        category_before=outcome.category,
        category_after=outcome.category,
        reply_before=draft,
        reply_after=response,
        actions=changes,
    )
    earlier = outcome.review.decisions if outcome.review is not None else []
    review = ReviewInfo(
        decisions=[*earlier, record],
        escalated_for=outcome.review.escalated_for
        if outcome.review is not None
        else list(outcome.escalation_reasons),
    )
    return Decided(
        outcome=outcome.model_copy(
            update={
                "actions": actions,
                "response": outcome.response if pending else response,
                "state": "awaiting_review" if pending else "resolved",
                "review": review,
                "created_at": now,
            }
        ),
        record=record,
    )


def _response(
    outcome: OutcomeRecord,
    decision: Decision,
    actions: list[ActionRecord],
    *,
    draft: str | None,
    prompt: Prompt,
    company: str,
    pending: bool,
) -> str | None:
    """The reply the customer gets: the draft (or the reviewer's edit of it), a person's own
    reply, a refusal naming the reason, or none (dismissed)."""
    if pending or decision.action == "dismiss":
        return None
    if decision.action == "reply":
        return decision.reply
    refusals = [a.reason for a in actions if a.status == "rejected" and a.decided_by]
    text = decision.reply or draft
    if not refusals:
        return text
    language = outcome.language or "en"
    lines = [
        prompt.render("refused", language=language, reason=r.split(": ", 1)[-1]).strip()
        for r in refusals
        if r is not None
    ]
    carried = any(a.status == "executed" and a.decided_by for a in actions)
    if text and carried:
        # The draft describes what was done; the refusal goes before its sign-off.
        head, _, closing = text.rpartition("\n\n")
        return "\n\n".join(p for p in (head, *lines, closing) if p)
    contact = outcome.escalation.customer if outcome.escalation is not None else None
    return compose(
        prompt,
        language=language,
        contact_name=contact.contact_name if contact is not None and contact.known else None,
        body=lines,
        closing={"ticket_ref": outcome.ticket_id, "company": company},
    )
