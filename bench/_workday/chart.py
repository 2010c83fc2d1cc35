"""The day in one PNG: tickets without a first response (waiting in the pool, or assigned and
not started) and cumulative first-response breaches over the day, both strategies, with the
arrivals per 15 minutes as a faint background."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the chart needs only the snapshots' fields
    from bench._workday.desk import Snapshot

Series = tuple[list["Snapshot"], list[datetime]]
"""A strategy's snapshots and its first-response breach times."""


def write_chart(
    path: Path,
    *,
    strategies: dict[str, Series],
    arrivals: list[datetime],
    title: str,
) -> None:
    """Write the chart; matplotlib is imported here, so the rest of the bench runs without it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, (queue_ax, breach_ax) = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    background = queue_ax.twinx()
    start = min(arrivals).replace(hour=0, minute=0, second=0, microsecond=0)
    bins = [start + timedelta(minutes=15 * i) for i in range(4 * 24 + 1)]
    background.hist(arrivals, bins=bins, color="0.85", label="arrivals / 15 min")
    background.set_ylabel("arrivals per 15 min", color="0.5")
    queue_ax.set_zorder(background.get_zorder() + 1)
    queue_ax.patch.set_visible(False)
    colors = {"best_match": "tab:blue", "round_robin": "tab:orange"}
    for name, (snapshots, breaches) in strategies.items():
        times = [s.at for s in snapshots]
        color = colors.get(name, None)
        queue_ax.plot(times, [s.waiting + s.assigned for s in snapshots], color=color, label=name)
        queue_ax.plot(
            times, [s.waiting for s in snapshots], color=color, linestyle=":", linewidth=1
        )
        ordered = sorted(breaches)
        breach_ax.step(
            [start, *ordered, times[-1]],
            [0, *range(1, len(ordered) + 1), len(ordered)],
            where="post",
            color=color,
            label=f"{name}: {len(ordered)}",
        )
    queue_ax.set_ylabel("no first response yet\n(dotted: in the pool)")
    queue_ax.legend(loc="upper left")
    queue_ax.set_title(title)
    breach_ax.set_ylabel("first-response breaches\n(cumulative)")
    breach_ax.legend(loc="upper left")
    breach_ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
    breach_ax.set_xlabel("simulated time (UTC)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
