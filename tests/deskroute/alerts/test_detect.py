"""Spike detection on small hand-built counts, with the expected verdicts worked out here."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from deskroute.alerts.detect import (
    Levels,
    Observed,
    RatePart,
    Tally,
    baseline_counts,
    baseline_spans,
    check_spans,
    combined_spike,
    evaluate,
    level_breach,
    opens_incident,
    rate_spike,
    rate_test,
    volume_spike,
)
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
    VolumeRule,
)

VOLUME = VolumeRule(title="spike", min_count=10, min_ratio=2.0, significance=1e-4)
RATE = RateRule(
    title="rate", signal="escalated", min_count=8, min_total=20, min_ratio=1.8, significance=1e-4
)
WEDNESDAY = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def test_the_tails_match_their_closed_forms() -> None:
    # P(X >= 3), X ~ Poisson(1): 1 - e^-1 (1 + 1 + 1/2)
    assert poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1) * 2.5)
    assert poisson_tail(0, 5.0) == 1.0
    assert poisson_tail(1, 0.0) == 0.0
    # P(X >= 2), X ~ Binomial(2, 0.1): both
    assert binomial_tail(2, 2, 0.1) == pytest.approx(0.01)
    assert binomial_tail(1, 3, 0.5) == pytest.approx(7 / 8)
    # 3 of 3 drawn from 33 of which 3 are hits: 1 / C(33, 3)
    assert hypergeometric_tail(3, 3, 3, 33) == pytest.approx(1 / 5456)
    assert hypergeometric_tail(0, 3, 3, 33) == 1.0
    # Fisher's method: -2 ln(p1 p2) is chi-squared with 4 degrees of freedom, whose upper tail
    # at x is e^(-x/2) (1 + x/2); for p1 = p2 = 0.01, x/2 = ln(10^4)
    half = math.log(1e4)
    assert fisher_combined([0.01, 0.01]) == pytest.approx(1e-4 * (1 + half))
    assert fisher_combined([0.5]) == pytest.approx(0.5)
    assert fisher_combined([]) == 1.0


def test_a_count_far_above_its_samples_is_a_spike() -> None:
    samples = [4.0, 5.0, 6.0, 5.0, 4.0]
    found = volume_spike(30, samples, VOLUME, min_samples=2)
    assert found is not None
    expected, p_value = found
    assert expected == 5.0  # the median
    # spread: 1.4826 x median(|4-5|, 0, 1, 0, 1) = 1.4826; tested at 5 + 1.4826
    assert p_value == pytest.approx(poisson_tail(30, 5 + 1.4826))


def test_no_spike_below_the_ratio_the_count_or_the_samples_needed() -> None:
    samples = [4.0, 5.0, 6.0, 5.0, 4.0]
    assert volume_spike(9, samples, VOLUME, min_samples=2) is None  # 9 < 10 = min_count
    assert volume_spike(9, [0.0] * 5, VOLUME, min_samples=2) is None  # 9 of nothing: too few
    wide = [20.0, 21.0, 19.0, 20.0]
    assert volume_spike(36, wide, VOLUME, min_samples=2) is None  # 36 < 2 x 20
    assert volume_spike(30, samples, VOLUME, min_samples=6) is None  # a store still learning


def test_a_day_to_day_swing_in_the_samples_raises_the_bar() -> None:
    steady = [10.0, 10.0, 10.0, 10.0, 10.0]
    swinging = [4.0, 10.0, 16.0, 10.0, 22.0]  # same median, spread 1.4826 x 6
    assert volume_spike(25, steady, VOLUME, min_samples=2) is not None
    assert volume_spike(25, swinging, VOLUME, min_samples=2) is None


def test_a_busy_desk_lifts_every_category_and_is_no_spike_of_one() -> None:
    # Earlier days: 5 billing tickets beside 40 others. Now 20 beside 190 others (a Monday
    # rush): 20 / (190 + 10) = 0.1 per ticket of the rest, as 5 / (40 + 10) was.
    samples, others = [5.0, 5.0, 5.0], [40.0, 40.0, 40.0]
    assert volume_spike(20, samples, VOLUME, min_samples=2) is not None  # by the plain count
    assert volume_spike(20, samples, VOLUME, min_samples=2, rest=(190.0, others)) is None
    # the same 20 beside an ordinary 40 others is a spike
    assert volume_spike(20, samples, VOLUME, min_samples=2, rest=(40.0, others)) is not None


def test_a_category_busy_all_day_is_no_spike() -> None:
    samples = [3.0, 3.0, 3.0]
    assert volume_spike(12, samples, VOLUME, min_samples=2) is not None
    # the three hours before the window held 11 a window's worth: today is busy, not this window
    assert volume_spike(12, samples, VOLUME, min_samples=2, recent=11.0) is None


def test_a_rate_well_above_a_large_baseline_is_a_spike() -> None:
    samples = [(15, 100)] * 10  # 15%
    found = rate_spike(40, 100, samples, RATE, min_samples=2)
    assert found is not None
    assert found[0] == pytest.approx(0.15)
    assert found[1] == pytest.approx(hypergeometric_tail(40, 100, 190, 1100))
    assert rate_spike(25, 100, samples, RATE, min_samples=2) is None  # 25% < 1.8 x 15%
    assert rate_spike(7, 10, samples, RATE, min_samples=2) is None  # 10 runs < min_total


def test_a_thin_baseline_asks_for_more_evidence() -> None:
    # A weekend evening of a new store: 1 of 29 escalated, so 3.4% "usual"; 11 of 68 (16%)
    # would be far out against 3.4% taken as known, but not against 1 of 29.
    thin = [(0, 11), (1, 18)]
    assert binomial_tail(11, 68, 1 / 29) < 1e-4
    assert rate_spike(11, 68, thin, RATE, min_samples=2) is None


def test_a_history_sample_that_is_itself_a_spike_is_set_aside() -> None:
    ordinary = [(10, 100), (11, 100), (9, 100)]
    assert baseline_counts([*ordinary, (60, 100)]) == (30, 300)
    # a merely high one stays
    assert baseline_counts([*ordinary, (14, 100)]) == (44, 400)
    assert baseline_counts([(0, 0)]) is None


def test_levels() -> None:
    dead = LevelRule(title="dead", signal="dead_letters", at_least=1)
    assert level_breach(Levels(dead_letters=2, waiting=0, agents_online=0), dead) == 2.0
    assert level_breach(Levels(dead_letters=0, waiting=0, agents_online=0), dead) is None
    deep = LevelRule(title="deep", signal="waiting_per_agent", at_least=8, min_waiting=20)
    assert level_breach(Levels(dead_letters=0, waiting=40, agents_online=4), deep) == 10.0
    assert level_breach(Levels(dead_letters=0, waiting=40, agents_online=5), deep) == 8.0
    assert level_breach(Levels(dead_letters=0, waiting=30, agents_online=6), deep) is None
    assert level_breach(Levels(dead_letters=0, waiting=15, agents_online=1), deep) is None
    # nobody on shift: a schedule, not an imbalance
    assert level_breach(Levels(dead_letters=0, waiting=90, agents_online=0), deep) is None


def test_cool_down_one_incident_one_alert() -> None:
    t0 = WEDNESDAY
    assert opens_incident(None, t0, 120)
    assert not opens_incident(t0, t0 + timedelta(minutes=5), 120)
    assert not opens_incident(t0, t0 + timedelta(minutes=119), 120)
    assert opens_incident(t0, t0 + timedelta(minutes=120), 120)


def test_a_replayed_incident_raises_once_until_it_has_been_clear_for_the_cool_down() -> None:
    """Checks every 5 minutes; the condition holds at these minutes. The store and the bench
    keep `last_seen` the same way: it follows every check at which the condition holds."""
    holds = [0, 5, 10, 15, 40, 60, 170, 175, 300]
    raised, last_seen = [], None
    for minute in holds:
        now = WEDNESDAY + timedelta(minutes=minute)
        if opens_incident(last_seen, now, 120):
            raised.append(minute)
        last_seen = now
    # 40 and 60 continue the first incident; 170 is 110 min after 60 (same incident);
    # 300 is 125 min after 175
    assert raised == [0, 300]


def test_baseline_spans_take_the_same_time_on_days_of_the_same_kind() -> None:
    baseline = Baseline(lookback_days=7, span_minutes=90)
    spans = baseline_spans(WEDNESDAY, window_minutes=30, baseline=baseline, since=None)
    # the window 09:30-10:00 has its middle at 09:45: 09:00-10:30 on Tue, Mon, Fri, Thu, Wed
    assert [s.start for s in spans] == [
        datetime(2026, month, day, 9, 0, tzinfo=UTC)
        for month, day in ((3, 3), (3, 2), (2, 27), (2, 26), (2, 25))
    ]
    assert all(s.end - s.start == timedelta(minutes=90) for s in spans)
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    weekend = baseline_spans(saturday, window_minutes=30, baseline=baseline, since=None)
    assert [s.start.date().isoformat() for s in weekend] == ["2026-03-01", "2026-02-28"]
    # days before the store's first ticket are no samples
    since = datetime(2026, 3, 1, tzinfo=UTC)
    assert len(baseline_spans(WEDNESDAY, window_minutes=30, baseline=baseline, since=since)) == 2


def test_baseline_spans_keep_the_wall_clock_time_across_a_change_of_summer_time() -> None:
    baseline = Baseline(lookback_days=3, span_minutes=60, timezone="Europe/Berlin")
    # Tuesday 31 March 2026, 10:00 in Berlin (UTC+2); summer time began on Sunday 29 March
    now = datetime(2026, 3, 31, 8, 0, tzinfo=UTC)
    spans = baseline_spans(now, window_minutes=60, baseline=baseline, since=None)
    # Monday at the same Berlin time (UTC+2); the weekend is skipped
    assert [s.start for s in spans] == [datetime(2026, 3, 30, 7, 0, tzinfo=UTC)]
    four = Baseline(lookback_days=4, span_minutes=60, timezone="Europe/Berlin")
    spans = baseline_spans(now, window_minutes=60, baseline=four, since=None)
    # Friday 27 March, still winter time (UTC+1): one hour later in UTC
    assert [s.start for s in spans] == [
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 27, 8, 0, tzinfo=UTC),
    ]


def test_the_spans_of_a_check_never_overlap() -> None:
    baseline = Baseline(lookback_days=28, span_minutes=720, recent_minutes=360)
    for minutes in (5, 30, 24 * 60):
        spans = sorted(
            check_spans(WEDNESDAY, window_minutes=minutes, baseline=baseline, since=None),
            key=lambda s: s.start,
        )
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_evaluate_finds_the_category_that_spikes_and_the_rate_that_rose() -> None:
    policy = AlertsPolicy(
        baseline=Baseline(span_minutes=90, recent_minutes=180),
        volume={"ticket_spike": VOLUME},
        rates={"escalation_rate": RATE.model_copy(update={"window_minutes": 30})},
        levels={"dead_letters": LevelRule(title="dead", signal="dead_letters", at_least=1)},
    )
    # each earlier day, 90 minutes: 15 billing and 3 outage among 60 tickets, 9 of 60 escalated
    day = Tally(tickets={"billing": 15, "outage": 3, "general": 42}, runs=60, escalated=9)
    recent = Tally(tickets={"billing": 30, "outage": 6, "general": 84}, runs=120, escalated=18)
    now = Tally(tickets={"billing": 5, "outage": 25, "general": 14}, runs=44, escalated=20)
    observed = {30: Observed(window=now, recent=recent, history=[day] * 5)}
    found = evaluate(
        policy, observed=observed, levels=Levels(dead_letters=1, waiting=0, agents_online=2)
    )
    assert [(f.rule, f.key) for f in found] == [
        ("ticket_spike", "outage"),
        ("escalation_rate", "all"),
        ("dead_letters", "all"),
    ]
    outage = found[0]
    # a third of each 90-minute sample: 1 outage ticket per 19 others (+ 10); now 19 others
    assert outage.expected == pytest.approx(1 / 29 * 29)
    assert outage.summary == "25 outage tickets in the last 30 min; 1.0 expected at this time"
    # billing: 5 now, below min_count; general: 14 against 14 / 16 x 40 = 35 expected
    assert found[1].summary == (
        "20 of 44 (45%) routing runs escalated in the last 30 min; 15.0% usual"
    )
    assert evaluate(policy, observed=observed, levels=None)[-1].rule == "escalation_rate"


REASSIGN = RateRule(
    title="re", signal="reassigned", min_count=6, min_total=15, min_ratio=2.0, significance=1e-4
)
QUALITY = CombinedRule(
    title="quality", rates=["escalation_rate", "reassignment_rate"], significance=1e-3
)


def test_two_rates_each_too_little_alone_alert_together() -> None:
    # earlier days: 15 of 100 runs escalated, 5 of 100 assignments reassignments
    day = Tally(runs=100, escalated=15, assignments=100, reassigned=5)
    now = Tally(runs=100, escalated=24, assignments=60, reassigned=10)
    history = [day] * 5
    escalated = rate_test(24, 100, [(15, 100)] * 5, RATE, min_samples=2)
    reassigned = rate_test(10, 60, [(5, 100)] * 5, REASSIGN, min_samples=2)
    assert escalated is not None and reassigned is not None
    # Each against 500 earlier ones: Fisher's exact test, as the rate rules run it.
    assert escalated == (0.15, pytest.approx(hypergeometric_tail(24, 100, 99, 600)))
    assert reassigned == (0.05, pytest.approx(hypergeometric_tail(10, 60, 35, 560)))
    # Neither rule alone: 24% is under 1.8 x 15%, and 10 of 60 is no 1-in-10,000 event.
    assert rate_spike(24, 100, [(15, 100)] * 5, RATE, min_samples=2) is None
    assert rate_spike(10, 60, [(5, 100)] * 5, REASSIGN, min_samples=2) is None
    together = fisher_combined([escalated[1], reassigned[1]])
    assert 1e-4 < together < 1e-3

    policy = AlertsPolicy(
        rates={"escalation_rate": RATE, "reassignment_rate": REASSIGN},
        combined={"routing_quality": QUALITY},
    )
    observed = {30: Observed(window=now, recent=Tally(), history=history)}
    [found] = evaluate(policy, observed=observed, levels=None)
    assert (found.rule, found.signal, found.window_minutes) == (
        "routing_quality",
        "escalated+reassigned",
        30,
    )
    assert found.p_value == pytest.approx(together)
    assert (found.hits, found.total) == (34, 160)
    assert found.summary == (
        f"together (p = {together:.1g}), in the last 30 min: 24 of 100 (24%) routing runs "
        "escalated, 15.0% usual; 10 of 60 (17%) assignments were reassignments, 5.0% usual"
    )


def test_a_combined_rule_needs_enough_rates_rising() -> None:
    up = RatePart("a", "escalated", hits=30, total=100, expected=0.15, p_value=1e-5)
    down = RatePart("b", "reassigned", hits=2, total=60, expected=0.05, p_value=0.8)
    assert combined_spike([up, down], QUALITY) is None  # one rising, two needed
    one = QUALITY.model_copy(update={"min_rising": 1})
    assert combined_spike([up, down], one) == pytest.approx(fisher_combined([1e-5, 0.8]))
    # A rate whose window holds too little is left out of the test, not counted as evidence.
    assert rate_test(3, 10, [(15, 100)] * 5, RATE, min_samples=2) is None  # 10 < min_total
