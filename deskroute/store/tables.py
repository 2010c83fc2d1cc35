"""SQLModel tables. CRM tables are the demo organisation's systems of record; tickets,
outcomes and actions are DeskRoute's own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlmodel import AutoString, Field, SQLModel

from deskroute.models.context import Tier
from deskroute.models.ticket import LanguageSource, TicketStatus
from deskroute.store.types import UTCDateTime


def _ts(*, index: bool = False, nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), index=index, nullable=nullable))


def _json(default: Any) -> Any:
    return Field(default_factory=lambda: type(default)(), sa_column=Column(JSON, nullable=False))


# --- CRM -------------------------------------------------------------------------------------


class Customer(SQLModel, table=True):
    __tablename__ = "customers"
    id: str = Field(primary_key=True)
    name: str
    contact_name: str
    email: str = Field(index=True, unique=True)
    tier: Tier = Field(sa_type=AutoString)
    plan: str
    account_value: int
    country: str
    language: str
    timezone: str
    status: str
    two_factor_enabled: bool = True
    locked: bool = False


class Subscription(SQLModel, table=True):
    __tablename__ = "subscriptions"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", index=True, unique=True)
    plan: str
    seats: int
    monthly_amount: float
    currency: str
    status: str
    started_at: datetime = _ts()
    renews_at: datetime = _ts()
    cancel_at_period_end: bool = False


class Invoice(SQLModel, table=True):
    __tablename__ = "invoices"
    number: str = Field(primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", index=True)
    amount: float
    currency: str
    status: str
    issued_at: datetime = _ts()
    due_at: datetime = _ts()
    description: str
    last_sent_at: datetime | None = _ts(nullable=True)


class LoginEvent(SQLModel, table=True):
    __tablename__ = "login_events"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", index=True)
    at: datetime = _ts(index=True)
    success: bool
    ip: str
    country: str
    method: str
    failure_reason: str | None = None


class KnownIssue(SQLModel, table=True):
    __tablename__ = "known_issues"
    id: str = Field(primary_key=True)
    title: str
    component: str
    status: str
    is_outage: bool = False
    started_at: datetime = _ts()
    keywords: list[str] = _json([])
    workaround: str | None = None


class HelpArticle(SQLModel, table=True):
    __tablename__ = "help_articles"
    id: str = Field(primary_key=True)
    title: str
    url: str
    summary: str
    keywords: list[str] = _json([])


class Plan(SQLModel, table=True):
    __tablename__ = "plans"
    name: str = Field(primary_key=True)
    price_per_seat: float
    currency: str
    min_seats: int
    features: list[str] = _json([])


class ContentTranslation(SQLModel, table=True):
    """A known issue's, help article's or plan's customer-facing text in another language (the
    CRM's own text is English): replies to a ticket in that language quote it instead."""

    __tablename__ = "content_translations"
    kind: str = Field(primary_key=True)
    """known_issue, help_article or plan."""
    item_id: str = Field(primary_key=True)
    language: str = Field(primary_key=True)
    texts: dict[str, Any] = _json({})
    """The translated fields by name, e.g. {"title": ..., "workaround": ...}."""


# --- effects of actions (one write path each, in deskroute.store.effects) -------------------


class Credit(SQLModel, table=True):
    __tablename__ = "credits"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", index=True)
    ticket_id: str = Field(index=True)
    amount: float
    currency: str
    reason: str
    created_at: datetime = _ts()


class Refund(SQLModel, table=True):
    __tablename__ = "refunds"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", index=True)
    invoice_number: str = Field(foreign_key="invoices.number")
    ticket_id: str = Field(index=True)
    amount: float
    currency: str
    reason: str
    created_at: datetime = _ts()


class PasswordReset(SQLModel, table=True):
    __tablename__ = "password_resets"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", index=True)
    ticket_id: str = Field(index=True)
    email: str
    sent_at: datetime = _ts()
    expires_at: datetime = _ts()


class FeatureRequest(SQLModel, table=True):
    __tablename__ = "feature_requests"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str | None = Field(default=None, index=True)
    ticket_id: str = Field(index=True)
    summary: str
    created_at: datetime = _ts()


class SalesLead(SQLModel, table=True):
    __tablename__ = "sales_leads"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str | None = Field(default=None, index=True)
    email: str | None = None
    ticket_id: str = Field(index=True)
    interest: str
    created_at: datetime = _ts()


class DataRequest(SQLModel, table=True):
    """A data-protection request (export or deletion) once it was approved and executed."""

    __tablename__ = "data_requests"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(index=True)
    ticket_id: str = Field(index=True)
    kind: str
    status: str
    created_at: datetime = _ts()


