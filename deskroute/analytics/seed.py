"""Write a synthetic history (`deskroute.analytics.history`) into a store, beside what it
holds: the demo's two weeks for the dashboard to compare."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, insert
from sqlmodel import SQLModel, col, select

from deskroute.analytics.history import TABLES, HistoryPlan, generate, shapes_from
from deskroute.policies.schema import Policies
from deskroute.store.db import transaction
from deskroute.store.tables import Agent, Customer, Reviewer


def seed_history(
    engine: Engine, policies: Policies, *, days: int, per_day: int, end: datetime
) -> int:
    """`days` of about `per_day` tickets each before `end`, taken by the store's agents, from
    its customers, reviewed by its reviewers (or `lead.reviewer`), all settled by `end` (no
    escalation left to review, no ticket left open); the outcomes written."""
    with transaction(engine) as session:
        agents = [
            (a.id, a.name)
            for a in session.exec(select(Agent).where(col(Agent.removed_at).is_(None)))
            if a.id is not None
        ]
        customers = [(c.id, str(c.tier)) for c in session.exec(select(Customer))]
        reviewers = list(session.exec(select(Reviewer.name))) or ["lead.reviewer"]
        plan = HistoryPlan(
            outcomes=days * per_day,
            days=days,
            end=end,
            shapes=shapes_from(policies),
            agents=agents,
            customers=customers,
            reviewers=reviewers,
            prefix=f"h{end:%m%d}",
            settle=True,
        )
        written = 0
        for rows in generate(plan):
            for name in TABLES:
                if rows[name]:
                    session.execute(insert(SQLModel.metadata.tables[name]), rows[name])
            written += len(rows["outcomes"])
    return written
