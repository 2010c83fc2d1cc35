"""The simulated weeks: every ticket's arrival, routing run, LLM calls, assignment,
reassignment and review, as the alert rules count them, with three incidents injected.

Arrivals: each hour of each day draws Poisson(profile x day factor x hour factor x category
share x category-day factor) tickets per category, at uniform times in the hour. The factors
make the stream busier and quieter than a Poisson process, as real days are: a day factor
(lognormal, sigma 0.10), an hour factor (sigma 0.10) and a category mix that drifts by day
(sigma 0.15). Category shares are bench/_workday/world.py's.

Each ticket: one routing run at arrival, escalated with P_ESCALATED; a classifier LLM call with
P_CLASSIFIER_CALL and a specialist call with P_SPECIALIST_CALL, each failing with P_LLM_FAIL;
a ticket that is not escalated is given to an agent with P_ASSIGNED after an exponential wait
(mean ASSIGN_MINUTES), and that agent hands it on (a reassignment) with P_REASSIGNED after an
exponential time (mean REASSIGN_MINUTES); an escalated ticket is reviewed after a lognormal
time (median REVIEW_MINUTES, sigma 0.8), the reviewer correcting its category with
P_CORRECTED.

Incidents, placed by the seed in the scored days:
- outage: OUTAGE_TICKETS extra tickets of one category (any of the ten, at random) over
  OUTAGE_MINUTES, at any time of day or week;
- bad_model: a model deployed on a working day between 09:00 and 17:00 UTC and rolled back a
  day later; the tickets routed meanwhile escalate, are reassigned and corrected more often
  (BAD_MODEL);
- llm_outage: LLM_OUTAGE_MINUTES in which LLM calls fail with P_LLM_OUTAGE_FAIL, starting on a
  working day between 08:00 and 20:00 UTC (on a weekend or at night a desk of this size makes
  a few calls an hour: a window then holds too few to tell an outage from two unlucky calls,
  against a baseline of weekends that holds few calls itself); a ticket whose classifier call
  fails is escalated with P_ESCALATED_WITHOUT_LLM (the local model was unsure, which is why the
  LLM was asked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from bench._alerts.profile import HourOfWeek
from bench._workday.world import CATEGORY_SHARES

START = datetime(2026, 3, 2, tzinfo=UTC)
"""The first scored day, a Monday; the history days come before it."""

P_ESCALATED = 0.15
P_CLASSIFIER_CALL = 0.30
P_SPECIALIST_CALL = 0.60
P_LLM_FAIL = 0.01
P_ASSIGNED = 0.60
ASSIGN_MINUTES = 5.0
P_REASSIGNED = 0.05
REASSIGN_MINUTES = 10.0
REVIEW_MINUTES = 45.0
P_CORRECTED = 0.10

OUTAGE_TICKETS = 60
OUTAGE_MINUTES = 45
BAD_MODEL = {"escalated": 0.22, "reassigned": 0.25, "corrected": 0.40}
BAD_MODEL_HOURS = 24
LLM_OUTAGE_MINUTES = 60
P_LLM_OUTAGE_FAIL = 0.95
P_ESCALATED_WITHOUT_LLM = 0.80


@dataclass(frozen=True)
class Incident:
    kind: str
    start: datetime
    end: datetime
    category: str | None = None
    """The outage's category."""


@dataclass
class Events:
    """Event times in seconds since START, sorted, as the rules count them."""

    tickets: dict[str, np.ndarray] = field(default_factory=dict)
    runs: np.ndarray = field(default_factory=lambda: np.empty(0))
    escalated: np.ndarray = field(default_factory=lambda: np.empty(0))
    llm_calls: np.ndarray = field(default_factory=lambda: np.empty(0))
    llm_failed: np.ndarray = field(default_factory=lambda: np.empty(0))
    assignments: np.ndarray = field(default_factory=lambda: np.empty(0))
    reassigned: np.ndarray = field(default_factory=lambda: np.empty(0))
    reviews: np.ndarray = field(default_factory=lambda: np.empty(0))
    corrected: np.ndarray = field(default_factory=lambda: np.empty(0))


def seconds(at: datetime) -> float:
    return (at - START).total_seconds()


