"""A simulated working day: the same tickets, team and absences run under DeskRoute's
assignment (`best_match`, with several concurrent assigners) and under plain round-robin, on
the real store, assignment service, SLA sweep and outbox, with a controllable clock.

The day: 2,000 tickets with the arrival curve and priority mix of a real weekday of the
ServiceNow incident log (../shared/datasets/servicenow-incidents/; the median weekday,
2016-04-14), scaled, plus an outage burst of 150 tickets in 20 minutes at 14:00; 20 agents in
shifts with skills, languages and capacities, three going offline mid-day; handling times per
category. During the DeskRoute day the helpdesk's webhook (a real HTTP server on loopback)
answers 503 for ten simulated minutes. See bench/_workday/ for every stated distribution.

Targets: capacity violations 0; assignments to offline agents 0; first-response breach rate at
most half of round-robin's; the agents' load coefficient of variation <= 0.15; outbox events
lost 0.

    uv run python bench/workday.py [--tickets 2000] [--agents 20]
        [--assigners 4] [--seed 7] [--database-url URL] [--chart PATH] [--json] [--quick]

matplotlib comes with the development tools (`uv sync`); an install without them still prints
the figures and skips the chart with a message.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench._workday import desk
from bench._workday.chart import write_chart
from bench._workday.metrics import figures, outbox_lost
from bench._workday.receiver import Receiver
from bench._workday.servicenow import median_weekday, read_incidents
from bench._workday.sim import Day
from bench._workday.stream import SimTicket, day_stream
from bench._workday.world import team
from deskroute.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CHART = ROOT / "bench" / "results" / "workday.png"
DEFAULT_SLA = ROOT / "bench" / "data" / "workday_sla.yaml"
STRATEGIES = ("best_match", "round_robin")
LOAD_CV_TARGET = 0.15


def _run(
    strategy: str,
    tickets: list[SimTicket],
    args: argparse.Namespace,
    midnight: datetime,
) -> tuple[dict[str, Any], Day]:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="workday-")))
        url = desk.fresh_database(args.database_url, stack, name=strategy)
        receiver = stack.enter_context(Receiver()) if strategy == "best_match" else None
        clock = desk.SimClock(midnight)
        ws = desk.open_desk(
            folder, database_url=url, strategy=strategy, clock=clock, sla=args.sla_policy
        )
        outbox = desk.Outbox(receiver.url, args.seed) if receiver else None
        if outbox is not None:
            stack.callback(outbox.close)
        day = Day(
            ws=ws,
            tickets=tickets,
            team=team(args.agents),
            midnight=midnight,
            assigners=args.assigners,
            drain_hours=args.drain_hours,
            seed=args.seed,
            clock=clock,
            step_s=args.step_s,
            outbox=outbox,
            receiver_down=receiver.received.down if receiver else None,
            progress=None if args.json else lambda line: print(f"  {strategy} {line}", flush=True),
        )
        started = time.perf_counter()
        run = day.simulate()
        result = figures(ws, run, vip_allowance=desk.vip_allowance(ws))
        day.breaches = desk.breach_times(ws)
        result["wall_s"] = round(time.perf_counter() - started, 1)
        if receiver is not None:
            result |= outbox_lost(ws, set(receiver.received.keys))
            result["receiver_refused"] = receiver.received.refused
            result["redeliveries"] = sum(n - 1 for n in receiver.received.keys.values())
        ws.engine.dispose()
        return result, day


def _targets(best: dict[str, Any], plain: dict[str, Any]) -> dict[str, bool]:
    return {
        "capacity_violations": best["capacity_violations"] == 0,
        "offline_assignments": best["offline_assignments"] == 0,
        "breach_rate": best["breach_rate"] <= plain["breach_rate"] / 2,
        "load_cv": best["load_cv"] <= LOAD_CV_TARGET,
        "outbox_lost": best.get("outbox_lost", 1) == 0,
    }


ROWS = [
    ("capacity_violations", "0"),
    ("over_capacity_allowed", "(VIP, escalations)"),
    ("offline_assignments", "0"),
    ("assign_p50_s", ""),
    ("assign_p95_s", ""),
    ("never_assigned", ""),
    ("first_response_p50_s", ""),
    ("first_response_p95_s", ""),
    ("breaches", ""),
    ("breach_rate", "<= round-robin / 2"),
    ("load_ratio", ""),
    ("load_cv", f"<= {LOAD_CV_TARGET}"),
    ("occupancy_cv", ""),
    ("outbox_events", ""),
    ("receiver_refused", "(503 while down)"),
    ("outbox_lost", "0"),
    ("wall_s", ""),
]


DEFINITIONS = """\
capacity_violations: (step, agent) pairs over the capacity the policy allows (+ its VIP allowance
  while holding a VIP ticket, + SLA breaches escalated to a lead); over_capacity_allowed: within
