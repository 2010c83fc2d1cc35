"""A small history written row by row, whose figures the tests work out by hand.

NOW is Monday 2026-12-07 12:00 UTC: the last 7 days start 2026-11-30 12:00, the 7 before
on 2026-11-23 12:00. Seconds below are counted from each ticket's arrival.

This period (6 tickets):
  T1 billing, email, en, enterprise: routed; agent ann after 60 s; answered 600 s, resolved
     3600 s; 1 LLM call (1000 in, 100 out, gpt); model v2
  T2 billing, chat, de, standard: routed; ann after 120 s, then bob; answered 1200 s,
     resolved 7200 s; resolution warned (no breach); model v2
  T3 technical_issue, email, en, no tier: escalated (low_confidence, human_requested); the
     reviewer moved it to billing (corrected), a run after the review made 1 LLM call (300 in,
     30 out, gpt); then ann after 1800 s; answered 900 s, open, first response breached;
     2 LLM calls at routing (1000 in, 100 out, gpt); model v2
  T4 account_access, web, en, business: escalated (sensitive_action); the reviewer confirmed
     it; answered and resolved 300 s; model v1
  T5 billing, email, en, enterprise: a duplicate of T1 (no clock, no owner); model v2
  T6 technical_issue, api, fr, standard: routed, later flagged as misrouted; bob after 240 s;
     answered 2400 s, resolved 10800 s; both clocks warned, resolution breached; 1 LLM call
     (200 in, 20 out, selfhost, unpriced); model v2
The 7 days before (2 tickets):
  P1 billing, email, en, standard: routed; ann after 300 s; answered 600 s, resolved 3600 s; v1
  P2 billing, email, en, standard: escalated (low_confidence), corrected; answered 3600 s,
     open, resolution breached; v1
Agents: ann and bob online, cat offline (no tickets).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.store.tables import (
    Agent,
    Assignment,
    Correction,
    Escalation,
    Outcome,
    SlaClock,
    Ticket,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
GPT = "openai:gpt-4o-mini"
SELFHOST = "selfhost:llama"
PRICES = f"""currency: EUR
models:
  "{GPT}": {{input_per_million: 1.0, output_per_million: 2.0}}
"""


def _at(days: float, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


class History:
    """Writes tickets and what became of them, in one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.agents: dict[str, int] = {}
        self.dimensions: dict[str, dict[str, str | None]] = {}
        """Each ticket's channel, language and tier, which the runs after its review share."""
        for name, status in (("ann", "online"), ("bob", "online"), ("cat", "offline")):
            agent = Agent(
                name=name,
                skills=[],
                languages=["en"],
                tiers=[],
                capacity=5,
                status=status,
                status_changed_at=NOW,
                created_at=NOW,
            )
            session.add(agent)
            session.flush()
            assert agent.id is not None
            self.agents[name] = agent.id

    def ticket(
        self,
        ticket_id: str,
        at: datetime,
        *,
        category: str,
        channel: str = "email",
        language: str = "en",
        tier: str | None = "standard",
        version: str = "v2",
        escalated: bool = False,
        reasons: tuple[str, ...] = (),
        duplicate_of: str | None = None,
        llm: tuple[str, int, int, int] | None = None,
    ) -> None:
        """The ticket and its routing outcome (and, escalated, its review queue row)."""
        self.session.add(
            Ticket(
                id=ticket_id,
                channel=channel,
                subject=f"subject of {ticket_id}",
                body="body",
                raw_body="body",
                language=language,
                language_source="given",
                status="escalated" if escalated else "routed",
                category=category,
                created_at=at,
                received_at=at,
            )
        )
        self.session.flush()
        model, calls, tokens_in, tokens_out = llm or (None, 0, 0, 0)
        self.dimensions[ticket_id] = {"channel": channel, "language": language, "tier": tier}
        self._outcome(
            ticket_id,
            at,
            category=category,
            escalated=escalated,
            reviewed=False,
            **self.dimensions[ticket_id],
            duplicate_of=duplicate_of,
            model_version=version,
            llm_model=model,
            llm_calls=calls,
            llm_input_tokens=tokens_in,
            llm_output_tokens=tokens_out,
        )
        if escalated:
            self.session.add(
                Escalation(
                    ticket_id=ticket_id,
                    state="awaiting_review",
                    queue="review",
                    category=category,
                    priority="P3",
                    reasons=" " + " ".join(reasons) + " ",
                    primary_reason=reasons[0],
                    escalated_at=at,
                    updated_at=at,
                )
            )

    def _outcome(self, ticket_id: str, at: datetime, **columns: Any) -> None:
        self.session.add(
            Outcome(
                ticket_id=ticket_id,
                queue="q",
                priority="P3",
                created_at=at,
                record={"ticket_id": ticket_id},
                **columns,
            )
        )

    def review(
        self,
        ticket_id: str,
        at: datetime,
        *,
        kind: str,
        category: str,
        llm: tuple[str, int, int, int] | None = None,
    ) -> None:
        """A reviewer's decision (a correction) and the run it led to."""
        self.session.add(
            Correction(
                ticket_id=ticket_id,
                round=1,
                text="body",
                predicted="x",
                confidence=0.5,
                category=category,
                kind=kind,
                reviewer="rita",
                created_at=at,
            )
        )
        model, calls, tokens_in, tokens_out = llm or (None, 0, 0, 0)
        self._outcome(
            ticket_id,
            at,
            category=category,
            escalated=True,
            reviewed=True,
            **self.dimensions[ticket_id],
            llm_model=model,
            llm_calls=calls,
            llm_input_tokens=tokens_in,
            llm_output_tokens=tokens_out,
        )

    def flag(self, ticket_id: str, at: datetime, *, category: str) -> None:
        """A misroute flag on a routed ticket: a correction, no new run."""
        self.session.add(
            Correction(
                ticket_id=ticket_id,
                round=1,
                text="body",
                predicted="x",
                confidence=0.9,
                category=category,
                kind="corrected",
                reviewer="rita",
                created_at=at,
            )
        )

    def owner(
        self,
        ticket_id: str,
        routed: datetime,
        *,
        after_s: int,
        agents: tuple[str, ...],
        state: str = "closed",
    ) -> None:
        given = routed + timedelta(seconds=after_s)
        self.session.add(
            Assignment(
                ticket_id=ticket_id,
                state=state,
                queue="q",
                language="en",
                priority="P3",
                agent_id=self.agents[agents[-1]],
                reason="best_match",
                assigned_at=given,
                updated_at=given,
                first_assigned_at=given,
                times_given=len(agents),
            )
        )

    def clock(
        self,
        ticket_id: str,
        start: datetime,
        *,
        answered_s: int | None,
        resolved_s: int | None,
        warned: tuple[str, ...] = (),
        breached: tuple[str, ...] = (),
    ) -> None:
        def after(seconds: int | None) -> datetime | None:
            return None if seconds is None else start + timedelta(seconds=seconds)

        stamps = {f"{name}_warned_at": start for name in warned}
        stamps |= {f"{name}_breached_at": start for name in breached}
        self.session.add(
            SlaClock(
                ticket_id=ticket_id,
                priority="P3",
                queue="q",
                calendar="24x7",
                open=resolved_s is None,
                started_at=start,
                first_response_at=after(answered_s),
                resolved_at=after(resolved_s),
                updated_at=start,
                **stamps,
            )
        )