def place_incidents(rng: np.random.Generator, *, days: int) -> list[Incident]:
    """One incident of each kind at a random time of the scored days (the bad model and the LLM
    outage on a working day, in the daytime); none starts in the last four hours, so each is
    scored whole."""
    span = days * 86400 - 6 * 3600

    def any_time() -> datetime:
        return START + timedelta(seconds=float(rng.uniform(0, span)))

    outage = any_time()
    category = str(rng.choice(list(CATEGORY_SHARES)))
    working_days = [d for d in range(days - 1) if (START + timedelta(days=d)).weekday() < 5]
    deploy = START + timedelta(days=int(rng.choice(working_days)), hours=float(rng.uniform(9, 17)))
    llm = START + timedelta(days=int(rng.choice(working_days)), hours=float(rng.uniform(8, 20)))
    return [
        Incident("outage", outage, outage + timedelta(minutes=OUTAGE_MINUTES), category),
        Incident("bad_model", deploy, deploy + timedelta(hours=BAD_MODEL_HOURS)),
        Incident("llm_outage", llm, llm + timedelta(minutes=LLM_OUTAGE_MINUTES)),
    ]


def _arrivals(
    rng: np.random.Generator, profile: dict[HourOfWeek, float], *, first_day: int, days: int
) -> tuple[np.ndarray, np.ndarray]:
    """(times, category indexes) of the ordinary tickets, unsorted."""
    shares = np.array(list(CATEGORY_SHARES.values()))
    times, cats = [], []
    for day in range(first_day, first_day + days):
        weekday = (START + timedelta(days=day)).weekday()
        day_factor = rng.lognormal(0, 0.10)
        mix = shares * rng.lognormal(0, 0.15, size=len(shares))
        for hour in range(24):
            rate = profile[(weekday, hour)] * day_factor * rng.lognormal(0, 0.10)
            counts = rng.poisson(rate * mix)
            begin = day * 86400 + hour * 3600
            for index, count in enumerate(counts):
                times.append(begin + rng.uniform(0, 3600, size=count))
                cats.append(np.full(count, index))
    return np.concatenate(times), np.concatenate(cats)


def simulate(
    rng: np.random.Generator,
    profile: dict[HourOfWeek, float],
    incidents: list[Incident],
    *,
    history_days: int,
    days: int,
) -> Events:
    """Every event from `history_days` before START to `days` after it."""
    times, cats = _arrivals(rng, profile, first_day=-history_days, days=history_days + days)
    for incident in incidents:
        if incident.kind == "outage" and incident.category is not None:
            extra = rng.uniform(seconds(incident.start), seconds(incident.end), OUTAGE_TICKETS)
            index = list(CATEGORY_SHARES).index(incident.category)
            times = np.concatenate([times, extra])
            cats = np.concatenate([cats, np.full(OUTAGE_TICKETS, index)])
    n = len(times)

    def during(kind: str) -> np.ndarray:
        inside = np.zeros(n, dtype=bool)
        for incident in incidents:
            if incident.kind == kind:
                inside |= (times >= seconds(incident.start)) & (times < seconds(incident.end))
        return inside

    bad, llm_down = during("bad_model"), during("llm_outage")
    p_fail = np.where(llm_down, P_LLM_OUTAGE_FAIL, P_LLM_FAIL)
    consulted = rng.random(n) < P_CLASSIFIER_CALL
    classifier_failed = consulted & (rng.random(n) < p_fail)
    specialist = rng.random(n) < P_SPECIALIST_CALL
    specialist_failed = specialist & (rng.random(n) < p_fail)
    p_escalated = np.where(bad, BAD_MODEL["escalated"], P_ESCALATED)
    p_escalated = np.where(classifier_failed & llm_down, P_ESCALATED_WITHOUT_LLM, p_escalated)
    escalated = rng.random(n) < p_escalated
    assigned = ~escalated & (rng.random(n) < P_ASSIGNED)
    assigned_at = times + rng.exponential(ASSIGN_MINUTES * 60, n)
    p_reassigned = np.where(bad, BAD_MODEL["reassigned"], P_REASSIGNED)
    reassigned = assigned & (rng.random(n) < p_reassigned)
    reassigned_at = assigned_at + rng.exponential(REASSIGN_MINUTES * 60, n)
    reviewed_at = times + REVIEW_MINUTES * 60 * rng.lognormal(0, 0.8, n)
    p_corrected = np.where(bad, BAD_MODEL["corrected"], P_CORRECTED)
    corrected = escalated & (rng.random(n) < p_corrected)
    names = list(CATEGORY_SHARES)
    return Events(
        tickets={name: np.sort(times[cats == i]) for i, name in enumerate(names)},
        runs=np.sort(times),
        escalated=np.sort(times[escalated]),
        llm_calls=np.sort(np.concatenate([times[consulted], times[specialist]])),
        llm_failed=np.sort(np.concatenate([times[classifier_failed], times[specialist_failed]])),
        assignments=np.sort(np.concatenate([assigned_at[assigned], reassigned_at[reassigned]])),
        reassigned=np.sort(reassigned_at[reassigned]),
        reviews=np.sort(reviewed_at[escalated]),
        corrected=np.sort(reviewed_at[corrected]),
    )
