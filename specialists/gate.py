"""The policy gate every tool call goes through, whoever asks for it.

Enforced in code, whatever a classifier, a model or a ticket says: a tool off the specialist's
allow-list is rejected; arguments are validated; a sensitive tool, or one the policy wants
approved, becomes a *proposed* action that only `apply_action(..., approved_by=...)` can carry
out; a write on a ticket that names another customer than its sender is proposed for that
customer, never run on the sender's account; a write on the account of a sender matched only by
the e-mail domain of its contact (a colleague) is proposed, never run; a write whose arguments
leave its scope open (whose data, which key, how much) is proposed with that question and never
applied until it is settled; safe writes are applied in the same transaction as the outcome
record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from deskroute.errors import ToolError
from deskroute.models.actions import ActionRecord, ActionStatus, ActionTarget, ToolKind
from deskroute.models.specialists import SpecialistName
from deskroute.models.ticket import TicketView
from deskroute.policies.schema import SpecialistPolicy
from specialists.targets import other_customer
from specialists.tools import TOOLS, Injected, Tool
from specialists.tools.base import Check


def approval_needed(tool: Tool, args: Any, check: Check) -> str | None:
    """Why this call needs a person's approval, or None if it may run on its own."""
    if tool.kind == "write" and tool.on_account and check.env.colleague:
        return (
            f"{tool.name} acts on the account, and the sender is not its contact "
            "(matched only by the e-mail domain)"
        )
    if tool.sensitive:
        return f"{tool.name} is a sensitive action"
    if tool.name in check.policy.require_approval:
        return f"policy requires approval for {tool.name}"
    if tool.approval_rule is not None:
        return tool.approval_rule(args, check)
    return None


def approval_tools(policy: SpecialistPolicy) -> list[str]:
    """The allowed tools whose calls `approval_needed` can hold for a person: always for
    sensitive ones and the policy's `require_approval`, for some arguments with a rule."""
    names = []
    for name in policy.tools:
        tool = TOOLS[name]
        if tool.sensitive or name in policy.require_approval:
            names.append(name)
        elif tool.approval_rule is not None:
            names.append(f"{name} (for some arguments)")
    return names


@dataclass(frozen=True)
class GateResult:
    status: ActionStatus
    result: Any = None
    reason: str | None = None
    target: ActionTarget | None = None
    """Set when the write is proposed for another customer than the sender (no preview then:
    the preview would describe the sender's account)."""

    @property
    def ok(self) -> bool:
        return self.status == "executed"


@dataclass
class ToolGate:
    specialist: SpecialistName
    policy: SpecialistPolicy
    session: Session
    env: Injected
    actions: list[ActionRecord] = field(default_factory=list)
    ticket: TicketView | None = None
    """The ticket the calls are for: rules compare arguments with what it asks."""

    @cached_property
    def other_customer(self) -> ActionTarget | None:
        """The customer the ticket names other than its sender, if any (looked up once)."""
        sender, ticket = self.env.customer_id, self.ticket
        if sender is None or ticket is None:
            return None
        return other_customer(self.session, text=ticket.text, sender=sender)

    def visible_tools(self) -> list[Tool]:
        """The only tools this specialist (and its model) ever sees."""
        return [TOOLS[name] for name in self.policy.tools]

    def _record(
        self, name: str, args: Mapping[str, Any], kind: ToolKind, result: GateResult
    ) -> GateResult:
        self.actions.append(
            ActionRecord(
                tool=name,
                args=dict(args),
                status=result.status,
                specialist=self.specialist,
                kind=kind,
                reason=result.reason,
                result=result.result,
                target=result.target,
            )
        )
        return result

    def call(self, name: str, args: Mapping[str, Any] | None = None) -> GateResult:
        """Run a lookup, or decide a write. Mistakes become `rejected`, never exceptions."""
        args = dict(args or {})
        tool = TOOLS.get(name)
        if tool is None or name not in self.policy.tools:
            return self._record(
                name,
                args,
                "write" if tool and tool.kind == "write" else "lookup",
                GateResult(
                    "rejected", reason=f"{name} is not allowed for the {self.specialist} specialist"
                ),
            )
        try:
            parsed = tool.args.model_validate(args)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'args'}: {e['msg']}" for e in exc.errors()
            )
            return self._record(
                name,
                args,
                tool.kind,
                GateResult("rejected", reason=f"invalid arguments: {problems}"),
            )
        question = parsed.open_question()
        if tool.kind == "write" and tool.on_account and (target := self.other_customer):
            return self._record(
                name,
                parsed.model_dump(mode="json"),
                tool.kind,
                GateResult("proposed", reason=_joined(target.note, question), target=target),
            )
        try:
            outcome = tool.run(self.session, self.env, parsed)
        except ToolError as exc:
            return self._record(name, args, tool.kind, GateResult("rejected", reason=str(exc)))
        if tool.kind == "lookup":
            return self._record(name, args, tool.kind, GateResult("executed", result=outcome))
        parsed = parsed.filled(outcome)
        clean = parsed.model_dump(mode="json")
        earlier = tuple(
            tool.args.model_validate(a.args)
            for a in self.actions
            if a.tool == name and a.status == "executed"
        )
        check = Check(self.session, self.env, self.policy, ticket=self.ticket, earlier=earlier)
        if reason := _joined(approval_needed(tool, parsed, check), question):
            return self._record(
                name, clean, tool.kind, GateResult("proposed", result=outcome, reason=reason)
            )
        return self._record(name, clean, tool.kind, GateResult("executed", result=outcome))


def _joined(*reasons: str | None) -> str | None:
    """The reasons given, in one line for the reviewer; None when there are none."""
    return "; ".join(r for r in reasons if r) or None


def apply_action(
    session: Session,
    action: ActionRecord,
    env: Injected,
    policy: SpecialistPolicy,
    *,
    approved_by: str | None = None,
) -> dict[str, Any]:
    """Carry out a write. Without `approved_by`, refuses anything that needs approval, so no
    path through the workflow can run a sensitive tool on its own. The rules run again here,
    in the caller's transaction, on what the store holds now (a credit cap another ticket
    reached since the gate decided)."""
    tool = TOOLS[action.tool]
    if tool.kind != "write" or tool.apply is None:
        raise ToolError(f"{action.tool} has no effect to apply")
    parsed = tool.args.model_validate(action.args)
    if (question := parsed.open_question()) is not None:
        raise ToolError(f"{action.tool} cannot be applied before it is settled: {question}")
    if (target := action.target) is not None:
        if approved_by is None:
            raise ToolError(f"refusing to apply {action.tool} without approval: {target.note}")
        if target.customer_id is None:
            raise ToolError(f"{action.tool} cannot be applied before its account is settled")
        # Approved for the customer the ticket named: it acts on that account, never the sender's.
        named = replace(env, customer_id=target.customer_id, customer_email=None)
        return tool.apply(session, named, parsed)
    check = Check(session, env, policy, applying=True)
    if approved_by is None and (reason := approval_needed(tool, parsed, check)):
        raise ToolError(f"refusing to apply {action.tool} without approval: {reason}")
    if tool.limit is not None and (reason := tool.limit(parsed, check)):
        raise ToolError(f"{action.tool} exceeds a policy limit: {reason}")
    return tool.apply(session, env, parsed)
