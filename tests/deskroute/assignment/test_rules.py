"""The assignment rules, pure: eligibility, order, waiting reasons, relaxation, hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from deskroute.assignment import rules
from deskroute.assignment.hours import parse_hours, working
from deskroute.errors import BadInputError
from deskroute.policies import Policies

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # Wednesday


def agent(name: str, **fields: Any) -> rules.AgentLoad:
    values: dict[str, Any] = {
        "id": hash(name) % 10_000,
        "status": "online",
        "skills": frozenset({"finance"}),
        "languages": frozenset({"en"}),
        "tiers": frozenset({"standard", "business", "enterprise"}),
        "capacity": 2,
    }
    return rules.AgentLoad(name=name, **{**values, **fields})


NEED = rules.Need(category="billing", queue="finance", language="en", tier="business", vip=False)


def names(agents: list[rules.AgentLoad]) -> list[str]:
    return [a.name for a in agents]


def test_least_weighted_load_first_then_longest_idle(policies: Policies) -> None:
    team = [
        agent("busy", load=4, open_tickets=1),
        agent("recent", load=1, open_tickets=1, last_assigned_at=NOW - timedelta(minutes=1)),
        agent("idle", load=1, open_tickets=1, last_assigned_at=NOW - timedelta(hours=1)),
        agent("never", load=1, open_tickets=1),
    ]
    assert names(rules.rank(team, NEED, policies.assignment, NOW)) == [
        "never",
        "idle",
        "recent",
        "busy",
    ]


def test_round_robin_ignores_load(policies: Policies) -> None:
    policy = policies.assignment.model_copy(update={"strategy": "round_robin"})
    team = [
        agent("loaded", load=8, open_tickets=1, last_assigned_at=NOW - timedelta(hours=2)),
        agent("light", load=0, last_assigned_at=NOW - timedelta(minutes=5)),
    ]
    assert names(rules.rank(team, NEED, policy, NOW)) == ["loaded", "light"]


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"status": "offline"}, "offline"),
        ({"status": "away"}, "away"),
        ({"open_tickets": 2}, "at capacity"),
        ({"skills": frozenset({"sales"})}, "no skill"),
        ({"languages": frozenset({"de"})}, "no language"),
        ({"tiers": frozenset({"enterprise"})}, "tier not served"),
        ({"timezone": "Asia/Tokyo", "hours": parse_hours("mon-fri 09:00-17:00")}, "off hours"),
    ],
)
def test_never_eligible(policies: Policies, fields: dict[str, Any], why: str) -> None:
    assert rules.rank([agent("a", **fields)], NEED, policies.assignment, NOW) == [], why


def test_skill_is_the_category_the_queue_or_the_categorys_team_queue(policies: Policies) -> None:
    by_category = agent("c", skills=frozenset({"billing"}))
    review_follow_up = rules.Need(
        category="billing",
        queue="finance-review",
        language="en",
        tier=None,
        vip=False,
        team_queue="finance",
    )
    assert rules.rank([by_category], NEED, policies.assignment, NOW) == [by_category]
    assert names(rules.rank([agent("q")], review_follow_up, policies.assignment, NOW)) == ["q"]


def test_vip_may_exceed_capacity_by_one(policies: Policies) -> None:
    vip = rules.Need(
        category="billing", queue="finance", language="en", tier="enterprise", vip=True
    )
    full = agent("full", open_tickets=2)
    over = agent("over", open_tickets=3)
    assert names(rules.rank([full, over], vip, policies.assignment, NOW)) == ["full"]
    assert rules.rank([full], NEED, policies.assignment, NOW) == []
    strict = policies.assignment.model_copy(update={"vip_may_exceed_capacity_by": 0})
    assert rules.rank([full], vip, strict, NOW) == []


@pytest.mark.parametrize(
    ("team", "reason"),
    [
        ([agent("sales", skills=frozenset({"sales"}))], "no_skill_match"),
        ([agent("off", status="offline"), agent("away", status="away")], "no_agent_online"),
        ([agent("de", languages=frozenset({"de"}))], "no_language_match"),
        (
            [agent("full", open_tickets=2), agent("de", languages=frozenset({"de"}))],
            "all_at_capacity",
        ),
    ],
)
def test_waiting_reasons(policies: Policies, team: list[rules.AgentLoad], reason: str) -> None:
    choice = rules.choose(team, NEED, policies.assignment, NOW)
    assert choice.agent is None and choice.waiting == reason


def test_language_relaxed_only_after_the_configured_wait(policies: Policies) -> None:
    german = [agent("de", languages=frozenset({"de"}))]
    fresh = rules.Need(
        category="billing",
        queue="finance",
        language="fr",
        tier=None,
        vip=False,
        waiting_since=NOW - timedelta(minutes=9),
    )
    assert rules.choose(german, fresh, policies.assignment, NOW).waiting == "no_language_match"
    old = rules.Need(**{**fresh.__dict__, "waiting_since": NOW - timedelta(minutes=10)})
    choice = rules.choose(german, old, policies.assignment, NOW)
    assert choice.agent is not None and choice.agent.name == "de"
    assert choice.drop == {"language"}


def test_skill_never_relaxed_when_the_policy_says_so(policies: Policies) -> None:
    assert policies.assignment.relax_after_minutes.skill is None
    old = rules.Need(
        category="billing",
        queue="finance",
        language="en",
        tier=None,
        vip=False,
        waiting_since=NOW - timedelta(days=3),
    )
    choice = rules.choose([agent("s", skills=frozenset({"sales"}))], old, policies.assignment, NOW)
    assert choice.waiting == "no_skill_match" and choice.drop == frozenset()


def test_working_hours_with_time_zones_and_night_shifts() -> None:
    day = parse_hours("mon-fri 09:00-17:00")
    assert day == {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}
    assert working(day, "Europe/Berlin", NOW)  # 13:00 in Berlin
    assert not working(day, "America/New_York", NOW)  # 07:00 in New York
    night = parse_hours("tue 22:00-06:00")
    assert working(night, "UTC", NOW.replace(hour=3))  # Wednesday 03:00, Tuesday's shift
    assert not working(night, "UTC", NOW.replace(hour=23))  # Wednesday 23:00: no shift
    assert working({}, "UTC", NOW) and parse_hours("always") == {}
    assert parse_hours("fri-mon 10:00-12:00")["days"] == ["mon", "fri", "sat", "sun"]


@pytest.mark.parametrize(
    "text", ["mon-fri 9-17", "moon 09:00-10:00", "mon 25:00-26:00", "mon 09:00-09:00"]
)
def test_bad_hours_are_refused(text: str) -> None:
    with pytest.raises(BadInputError) as caught:
        parse_hours(text)
    assert caught.value.field == "hours"
