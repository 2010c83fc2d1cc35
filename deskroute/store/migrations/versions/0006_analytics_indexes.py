"""Analytics: the outcome columns and indexes that `deskroute report` and the dashboard sum a
period from (channel, language, tier, duplicate, model version and LLM usage, which only the
record's JSON held before), filled in for the outcomes already stored; when each ticket was
first assigned and how often it was given to an agent (`assignments`), from its history; and
indexes that cover what they read of a ticket's corrections, assignment history and SLA clocks
(the first two replace an index on `ticket_id` alone, which they start with).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ANALYTICS = [
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
]
_LOG = ["ticket_id", "kind", "at", "agent", "from_agent"]
_CLOCKS = [
    "ticket_id",
    "started_at",
    "first_response_at",
    "resolved_at",
    "first_response_warned_at",
    "resolution_warned_at",
    "first_response_breached_at",
    "resolution_breached_at",
]
_OWNERSHIP = ["ticket_id", "first_assigned_at", "times_given", "agent_id"]
_BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reviewed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("channel", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("tier", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("duplicate_of", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("model_version", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("llm_model", sa.String(), nullable=True))
        for name in ("llm_calls", "llm_input_tokens", "llm_output_tokens"):
            batch_op.add_column(
                sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
            )
    _fill_outcomes()
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_assigned_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("times_given", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    _fill_assignments()
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index("ix_assignments_analytics", _OWNERSHIP, unique=False)
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_outcomes_analytics", _ANALYTICS, unique=False)
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_corrections_ticket_id")
        batch_op.create_index("ix_corrections_ticket_kind", ["ticket_id", "kind"], unique=False)
    with op.batch_alter_table("assignment_log", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_log_ticket_id")
        batch_op.create_index("ix_assignment_log_ticket", _LOG, unique=False)
    with op.batch_alter_table("sla_clocks", schema=None) as batch_op:
        batch_op.create_index("ix_sla_clocks_analytics", _CLOCKS, unique=False)


_outcomes = sa.table(
    "outcomes",
    *(
        sa.column(name, kind)
        for name, kind in (
            ("id", sa.Integer()),
            ("ticket_id", sa.String()),
            ("record", sa.JSON()),
            ("reviewed", sa.Boolean()),
            ("channel", sa.String()),
            ("language", sa.String()),
            ("tier", sa.String()),
            ("duplicate_of", sa.String()),
            ("model_version", sa.String()),
            ("llm_model", sa.String()),
            ("llm_calls", sa.Integer()),
            ("llm_input_tokens", sa.Integer()),
            ("llm_output_tokens", sa.Integer()),
        )
    ),
)
_tickets = sa.table("tickets", sa.column("id", sa.String()), sa.column("channel", sa.String()))
_customers = sa.table("customers", sa.column("id", sa.String()), sa.column("tier", sa.String()))


def _fill_outcomes() -> None:
    """Each stored outcome's columns from its record, in id order, a batch at a time. A
    reviewed record repeats the LLM calls of the runs before it: each run counts its own."""
    connection = op.get_bind()
    channel = sa.select(_tickets.c.channel).where(_tickets.c.id == _outcomes.c.ticket_id)
    connection.execute(sa.update(_outcomes).values(channel=channel.scalar_subquery()))
    tiers = {k: v for k, v in connection.execute(sa.select(_customers.c.id, _customers.c.tier))}
    update = (
        sa.update(_outcomes)
        .where(_outcomes.c.id == sa.bindparam("key"))
        .values(
            reviewed=sa.bindparam("reviewed"),
            language=sa.bindparam("language"),
            tier=sa.bindparam("tier"),
            duplicate_of=sa.bindparam("duplicate_of"),
            model_version=sa.bindparam("model_version"),
            llm_model=sa.bindparam("llm_model"),
            llm_calls=sa.bindparam("calls"),
            llm_input_tokens=sa.bindparam("input_tokens"),
            llm_output_tokens=sa.bindparam("output_tokens"),
        )
    )
    earlier = sa.select(
        sa.func.coalesce(sa.func.sum(_outcomes.c.llm_calls), 0),
        sa.func.coalesce(sa.func.sum(_outcomes.c.llm_input_tokens), 0),
        sa.func.coalesce(sa.func.sum(_outcomes.c.llm_output_tokens), 0),
    ).where(
        _outcomes.c.ticket_id == sa.bindparam("ticket_id"), _outcomes.c.id < sa.bindparam("key")
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(_outcomes.c.id, _outcomes.c.ticket_id, _outcomes.c.record)
            .where(_outcomes.c.id > last)
            .order_by(_outcomes.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for key, ticket_id, record in rows:
            values = _columns(record)
            values["tier"] = tiers.get(record.get("customer_id") or "")
            if values["reviewed"]:
                before = connection.execute(earlier, {"ticket_id": ticket_id, "key": key}).one()
                for name, spent in zip(
                    ("calls", "input_tokens", "output_tokens"), before, strict=True
                ):
                    values[name] -= spent
            connection.execute(update, {"key": key, **values})
        last = rows[-1][0]


def _fill_assignments() -> None:
    """From each ticket's history: its first assignment, and how often an agent was given it
    (an assignment, or a hand-over to another agent)."""
    log = sa.table(
        "assignment_log",
        sa.column("ticket_id", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("agent", sa.String()),
        sa.column("from_agent", sa.String()),
        sa.column("at", sa.DateTime()),
    )
    assignments = sa.table(
        "assignments",
        sa.column("ticket_id", sa.String()),
        sa.column("first_assigned_at", sa.DateTime()),
        sa.column("times_given", sa.Integer()),
    )
    mine = log.c.ticket_id == assignments.c.ticket_id
    first = sa.select(sa.func.min(log.c.at)).where(mine, log.c.kind.in_(("assigned", "reassigned")))
    given = sa.select(sa.func.count()).where(
        mine,
        sa.or_(
            log.c.kind == "assigned",
            sa.and_(log.c.kind == "reassigned", log.c.agent.is_distinct_from(log.c.from_agent)),
        ),
    )
    op.get_bind().execute(
        sa.update(assignments).values(
            first_assigned_at=first.scalar_subquery(), times_given=given.scalar_subquery()
        )
    )


def _columns(record: dict[str, Any]) -> dict[str, Any]:
    calls = record.get("llm") or []
    classifier = record.get("classifier") or {}
    return {
        "reviewed": record.get("review") is not None,
        "language": record.get("language"),
        "duplicate_of": record.get("duplicate_of"),
        "model_version": classifier.get("model_version"),
        "llm_model": (str(calls[-1].get("model") or "").split("+", 1)[0] or None)
        if calls
        else None,
        "calls": sum(int(c.get("calls") or 0) for c in calls),
        "input_tokens": sum(int(c.get("input_tokens") or 0) for c in calls),
        "output_tokens": sum(int(c.get("output_tokens") or 0) for c in calls),
    }


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_analytics")
        batch_op.drop_column("times_given")
        batch_op.drop_column("first_assigned_at")
    with op.batch_alter_table("sla_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_sla_clocks_analytics")
    with op.batch_alter_table("assignment_log", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_log_ticket")
        batch_op.create_index("ix_assignment_log_ticket_id", ["ticket_id"], unique=False)
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_corrections_ticket_kind")
        batch_op.create_index("ix_corrections_ticket_id", ["ticket_id"], unique=False)
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcomes_analytics")
        for name in reversed(
            [
                "reviewed",
                "channel",
                "language",
                "tier",
                "duplicate_of",
                "model_version",
                "llm_model",
                "llm_calls",
                "llm_input_tokens",
                "llm_output_tokens",
            ]
        ):
            batch_op.drop_column(name)
