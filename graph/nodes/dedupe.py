"""Dedupe: is this ticket a repeat of one of the sender's open tickets?"""

from __future__ import annotations

from datetime import timedelta

from langgraph.runtime import Runtime
from sqlmodel import Session

from deskroute.classify.rules import category_rule_hits
from deskroute.duplicates import fingerprint, is_duplicate, near_miss
from deskroute.duplicates.news import news
from deskroute.models.ticket import Channel
from deskroute.store.duplicates import open_tickets_of_sender, raw_body_of
from deskroute.store.outcomes import latest_outcome
from graph.context import Deps
from graph.state import RouteState, RouteUpdate
from graph.timing import timed

SKIPPED = "duplicate check skipped on request: routed as a new ticket"
NEAR_MISS = (
    "possibly continues open ticket {ticket_id}: a follow-up with little in common with it, "
    "routed as new instead of linked"
)


@timed("dedupe")
def dedupe(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
    """Link to the first open ticket whose text this one repeats (see `deskroute.duplicates`),
    unless it brings something new (see `deskroute.duplicates.news`). A follow-up that may
    continue an open ticket but does not clearly repeat it is routed as new, with a note naming
    that ticket for the reviewer: a false link would hide a new problem."""
    if state.get("skip_dedupe"):
        return {"duplicate_of": None, "notes": [SKIPPED]}
    deps = runtime.context
    ticket = state["ticket"]
    window = timedelta(hours=deps.policies.intake.duplicate_window_hours)
    with Session(deps.engine) as session:
        candidates = open_tickets_of_sender(
            session, ticket=ticket, since=ticket.created_at - window
        )
        if not candidates:
            return {"duplicate_of": None}
        raw = raw_body_of(session, ticket_id=ticket.id) or ticket.body
    new = fingerprint(
        subject=ticket.subject,
        body=ticket.body,
        raw_body=raw,
        is_email=ticket.channel == Channel.EMAIL,
    )
    olds = [
        (
            c,
            fingerprint(
                subject=c.subject,
                body=c.body,
                raw_body=c.raw_body,
                is_email=c.channel == Channel.EMAIL,
            ),
        )
        for c in sorted(candidates, key=lambda c: (c.created_at, c.id))
    ]
    first = next((c for c, old in olds if is_duplicate(old, new)), None)
    if first is None:
        maybe = next((c for c, old in olds if near_miss(old, new)), None)
        if maybe is None:
            return {"duplicate_of": None}
        return {"duplicate_of": None, "notes": [NEAR_MISS.format(ticket_id=maybe.id)]}
    with Session(deps.engine) as session:
        original = latest_outcome(session, ticket_id=first.id)
    brings = news(
        ticket.text,
        state.get("classification"),
        state.get("rule_hits", []),
        original_category=original.category if original is not None else None,
        sensitive=sensitive_categories(deps),
        policies=deps.policies,
        thresholds=deps.thresholds,
    )
    if not brings:
        return {"duplicate_of": first.id}
    return {
        "duplicate_of": None,
        "notes": [f"looks like open ticket {first.id}, routed as new: {'; '.join(brings)}"],
    }


def sensitive_categories(deps: Deps) -> frozenset[str]:
    """Categories a person always sees or whose specialist can propose sensitive actions."""
    policies = deps.policies
    return frozenset(
        name
        for name in policies.taxonomy.categories
        if category_rule_hits(name, policies.rules)
        or deps.specialists[policies.specialist_for(name)].proposes_sensitive
    )
