"""Alert detection replayed over 14 simulated days with three injected incidents: how soon each
incident is detected, and how many alerts are false.

The stream (bench/_alerts/sim.py states every distribution): tickets with the daily and weekly
curve of the real ServiceNow incident log (../shared/datasets/servicenow-incidents/), scaled to
`--per-day` tickets on a mean working day, busier and quieter than a Poisson process from day
to day and hour to hour; each ticket's routing run, LLM calls, assignment, reassignment and
review. `--history-days` days before the 14 scored ones only give the baselines what a store
in use would hold. Injected: an outage burst in one category, a bad model that makes
escalations, reassignments and corrections more frequent for a day, and an LLM outage.

The rules are policies/alerts.yaml's (`--policies` for another directory), checked every
`check_every_minutes` by the same code as `deskroute alerts check` (deskroute.alerts.detect);
the level rules (dead deliveries, queue depth) have nothing to read in this stream.

Targets: every incident detected within one window; at most one false alert per simulated week.

    uv run python bench/alerts.py [--seed 1] [--json] [--per-day 2000] [--days 14]
        [--history-days 7] [--policies DIR] [--chart PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench._alerts.profile import hourly_profile
from bench._alerts.replay import Replay, belongs, detection, replay
from bench._alerts.sim import START, Incident, place_incidents, simulate
from deskroute.errors import ConfigError
from deskroute.policies import load_policies
from deskroute.policies.alerts import AlertsPolicy

ROOT = Path(__file__).resolve().parents[1]
MAX_DELAY_WINDOWS = 1.0
MAX_FALSE_PER_WEEK = 1.0


def _incident_row(incident: Incident, result: Replay, policy: AlertsPolicy) -> dict[str, Any]:
    found = detection(incident, result)
    alerts = [a for a in result.raised if belongs(incident, a)]
    row: dict[str, Any] = {
        "kind": incident.kind,
        "start": incident.start.isoformat(),
        "end": incident.end.isoformat(),
        "category": incident.category,
        "detected": found is not None,
        "delay_minutes": None,
        "delay_windows": None,
        "detected_by": None,
        "alerts": [f"{a.finding.rule}:{a.finding.key}" for a in alerts],
    }
    if found is not None:
        at, finding = found
        delay = (at - incident.start) / timedelta(minutes=1)
        window = finding.window_minutes
        if window is None:
            raise ValueError(f"{finding.rule} watches no window: it cannot detect an incident")
        row |= {
            "delay_minutes": round(delay, 1),
            "delay_windows": round(delay / window, 2),
            "detected_by": f"{finding.rule}:{finding.key}",
            "summary": finding.summary,
        }
    return row


def run(args: argparse.Namespace) -> dict[str, Any]:
    policy = load_policies(args.policies).alerts
    rng = np.random.default_rng(args.seed)
    incidents = place_incidents(rng, days=args.days)
    events = simulate(
        rng,
        hourly_profile(args.per_day),
        incidents,
        history_days=args.history_days,
        days=args.days,
    )
    began = time.perf_counter()
    result = replay(
        policy,
        events,
        since=START - timedelta(days=args.history_days),
        start=START,
        end=START + timedelta(days=args.days),
    )
    seconds = time.perf_counter() - began
    rows = [_incident_row(incident, result, policy) for incident in incidents]
    false = [a for a in result.raised if not any(belongs(i, a) for i in incidents)]
    delays = [r["delay_windows"] for r in rows if r["delay_windows"] is not None]
    weeks = args.days / 7
    summary: dict[str, Any] = {
        "seed": args.seed,
        "days": args.days,
        "history_days": args.history_days,
        "per_day": args.per_day,
        "tickets": int(len(events.runs)),
        "checks": result.checks,
        "check_every_minutes": policy.check_every_minutes,
        "incidents": len(incidents),
        "detected": sum(r["detected"] for r in rows),
        "max_delay_windows": max(delays) if len(delays) == len(rows) else None,
        "false_alerts": len(false),
        "false_alerts_per_week": round(len(false) / weeks, 2),
        "alerts": len(result.raised),
        "replay_seconds": round(seconds, 2),
        "incident_details": rows,
        "false_alert_details": [
            {"at": a.at.isoformat(), "rule": a.finding.rule, "key": a.finding.key}
            | {"summary": a.finding.summary}
            for a in false
        ],
    }
    summary["met"] = (
        summary["detected"] == len(incidents)
        and summary["max_delay_windows"] is not None
        and summary["max_delay_windows"] <= MAX_DELAY_WINDOWS
        and summary["false_alerts_per_week"] <= MAX_FALSE_PER_WEEK
    )
    if args.chart is not None:
        from bench._alerts.chart import write_chart

        write_chart(args.chart, events=events, incidents=incidents, result=result, days=args.days)
    return summary


def _print(summary: dict[str, Any]) -> None:
    print(
        f"seed {summary['seed']}: {summary['tickets']} tickets over {summary['history_days']} "
        f"history + {summary['days']} scored days, {summary['checks']} checks "
        f"(every {summary['check_every_minutes']:g} min), replayed in "
        f"{summary['replay_seconds']} s"
    )
    for row in summary["incident_details"]:
        where = f" in {row['category']}" if row["category"] else ""
        if row["detected"]:
            found = (
                f"detected after {row['delay_minutes']:g} min ({row['delay_windows']:g} windows) "
                f"by {row['detected_by']}: {row['summary']}"
            )
        else:
            found = "NOT detected"
        print(f"  {row['kind']}{where} at {row['start'][:16]}: {found}")
        print(f"    alerts: {', '.join(row['alerts']) or 'none'}")
    print(
        f"  detected {summary['detected']} of {summary['incidents']}, max delay "
        f"{summary['max_delay_windows']} windows (target <= {MAX_DELAY_WINDOWS:g}); false alerts "
        f"{summary['false_alerts']} = {summary['false_alerts_per_week']} per week (target <= "
        f"{MAX_FALSE_PER_WEEK:g})"
    )
    for alert in summary["false_alert_details"]:
        print(f"    false: {alert['at'][:16]} {alert['rule']}:{alert['key']}: {alert['summary']}")
    print(f"  targets {'met' if summary['met'] else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="One JSON object on stdout.")
    parser.add_argument("--per-day", type=float, default=2000.0)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--history-days", type=int, default=7)
    parser.add_argument("--policies", type=Path, default=ROOT / "policies")
    parser.add_argument("--chart", type=Path, default=None, help="Write a PNG of the replay.")
    args = parser.parse_args()
    if args.days < 2 or args.history_days < 1 or args.per_day <= 0:
        parser.error("--days must be at least 2, --history-days at least 1, --per-day above 0")
    try:
        summary = run(args)
    except ConfigError as exc:
        sys.exit(f"error: {exc}")
    if args.json:
        print(json.dumps(summary))
    else:
        _print(summary)


if __name__ == "__main__":
    main()
