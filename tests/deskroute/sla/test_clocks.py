"""Due times from the policy, due times after a pause, and where a clock stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import copy_tree, edit_yaml

from deskroute.errors import ConfigError
from deskroute.policies import Policies, load_policies
from deskroute.sla.calendar import calendar_named
from deskroute.sla.clocks import moved, plan, raised, state_of

MONDAY_9 = datetime(2026, 3, 2, 8, tzinfo=UTC)  # 09:00 in Berlin


def test_enterprise_runs_round_the_clock(policies: Policies) -> None:
    start = datetime(2026, 3, 7, 22, tzinfo=UTC)  # a Saturday night
    planned = plan(policies.sla, tier="enterprise", priority="P1", start=start)
    assert planned.calendar == "24x7"
    assert planned.due.first_response_due == start + timedelta(minutes=30)
    assert planned.due.first_response_risk_at == start + timedelta(minutes=22, seconds=30)
    assert planned.due.resolution_due == start + timedelta(hours=4)


def test_business_tier_counts_office_hours(policies: Policies) -> None:
    friday_4pm = datetime(2026, 3, 6, 15, tzinfo=UTC)  # 16:00 in Berlin
    planned = plan(policies.sla, tier="business", priority="P3", start=friday_4pm)
    assert planned.calendar == "office-hours"
    # 4h: one on Friday, three on Monday from 09:00; at risk after 3h, on Monday at 11:00
    assert planned.due.first_response_due == datetime(2026, 3, 9, 11, tzinfo=UTC)
    assert planned.due.first_response_risk_at == datetime(2026, 3, 9, 10, tzinfo=UTC)


def test_an_unknown_sender_has_the_unknown_tier(policies: Policies) -> None:
    unknown = plan(policies.sla, tier=None, priority="P3", start=MONDAY_9)
    assert unknown.due.first_response_due == MONDAY_9 + timedelta(days=1, hours=8)  # 16h


def test_a_pause_moves_the_due_time_by_the_working_time_it_lasted(policies: Policies) -> None:
    office = calendar_named(policies.sla, "office-hours")
    due = datetime(2026, 3, 2, 14, tzinfo=UTC)  # Monday 15:00 Berlin
    stopped = datetime(2026, 3, 2, 10, tzinfo=UTC)  # four working hours left
    resumed = datetime(2026, 3, 3, 8, tzinfo=UTC)  # Tuesday 09:00
    assert moved(office, due, stopped=stopped, resumed=resumed) == datetime(
        2026, 3, 3, 12, tzinfo=UTC
    )
    # a due time already passed when the clock stopped stays where it was
    assert moved(office, stopped, stopped=due, resumed=resumed) == stopped


def test_priority_goes_up_a_step_and_stops_at_p1() -> None:
    assert [raised(p) for p in ("P4", "P3", "P2", "P1")] == ["P3", "P2", "P1", "P1"]


@dataclass
class Row:
    open: bool = True
    calendar: str = "24x7"
    first_response_risk_at: datetime | None = None
    first_response_due: datetime | None = MONDAY_9
    resolution_risk_at: datetime | None = None
    resolution_due: datetime | None = MONDAY_9 + timedelta(hours=8)
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    paused_since: datetime | None = None
    first_response_warned_at: datetime | None = None
    first_response_breached_at: datetime | None = None
    resolution_warned_at: datetime | None = None
    resolution_breached_at: datetime | None = None


def test_states() -> None:
    t = MONDAY_9
    assert state_of(Row()) == "running"
    assert state_of(Row(first_response_warned_at=t)) == "at_risk"
    # a warning about a clock since answered no longer puts the ticket at risk
    assert state_of(Row(first_response_warned_at=t, first_response_at=t)) == "running"
    assert state_of(Row(paused_since=t)) == "paused"
    assert state_of(Row(open=False, first_response_at=t, resolved_at=t)) == "met"
    late = t + timedelta(hours=9)
    assert state_of(Row(open=False, first_response_at=t, resolved_at=late)) == "breached"
    assert state_of(Row(resolution_breached_at=t, paused_since=t)) == "breached"


def _broken(tmp_path: Path, change) -> ConfigError:
    directory = copy_tree("policies", tmp_path)
    edit_yaml(directory / "sla.yaml", change)
    with pytest.raises(ConfigError) as caught:
        load_policies(directory)
    return caught.value


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            lambda d: d["tiers"]["business"]["targets"]["P1"].update(first_response="soon"),
            "tiers.business.targets.P1.first_response",
            "not a duration",
        ),
        (
            lambda d: d["tiers"]["business"]["targets"]["P1"].update(resolution="2d"),
            "tiers.business.targets.P1.resolution",
            "not days",
        ),
        (
            lambda d: d["calendars"]["office-hours"].update(end=1020),
            "calendars.office-hours.end",
            "in quotes",
        ),
        (
            lambda d: d["calendars"]["office-hours"].update(timezone="Europe/Nowhere"),
            "calendars.office-hours.timezone",
            "unknown time zone",
        ),
        (
            lambda d: d["tiers"]["standard"].update(calendar="office"),
            "tiers.standard.calendar",
            "unknown calendar 'office'",
        ),
        (lambda d: d["tiers"].pop("unknown"), "tiers", "'unknown'"),
        (lambda d: d["tiers"]["standard"]["targets"].pop("P4"), "tiers.standard.targets", "P4"),
        (lambda d: d.update(at_risk=1.5), "at_risk", "less than 1"),
    ],
)
def test_policy_errors_name_the_file_and_key(tmp_path: Path, change, key: str, words: str) -> None:
    error = _broken(tmp_path, change)
    assert error.file.endswith("sla.yaml")
    assert error.key == key
    assert words in error.message