def write_history(engine: Engine) -> None:
    with Session(engine) as session:
        h = History(session)
        # An hour or more past the start of each day of the period: clear of the boundaries.
        t1, t2, t3, t4 = _at(6, 22), _at(4, 23), _at(2, 23), _at(1, 23)
        t5, t6, p1, p2 = _at(0, 23), _at(0, 5), _at(9, 23), _at(7, 23)

        h.ticket("T1", t1, category="billing", tier="enterprise", llm=(GPT, 1, 1000, 100))
        h.owner("T1", t1, after_s=60, agents=("ann",))
        h.clock("T1", t1, answered_s=600, resolved_s=3600)

        h.ticket("T2", t2, category="billing", channel="chat", language="de")
        h.owner("T2", t2, after_s=120, agents=("ann", "bob"))
        h.clock("T2", t2, answered_s=1200, resolved_s=7200, warned=("resolution",))

        h.ticket(
            "T3",
            t3,
            category="technical_issue",
            tier=None,
            escalated=True,
            reasons=("low_confidence", "human_requested"),
            llm=(GPT, 2, 1000, 100),
        )
        h.review(
            "T3",
            t3 + timedelta(minutes=20),
            kind="corrected",
            category="billing",
            llm=(GPT, 1, 300, 30),
        )
        h.owner("T3", t3, after_s=1800, agents=("ann",), state="started")
        h.clock("T3", t3, answered_s=900, resolved_s=None, breached=("first_response",))

        h.ticket(
            "T4",
            t4,
            category="account_access",
            channel="web",
            tier="business",
            version="v1",
            escalated=True,
            reasons=("sensitive_action",),
        )
        h.review("T4", t4 + timedelta(minutes=5), kind="confirmed", category="account_access")
        h.clock("T4", t4, answered_s=300, resolved_s=300)

        h.ticket("T5", t5, category="billing", tier="enterprise", duplicate_of="T1")

        h.ticket(
            "T6",
            t6,
            category="technical_issue",
            channel="api",
            language="fr",
            llm=(SELFHOST, 1, 200, 20),
        )
        h.flag("T6", t6 + timedelta(hours=1), category="billing")
        h.owner("T6", t6, after_s=240, agents=("bob",))
        h.clock(
            "T6",
            t6,
            answered_s=2400,
            resolved_s=10800,
            warned=("first_response", "resolution"),
            breached=("resolution",),
        )

        h.ticket("P1", p1, category="billing", version="v1")
        h.owner("P1", p1, after_s=300, agents=("ann",))
        h.clock("P1", p1, answered_s=600, resolved_s=3600)

        h.ticket(
            "P2", p2, category="billing", version="v1", escalated=True, reasons=("low_confidence",)
        )
        h.review("P2", p2 + timedelta(minutes=30), kind="corrected", category="sales")
        h.clock("P2", p2, answered_s=3600, resolved_s=None, breached=("resolution",))
        session.commit()
