"""How figures read (values, changes, whether a change is good) and what the charts are made
of: SVG a strict Content-Security-Policy allows, named for screen readers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from deskroute.analytics.charts import Series, daily_bars, paired_bars
from deskroute.analytics.present import Line, duration, lines, show
from deskroute.analytics.report import Day, Durations, Figures


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(45, "45 s"), (600, "10 min"), (3 * 3600 + 360, "3.1 h"), (3 * 86400, "3.0 d")],
)
def test_durations_read_in_the_largest_sensible_unit(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown


def test_values_and_changes() -> None:
    assert show("count", 1234) == "1,234" and show("share", 0.1234) == "12.3%"
    assert show("money", 0.0123, "EUR") == "0.0123 EUR" and show("count", None) == "–"
    assert Line("s", "x", "share", 0.25, 0.2, "down").change == "+5.0 pts"
    assert Line("s", "x", "count", 90, 100, "down").change == "−10 (−10%)"
    assert Line("s", "x", "count", 5, 0).change == "+5"
    assert Line("s", "x", "duration", 600, 900, "down").change == "−5 min (−33%)"
    assert Line("s", "x", "count", 5, None).change == ""


@pytest.mark.parametrize(
    ("better", "now", "before", "tone"),
    [
        ("down", 0.1, 0.2, "good"),
        ("down", 0.3, 0.2, "bad"),
        ("up", 0.3, 0.2, "good"),
        ("neither", 0.3, 0.2, "flat"),
        ("up", 0.2, 0.2, "flat"),
        ("up", 0.2, None, "flat"),
    ],
)
def test_a_change_is_good_or_bad_by_which_way_is_better(
    better: str, now: float, before: float | None, tone: str
) -> None:
    assert Line("s", "x", "share", now, before, better).tone == tone  # type: ignore[arg-type]


def test_lines_carry_the_audit_baseline_where_it_measured_the_same() -> None:
    from deskroute.analytics.baseline import Baseline

    now = Figures(tickets_in=10, assigned=4, reassigned=1)
    now.time_to_assignment = Durations(count=4, p50_s=60.0, p90_s=120.0)
    before = Baseline(
        incidents=20769, reassigned_share=0.474, sla_met_share=0.606, time_to_assignment_p50_s=900
    )
    got = {line.label: line for line in lines(now, None, currency="USD", baseline=before)}

    assert got["Tickets in"].shown_baseline == "20,769"
    assert got["Reassigned at least once"].shown == "25.0%"
    assert got["Reassigned at least once"].shown_baseline == "47.4%"
    assert got["Made SLA (of those decided)"].shown_baseline == "60.6%"
    assert got["Time to assignment, p50"].shown_baseline == "15 min"
    assert got["Time to assignment, p90"].shown_baseline == ""
    assert got["Tickets in"].figure == "tickets_in"


def test_charts_are_svg_without_styles_or_scripts_and_say_what_they_show() -> None:
    days = [
        Day(start=datetime(2026, 12, d, tzinfo=UTC), tickets_in=d, escalated=1) for d in (1, 2, 3)
    ]
    bars = daily_bars(
        "c1",
        "Tickets <per> day",
        days,
        [Series("routed", lambda d: d.tickets_in - d.escalated, "#1d4ed8")],
        split=1,
    )
    pairs = paired_bars("c2", "By reason", [("low <confidence>", 3, 5), ("other", 1, None)])

    for svg in (str(bars), str(pairs)):
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert not re.search(r"\sstyle=|<script|<style|href=", svg)
    assert '<title id="c1-t">Tickets &lt;per&gt; day</title>' in bars
    assert "Tue 01 Dec: 0 routed; Wed 02 Dec: 1 routed; Thu 03 Dec: 2 routed" in bars
    assert "low &lt;confidence&gt;: 3 (before: 5)" in pairs