class PersonErasure(SQLModel, table=True):
    """An approved request to erase one person's data on a customer's account (a former
    employee), not the account's: the privacy team carries it out in the product's systems."""

    __tablename__ = "person_erasures"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(index=True)
    ticket_id: str = Field(index=True)
    person: str
    status: str
    created_at: datetime = _ts()


class ApiKeyRevocation(SQLModel, table=True):
    """An approved request to revoke one API key of a customer's, named by the part of it the
    ticket quotes (its prefix or last characters), for the security team to carry out."""

    __tablename__ = "api_key_revocations"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", index=True)
    ticket_id: str = Field(index=True)
    key_hint: str
    reason: str
    status: str
    created_at: datetime = _ts()


# --- DeskRoute's own records -----------------------------------------------------------------


class Ticket(SQLModel, table=True):
    """A ticket as received; `status` moves received -> [routing ->] routed | escalated once.

    `routing` is a claim by one routing worker (`claimed_at` is its lease start, `attempts`
    counts claims), so that a ticket whose worker died is claimed again, never routed twice.
    """

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_ticket_source_external"),
        Index("ix_tickets_status_id", "status", "id"),
    )
    id: str = Field(primary_key=True)
    external_id: str | None = None
    source: str | None = None
    channel: str
    subject: str
    body: str
    raw_body: str
    customer_id: str | None = Field(default=None, index=True)
    customer_email: str | None = Field(default=None, index=True)
    language: str
    language_source: LanguageSource = Field(sa_type=AutoString)
    # Typed for the code, plain strings in the database; indexed by ix_tickets_status_id.
    status: TicketStatus = Field(sa_type=AutoString)
    category: str | None = None
    created_at: datetime = _ts(index=True)
    received_at: datetime = _ts()
    meta: dict[str, Any] = _json({})
    idempotency_key: str | None = Field(default=None, unique=True, max_length=300)
    claimed_at: datetime | None = _ts(nullable=True)
    attempts: int = 0


