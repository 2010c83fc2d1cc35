"""The report's figures as lines every view shows the same way (terminal, HTML file,
dashboard): label, this period, the period before, the change, whether the change is good,
the audit's "before" where there is one, and which tickets are behind the figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from deskroute.analytics.baseline import Baseline
from deskroute.analytics.report import AgentLoad, Figures, MetricsReport

Kind = Literal["count", "share", "duration", "money", "number", "ratio"]
Better = Literal["up", "down", "neither"]
Tone = Literal["good", "bad", "flat"]


@dataclass(frozen=True)
class Line:
    """One figure of the report."""

    section: str
    label: str
    kind: Kind
    current: float | None
    previous: float | None = None
    better: Better = "neither"
    figure: str | None = None
    """The tickets behind it (a figure `deskroute.analytics.behind` lists), if any."""
    reason: str | None = None
    """For `figure == "escalated"`: only the tickets escalated for this reason."""
    baseline: float | None = None
    unit: str = ""
    """The currency, for money."""

    @property
    def shown(self) -> str:
        return show(self.kind, self.current, self.unit)

    @property
    def shown_previous(self) -> str:
        return show(self.kind, self.previous, self.unit)

    @property
    def shown_baseline(self) -> str:
        return show(self.kind, self.baseline, self.unit) if self.baseline is not None else ""

    @property
    def change(self) -> str:
        """How much it moved since the period before: points for shares, else the
        difference and its percentage."""
        if self.current is None or self.previous is None:
            return ""
        diff = self.current - self.previous
        if self.kind == "share":
            return f"{_sign(diff)}{abs(diff) * 100:.1f} pts"
        moved = f"{_sign(diff)}{show(self.kind, abs(diff), self.unit)}"
        if not self.previous:
            return moved
        relative = diff / abs(self.previous) * 100
        return f"{moved} ({_sign(relative)}{abs(relative):.0f}%)"

    @property
    def tone(self) -> Tone:
        if self.current is None or self.previous is None or self.better == "neither":
            return "flat"
        if abs(self.current - self.previous) <= 1e-9 * max(1.0, abs(self.previous)):
            return "flat"
        up = self.current > self.previous
        return "good" if up == (self.better == "up") else "bad"


def _sign(value: float) -> str:
    return "+" if value > 0 else "−" if value < 0 else "±"


def show(kind: Kind, value: float | None, unit: str = "") -> str:
    """A figure as a person reads it."""
    if value is None:
        return "–"
    match kind:
        case "count":
            return f"{round(value):,}"
        case "share":
            return f"{value * 100:.1f}%"
        case "duration":
            return duration(value)
        case "money":
            return f"{value:,.4f} {unit}".strip()
        case "ratio":
            return f"{value:.2f}"
        case _:
            return f"{value:,.1f}"


def duration(seconds: float) -> str:
    """`45 s`, `12 min`, `5.2 h`, `3.1 d`."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _reason_count(reason: str) -> Callable[[Figures], float | None]:
    return lambda f: f.escalation_reasons.get(reason, 0)


