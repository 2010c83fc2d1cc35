"""The replay in one PNG: tickets per 30 minutes (all, and the outage's category), and the
hourly shares the rate rules watch, over the scored days, with the incidents shaded and each
alert marked where it was raised (red: belongs to an incident; black: false)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np

from bench._alerts.replay import Replay, belongs
from bench._alerts.sim import START, Events, Incident


def _per_bin(times: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts, _ = np.histogram(times, bins=edges)
    return counts


def write_chart(
    path: Path, *, events: Events, incidents: list[Incident], result: Replay, days: int
) -> None:
    """Write the chart; matplotlib is imported here, so the rest of the bench runs without it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    half_hours = np.arange(0, days * 86400 + 1, 1800)
    hours = np.arange(0, days * 86400 + 1, 3600)
    when = [START + timedelta(seconds=float(s)) for s in half_hours[:-1]]
    hourly = [START + timedelta(seconds=float(s)) for s in hours[:-1]]
    fig, (volume_ax, rate_ax) = plt.subplots(2, 1, figsize=(13, 7), sharex=True)
    volume_ax.plot(when, _per_bin(events.runs, half_hours), color="0.6", lw=0.8, label="all")
    outage = next((i for i in incidents if i.kind == "outage"), None)
    if outage is not None and outage.category is not None:
        volume_ax.plot(
            when,
            _per_bin(events.tickets[outage.category], half_hours),
            color="tab:blue",
            lw=0.9,
            label=outage.category,
        )
    volume_ax.set_ylabel("tickets per 30 min")
    volume_ax.legend(loc="upper right")
    for name, hits, total, color in (
        ("escalated", events.escalated, events.runs, "tab:orange"),
        ("reassigned", events.reassigned, events.assignments, "tab:green"),
        ("LLM calls failed", events.llm_failed, events.llm_calls, "tab:purple"),
    ):
        n = _per_bin(total, hours)
        share = np.divide(_per_bin(hits, hours), n, out=np.zeros(len(n)), where=n > 0)
        rate_ax.plot(hourly, share, color=color, lw=0.8, label=name)
    rate_ax.set_ylabel("share per hour")
    rate_ax.set_ylim(0, 1)
    rate_ax.legend(loc="upper right")
    for ax in (volume_ax, rate_ax):
        for incident in incidents:
            ax.axvspan(incident.start, incident.end, color="tab:red", alpha=0.12)
        for alert in result.raised:
            true = any(belongs(i, alert) for i in incidents)
            ax.axvline(alert.at, color="tab:red" if true else "black", lw=0.8, ls="--")
    volume_ax.set_title(
        f"{days} simulated days: incidents shaded, alerts dashed (red: an incident's, black: false)"
    )
    fig.autofmt_xdate()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
