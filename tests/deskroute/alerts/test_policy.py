"""`policies/alerts.yaml`: mistakes name the file and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import copy_tree, edit_yaml

from deskroute.errors import ConfigError
from deskroute.policies import Policies, load_policies


def broken(tmp_path: Path, change: Any) -> ConfigError:
    directory = copy_tree("policies", tmp_path)
    edit_yaml(directory / "alerts.yaml", change)
    with pytest.raises(ConfigError) as caught:
        load_policies(directory)
    assert caught.value.file.endswith("alerts.yaml")
    return caught.value


def test_the_shipped_rules_load(policies: Policies) -> None:
    alerts = policies.alerts
    assert set(alerts.volume) == {"ticket_spike"}
    assert {r.signal for r in alerts.rates.values()} == {
        "escalated",
        "reassigned",
        "corrected",
        "llm_failed",
    }
    assert {r.signal for r in alerts.levels.values()} == {"dead_letters", "waiting_per_agent"}
    assert alerts.rule("llm_failures").cool_down_minutes == 60
    assert set(alerts.combined["routing_quality"].rates) <= set(alerts.rates)


def test_a_misspelt_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["volume"]["ticket_spike"].update(min_cuont=3))
    assert error.key == "volume.ticket_spike.min_cuont"
    assert "did you mean min_count" in error.message


def test_a_value_out_of_range_is_named(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["rates"]["escalation_rate"].update(significance=0.7))
    assert error.key == "rates.escalation_rate.significance"
    error = broken(tmp_path / "2", lambda d: d["baseline"].update(span_minutes=1000))
    assert error.key == "baseline.span_minutes"


def test_an_unknown_signal_is_refused(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["rates"]["escalation_rate"].update(signal="escalations"))
    assert error.key == "rates.escalation_rate.signal"
    assert "'escalations' is not known here" in error.message


def test_an_unknown_time_zone_or_day_is_refused(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["baseline"].update(timezone="Europe/Berlln"))
    assert error.key == "baseline.timezone"
    error = broken(tmp_path / "2", lambda d: d["baseline"].update(weekend=["sat", "sunday"]))
    assert error.key == "baseline.weekend[1]"


def test_an_unknown_category_is_refused(tmp_path: Path) -> None:
    error = broken(
        tmp_path, lambda d: d["volume"]["ticket_spike"].update(categories=["outage", "outages"])
    )
    assert error.key == "volume.ticket_spike.categories[1]"
    assert error.message == "unknown category 'outages'"


def test_categories_only_with_per_category(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        lambda d: d["volume"]["ticket_spike"].update(per="all", categories=["outage"]),
    )
    assert error.key == "volume.ticket_spike.categories"


def test_a_rule_name_used_twice_is_refused(tmp_path: Path) -> None:
    def twice(data: dict[str, Any]) -> None:
        data["levels"]["ticket_spike"] = data["levels"]["dead_letters"]

    error = broken(tmp_path, twice)
    assert error.key == "levels.ticket_spike"
    assert error.message == "the name is already used in volume"


def test_a_combined_rule_names_rate_rules_that_exist(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        lambda d: d["combined"]["routing_quality"].update(rates=["escalation_rate", "misroutes"]),
    )
    assert error.key == "combined.routing_quality.rates[1]"
    assert error.message == "no rule 'misroutes' in rates"
    error = broken(tmp_path / "2", lambda d: d["combined"]["routing_quality"].update(min_rising=4))
    assert error.key == "combined.routing_quality.min_rising"