def lines(
    current: Figures,
    previous: Figures | None,
    *,
    currency: str,
    baseline: Baseline | None = None,
) -> list[Line]:
    """Every figure, in sections, with the period before and the baseline where given."""
    p = previous
    b = baseline

    def line(
        section: str,
        label: str,
        kind: Kind,
        get: Callable[[Figures], float | None],
        better: Better = "neither",
        *,
        figure: str | None = None,
        reason: str | None = None,
        baseline: float | None = None,
        unit: str = "",
    ) -> Line:
        before = get(p) if p is not None else None
        return Line(
            section, label, kind, get(current), before, better, figure, reason, baseline, unit
        )

    volume = "Volume"
    out = [
        line(
            volume,
            "Tickets in",
            "count",
            lambda f: f.tickets_in,
            figure="tickets_in",
            baseline=b.incidents if b else None,
        ),
        line(
            volume,
            "Routed without a person",
            "share",
            lambda f: _share(f.auto_routed, f.tickets_in),
            "up",
            figure="auto_routed",
        ),
        line(
            volume,
            "Escalated to a person",
            "share",
            lambda f: f.escalation_rate,
            "down",
            figure="escalated",
        ),
    ]
    reasons = sorted(
        set(current.escalation_reasons) | set(p.escalation_reasons if p else {}),
        key=lambda r: -current.escalation_reasons.get(r, 0),
    )
    out += [
        line(
            volume,
            f"… for {r.replace('_', ' ')}",
            "count",
            _reason_count(r),
            "down",
            figure="escalated",
            reason=r,
        )
        for r in reasons
    ]
    out.append(
        line(volume, "Duplicates linked", "count", lambda f: f.duplicates, figure="duplicates")
    )
    accuracy = "Routing accuracy"
    out += [
        line(
            accuracy,
            "Confirmed by reviewers",
            "share",
            lambda f: f.review_accuracy,
            "up",
            figure="confirmed",
        ),
        line(
            accuracy,
            "Corrected by reviewers",
            "count",
            lambda f: f.reviews_corrected,
            "down",
            figure="corrected",
        ),
        line(
            accuracy,
            "Flagged as misrouted",
            "share",
            lambda f: f.misroute_rate,
            "down",
            figure="misrouted",
        ),
    ]
    ownership = "Ownership"
    out += [
        line(
            ownership,
            "Reassigned at least once",
            "share",
            lambda f: f.reassignment_rate,
            "down",
            figure="reassigned",
            baseline=b.reassigned_share if b else None,
        ),
        line(
            ownership,
            "Time to assignment, p50",
            "duration",
            lambda f: f.time_to_assignment.p50_s,
            "down",
            baseline=b.time_to_assignment_p50_s if b else None,
        ),
        line(
            ownership,
            "Time to assignment, p90",
            "duration",
            lambda f: f.time_to_assignment.p90_s,
            "down",
            baseline=b.time_to_assignment_p90_s if b else None,
        ),
        line(
            ownership,
            "First response, p50",
            "duration",
            lambda f: f.time_to_first_response.p50_s,
            "down",
        ),
        line(
            ownership,
            "First response, p90",
            "duration",
            lambda f: f.time_to_first_response.p90_s,
            "down",
        ),
        line(
            ownership,
            "Resolution, p50",
            "duration",
            lambda f: f.time_to_resolution.p50_s,
            "down",
            baseline=b.time_to_resolution_p50_s if b else None,
        ),
        line(
            ownership,
            "Resolution, p90",
            "duration",
            lambda f: f.time_to_resolution.p90_s,
            "down",
            baseline=b.time_to_resolution_p90_s if b else None,
        ),
    ]
    sla = "SLA"
    out += [
        line(
            sla,
            "At risk",
            "share",
            lambda f: _share(f.sla_at_risk, f.sla_tickets),
            "down",
            figure="sla_at_risk",
        ),
        line(
            sla,
            "Breached",
            "share",
            lambda f: _share(f.sla_breached, f.sla_tickets),
            "down",
            figure="sla_breached",
        ),
        line(
            sla,
            "Made SLA (of those decided)",
            "share",
            lambda f: f.sla_met_share,
            "up",
            baseline=b.sla_met_share if b else None,
        ),
    ]
    llm = "LLM per 100 tickets"
    out += [
        line(llm, "Calls", "number", lambda f: f.llm_calls_per_100, "down"),
        line(llm, "Tokens", "count", lambda f: f.llm_tokens_per_100, "down"),
        line(llm, "Cost", "money", lambda f: f.llm_cost_per_100, "down", unit=currency),
    ]
    return out


def load_line(section: str, label: str, load: AgentLoad, before: AgentLoad | None) -> Line:
    """How evenly tickets spread over agents: min / max (1 is even)."""
    return Line(
        section,
        label,
        "ratio",
        load.min_max_ratio,
        before.min_max_ratio if before is not None else None,
        "up",
    )


def report_lines(report: MetricsReport, baseline: Baseline | None = None) -> list[Line]:
    """The overall figures of the report, with the agents' spread."""
    previous = report.previous
    return [
        *lines(
            report.current.total,
            previous.total if previous else None,
            currency=report.currency,
            baseline=baseline,
        ),
        load_line(
            "Agents",
            "Spread of the period's tickets (min/max)",
            report.current.tickets_per_agent,
            previous.tickets_per_agent if previous else None,
        ),
        load_line("Agents", "Spread of open tickets now (min/max)", report.open_per_agent, None),
    ]
