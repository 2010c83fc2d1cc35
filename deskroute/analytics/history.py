"""A synthetic routing history: weeks of tickets with what happened to each (escalation and
review, assignment and hand-overs, first response, resolution, SLA warnings and breaches, LLM
usage), as the store's rows. `deskroute demo --history` gives the dashboard two weeks to
compare; `bench/report_speed.py` fills a store with a million outcomes.

Volumes follow a working week (quiet weekends) and a working day; a newer classifier model
takes over `improves_days` before the end and misroutes less, so that last week differs from
the week before. Everything is drawn from one seeded generator: the same plan, the same rows.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any, Generic, TypeVar

from deskroute.models.review import ReviewAction
from deskroute.policies.schema import Policies

Rows = dict[str, list[dict[str, Any]]]
"""Table name -> rows, in an order that satisfies the foreign keys."""
TABLES = (
    "tickets",
    "outcomes",
    "escalations",
    "corrections",
    "assignments",
    "assignment_log",
    "sla_clocks",
)
_WEEKDAY = (1.15, 1.1, 1.05, 1.0, 0.9, 0.45, 0.35)
_HOUR = tuple(0.25 + math.exp(-(((h - 13.5) / 4.0) ** 2)) for h in range(24))
_PRIORITIES = (("P1", 0.05), ("P2", 0.2), ("P3", 0.55), ("P4", 0.2))
_TARGETS_H = {"P1": (1, 8), "P2": (4, 24), "P3": (8, 72), "P4": (24, 120)}
"""First response and resolution targets, in hours, per priority."""
_CHANNELS = (("email", 0.5), ("chat", 0.25), ("web", 0.2), ("api", 0.05))
_TIERS = (("standard", 0.55), ("business", 0.3), ("enterprise", 0.1), (None, 0.05))
_REASONS = (
    ("low_confidence", 0.45),
    ("sensitive_action", 0.25),
    ("human_requested", 0.12),
    ("multiple_intents", 0.1),
    ("policy_rule", 0.06),
    ("classifier_error", 0.02),
)
_RISKY = {"security": 0.6, "data_privacy": 0.55, "refunds_cancellations": 0.45, "outage": 0.25}
"""Escalation rates of the categories that escalate more than the usual 12%."""
LLM_MODEL = "openai:gpt-4o-mini"


@dataclass(frozen=True)
class Shape:
    """One category as the history draws it: its queues, share and example texts."""

    name: str
    queue: str
    escalation_queue: str
    weight: float
    texts: Sequence[str]


@dataclass(frozen=True)
class HistoryPlan:
    """How many outcomes over how many days before `end`, and what they are drawn from."""

    outcomes: int
    days: int
    end: datetime
    shapes: Sequence[Shape]
    agents: Sequence[tuple[int, str]]
    """(id, name) of the agents who take the tickets."""
    languages: Sequence[tuple[str, float]] = (("en", 0.72), ("de", 0.2), ("fr", 0.05), ("es", 0.03))
    customers: Sequence[tuple[str, str]] = ()
    """(id, tier) of known customers; without any, tickets carry a tier and no customer."""
    reviewers: Sequence[str] = ("lead.reviewer",)
    improves_days: int = 9
    settle: bool = False
    """Whether everything is over by `end`: every escalation decided, every assigned ticket
    answered and resolved (a demo's history then leaves no work behind for a live desk)."""
    seed: int = 20
    chunk: int = 5000
    """Tickets per batch of rows."""
    prefix: str = "hist"


def shapes_from(policies: Policies) -> list[Shape]:
    """The taxonomy's categories, more of the common ones, with their example texts."""
    weights = {"technical_issue": 3.0, "billing": 2.5, "account_access": 2.0, "general": 1.5}
    return [
        Shape(
            name=name,
            queue=category.queue,
            escalation_queue=category.escalation_queue,
            weight=weights.get(name, 1.0),
            texts=policies.examples.get(name) or [category.description],
        )
        for name, category in policies.taxonomy.categories.items()
    ]


T = TypeVar("T")


class _Choice(Generic[T]):
    """Draws one of the items by weight (cumulative weights computed once)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


_PRIORITY = _Choice(_PRIORITIES)
_CHANNEL = _Choice(_CHANNELS)
_TIER = _Choice(_TIERS)
_REASON = _Choice(_REASONS)


def _after(rng: random.Random, moment: datetime, median_minutes: float, spread: float) -> datetime:
    """A log-normal wait after `moment`."""
    return moment + timedelta(minutes=median_minutes * math.exp(rng.gauss(0.0, spread)))


def _by_end(plan: HistoryPlan, start: datetime, moment: datetime) -> datetime:
    """`moment`, or, when the plan settles everything, a time between `start` and the end."""
    if plan.settle and moment >= plan.end:
        return start + (plan.end - start) * 0.8
    return moment


@dataclass
class _Ticket:
    """What one drawn ticket became, before it is written as rows."""

    index: int
    id: str
    at: datetime
    shape: Shape
    language: str
    channel: str
    tier: str | None
    customer: str | None
    priority: str
    text: str
    rows: Rows = field(default_factory=lambda: {t: [] for t in TABLES})


def _arrivals(plan: HistoryPlan, rng: random.Random, count: int) -> list[datetime]:
    """`count` arrival times over the plan's days, shaped by weekday and hour."""
    start = (plan.end - timedelta(days=plan.days)).replace(minute=0, second=0, microsecond=0)
    hours = int((plan.end - start).total_seconds() // 3600)
    weights = [
        _WEEKDAY[(start + timedelta(hours=h)).weekday()] * _HOUR[(start + timedelta(hours=h)).hour]
        for h in range(hours)
    ]
    picked = rng.choices(range(hours), weights=weights, k=count)
    times = [start + timedelta(hours=h, seconds=rng.uniform(0, 3600)) for h in picked]
    return sorted(t for t in times if t < plan.end)


OUTCOMES_PER_TICKET = 1.2
"""A reviewed escalation has two outcomes, routing and review: about 1.2 per ticket."""


def generate(plan: HistoryPlan) -> Iterator[Rows]:
    """The history's rows, `plan.chunk` tickets at a time: about `plan.outcomes` outcomes."""
    rng = random.Random(plan.seed)
    arrivals = _arrivals(plan, rng, round(plan.outcomes / OUTCOMES_PER_TICKET))
    draws = _Draws.of(plan)
    recent: list[str] = []
    batch: Rows = {t: [] for t in TABLES}
    for index, at in enumerate(arrivals):
        ticket = _draw(plan, draws, rng, index, at)
        _live(plan, rng, ticket, recent)
        for table, rows in ticket.rows.items():
            batch[table].extend(rows)
        recent = [*recent[-50:], ticket.id]
        if len(batch["tickets"]) >= plan.chunk:
            yield batch
            batch = {t: [] for t in TABLES}
    if batch["tickets"]:
        yield batch


@dataclass(frozen=True)
class _Draws:
    """The plan's own distributions."""

    shape: _Choice[Shape]
    language: _Choice[str]

    @classmethod
    def of(cls, plan: HistoryPlan) -> _Draws:
        return cls(_Choice([(s, s.weight) for s in plan.shapes]), _Choice(plan.languages))


def _draw(
    plan: HistoryPlan, draws: _Draws, rng: random.Random, index: int, at: datetime
) -> _Ticket:
    shape = draws.shape(rng)
    customer: str | None = None
    tier: str | None = _TIER(rng)
    if plan.customers:
        customer, tier = rng.choice(plan.customers)
    return _Ticket(
        index=index,
        id=f"tkt_{plan.prefix}{index:012d}",
        at=at,
        shape=shape,
        language=draws.language(rng),
        channel=_CHANNEL(rng),
        tier=tier,
        customer=customer,
        priority=_PRIORITY(rng),
        text=rng.choice(shape.texts),
    )


def _live(plan: HistoryPlan, rng: random.Random, t: _Ticket, recent: list[str]) -> None:
    """What happens to the ticket, as rows."""
    newer = t.at >= plan.end - timedelta(days=plan.improves_days)
    version = "linear-2026.11.24" if newer else "linear-2026.11.02"
    duplicate_of = recent[-1 - rng.randrange(min(len(recent), 20))] if recent else None
    if rng.random() >= 0.03:
        duplicate_of = None
    escalated = duplicate_of is None and rng.random() < _RISKY.get(t.shape.name, 0.12)
    reasons = [_REASON(rng)] if escalated else []
    if reasons and rng.random() < 0.2:
        reasons.append(_REASON(rng))
    reasons = list(dict.fromkeys(reasons))
    llm_calls = (1 if rng.random() < 0.25 else 0) + (1 if rng.random() < 0.15 else 0)
    usage = {
        "llm_model": LLM_MODEL if llm_calls else None,
        "llm_calls": llm_calls,
        "llm_input_tokens": llm_calls * rng.randint(600, 1400),
        "llm_output_tokens": llm_calls * rng.randint(20, 120),
    }
    queue = t.shape.escalation_queue if escalated else t.shape.queue
    wrong = rng.random() < (0.2 if newer else 0.32)
    t.rows["tickets"].append(_ticket_row(t, escalated))
    t.rows["outcomes"].append(
        _outcome_row(t, queue, escalated, reasons, duplicate_of, version, usage, review=None)
    )
    if duplicate_of is not None:
        return
    clock = _clock(t, queue)
    if escalated:
        _escalation(plan, rng, t, queue, reasons, wrong, version, clock)
        return
    assigned = _assign(plan, rng, t, t.shape.queue, t.at, clock, reason="new")
    if assigned and rng.random() < (0.01 if newer else 0.025):
        flagged = _after(rng, t.at, 600, 1.0)
        if flagged < plan.end:
            moved = rng.choice([s for s in plan.shapes if s is not t.shape] or [t.shape])
            t.rows["corrections"].append(
                _correction(t, plan, rng, kind="corrected", category=moved.name, at=flagged)
            )


def _ticket_row(t: _Ticket, escalated: bool) -> dict[str, Any]:
    return {
        "id": t.id,
        "external_id": None,
        "source": None,
        "channel": t.channel,
        "subject": t.text.split(".")[0][:80],
        "body": t.text,
        "raw_body": t.text,
        "customer_id": t.customer,
        "customer_email": None,
        "language": t.language,
        "language_source": "detected",
        "status": "escalated" if escalated else "routed",
        "category": t.shape.name,
        "created_at": t.at,
        "received_at": t.at,
        "meta": {},
        "idempotency_key": None,
        "claimed_at": None,
        "attempts": 1,
    }


def _outcome_row(
    t: _Ticket,
    queue: str,
    escalated: bool,
    reasons: list[str],
    duplicate_of: str | None,
    version: str,
    usage: dict[str, Any],
    *,
    review: dict[str, Any] | None,
    at: datetime | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    """The outcome row, its record as an `OutcomeRecord`'s JSON (built as data: validating a
    million of them would take longer than writing them; a test validates them)."""
    at = at or t.at
    category = category or t.shape.name
    awaiting = escalated and review is None
    record = {
        "ticket_id": t.id,
        "category": category,
        "confidence": 0.55 if escalated else 0.93,
        "secondary_intents": [],
        "classifier": {"source": "local", "model_version": version, "category": t.shape.name},
        "prompt_version": None,
        "path": ["intake", "classify", "record"],
        "specialist": None,
        "queue": queue,
        "priority": t.priority,
        "escalated": awaiting,
        "escalation_reasons": reasons,
        "response": None,
        "actions": [],
        "timings_ms": {},
        "created_at": at.isoformat(),
        "language": t.language,
        "customer_id": t.customer,
        "duplicate_of": duplicate_of,
        "state": "resolved" if review else "awaiting_review" if awaiting else "routed",
        "review": review,
        "notes": ["synthetic history (deskroute demo --history)"],
    }
    return {
        "ticket_id": t.id,
        "category": category,
        "queue": queue,
        "escalated": awaiting,
        "priority": t.priority,
        "specialist": None,
        "created_at": at,
        "record": record,
        "reviewed": review is not None,
        "channel": t.channel,
        "language": t.language,
        "tier": t.tier,
        "duplicate_of": duplicate_of,
        "model_version": version,
        **(usage if review is None else _NO_USAGE),
    }


_NO_USAGE = {"llm_model": None, "llm_calls": 0, "llm_input_tokens": 0, "llm_output_tokens": 0}


def _clock(t: _Ticket, queue: str) -> dict[str, Any]:
    first_h, resolve_h = _TARGETS_H[t.priority]
    clock = {
        "ticket_id": t.id,
        "priority": t.priority,
        "tier": t.tier,
        "queue": queue,
        "calendar": "24x7",
        "open": True,
        "started_at": t.at,
        "first_response_risk_at": t.at + timedelta(hours=first_h * 0.75),
        "first_response_due": t.at + timedelta(hours=first_h),
        "resolution_risk_at": t.at + timedelta(hours=resolve_h * 0.75),
        "resolution_due": t.at + timedelta(hours=resolve_h),
        "first_response_at": None,
        "resolved_at": None,
        "paused_since": None,
        "first_response_warned_at": None,
        "first_response_breached_at": None,
        "resolution_warned_at": None,
        "resolution_breached_at": None,
        "updated_at": t.at,
    }
    t.rows["sla_clocks"].append(clock)
    return clock


def _settle(clock: dict[str, Any], end: datetime) -> None:
    """Stamp the clock's warnings and breaches as a sweep at `end` would have."""
    for name, done in (
        ("first_response", clock["first_response_at"]),
        ("resolution", clock["resolved_at"]),
    ):
        reached = done or end
        if reached >= clock[f"{name}_risk_at"]:
            clock[f"{name}_warned_at"] = clock[f"{name}_risk_at"]
        if reached > clock[f"{name}_due"]:
            clock[f"{name}_breached_at"] = clock[f"{name}_due"]
    clock["open"] = clock["resolved_at"] is None
    clock["updated_at"] = min(end, clock["resolved_at"] or end)


def _assign(
    plan: HistoryPlan,
    rng: random.Random,
    t: _Ticket,
    queue: str,
    since: datetime,
    clock: dict[str, Any],
    *,
    reason: str,
) -> bool:
    """The ticket waits in its queue's pool, an agent takes it, maybe hands it over, answers
    and resolves it, each only if it happened before the end. Whether an agent took it."""
    log = t.rows["assignment_log"]
    end = plan.end
    log.append(_log(t, "opened", since, reason=reason))
    busy = 1.0 + 2.5 * _HOUR[since.hour] * _WEEKDAY[since.weekday()]
    given = _by_end(plan, since, _after(rng, since, 3.0 * busy, 0.9))
    row: dict[str, Any] = {
        "ticket_id": t.id,
        "state": "waiting",
        "queue": queue,
        "category": t.shape.name,
        "language": t.language,
        "tier": t.tier,
        "priority": t.priority,
        "vip": t.tier == "enterprise",
        "agent_id": None,
        "reason": reason,
        "relaxed": [],
        "waiting_since": since,
        "assigned_at": None,
        "started_at": None,
        "closed_at": None,
        "updated_at": since,
        "first_assigned_at": None,
        "times_given": 0,
    }
    t.rows["assignments"].append(row)
    if given >= end or not plan.agents:
        _settle(clock, end)
        return False
    agent_id, agent = rng.choice(plan.agents)
    log.append(_log(t, "assigned", given, agent=agent, reason="best_match"))
    row.update(
        state="assigned",
        agent_id=agent_id,
        reason="best_match",
        assigned_at=given,
        first_assigned_at=given,
        times_given=1,
    )
    answered = _by_end(plan, given, _after(rng, given, 25.0, 1.1))
    if rng.random() < 0.12:
        moved = _after(rng, given, 40.0, 1.0)
        other_id, other = rng.choice(
            [a for a in plan.agents if a[0] != agent_id] or [plan.agents[0]]
        )
        if moved < end and moved < answered:
            log.append(_log(t, "reassigned", moved, agent=other, from_agent=agent, reason="skill"))
            row.update(agent_id=other_id, assigned_at=moved, times_given=2)
            answered = max(answered, _by_end(plan, moved, _after(rng, moved, 20.0, 1.0)))
    if answered < end:
        clock["first_response_at"] = answered
        log.append(_log(t, "started", answered, reason="first_response"))
        row.update(state="started", started_at=answered)
        resolving = _after(rng, answered, 60.0 * _TARGETS_H[t.priority][1] / 6, 1.0)
        resolved = _by_end(plan, answered, resolving)
        if resolved < end:
            clock["resolved_at"] = resolved
            log.append(_log(t, "closed", resolved, reason="resolved"))
            row.update(state="closed", closed_at=resolved)
    row["updated_at"] = since
    _settle(clock, end)
    return True


def _log(
    t: _Ticket,
    kind: str,
    at: datetime,
    *,
    reason: str,
    agent: str | None = None,
    from_agent: str | None = None,
) -> dict[str, Any]:
    return {
        "ticket_id": t.id,
        "kind": kind,
        "agent": agent,
        "from_agent": from_agent,
        "reason": reason,
        "at": at,
    }


def _escalation(
    plan: HistoryPlan,
    rng: random.Random,
    t: _Ticket,
    queue: str,
    reasons: list[str],
    wrong: bool,
    version: str,
    clock: dict[str, Any],
) -> None:
    """The escalation waits for review; once decided, the reviewer confirmed the category or
    moved the ticket (which then goes to the right team's pool)."""
    decided = _by_end(plan, t.at, _after(rng, t.at, 90.0, 1.2))
    row = {
        "ticket_id": t.id,
        "state": "awaiting_review",
        "queue": queue,
        "category": t.shape.name,
        "priority": t.priority,
        "reasons": " " + " ".join(reasons) + " ",
        "primary_reason": reasons[0],
        "round": 1,
        "escalated_at": t.at,
        "updated_at": t.at,
        "opened_by": None,
        "opened_until": None,
        "resolved_by": None,
        "resolved_at": None,
        "resolution": None,
    }
    t.rows["escalations"].append(row)
    if decided >= plan.end:
        _settle(clock, plan.end)
        return
    reviewer = rng.choice(plan.reviewers)
    others = [s for s in plan.shapes if s.name != t.shape.name]
    after = rng.choice(others) if wrong and others else t.shape
    action: ReviewAction = "reassign" if after is not t.shape else "approve"
    row.update(
        state="resolved",
        category=after.name,
        queue=after.queue,
        resolved_by=reviewer,
        resolved_at=decided,
        resolution=action,
        updated_at=decided,
    )
    kind = "corrected" if action == "reassign" else "confirmed"
    t.rows["corrections"].append(
        _correction(t, plan, rng, kind=kind, category=after.name, at=decided)
    )
    t.rows["tickets"][0]["status"] = "resolved"
    t.rows["tickets"][0]["category"] = after.name
    review = {
        "decisions": [
            {
                "round": 1,
                "action": action,
                "reviewer": reviewer,
                "decided_at": decided.isoformat(),
                "category_before": t.shape.name,
                "category_after": after.name,
            }
        ],
        "escalated_for": reasons,
    }
    t.rows["outcomes"].append(
        _outcome_row(
            t,
            after.queue,
            True,
            reasons,
            None,
            version,
            _NO_USAGE,
            review=review,
            at=decided,
            category=after.name,
        )
    )
    if action == "reassign":
        _assign(plan, rng, t, after.queue, decided, clock, reason="follow_up")
    else:
        clock["first_response_at"] = clock["resolved_at"] = decided
        _settle(clock, plan.end)


def _correction(
    t: _Ticket, plan: HistoryPlan, rng: random.Random, *, kind: str, category: str, at: datetime
) -> dict[str, Any]:
    return {
        "ticket_id": t.id,
        "round": 1,
        "text": t.text,
        "predicted": t.shape.name,
        "confidence": 0.55,
        "category": category,
        "kind": kind,
        "reviewer": rng.choice(plan.reviewers),
        "created_at": at,
    }
