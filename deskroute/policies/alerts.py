"""The schema of `policies/alerts.yaml`: which routing figures are watched, how a window is
compared with its baseline, and how long an alert stays one incident.

Three kinds of rule, each in a section of its own so that an error names a plain key:
`volume` (tickets in a window, per category or in all), `rates` (a share of the window's
tickets or calls: escalated, reassigned, corrected by a reviewer, failed LLM calls) and
`levels` (a figure read now: dead outbox deliveries, tickets waiting per agent online)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from deskroute.policies.base import DayName, Strict, TimeZoneName

RuleName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
RateSignal = Literal["escalated", "reassigned", "corrected", "llm_failed"]
"""escalated: of routing runs; reassigned: of assignments to an agent; corrected: of reviews
(the reviewer changed the category); llm_failed: of LLM calls (unavailable or invalid)."""
LevelSignal = Literal["dead_letters", "waiting_per_agent"]
"""dead_letters: outbox deliveries given up on; waiting_per_agent: tickets waiting for an
agent, per agent online."""


class Baseline(Strict):
    """What a window is compared with: the same time of day on earlier days of the same kind
    (working day or weekend), each sample a wider span around that time, scaled to the window
    (less noise), summarised by its median and median absolute deviation (one bad day in the
    history does not move it)."""

    lookback_days: int = Field(default=28, ge=1, le=366)
    span_minutes: int = Field(default=90, ge=5, le=12 * 60)
    """At most 12 hours, so that a sample never reaches into the window it is compared with."""
    recent_minutes: int = Field(default=180, ge=0, le=360)
    """The hours just before the window, also compared (volume): a category busier all day
    than on earlier days is no spike. 0: off."""
    min_samples: int = Field(default=2, ge=1)
    """Fewer earlier days of the same kind than this: the rule waits (a new store learns)."""
    timezone: TimeZoneName = "UTC"
    """Where a day starts and a weekend is told from a working day."""
    weekend: list[DayName] = Field(default=["sat", "sun"])


class Rule(Strict):
    title: str = Field(min_length=1, max_length=120)
    """The heading of the alert's message."""
    window_minutes: int = Field(default=30, ge=5, le=24 * 60)
    cool_down_minutes: int = Field(default=120, ge=0)
    """An alert stays the same incident while its condition holds and until it has been clear
    this long: only then may the rule raise again."""


class SpikeTest(Rule):
    min_count: int = Field(ge=1)
    """A window with fewer (tickets, or hits of a rate) never alerts."""
    min_ratio: float = Field(default=2.0, ge=1.0)
    """The window must be at least this many times its baseline."""
    significance: float = Field(default=1e-4, gt=0, lt=0.5)
    """The chance of a count this high under the baseline must be below this."""


class VolumeRule(SpikeTest):
    per: Literal["category", "all"] = "category"
    categories: list[str] | None = None
    """Only these categories (per: category); default every one."""


class RateRule(SpikeTest):
    signal: RateSignal
    min_total: int = Field(default=10, ge=1)
    """A window with fewer runs, assignments, reviews or calls in all never alerts."""


class CombinedRule(Strict):
    """Rate rules' evidence taken together (Fisher's method): a bad model lifts escalations,
    reassignments and corrections at once, each at first too little to alert alone."""

    title: str = Field(min_length=1, max_length=120)
    rates: list[RuleName] = Field(min_length=2)
    """Rules of the `rates` section; each is judged over its own window and baseline."""
    min_rising: int = Field(default=2, ge=1)
    """At least this many of them must stand above their baselines."""
    significance: float = Field(default=1e-4, gt=0, lt=0.5)
    """The chance of evidence this strong, were every baseline true, must be below this."""
    cool_down_minutes: int = Field(default=120, ge=0)


class LevelRule(Rule):
    signal: LevelSignal
    at_least: float = Field(gt=0)
    min_waiting: int = Field(default=1, ge=1)
    """waiting_per_agent: at least this many tickets waiting (and an agent online) to alert."""


class AlertsPolicy(Strict):
    version: Literal[1] = 1
    check_every_minutes: float = Field(default=5, gt=0, le=60)
    """How often `deskroute serve` evaluates the rules."""
    baseline: Baseline = Baseline()
    volume: dict[RuleName, VolumeRule] = Field(default_factory=dict)
    rates: dict[RuleName, RateRule] = Field(default_factory=dict)
    levels: dict[RuleName, LevelRule] = Field(default_factory=dict)
    combined: dict[RuleName, CombinedRule] = Field(default_factory=dict)

    def rule(self, name: str) -> Rule | CombinedRule:
        """A rule of any kind by its name."""
        return (
            self.volume.get(name)
            or self.rates.get(name)
            or self.levels.get(name)
            or self.combined[name]
        )

    def problems(self, categories: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(key, message) for a rule name used twice, an unknown category or rate rule."""
        known = set(categories)
        seen: dict[str, str] = {}
        sections: dict[str, Iterable[str]] = {
            "volume": self.volume,
            "rates": self.rates,
            "levels": self.levels,
            "combined": self.combined,
        }
        for section, names in sections.items():
            for name in names:
                if name in seen:
                    yield f"{section}.{name}", f"the name is already used in {seen[name]}"
                seen[name] = section
        for name, combined in self.combined.items():
            for j, rate in enumerate(combined.rates):
                if rate not in self.rates:
                    yield f"combined.{name}.rates[{j}]", f"no rule {rate!r} in rates"
            if combined.min_rising > len(combined.rates):
                yield f"combined.{name}.min_rising", "more than the rates it combines"
        for name, rule in self.volume.items():
            if rule.categories is not None and rule.per == "all":
                yield f"volume.{name}.categories", "only with per: category"
            for j, category in enumerate(rule.categories or []):
                if category not in known:
                    yield f"volume.{name}.categories[{j}]", f"unknown category {category!r}"
