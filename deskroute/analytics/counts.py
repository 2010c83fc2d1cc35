"""The figures the database sums: tickets in, escalations and their reasons, duplicates,
model versions, LLM usage, review decisions and misroute flags, each by period, day and the
breakdown's value."""

from __future__ import annotations

from typing import get_args

from sqlalchemy import case, func, select, true
from sqlmodel import Session, col

from deskroute.analytics.cohort import NONE, Cohort, Tallies, Tally
from deskroute.models.classification import EscalationReason
from deskroute.store.tables import Correction, Escalation, Outcome

REASONS: tuple[str, ...] = get_args(EscalationReason)
_o = Outcome


def add_routing(session: Session, cohort: Cohort, tallies: Tallies) -> None:
    """Tickets in, escalated, duplicates, model versions and LLM usage: one grouped scan."""
    escalated = func.sum(case((col(_o.escalated), 1), else_=0))
    duplicates = func.sum(case((col(_o.duplicate_of).is_not(None), 1), else_=0))
    rows = session.connection().execute(
        select(
            cohort.period,
            cohort.key,
            cohort.day,
            col(_o.model_version),
            col(_o.llm_model),
            func.count(),
            escalated,
            duplicates,
            func.sum(col(_o.llm_calls)),
            func.sum(col(_o.llm_input_tokens)),
            func.sum(col(_o.llm_output_tokens)),
        )
        .where(*cohort.where)
        .group_by(*cohort.grouping(cohort.day, col(_o.model_version), col(_o.llm_model)))
    )
    for period, key, day, version, model, n, esc, dup, calls, tokens_in, tokens_out in rows:
        esc, dup, calls, tokens_in, tokens_out = map(int, (esc, dup, calls, tokens_in, tokens_out))
        for tally in tallies.each(period, key):
            f = tally.figures
            f.tickets_in += n
            f.escalated += esc
            f.auto_routed += n - esc
            f.duplicates += dup
            versions = f.model_versions
            versions[version or NONE] = versions.get(version or NONE, 0) + n
            _add_llm(tally, model, calls, tokens_in, tokens_out)
        point = tallies.day(period, day)
        point.tickets_in += n
        point.escalated += esc


def add_review_llm(session: Session, cohort: Cohort, tallies: Tallies) -> None:
    """LLM usage of the runs reviews led to (a reassigned ticket's specialist, say), in the
    period the review ended in: the usage of a period is every call made in it."""
    keys = (cohort.period, cohort.key, col(_o.llm_model))
    rows = session.connection().execute(
        select(
            *keys,
            func.sum(col(_o.llm_calls)),
            func.sum(col(_o.llm_input_tokens)),
            func.sum(col(_o.llm_output_tokens)),
        )
        .where(*cohort.runs(reviewed=True), col(_o.llm_calls) > 0)
        .group_by(*cohort.grouping(col(_o.llm_model)))
    )
    for period, key, model, calls, tokens_in, tokens_out in rows:
        for tally in tallies.each(period, key):
            _add_llm(tally, model, int(calls), int(tokens_in), int(tokens_out))


def _add_llm(tally: Tally, model: str | None, calls: int, tokens_in: int, tokens_out: int) -> None:
    llm = tally.figures.llm
    if model is not None:
        llm.models[model] = llm.models.get(model, 0) + calls
        spent = tally.llm_tokens[model]
        tally.llm_tokens[model] = (spent[0] + tokens_in, spent[1] + tokens_out)
    llm.calls += calls
    llm.input_tokens += tokens_in
    llm.output_tokens += tokens_out


def add_reasons(session: Session, cohort: Cohort, tallies: Tallies) -> None:
    """Escalated tickets per reason, from the review queue's row of each."""
    e = Escalation
    counts = [
        func.sum(case((col(e.reasons).contains(f" {r} ", autoescape=True), 1), else_=0))
        for r in REASONS
    ]
    rows = session.connection().execute(
        select(cohort.period, cohort.key, *counts)
        .select_from(_o)
        .join(e, col(e.ticket_id) == col(_o.ticket_id))
        .where(*cohort.where, col(_o.escalated) == true())
        .group_by(*cohort.grouping())
    )
    for period, key, *numbers in rows:
        for tally in tallies.each(period, key):
            reasons = tally.figures.escalation_reasons
            for reason, n in zip(REASONS, numbers, strict=True):
                if n:
                    reasons[reason] = reasons.get(reason, 0) + int(n)


def add_corrections(session: Session, cohort: Cohort, tallies: Tallies) -> None:
    """Review decisions on escalated tickets (confirmed or corrected) and misroute flags on
    auto-routed ones (any correction of a routed ticket that does not confirm it)."""
    c = Correction
    confirmed = col(c.kind) == "confirmed"
    columns = (cohort.day, col(_o.escalated), confirmed)
    rows = session.connection().execute(
        select(cohort.period, cohort.key, *columns, func.count())
        .select_from(_o)
        .join(c, col(c.ticket_id) == col(_o.ticket_id))
        .where(*cohort.where)
        .group_by(*cohort.grouping(*columns))
    )
    for period, key, day, escalated, is_confirmed, n in rows:
        point = tallies.day(period, day)
        for tally in tallies.each(period, key):
            f = tally.figures
            if escalated and is_confirmed:
                f.reviews_confirmed += n
            elif escalated:
                f.reviews_corrected += n
            elif not is_confirmed:
                f.misroute_flags += n
        if escalated and is_confirmed:
            point.reviews_confirmed += n
        elif escalated:
            point.reviews_corrected += n
