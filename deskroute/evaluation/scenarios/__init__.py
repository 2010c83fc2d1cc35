"""Scenario tickets: realistic tickets with what a support lead expects of each (category,
queue, priority, escalation, the narrowest proposed actions, and a reply that answers what was
asked in the customer's language), routed through the service on the demo CRM and judged."""

from deskroute.evaluation.scenarios.cases import SCENARIOS, Scenario, load_scenarios
from deskroute.evaluation.scenarios.run import CaseResult, ScenarioReport, run_scenarios

__all__ = [
    "SCENARIOS",
    "CaseResult",
    "Scenario",
    "ScenarioReport",
    "load_scenarios",
    "run_scenarios",
]
