"""Spike detection over counts, with no store and no clock: the keeper feeds it what the store
holds, the benchmark what its simulation produced, and both get the same verdicts.

A window (the last `window_minutes`) is compared with its baseline: the same time of day on
earlier days of the same kind (working day or weekend), each sample a wider span scaled to the
window. Volume: a category's count against what the samples give per ticket of the rest of
the desk, times the rest's count now (a busy Monday lifts every category, a spike one), taken
at the samples' median plus their spread (1.4826 x the median absolute deviation, so that a
day-to-day swing is not taken for a spike), under a Poisson test. Rates: the window's hits of
its total against the samples' pooled hits and total (a sample that is itself a spike set
aside, so that an incident in the history does not raise the bar), under Fisher's exact
test. Either must also clear a minimum count and a minimum ratio. A combined rule takes several
rates' tests together (Fisher's method), for an incident that lifts them all a little at first."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from deskroute.alerts.stats import (
    binomial_tail,
    fisher_combined,
    hypergeometric_tail,
    poisson_tail,
)
from deskroute.policies.alerts import (
    AlertsPolicy,
    Baseline,
    CombinedRule,
    LevelRule,
    RateRule,
    RateSignal,
    VolumeRule,
)
from deskroute.policies.base import DAYS

ALL = "all"
"""The key of a rule over every ticket, rather than one category."""
MAD_TO_SD = 1.4826
"""Scales a median absolute deviation to a standard deviation (normal data)."""
LEAST_EXPECTED = 0.5
"""A baseline of none is taken as half a ticket: a count of zero is never proof of nothing."""
REST_PRIOR = 10.0
"""Tickets added to the rest of the desk on both sides of a category's comparison with it: at
night, when the rest is a handful of tickets, the comparison leans to the plain count."""
OUTLIER = 1e-3
"""A history sample whose rate is this unlikely against the others' is left out."""


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Tally:
    """What one span of time holds, as the rules count it."""

    tickets: Mapping[str, int] = field(default_factory=dict)
    """Tickets that came in, by category (tickets not yet routed are left out)."""
    runs: int = 0
    escalated: int = 0
    assignments: int = 0
    """Tickets given to an agent, a first time or again."""
    reassigned: int = 0
    reviews: int = 0
    corrected: int = 0
    llm_calls: int = 0
    llm_failed: int = 0

    def volume(self, key: str) -> int:
        return sum(self.tickets.values()) if key == ALL else self.tickets.get(key, 0)

    def rate(self, signal: RateSignal) -> tuple[int, int]:
        """(hits, total) of a rate signal."""
        match signal:
            case "escalated":
                return self.escalated, self.runs
            case "reassigned":
                return self.reassigned, self.assignments
            case "corrected":
                return self.corrected, self.reviews
            case "llm_failed":
                return self.llm_failed, self.llm_calls


@dataclass(frozen=True)
class Levels:
    """Figures read as they stand now."""

    dead_letters: int
    waiting: int
    agents_online: int


class Finding(BaseModel):
    """A rule whose condition holds now, with the figures that make it hold."""

    rule: str
    key: str
    """The category, or `all`."""
    kind: Literal["volume", "rate", "level"]
    signal: str
    title: str
    window_minutes: int | None
    observed: float
    """The count, the rate or the level."""
    expected: float | None
    """What the baseline expects (a count or a rate); None for a level."""
    hits: int | None = None
    total: int | None = None
    p_value: float | None = None
    samples: int = 0
    """Earlier days the baseline was made of."""
    summary: str


@dataclass(frozen=True)
class Observed:
    """The counts of one window length: the window, the hours just before it, and the
    samples of earlier days (`check_spans` gives their spans, in this order)."""

    window: Tally
    recent: Tally
    history: Sequence[Tally]

    @classmethod
    def of(cls, tallies: Sequence[Tally]) -> Observed:
        return cls(window=tallies[0], recent=tallies[1], history=tallies[2:])


def window_span(now: datetime, minutes: int) -> Span:
    return Span(now - timedelta(minutes=minutes), now)


def check_spans(
    now: datetime, *, window_minutes: int, baseline: Baseline, since: datetime | None
) -> list[Span]:
    """The spans a check counts for one window length, none overlapping another: the window,
    the `recent_minutes` before it, and the baseline's samples."""
    window = window_span(now, window_minutes)
    recent = Span(window.start - timedelta(minutes=baseline.recent_minutes), window.start)
    history = baseline_spans(now, window_minutes=window_minutes, baseline=baseline, since=since)
    return [window, recent, *history]


