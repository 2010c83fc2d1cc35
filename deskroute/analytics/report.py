"""What `compute_metrics` returns: the figures of a period, overall, per group and per day,
as the CLI, the API and the dashboard present them (the JSON of `deskroute report --json`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, computed_field

from deskroute.analytics.query import Dimension


def ratio(part: float, whole: float) -> float | None:
    """part / whole, rounded; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


class Durations(BaseModel):
    """How long something took, over the tickets it has happened to (in seconds)."""

    count: int = 0
    """Tickets measured (the others have not got there yet)."""
    p50_s: float | None = None
    p90_s: float | None = None


class LlmUsage(BaseModel):
    """LLM calls and tokens of the runs that ended in the period (routing, and the runs
    reviews led to), and what they cost at `policies/llm_prices.yaml`'s prices."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None
    """None when no call was priced (`unpriced_models` names the models without a price)."""
    unpriced_models: list[str] = Field(default_factory=list)
    models: dict[str, int] = Field(default_factory=dict)
    """Calls per `provider:model`."""


class Figures(BaseModel):
    """Every figure of one period (and one group), over the tickets routed in it.

    A ticket counts in the period its routing ended in; whatever happened to it later
    (review, assignment, response, resolution) counts with it there."""

    tickets_in: int = 0
    auto_routed: int = 0
    """Routed to a team queue (or joined to an open ticket as its repeat) without a person."""
    escalated: int = 0
    escalation_reasons: dict[str, int] = Field(default_factory=dict)
    """Escalated tickets per reason; a ticket escalated for two reasons counts for both."""
    duplicates: int = 0
    """Tickets linked to an open ticket of the same sender as its repeat."""
    reviews_confirmed: int = 0
    """Review decisions on escalated tickets that kept the predicted category."""
    reviews_corrected: int = 0
    """Review decisions that moved the ticket to another category."""
    misroute_flags: int = 0
    """Corrections of tickets that had been routed without a person (flagged as misrouted)."""
    assigned: int = 0
    reassigned: int = 0
    """Assigned tickets that changed hands at least once (another agent took them over)."""
    time_to_assignment: Durations = Field(default_factory=Durations)
    """From routing to the first agent."""
    time_to_first_response: Durations = Field(default_factory=Durations)
    """From receipt to the first response (calendar time, pauses included)."""
    time_to_resolution: Durations = Field(default_factory=Durations)
    """From receipt to resolution (calendar time, pauses included)."""
    sla_tickets: int = 0
    """Tickets with SLA clocks (every routed or escalated ticket but duplicates)."""
    sla_at_risk: int = 0
    """Tickets warned at least once that a clock was running out."""
    sla_breached: int = 0
    sla_resolved: int = 0
    """Tickets resolved without a breach (of either clock)."""
    llm: LlmUsage = Field(default_factory=LlmUsage)
    model_versions: dict[str, int] = Field(default_factory=dict)
    """Tickets per classifier model version that decided (`none`: no model decided)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def escalation_rate(self) -> float | None:
        return ratio(self.escalated, self.tickets_in)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def review_accuracy(self) -> float | None:
        """Share of review decisions that confirmed the routing."""
        return ratio(self.reviews_confirmed, self.reviews_confirmed + self.reviews_corrected)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def misroute_rate(self) -> float | None:
        """Misroute flags per auto-routed ticket."""
        return ratio(self.misroute_flags, self.auto_routed)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reassignment_rate(self) -> float | None:
        return ratio(self.reassigned, self.assigned)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sla_met_share(self) -> float | None:
        """Of the tickets whose SLA is decided (resolved, or breached), those resolved in time."""
        return ratio(self.sla_resolved, self.sla_resolved + self.sla_breached)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def llm_calls_per_100(self) -> float | None:
        return _per_100(self.llm.calls, self.tickets_in)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def llm_tokens_per_100(self) -> float | None:
        return _per_100(self.llm.input_tokens + self.llm.output_tokens, self.tickets_in)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def llm_cost_per_100(self) -> float | None:
        return None if self.llm.cost is None else _per_100(self.llm.cost, self.tickets_in)


def _per_100(value: float, tickets: int) -> float | None:
    return round(100 * value / tickets, 4) if tickets else None


class Day(BaseModel):
    """24 hours of a period (from its start, or a multiple of 24 hours after), for the charts."""

    start: datetime
    tickets_in: int = 0
    escalated: int = 0
    reviews_corrected: int = 0
    reviews_confirmed: int = 0
    reassigned: int = 0
    sla_breached: int = 0


class Group(BaseModel):
    """The figures of the tickets with one value of the breakdown's dimension."""

    key: str
    """The value; `none` for tickets without one (e.g. an unknown sender's tier)."""
    figures: Figures


class AgentLoad(BaseModel):
    """Tickets per agent, and how evenly they spread."""

    agents: dict[str, int] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def min(self) -> int | None:
        return min(self.agents.values()) if self.agents else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def max(self) -> int | None:
        return max(self.agents.values()) if self.agents else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def min_max_ratio(self) -> float | None:
        """min / max: 1 is an even spread, 0 an agent with none while another has some."""
        return ratio(self.min or 0, self.max or 0) if self.agents else None


class PeriodFigures(BaseModel):
    """One period: its figures overall, per group of the breakdown, and per day."""

    start: datetime
    end: datetime
    total: Figures
    groups: list[Group] = Field(default_factory=list)
    """Empty without a breakdown; largest group first."""
    days: list[Day] = Field(default_factory=list)
    tickets_per_agent: AgentLoad = Field(default_factory=AgentLoad)
    """The period's tickets per agent who holds them (or held them when they were closed)."""


class MetricsReport(BaseModel):
    """The period asked for, the one before it when asked, and the agents' load now."""

    generated_at: datetime
    by: Dimension | None
    filters: dict[str, str]
    currency: str
    """The currency of LLM costs (`policies/llm_prices.yaml`)."""
    current: PeriodFigures
    previous: PeriodFigures | None = None
    open_per_agent: AgentLoad
    """Open tickets (assigned or started) per agent now: online agents, those with none too."""
