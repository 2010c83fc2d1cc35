"""The alert rules replayed over simulated events: a check every `check_every_minutes`, the
same spans, tallies, tests and cool-down as `deskroute alerts check` (deskroute.alerts.detect),
with the counts read from the simulation instead of the store; then each alert is put down to
the incident it belongs to, or counted as false.

An incident is detected at the first check at which a rule that watches its symptom holds:
the volume of its category for an outage; the escalation, reassignment or correction rate for
a bad model; failed LLM calls for an LLM outage. An alert belongs to an incident when it
watches one of the incident's symptoms (an LLM outage escalates more tickets too) and is
raised from its start until ATTRIBUTION after its end (reviews of the bad model's tickets go on
after the rollback); any other alert is false."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from bench._alerts.sim import Events, Incident, seconds
from deskroute.alerts.detect import (
    Finding,
    Observed,
    Span,
    Tally,
    check_spans,
    evaluate,
    opens_incident,
    window_lengths,
)
from deskroute.policies.alerts import AlertsPolicy

ATTRIBUTION = timedelta(hours=2)
SYMPTOMS: dict[str, frozenset[str]] = {
    "outage": frozenset({"tickets"}),
    "bad_model": frozenset({"escalated", "reassigned", "corrected"}),
    "llm_outage": frozenset({"llm_failed", "escalated"}),
}
"""The signals each incident moves."""
DETECTS: dict[str, frozenset[str]] = {
    "outage": frozenset({"tickets"}),
    "bad_model": frozenset({"escalated", "reassigned", "corrected"}),
    "llm_outage": frozenset({"llm_failed"}),
}
"""The signals whose rules count as detecting each incident."""


@dataclass(frozen=True)
class Raised:
    at: datetime
    finding: Finding


@dataclass(frozen=True)
class Replay:
    checks: int
    holding: list[tuple[datetime, Finding]]
    """Every finding at every check."""
    raised: list[Raised]
    """The findings that opened an incident (the alerts)."""


def _counts(times: np.ndarray, edges: np.ndarray) -> np.ndarray:
    found = np.searchsorted(times, edges, side="left")
    return found[1::2] - found[0::2]


def tallies(events: Events, spans: Sequence[Span]) -> list[Tally]:
    """One tally per span, counted from the simulated event times."""
    edges = np.array([seconds(at) for span in spans for at in (span.start, span.end)])
    per_category = {name: _counts(times, edges) for name, times in events.tickets.items()}
    fields = (
        "runs",
        "escalated",
        "llm_calls",
        "llm_failed",
        "assignments",
        "reassigned",
        "reviews",
        "corrected",
    )
    counted = {name: _counts(getattr(events, name), edges) for name in fields}
    return [
        Tally(
            tickets={name: int(c[i]) for name, c in per_category.items() if c[i]},
            **{name: int(c[i]) for name, c in counted.items()},
        )
        for i in range(len(spans))
    ]


def replay(
    policy: AlertsPolicy, events: Events, *, since: datetime, start: datetime, end: datetime
) -> Replay:
    """Check at every step from `start` to `end`, the history beginning at `since`; level rules
    have nothing to read here."""
    step = timedelta(minutes=policy.check_every_minutes)
    last_seen: dict[tuple[str, str], datetime] = {}
    holding: list[tuple[datetime, Finding]] = []
    raised: list[Raised] = []
    now, checks = start + step, 0
    while now <= end:
        observed = {}
        for minutes in window_lengths(policy):
            spans = check_spans(now, window_minutes=minutes, baseline=policy.baseline, since=since)
            observed[minutes] = Observed.of(tallies(events, spans))
        for finding in evaluate(policy, observed=observed, levels=None):
            key = (finding.rule, finding.key)
            cool_down = policy.rule(finding.rule).cool_down_minutes
            if opens_incident(last_seen.get(key), now, cool_down):
                raised.append(Raised(now, finding))
            last_seen[key] = now
            holding.append((now, finding))
        now += step
        checks += 1
    return Replay(checks=checks, holding=holding, raised=raised)


def _watches(incident: Incident, finding: Finding, signals: frozenset[str]) -> bool:
    if not signals & set(finding.signal.split("+")):  # a combined rule's signals are joined
        return False
    return finding.kind != "volume" or finding.key in (incident.category, "all")


def belongs(incident: Incident, alert: Raised) -> bool:
    return incident.start <= alert.at <= incident.end + ATTRIBUTION and _watches(
        incident, alert.finding, SYMPTOMS[incident.kind]
    )


def detection(incident: Incident, result: Replay) -> tuple[datetime, Finding] | None:
    """The first check at which a rule watching the incident held, after its start."""
    for at, finding in result.holding:
        if at < incident.start or at > incident.end + ATTRIBUTION:
            continue
        if _watches(incident, finding, DETECTS[incident.kind]):
            return at, finding
    return None