offline_assignments: assignments (assignment_log) to an agent offline at that instant
assign_*: first assignment - arrival; first_response_*: first response - arrival
breach_rate: tickets whose first-response clock was stamped breached / tickets
load: each agent's busy share of their online time; load_ratio = max/min, load_cv = std/mean
occupancy: each agent's open tickets / capacity, averaged over their online steps (its cv)
outbox_lost: outbox events whose idempotency key the webhook never accepted"""


def _table(results: dict[str, dict[str, Any]], met: dict[str, bool]) -> str:
    best, plain = results["best_match"], results["round_robin"]
    lines = [f"{'':22} {'best_match':>12} {'round_robin':>12}  target"]
    for key, target in ROWS:
        verdict = ""
        if key in met:
            verdict = "  met" if met[key] else "  NOT met"
        lines.append(
            f"{key:22} {best.get(key, '-')!s:>12} {plain.get(key, '-')!s:>12}  {target}{verdict}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2000, help="Ordinary arrivals.")
    parser.add_argument("--burst", type=int, default=150, help="Outage tickets in 20 minutes.")
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--assigners", type=int, default=4, help="Concurrent assigner threads.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--step-s", type=float, default=30.0, help="Simulated seconds a step.")
    parser.add_argument("--drain-hours", type=float, default=12.0)
    parser.add_argument(
        "--database-url",
        help="A PostgreSQL URL (a schema per run); default a SQLite file in a temporary folder.",
    )
    parser.add_argument("--chart", type=Path, default=DEFAULT_CHART, help="Where the PNG goes.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--quick", action="store_true", help="A small, coarse day: a smoke test.")
    parser.add_argument(
        "--sla",
        type=Path,
        default=DEFAULT_SLA,
        help="The SLA policy the day is measured against ('shipped': policies/sla.yaml).",
    )
    args = parser.parse_args()
    try:
        args.sla_policy = None if str(args.sla) == "shipped" else desk.read_sla(args.sla)
    except ConfigError as exc:
        sys.exit(f"workday: {exc}")
    if args.quick:
        args.tickets, args.burst, args.step_s, args.drain_hours = 80, 10, 600.0, 2.0
    log = sys.stderr if args.json else sys.stdout
    day = median_weekday(read_incidents())
    midnight = datetime.combine(day.date, datetime.min.time(), tzinfo=UTC)
    print(
        f"day: {day.date:%A %Y-%m-%d}, {len(day.incidents)} incidents (median of "
        f"{day.weekdays} weekdays: {day.weekday_median:g}), scaled to {args.tickets} "
        f"+ {args.burst} outage tickets",
        file=log,
        flush=True,
    )
    results: dict[str, dict[str, Any]] = {}
    days: dict[str, Day] = {}
    for strategy in STRATEGIES:
        tickets = day_stream(
            day,
            tickets=args.tickets,
            burst=args.burst,
            high_priority=desk.high_priority(),
            seed=args.seed,
        )
        results[strategy], days[strategy] = _run(strategy, tickets, args, midnight)
    best, plain = results["best_match"], results["round_robin"]
    met = _targets(best, plain)
    chart = _chart(args.chart, days, results, day.date.isoformat())
    summary: dict[str, Any] = {
        "weekday": day.date.isoformat(),
        "tickets": best["tickets"],
        "agents": args.agents,
        "assigners": args.assigners,
        "capacity_violations": best["capacity_violations"],
        "offline_assignments": best["offline_assignments"],
        "breach_rate": best["breach_rate"],
        "breach_rate_round_robin": plain["breach_rate"],
        "assign_p50_s": best["assign_p50_s"],
        "assign_p95_s": best["assign_p95_s"],
        "load_ratio": best["load_ratio"],
        "load_cv": best["load_cv"],
        "outbox_lost": best.get("outbox_lost"),
        "targets_met": met,
        "chart": chart,
        "best_match": best,
        "round_robin": plain,
    }
    if args.json:
        print(json.dumps(summary))
        return
    print(_table(results, met))
    print(DEFINITIONS)
    print(f"chart: {chart}")


def _chart(path: Path, days: dict[str, Day], results: dict[str, Any], date: str) -> str | None:
    try:
        import matplotlib  # noqa: F401 - only to say clearly that it is missing
    except ImportError:
        print(
            "chart skipped: matplotlib is not installed (it comes with `uv sync`'s dev tools)",
            file=sys.stderr,
        )
        return None
    some = next(iter(days.values()))
    write_chart(
        path,
        strategies={name: (day.run.snapshots, day.breaches) for name, day in days.items()},
        arrivals=[t.arrival for t in some.tickets],
        title=f"A simulated day shaped like {date} ({len(some.tickets)} tickets, "
        f"{len(some.team)} agents)",
    )
    return str(path)


if __name__ == "__main__":
    main()
