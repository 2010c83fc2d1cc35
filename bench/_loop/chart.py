"""Both orders' learning curves in one PNG: the served model's accuracy and its coverage at
the target precision against the labels people gave, with the whole-pool mark."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_chart(path: Path, result: dict[str, Any], *, title: str) -> None:
    """Write the chart; matplotlib is imported here, so the rest of the bench runs without it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (accuracy_ax, coverage_ax) = plt.subplots(1, 2, figsize=(12, 4.8))
    full = result["full_pool_accuracy"]
    accuracy_ax.axhline(full, color="0.3", linewidth=1, label=f"whole pool {full:.3f}")
    accuracy_ax.axhspan(full - 0.01, full, color="0.9", label="within 1 point")
    colors = {"learning": "tab:blue", "oldest": "tab:orange"}
    for order, run in result["orders"].items():
        rounds = run["rounds"]
        labels = [r["labels"] for r in rounds]
        color = colors.get(order)
        mark = run["labels_to_within_1pt"]
        name = f"{order} (within 1 pt at {mark} labels)" if mark else f"{order} (never within)"
        accuracy_ax.plot(labels, [r["accuracy"] for r in rounds], "o-", color=color, label=name)
        refused = [r for r in rounds if r["round"] > 0 and not r["promoted"]]
        accuracy_ax.plot(
            [r["labels"] for r in refused],
            [r["accuracy"] for r in refused],
            "x",
            color="tab:red",
            markersize=9,
        )
        coverage_ax.plot(labels, [r["coverage"] for r in rounds], "o-", color=color, label=order)
    cap = result["label_cap"]
    for ax in (accuracy_ax, coverage_ax):
        ax.axvline(cap, color="0.5", linestyle=":", linewidth=1)
        ax.set_xlabel("labels given by people (red x: candidate refused)")
    accuracy_ax.set_ylabel("served model's accuracy (evaluation part)")
    coverage_ax.set_ylabel(f"auto-routed at target precision {result['target_precision']}")
    accuracy_ax.legend(loc="lower right", fontsize=8)
    coverage_ax.legend(loc="lower right", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
