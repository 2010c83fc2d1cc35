"""Scenario score: realistic tickets (bench/data/scenarios.yaml) routed through the service on
fresh copies of the demo store, each judged as a support lead would (category, queue, priority,
escalation, proposed actions, a reply that answers in the customer's language).

    uv run python bench/scenarios.py [--json] [--data FILE]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from deskroute.errors import ConfigError
from deskroute.evaluation.scenarios import SCENARIOS, load_scenarios, run_scenarios
from deskroute.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=SCENARIOS, help="scenario file (YAML)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    try:
        cases = load_scenarios(args.data)
    except ConfigError as exc:
        parser.error(str(exc))
    report = run_scenarios(Settings(), cases)
    if args.json:
        print(report.model_dump_json())
    else:
        print(report.table())


if __name__ == "__main__":
    main()