def baseline_spans(
    now: datetime, *, window_minutes: int, baseline: Baseline, since: datetime | None
) -> list[Span]:
    """The samples of a window ending `now`: a span of `span_minutes` centred on the window's
    middle at the same wall-clock time on each of the last `lookback_days` days of the same
    kind (weekend or not, in the baseline's time zone), newest first. Spans that begin before
    `since` (the first ticket the store holds) are left out: a day before the store was used
    is no sample of a quiet day."""
    zone = ZoneInfo(baseline.timezone)
    weekend = {DAYS[day] for day in baseline.weekend}
    middle = (now - timedelta(minutes=window_minutes / 2)).astimezone(zone)
    kind = middle.weekday() in weekend
    half = timedelta(minutes=baseline.span_minutes / 2)
    spans = []
    for days in range(1, baseline.lookback_days + 1):
        earlier = middle - timedelta(days=days)  # same wall-clock time, whatever the DST
        if (earlier.weekday() in weekend) == kind:
            centre = earlier.astimezone(UTC)
            if since is None or centre - half >= since:
                spans.append(Span(centre - half, centre + half))
    return spans


def _spread(values: Sequence[float], middle: float) -> float:
    return MAD_TO_SD * statistics.median(abs(v - middle) for v in values)


def volume_spike(
    observed: int,
    samples: Sequence[float],
    rule: VolumeRule,
    *,
    min_samples: int,
    rest: tuple[float, Sequence[float]] | None = None,
    recent: float | None = None,
) -> tuple[float, float] | None:
    """(expected, p-value) when `observed` is a spike over `samples` (counts scaled to the
    window), else None; None too while there are fewer than `min_samples`.

    `rest` (the window's count of every other category, and each sample's) compares the
    category with the rest of the desk instead: a sample counts as its tickets per ticket of
    the rest (plus REST_PRIOR), so that a Monday morning, a busy day or the steep rise at
    opening time, which lift every category alike, is no spike of one. `recent` is what the
    hours just before the window give, in the same terms (per ticket of the rest, or a count
    scaled to the window): the bar is the higher of the two, so that a category busier all
    day than on earlier days (a new product, a campaign) is no spike either."""
    if len(samples) < min_samples or observed < rule.min_count:
        return None
    values, times = list(samples), 1.0
    if rest is not None:
        now_rest, rest_samples = rest
        values = [s / (r + REST_PRIOR) for s, r in zip(samples, rest_samples, strict=True)]
        times = now_rest + REST_PRIOR
    middle = statistics.median(values)
    upper = middle + _spread(values, middle)
    if recent is not None:
        middle, upper = max(middle, recent), max(upper, recent)
    expected = middle * times
    if observed < rule.min_ratio * expected:
        return None
    upper = max(upper * times, LEAST_EXPECTED)
    p_value = poisson_tail(observed, upper)
    return (expected, p_value) if p_value < rule.significance else None