class TicketMessage(SQLModel, table=True):
    """A later message in a ticket's thread (an e-mail reply); it joins the ticket unrouted."""

    __tablename__ = "ticket_messages"
    __table_args__ = (UniqueConstraint("source", "message_id", name="uq_message_source_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="tickets.id", index=True)
    source: str | None = None
    message_id: str | None = None
    sender: str | None = None
    subject: str
    body: str
    received_at: datetime = _ts()
    meta: dict[str, Any] = _json({})


class Outcome(SQLModel, table=True):
    """The outcome record of one routing run; `record` holds the full JSON.

    The columns after `record` repeat what the routing analytics count (`deskroute.analytics`),
    so that a week of a million-ticket store is summed from an index, never from the JSON.
    """

    __tablename__ = "outcomes"
    __table_args__ = (
        # Covers every column the analytics read for a period's routing runs.
        Index(
            "ix_outcomes_analytics",
            "reviewed",
            "created_at",
            "escalated",
            "category",
            "queue",
            "channel",
            "language",
            "tier",
            "ticket_id",
            "duplicate_of",
            "model_version",
            "llm_model",
            "llm_calls",
            "llm_input_tokens",
            "llm_output_tokens",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="tickets.id", index=True)
    category: str | None = Field(default=None, index=True)
    queue: str = Field(index=True)
    escalated: bool = Field(index=True)
    priority: str
    specialist: str | None = None
    created_at: datetime = _ts(index=True)
    record: dict[str, Any] = _json({})
    reviewed: bool = False
    """Whether a review decision led to this run (False: the ticket's routing)."""
    channel: str | None = None
    language: str | None = None
    tier: str | None = None
    """The customer's tier when the run ended (None: a sender the CRM does not know)."""
    duplicate_of: str | None = None
    model_version: str | None = None
    """The classifier's model version that decided."""
    llm_model: str | None = None
    """`provider:model` of this run's LLM calls (one LLM is configured at a time)."""
    llm_calls: int = 0
    """Calls this run made: a reviewed run's record repeats the earlier runs' calls, which
    are counted once, with the run that made them."""
    llm_input_tokens: int = 0
    llm_output_tokens: int = 0


class Action(SQLModel, table=True):
    """Every tool call with a side effect: executed, proposed (awaiting approval) or rejected."""

    __tablename__ = "actions"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="tickets.id", index=True)
    outcome_id: int = Field(foreign_key="outcomes.id", index=True)
    specialist: str
    tool: str
    args: dict[str, Any] = _json({})
    status: str = Field(index=True)
    reason: str | None = None
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = _ts()
    decided_at: datetime | None = _ts(nullable=True)
    decided_by: str | None = None


# --- Escalation review -----------------------------------------------------------------------


class Escalation(SQLModel, table=True):
    """A ticket in the review queue: one row per escalated ticket, kept when it is resolved.

    `round` counts the pauses of its run (a reassigned ticket may pause again): a decision
    is claimed for one round, so that of two reviewers deciding at once exactly one wins.
    `reasons` holds every escalation reason between spaces, for filtering by any of them.
    """

    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_state_priority", "state", "priority", "escalated_at"),)
    ticket_id: str = Field(primary_key=True, foreign_key="tickets.id")
    state: str
    queue: str = Field(index=True)
    category: str | None = Field(default=None, index=True)
    priority: str
    reasons: str
    primary_reason: str
    round: int = 1
    escalated_at: datetime = _ts()
    updated_at: datetime = _ts()
    opened_by: str | None = None
    opened_until: datetime | None = _ts(nullable=True)
    resolved_by: str | None = None
    resolved_at: datetime | None = _ts(nullable=True)
    resolution: str | None = None


class ReviewDecision(SQLModel, table=True):
    """A reviewer's claim on one round of a paused run, with the decision to resume it with.

    Inserted before the run resumes; the unique (ticket, round) is what makes a second,
    concurrent decision fail. `applied_at` is set in the transaction that carries it out."""

    __tablename__ = "review_decisions"
    __table_args__ = (UniqueConstraint("ticket_id", "round", name="uq_review_round"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="tickets.id", index=True)
    round: int
    reviewer: str
    action: str
    decision: dict[str, Any] = _json({})
    decided_at: datetime = _ts()
    applied_at: datetime | None = _ts(nullable=True)


class ActionRun(SQLModel, table=True):
    """An approved action's effect, under its idempotency key (ticket, round, action), written
    in the transaction of the effect itself: a resumed run that applies it again finds it."""

    __tablename__ = "action_runs"
    key: str = Field(primary_key=True, max_length=200)
    ticket_id: str = Field(foreign_key="tickets.id", index=True)
    tool: str
    result: dict[str, Any] = _json({})
    created_at: datetime = _ts()


class Correction(SQLModel, table=True):
    """A labelled example from a review: the category a person chose (`corrected`) or
    confirmed (`confirmed`) for a ticket's text, beside what the classifier predicted."""

    __tablename__ = "corrections"
    __table_args__ = (
        UniqueConstraint("ticket_id", "round", name="uq_correction_round"),
        # A ticket's corrections by kind, for the analytics, without reading their text.
        Index("ix_corrections_ticket_kind", "ticket_id", "kind"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="tickets.id")
    round: int
    text: str
    predicted: str | None
    confidence: float | None
    category: str = Field(index=True)
    kind: str = Field(index=True)
    reviewer: str
    created_at: datetime = _ts(index=True)


# --- escalation review: who may sign in (one write path each, in deskroute.review) ----------


class Reviewer(SQLModel, table=True):
    """A person who may sign in to the review page; only an argon2 hash of the password."""

    __tablename__ = "reviewers"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    password_hash: str
    created_at: datetime = _ts()
    disabled: bool = False


class ReviewerSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its cookie token is stored, so a copy of the
    store does not sign anyone in; `csrf_secret` is the token every form of the session
    carries."""

    __tablename__ = "reviewer_sessions"
    token_hash: str = Field(primary_key=True, max_length=64)
    reviewer_id: int = Field(foreign_key="reviewers.id", index=True)
    created_at: datetime = _ts()
    expires_at: datetime = _ts(index=True)
    csrf_secret: str


class SignInFailures(SQLModel, table=True):
    """Consecutive wrong passwords for one name (any name tried, known or not, so the delay
    does not tell which names exist); deleted by a successful sign-in."""

    __tablename__ = "sign_in_failures"
    name: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    last_failed_at: datetime = _ts(index=True)
    blocked_until: datetime | None = _ts(nullable=True)


# --- Ownership after routing: agents, assignment, SLA clocks, the outbox ---------------------


class Agent(SQLModel, table=True):
    """A person who works tickets. `skills` are categories or queues; `hours` are working hours
    in the agent's `timezone`; `capacity` caps open tickets at once (enforced under a lock on
    this row, in the transaction that assigns)."""

    __tablename__ = "agents"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    email: str | None = None
    skills: list[str] = _json([])
    languages: list[str] = _json([])
    tiers: list[str] = _json([])
    capacity: int
    status: str = Field(index=True)
    """online, away or offline."""
    timezone: str = "UTC"
    hours: dict[str, Any] = _json({})
    """{"days": ["mon", ...], "start": "09:00", "end": "17:00"}; empty: any time."""
    lead_of: list[str] = _json([])
    """Queues this agent leads: SLA breaches there are escalated to them."""
    status_changed_at: datetime = _ts()
    last_assigned_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()
    removed_at: datetime | None = _ts(nullable=True)


class Assignment(SQLModel, table=True):
    """Who owns a ticket that needs a person: one row per ticket, waiting (with the reason) or
    assigned to an agent; its history is `assignment_log`."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_state_priority", "state", "priority", "waiting_since"),
        Index("ix_assignments_agent_state", "agent_id", "state"),
        # Covers what the analytics read of a ticket's ownership.
        Index(
            "ix_assignments_analytics", "ticket_id", "first_assigned_at", "times_given", "agent_id"
        ),
    )
    ticket_id: str = Field(primary_key=True, foreign_key="tickets.id")
    state: str
    """waiting, assigned, started or closed."""
    queue: str = Field(index=True)
    category: str | None = None
    language: str
    tier: str | None = None
    priority: str
    vip: bool = False
    agent_id: int | None = None
    reason: str
    """Why it is where it is: the waiting reason, or why this agent."""
    relaxed: list[str] = _json([])
    """Requirements dropped after waiting too long (`language`, `skill`)."""
    waiting_since: datetime | None = _ts(nullable=True)
    assigned_at: datetime | None = _ts(nullable=True)
    started_at: datetime | None = _ts(nullable=True)
    closed_at: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()
    first_assigned_at: datetime | None = _ts(nullable=True)
    """When an agent was first given the ticket; kept through hand-overs and reopening."""
    times_given: int = 0
    """How often an agent was given it (not counting a reopened ticket back to its owner):
    more than once, it changed hands."""


class AssignmentLog(SQLModel, table=True):
    """Every assignment, reassignment, return to the pool and relaxation, with its reason."""

    __tablename__ = "assignment_log"
    __table_args__ = (
        # Covers what the analytics read of a ticket's history: first assignment, hand-overs.
        Index("ix_assignment_log_ticket", "ticket_id", "kind", "at", "agent", "from_agent"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="tickets.id")
    kind: str
    """assigned, reassigned, returned, waiting, relaxed or closed."""
    agent: str | None = None
    from_agent: str | None = None
    reason: str
    at: datetime = _ts(index=True)


class SlaClock(SQLModel, table=True):
    """A ticket's first-response and resolution clocks. Due times move out while the ticket
    waits on the customer (`paused_since`); each warning and breach is stamped once."""

    __tablename__ = "sla_clocks"
    __table_args__ = (
        Index("ix_sla_clocks_open", "open", "first_response_due", "resolution_due"),
        # Covers what the analytics read of a ticket's clocks.
        Index(
            "ix_sla_clocks_analytics",
            "ticket_id",
            "started_at",
            "first_response_at",
            "resolved_at",
            "first_response_warned_at",
            "resolution_warned_at",
            "first_response_breached_at",
            "resolution_breached_at",
        ),
    )
    ticket_id: str = Field(primary_key=True, foreign_key="tickets.id")
    priority: str
    tier: str | None = None
    queue: str
    calendar: str
    """The hours the clocks run in: `24x7` or a business-hours calendar's name."""
    open: bool = True
    started_at: datetime = _ts()
    first_response_risk_at: datetime | None = _ts(nullable=True)
    """When the at-risk share of the first-response time is used (moves with the due time)."""
    first_response_due: datetime | None = _ts(nullable=True)
    resolution_risk_at: datetime | None = _ts(nullable=True)
    resolution_due: datetime | None = _ts(nullable=True)
    first_response_at: datetime | None = _ts(nullable=True)
    resolved_at: datetime | None = _ts(nullable=True)
    paused_since: datetime | None = _ts(nullable=True)
    first_response_warned_at: datetime | None = _ts(nullable=True)
    first_response_breached_at: datetime | None = _ts(nullable=True)
    resolution_warned_at: datetime | None = _ts(nullable=True)
    resolution_breached_at: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()


class SlaEvent(SQLModel, table=True):
    """What the helpdesk said happened to a ticket (first response, resolution, a wait on the
    customer, ...), kept with its note; written with the clock change it caused."""

    __tablename__ = "sla_events"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="tickets.id", index=True)
    kind: str
    at: datetime = _ts()
    note: str | None = None
    changed: bool
    """False for a repeat that changed nothing (a second `resolved`)."""
    recorded_at: datetime = _ts()


class OutboxEvent(SQLModel, table=True):
    """A decision, written in the decision's own transaction, to be delivered to the helpdesk
    and notification webhooks; `key` is the idempotency key receivers deduplicate by."""

    __tablename__ = "outbox_events"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    kind: str = Field(index=True)
    ticket_id: str | None = Field(default=None, index=True)
    payload: dict[str, Any] = _json({})
    created_at: datetime = _ts(index=True)
    fanned_out: bool = Field(default=False, index=True)
    """Whether its deliveries (one per destination that wants it) exist yet."""


class OutboxDelivery(SQLModel, table=True):
    """One event on its way to one destination: retried with backoff until delivered, or dead
    after too many attempts (`deskroute outbox retry` re-drives it)."""

    __tablename__ = "outbox_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "destination", name="uq_delivery_event_destination"),
        Index("ix_outbox_deliveries_due", "state", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="outbox_events.id", index=True)
    destination: str
    state: str
    """pending, delivered or dead."""
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    locked_until: datetime | None = _ts(nullable=True)
    last_status: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()


# --- The model registry: every trained model, its evaluation, gates and promotions ----------


class EvalSet(SQLModel, table=True):
    """A fixed evaluation set every model version is judged on: a held-out split of the first
    registered training data, or a labelled file. Its rows are kept here, so that versions
    trained months apart are compared on the very same tickets."""

    __tablename__ = "model_eval_sets"
    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(unique=True, max_length=64)
    kind: str
    """holdout or file."""
    source: str
    examples: list[list[str]] = _json([])
    """[text, label] pairs."""
    created_at: datetime = _ts()


class ModelVersion(SQLModel, table=True):
    """One trained model: its file, what it was trained on, how it did on the evaluation set,
    and the gates' decision. At most one is `promoted` (served) at a time: a partial unique
    index makes the second of two simultaneous promotions fail."""

    __tablename__ = "model_versions"
    __table_args__ = (
        Index(
            "uq_model_versions_promoted",
            "status",
            unique=True,
            sqlite_where=sql_text("status = 'promoted'"),
            postgresql_where=sql_text("status = 'promoted'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(unique=True, max_length=100)
    name: str
    path: str
    status: str = Field(index=True)
    """candidate, promoted, refused or retired."""
    data_digest: str
    training: dict[str, Any] = _json({})
    """The base data (file, columns, options) and the rows used, for `retrain`."""
    corrections: dict[str, Any] = _json({})
    """The reviewers' labels it used: count, ids, newest, weight, conflicts skipped."""
    thresholds: dict[str, Any] = _json({})
    eval_set_id: int | None = Field(default=None, foreign_key="model_eval_sets.id")
    report: dict[str, Any] = _json({})
    gates: dict[str, Any] = _json({})
    """The latest gate decision, with every check's reason."""
    created_at: datetime = _ts(index=True)
    promoted_by: str | None = None
    promoted_at: datetime | None = _ts(nullable=True)


class ModelEvent(SQLModel, table=True):
    """What happened to a version: promoted, refused on promotion, or rolled back; the
    promotions and rollbacks in order tell which version a rollback returns to."""

    __tablename__ = "model_events"
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="model_versions.id", index=True)
    kind: str
    by: str
    at: datetime = _ts(index=True)
    detail: dict[str, Any] = _json({})


class LabelSettlement(SQLModel, table=True):
    """A lead's label for a text reviewers disagreed about; it overrides every correction of
    that text made before it. `key` is the hash of the normalised text."""

    __tablename__ = "label_settlements"
    key: str = Field(primary_key=True, max_length=64)
    text: str
    category: str
    settled_by: str
    settled_at: datetime = _ts()


# --- Routing alerts --------------------------------------------------------------------------


class Alert(SQLModel, table=True):
    """One incident a rule of `policies/alerts.yaml` found: raised once, then `last_seen_at`
    follows it while its condition holds; the rule and key raise again only after the
    cool-down with the condition clear."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_rule_key_seen", "rule", "key", "last_seen_at"),)
    id: int | None = Field(default=None, primary_key=True)
    rule: str = Field(max_length=64)
    key: str = Field(max_length=100)
    """The category the rule found it in, or `all`."""
    kind: str
    """volume, rate or level."""
    signal: str
    title: str
    summary: str
    observed: float
    expected: float | None = None
    p_value: float | None = None
    details: dict[str, Any] = _json({})
    """The finding as detected (window, hits, total, samples)."""
    raised_at: datetime = _ts(index=True)
    last_seen_at: datetime = _ts()
