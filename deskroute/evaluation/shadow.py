"""Shadow mode: route historical tickets without acting and compare with where people sent them.

The model proposes, the history says what humans did; disagreements are listed with both
choices and the confidence, most confident first, because a confident disagreement is as likely
to be a mistake in the history as in the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from deskroute.escalation import choose_queue, decide
from deskroute.intake.prepare import prepare_ticket
from deskroute.models.classification import Prediction
from deskroute.models.ticket import TicketIn
from deskroute.runtime import Workspace

Mapping = Literal["queues", "categories", "learned"]


class TargetAgreement(BaseModel):
    target: str
    proposed: int
    """Confident rows the model sent to this target."""
    assigned: int
    """Rows humans assigned to this target."""
    agreed: int
    precision: float
    recall: float


class Disagreement(BaseModel):
    row: int
    text: str
    assigned: str
    proposed: str
    category: str | None
    confidence: float


class ShadowResult(BaseModel):
    n: int
    confident: int
    """Rows whose category the model was sure of (it would route them, or hand them to that
    team's people when a policy rule says so)."""
    unsure: int
    """Rows the model would escalate as unsure (low confidence, classifier error)."""
    agreement: float
    """Share of confident rows sent where people sent them."""
    fallback_agreement: float | None
    """For unsure rows: share whose best guess matches the human choice."""
    mapping: Mapping
    learned_map: dict[str, str]
    per_target: list[TargetAgreement]
    disagreements: list[Disagreement]


class _Row(BaseModel):
    category: str | None
    confidence: float
    routed: bool
    """True when the model was confident of a category (the gate chose a specialist)."""
    queue: str


def _propose(ws: Workspace, text: str) -> _Row:
    ticket = prepare_ticket(TicketIn(body=text), ws.policies.intake)
    verdict = ws.deps.cascade.classify(ticket)
    decision = decide(
        verdict.result,
        classifier_error=verdict.error,
        rule_hits=verdict.rule_hits,
        policies=ws.policies,
        thresholds=ws.deps.thresholds,
    )
    category = verdict.result.category if isinstance(verdict.result, Prediction) else None
    confidence = verdict.result.confidence if isinstance(verdict.result, Prediction) else 0.0
    # A confident category counts as a proposal even when a rule sends it to that team's
    # people (security, privacy): shadow mode asks whether the model knows where it belongs.
    if decision.target is not None and decision.category is not None:
        return _Row(
            category=category,
            confidence=confidence,
            routed=True,
            queue=ws.policies.category(decision.category).queue,
        )
    queue, _ = choose_queue(
        ws.policies,
        rule_hits=decision.rule_hits,
        reasons=decision.reasons,
        classification=verdict.result,
        category=decision.category,
    )
    return _Row(category=category, confidence=confidence, routed=False, queue=queue)


def _mapping(
    ws: Workspace, assigned: list[str], rows: list[_Row]
) -> tuple[Mapping, dict[str, str]]:
    categories = ws.policies.taxonomy.categories
    queues = {c.queue for c in categories.values()}
    if set(assigned) <= set(categories):
        return "categories", {}
    if set(assigned) <= queues:
        return "queues", {}
    votes: dict[str, Counter[str]] = {}
    for row, label in zip(rows, assigned, strict=True):
        if row.category is not None:
            votes.setdefault(row.category, Counter())[label] += 1
    return "learned", {category: counts.most_common(1)[0][0] for category, counts in votes.items()}


def run_shadow(
    ws: Workspace,
    texts: list[str],
    assigned: list[str],
    on_row: Callable[[], None] = lambda: None,
) -> ShadowResult:
    rows = []
    for text in texts:
        rows.append(_propose(ws, text))
        on_row()
    mapping, learned = _mapping(ws, assigned, rows)

    categories = ws.policies.taxonomy.categories

    def target(row: _Row) -> str:
        """The team queue (or category, or learned label) the model stands for."""
        if mapping == "queues":
            return categories[row.category].queue if row.category in categories else row.queue
        if mapping == "categories":
            return row.category or "(none)"
        return learned.get(row.category or "", "(unmapped)")

    proposed = [target(r) for r in rows]
    routed = [r.routed for r in rows]
    agreed = [p == a for p, a in zip(proposed, assigned, strict=True)]
    n_routed = sum(routed)
    n_escalated = len(rows) - n_routed
    per_target = []
    for name in sorted(set(assigned) | {p for p, r in zip(proposed, routed, strict=True) if r}):
        mine = [i for i, (p, r) in enumerate(zip(proposed, routed, strict=True)) if r and p == name]
        theirs = [i for i, a in enumerate(assigned) if a == name]
        hits = sum(1 for i in mine if agreed[i])
        per_target.append(
            TargetAgreement(
                target=name,
                proposed=len(mine),
                assigned=len(theirs),
                agreed=hits,
                precision=round(hits / len(mine), 4) if mine else 0.0,
                recall=round(sum(1 for i in theirs if routed[i] and agreed[i]) / len(theirs), 4)
                if theirs
                else 0.0,
            )
        )
    disagreements = sorted(
        (
            Disagreement(
                row=i + 1,
                text=texts[i],
                assigned=assigned[i],
                proposed=proposed[i],
                category=rows[i].category,
                confidence=round(rows[i].confidence, 4),
            )
            for i in range(len(rows))
            if routed[i] and not agreed[i]
        ),
        key=lambda d: -d.confidence,
    )
    escalated_agree = [agreed[i] for i in range(len(rows)) if not routed[i]]
    return ShadowResult(
        n=len(rows),
        confident=n_routed,
        unsure=n_escalated,
        agreement=round(sum(a for a, r in zip(agreed, routed, strict=True) if r) / n_routed, 4)
        if n_routed
        else 0.0,
        fallback_agreement=round(sum(escalated_agree) / len(escalated_agree), 4)
        if escalated_agree
        else None,
        mapping=mapping,
        learned_map=learned,
        per_target=per_target,
        disagreements=disagreements,
    )
