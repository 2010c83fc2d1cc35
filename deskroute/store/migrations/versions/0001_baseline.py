"""Baseline: the schema of the last release before versioning (the demo CRM, the effects of
actions, tickets, their messages, outcomes and actions).

It creates only what is missing, so that a store made by that release (every table, no
version yet) is adopted as it stands, and one made before the scoped requests gains their two
tables, as opening it used to do. A table it holds that lacks a column is refused, never
altered: that store was not made by a release this one knows.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from deskroute.errors import StoreSchemaError

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# (table, columns, unique); each index is named ix_<table>_<columns>, as SQLModel names them.
INDEXES: list[tuple[str, list[str], bool]] = [
    ("customers", ["email"], True),
    ("subscriptions", ["customer_id"], True),
    ("invoices", ["customer_id"], False),
    ("login_events", ["customer_id"], False),
    ("login_events", ["at"], False),
    ("credits", ["customer_id"], False),
    ("credits", ["ticket_id"], False),
    ("refunds", ["customer_id"], False),
    ("refunds", ["ticket_id"], False),
    ("password_resets", ["customer_id"], False),
    ("password_resets", ["ticket_id"], False),
    ("feature_requests", ["customer_id"], False),
    ("feature_requests", ["ticket_id"], False),
    ("sales_leads", ["customer_id"], False),
    ("sales_leads", ["ticket_id"], False),
    ("data_requests", ["customer_id"], False),
    ("data_requests", ["ticket_id"], False),
    ("person_erasures", ["customer_id"], False),
    ("person_erasures", ["ticket_id"], False),
    ("api_key_revocations", ["customer_id"], False),
    ("api_key_revocations", ["ticket_id"], False),
    ("tickets", ["customer_id"], False),
    ("tickets", ["customer_email"], False),
    ("tickets", ["created_at"], False),
    ("tickets", ["status", "id"], False),
    ("ticket_messages", ["ticket_id"], False),
    ("outcomes", ["ticket_id"], False),
    ("outcomes", ["category"], False),
    ("outcomes", ["queue"], False),
    ("outcomes", ["escalated"], False),
    ("outcomes", ["created_at"], False),
    ("actions", ["ticket_id"], False),
    ("actions", ["outcome_id"], False),
    ("actions", ["status"], False),
]


def upgrade() -> None:
    held = set(sa.inspect(op.get_bind()).get_table_names())
    tables = [
        op.create_table(
            "customers",
            sa.Column("id", sa.String(), nullable=False),
            sa.Column("name", sa.String(), nullable=False),
            sa.Column("contact_name", sa.String(), nullable=False),
            sa.Column("email", sa.String(), nullable=False),
            sa.Column("tier", sa.String(), nullable=False),
            sa.Column("plan", sa.String(), nullable=False),
            sa.Column("account_value", sa.Integer(), nullable=False),
            sa.Column("country", sa.String(), nullable=False),
            sa.Column("language", sa.String(), nullable=False),
            sa.Column("timezone", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("two_factor_enabled", sa.Boolean(), nullable=False),
            sa.Column("locked", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "subscriptions",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("plan", sa.String(), nullable=False),
            sa.Column("seats", sa.Integer(), nullable=False),
            sa.Column("monthly_amount", sa.Float(), nullable=False),
            sa.Column("currency", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("started_at", sa.DateTime(), nullable=False),
            sa.Column("renews_at", sa.DateTime(), nullable=False),
            sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False),
            sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "invoices",
            sa.Column("number", sa.String(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("amount", sa.Float(), nullable=False),
            sa.Column("currency", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("issued_at", sa.DateTime(), nullable=False),
            sa.Column("due_at", sa.DateTime(), nullable=False),
            sa.Column("description", sa.String(), nullable=False),
            sa.Column("last_sent_at", sa.DateTime(), nullable=True),
            sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
            sa.PrimaryKeyConstraint("number"),
            if_not_exists=True,
        ),
        op.create_table(
            "login_events",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("success", sa.Boolean(), nullable=False),
            sa.Column("ip", sa.String(), nullable=False),
            sa.Column("country", sa.String(), nullable=False),
            sa.Column("method", sa.String(), nullable=False),
            sa.Column("failure_reason", sa.String(), nullable=True),
            sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "known_issues",
            sa.Column("id", sa.String(), nullable=False),
            sa.Column("title", sa.String(), nullable=False),
            sa.Column("component", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("is_outage", sa.Boolean(), nullable=False),
            sa.Column("started_at", sa.DateTime(), nullable=False),
            sa.Column("keywords", sa.JSON(), nullable=False),
            sa.Column("workaround", sa.String(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "help_articles",
            sa.Column("id", sa.String(), nullable=False),
            sa.Column("title", sa.String(), nullable=False),
            sa.Column("url", sa.String(), nullable=False),
            sa.Column("summary", sa.String(), nullable=False),
            sa.Column("keywords", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "plans",
            sa.Column("name", sa.String(), nullable=False),
            sa.Column("price_per_seat", sa.Float(), nullable=False),
            sa.Column("currency", sa.String(), nullable=False),
            sa.Column("min_seats", sa.Integer(), nullable=False),
            sa.Column("features", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("name"),
            if_not_exists=True,
        ),
        op.create_table(
            "credits",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("amount", sa.Float(), nullable=False),
            sa.Column("currency", sa.String(), nullable=False),
            sa.Column("reason", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "refunds",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("invoice_number", sa.String(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("amount", sa.Float(), nullable=False),
            sa.Column("currency", sa.String(), nullable=False),
            sa.Column("reason", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
            sa.ForeignKeyConstraint(["invoice_number"], ["invoices.number"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "password_resets",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("email", sa.String(), nullable=False),
            sa.Column("sent_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "feature_requests",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=True),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("summary", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "sales_leads",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=True),
            sa.Column("email", sa.String(), nullable=True),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("interest", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "data_requests",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("kind", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "person_erasures",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("person", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "api_key_revocations",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("key_hint", sa.String(), nullable=False),
            sa.Column("reason", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "tickets",
            sa.Column("id", sa.String(), nullable=False),
            sa.Column("external_id", sa.String(), nullable=True),
            sa.Column("source", sa.String(), nullable=True),
            sa.Column("channel", sa.String(), nullable=False),
            sa.Column("subject", sa.String(), nullable=False),
            sa.Column("body", sa.String(), nullable=False),
            sa.Column("raw_body", sa.String(), nullable=False),
            sa.Column("customer_id", sa.String(), nullable=True),
            sa.Column("customer_email", sa.String(), nullable=True),
            sa.Column("language", sa.String(), nullable=False),
            sa.Column("language_source", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("category", sa.String(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("received_at", sa.DateTime(), nullable=False),
            sa.Column("meta", sa.JSON(), nullable=False),
            sa.Column("idempotency_key", sa.String(length=300), nullable=True),
            sa.Column("claimed_at", sa.DateTime(), nullable=True),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("idempotency_key"),
            sa.UniqueConstraint("source", "external_id", name="uq_ticket_source_external"),
            if_not_exists=True,
        ),
        op.create_table(
            "ticket_messages",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("source", sa.String(), nullable=True),
            sa.Column("message_id", sa.String(), nullable=True),
            sa.Column("sender", sa.String(), nullable=True),
            sa.Column("subject", sa.String(), nullable=False),
            sa.Column("body", sa.String(), nullable=False),
            sa.Column("received_at", sa.DateTime(), nullable=False),
            sa.Column("meta", sa.JSON(), nullable=False),
            sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("source", "message_id", name="uq_message_source_id"),
            if_not_exists=True,
        ),
        op.create_table(
            "outcomes",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("category", sa.String(), nullable=True),
            sa.Column("queue", sa.String(), nullable=False),
            sa.Column("escalated", sa.Boolean(), nullable=False),
            sa.Column("priority", sa.String(), nullable=False),
            sa.Column("specialist", sa.String(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("record", sa.JSON(), nullable=False),
            sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
        op.create_table(
            "actions",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("ticket_id", sa.String(), nullable=False),
            sa.Column("outcome_id", sa.Integer(), nullable=False),
            sa.Column("specialist", sa.String(), nullable=False),
            sa.Column("tool", sa.String(), nullable=False),
            sa.Column("args", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("reason", sa.String(), nullable=True),
            sa.Column("result", sa.JSON(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("decided_at", sa.DateTime(), nullable=True),
            sa.Column("decided_by", sa.String(), nullable=True),
            sa.ForeignKeyConstraint(["outcome_id"], ["outcomes.id"]),
            sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
            sa.PrimaryKeyConstraint("id"),
            if_not_exists=True,
        ),
    ]
    _refuse_missing_columns([table for table in tables if table.name in held])
    for table, columns, unique in INDEXES:
        name = f"ix_{table}_{'_'.join(columns)}"
        op.create_index(name, table, columns, unique=unique, if_not_exists=True)


def _refuse_missing_columns(tables: list[sa.Table]) -> None:
    """The tables the store already held must have every baseline column."""
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table in tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing = [column.name for column in table.columns if column.name not in present]
        if missing:
            raise StoreSchemaError(
                f"table {table.name} lacks the columns {', '.join(missing)}: the store was not "
                "made by a DeskRoute release this one can upgrade; nothing was changed",
                file=bind.engine.url.render_as_string(hide_password=True),
            )


def downgrade() -> None:
    raise NotImplementedError("the baseline is not undone: restore the backup taken before")