def baseline_counts(samples: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The pooled (hits, total) of the samples; None when they hold no total. The sample with
    the highest rate is set aside when, against the pooled rate of the others, it is itself a
    spike (p < OUTLIER): an incident in the history does not raise the bar."""
    usable = [(k, n) for k, n in samples if n > 0]
    if not usable:
        return None
    if len(usable) >= 3:
        top = max(usable, key=lambda s: s[0] / s[1])
        others = list(usable)
        others.remove(top)
        hits, total = _pooled(others)
        if binomial_tail(top[0], top[1], max(hits, LEAST_EXPECTED) / total) < OUTLIER:
            usable = others
    return _pooled(usable)


def _pooled(samples: Sequence[tuple[int, int]]) -> tuple[int, int]:
    return sum(k for k, _ in samples), sum(n for _, n in samples)


def rate_test(
    hits: int, total: int, samples: Sequence[tuple[int, int]], rule: RateRule, *, min_samples: int
) -> tuple[float, float] | None:
    """(expected rate, p-value) of `hits` of `total` against the samples; None while the window
    or the baseline holds too little to judge. The test is Fisher's exact test of the window
    against the pooled samples, so that a baseline of few tickets (a new store, a weekend
    evening) asks for more evidence."""
    if sum(1 for _, n in samples if n > 0) < min_samples or total < rule.min_total:
        return None
    pooled = baseline_counts(samples)
    if pooled is None:
        return None
    base_hits, base_total = pooled
    expected = max(base_hits, LEAST_EXPECTED) / base_total
    return expected, hypergeometric_tail(hits, total, hits + base_hits, total + base_total)


def rate_spike(
    hits: int, total: int, samples: Sequence[tuple[int, int]], rule: RateRule, *, min_samples: int
) -> tuple[float, float] | None:
    """(expected rate, p-value) when `hits` of `total` is a spike over the samples, else None:
    the test must hold, and the window clear the rule's minimum count and ratio."""
    if hits < rule.min_count:
        return None
    tested = rate_test(hits, total, samples, rule, min_samples=min_samples)
    if tested is None:
        return None
    expected, p_value = tested
    if hits / total < rule.min_ratio * expected or p_value >= rule.significance:
        return None
    return expected, p_value


@dataclass(frozen=True)
class RatePart:
    """One rate of a combined rule, as its window stands."""

    rule: str
    signal: RateSignal
    hits: int
    total: int
    expected: float
    p_value: float


def combined_spike(parts: Sequence[RatePart], rule: CombinedRule) -> float | None:
    """The combined p-value when the parts together are a spike, else None: at least
    `min_rising` of them above their baselines, and Fisher's method over every part judged
    below the rule's significance."""
    rising = [p for p in parts if p.hits > p.expected * p.total]
    if len(rising) < rule.min_rising:
        return None
    p_value = fisher_combined([p.p_value for p in parts])
    return p_value if p_value < rule.significance else None


def level_breach(levels: Levels, rule: LevelRule) -> float | None:
    """The level when it is at or above the rule's, else None."""
    match rule.signal:
        case "dead_letters":
            value = float(levels.dead_letters)
        case "waiting_per_agent":
            if levels.agents_online == 0 or levels.waiting < rule.min_waiting:
                return None  # nobody on shift: a schedule, not an imbalance
            value = levels.waiting / levels.agents_online
    return value if value >= rule.at_least else None


def evaluate(
    policy: AlertsPolicy, *, observed: Mapping[int, Observed], levels: Levels | None
) -> list[Finding]:
    """Every rule whose condition holds. `observed` is keyed by window length in minutes (each
    history tally covers `policy.baseline.span_minutes`, the recent one `recent_minutes`);
    `levels` None skips the level rules."""
    baseline = policy.baseline
    least = baseline.min_samples
    found: list[Finding] = []
    for name, vrule in policy.volume.items():
        counts = observed[vrule.window_minutes]
        window, history = counts.window, counts.history
        scale = vrule.window_minutes / baseline.span_minutes
        recent_scale = vrule.window_minutes / max(baseline.recent_minutes, 1)
        keys = [ALL] if vrule.per == ALL else sorted(vrule.categories or window.tickets)
        for key in keys:
            count = window.volume(key)
            samples = [t.volume(key) * scale for t in history]
            rest, recent = None, None
            if baseline.recent_minutes:
                recent = counts.recent.volume(key) * recent_scale
            if key != ALL:
                others = [(t.volume(ALL) - t.volume(key)) * scale for t in history]
                rest = (float(window.volume(ALL) - count), others)
                if recent is not None:
                    recent_rest = counts.recent.volume(ALL) * recent_scale - recent
                    recent = recent / (recent_rest + REST_PRIOR)
            spike = volume_spike(count, samples, vrule, min_samples=least, rest=rest, recent=recent)
            if spike is not None:
                found.append(_volume_finding(name, vrule, key, count, spike, len(samples)))
    for name, rrule in policy.rates.items():
        counts = observed[rrule.window_minutes]
        hits, total = counts.window.rate(rrule.signal)
        samples_r = [t.rate(rrule.signal) for t in counts.history]
        rate = rate_spike(hits, total, samples_r, rrule, min_samples=least)
        if rate is not None:
            found.append(_rate_finding(name, rrule, hits, total, rate, len(samples_r)))
    for name, crule in policy.combined.items():
        parts = []
        for rate_name in crule.rates:
            rrule = policy.rates[rate_name]
            counts = observed[rrule.window_minutes]
            hits, total = counts.window.rate(rrule.signal)
            samples_r = [t.rate(rrule.signal) for t in counts.history]
            tested = rate_test(hits, total, samples_r, rrule, min_samples=least)
            if tested is not None:
                parts.append(RatePart(rate_name, rrule.signal, hits, total, *tested))
        p_combined = combined_spike(parts, crule)
        if p_combined is not None:
            longest = max(policy.rates[r].window_minutes for r in crule.rates)
            found.append(_combined_finding(name, crule, parts, p_combined, longest))
    if levels is not None:
        for name, lrule in policy.levels.items():
            value = level_breach(levels, lrule)
            if value is not None:
                found.append(_level_finding(name, lrule, value, levels))
    return found


def window_lengths(policy: AlertsPolicy) -> list[int]:
    """The window lengths the volume and rate rules use, each once."""
    rules = [*policy.volume.values(), *policy.rates.values()]
    return sorted({rule.window_minutes for rule in rules})


def opens_incident(last_seen: datetime | None, now: datetime, cool_down_minutes: int) -> bool:
    """Whether a finding at `now` is a new incident: its rule and key were last found (by the
    previous incident, while its condition held) at least the cool-down ago, or never."""
    return last_seen is None or now - last_seen >= timedelta(minutes=cool_down_minutes)


def _volume_finding(
    name: str, rule: VolumeRule, key: str, observed: int, spike: tuple[float, float], n: int
) -> Finding:
    expected, p_value = spike
    what = "tickets" if key == ALL else f"{key} tickets"
    return Finding(
        rule=name,
        key=key,
        kind="volume",
        signal="tickets",
        title=rule.title,
        window_minutes=rule.window_minutes,
        observed=observed,
        expected=round(expected, 2),
        p_value=p_value,
        samples=n,
        summary=f"{observed} {what} in the last {rule.window_minutes} min; "
        f"{expected:.1f} expected at this time",
    )


def _rate_finding(
    name: str, rule: RateRule, hits: int, total: int, rate: tuple[float, float], n: int
) -> Finding:
    expected, p_value = rate
    return Finding(
        rule=name,
        key=ALL,
        kind="rate",
        signal=rule.signal,
        title=rule.title,
        window_minutes=rule.window_minutes,
        observed=round(hits / total, 4),
        expected=round(expected, 4),
        hits=hits,
        total=total,
        p_value=p_value,
        samples=n,
        summary=f"{hits} of {total} ({hits / total:.0%}) {_RATE_WORDS[rule.signal]} in the last "
        f"{rule.window_minutes} min; {expected:.1%} usual",
    )


def _combined_finding(
    name: str, rule: CombinedRule, parts: Sequence[RatePart], p_value: float, window: int
) -> Finding:
    hits, total = sum(p.hits for p in parts), sum(p.total for p in parts)
    expected = sum(p.expected * p.total for p in parts)
    each = "; ".join(
        f"{p.hits} of {p.total} ({p.hits / p.total:.0%}) {_RATE_WORDS[p.signal]}, "
        f"{p.expected:.1%} usual"
        for p in parts
    )
    return Finding(
        rule=name,
        key=ALL,
        kind="rate",
        signal="+".join(p.signal for p in parts),
        title=rule.title,
        window_minutes=window,
        observed=round(hits / total, 4),
        expected=round(expected / total, 4),
        hits=hits,
        total=total,
        p_value=p_value,
        samples=0,
        summary=f"together (p = {p_value:.1g}), in the last {window} min: {each}",
    )


def _level_finding(name: str, rule: LevelRule, value: float, levels: Levels) -> Finding:
    summary = (
        f"{levels.dead_letters} deliveries given up on (dead letters)"
        if rule.signal == "dead_letters"
        else f"{levels.waiting} tickets waiting for {levels.agents_online} agents online "
        f"({value:.1f} each)"
    )
    return Finding(
        rule=name,
        key=ALL,
        kind="level",
        signal=rule.signal,
        title=rule.title,
        window_minutes=None,
        observed=round(value, 2),
        expected=None,
        summary=summary,
    )


_RATE_WORDS: dict[RateSignal, str] = {
    "escalated": "routing runs escalated",
    "reassigned": "assignments were reassignments",
    "corrected": "reviews corrected the category",
    "llm_failed": "LLM calls failed",
}
