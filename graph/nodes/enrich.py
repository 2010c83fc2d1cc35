"""Enrich: who the customer is, how urgent the ticket reads, and its priority."""

from __future__ import annotations

from langgraph.runtime import Runtime
from sqlmodel import Session

from deskroute.enrich import customer_context, priority_of, read_signals
from deskroute.models.classification import Prediction
from deskroute.models.context import Urgency
from graph.context import Deps
from graph.state import RouteState, RouteUpdate
from graph.timing import timed


@timed("enrich")
def enrich(state: RouteState, runtime: Runtime[Deps]) -> RouteUpdate:
    deps = runtime.context
    ticket = state["ticket"]
    now = deps.clock()
    with Session(deps.engine) as session:
        customer = customer_context(
            session, ticket, now=now, free_mail_domains=deps.policies.intake.free_mail_domains
        )
    classification = state.get("classification")
    categories = deps.policies.taxonomy.categories
    base: Urgency = "normal"
    if isinstance(classification, Prediction) and classification.category in categories:
        base = categories[classification.category].base_urgency
    signals = read_signals(
        ticket.text,
        deps.policies.signals,
        base_urgency=base,
        history=customer.recent_tickets,
        now=now,
    )
    return {
        "customer": customer,
        "signals": signals,
        "priority": priority_of(customer, signals.urgency, deps.policies.routing),
    }
