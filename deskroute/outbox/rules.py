"""Which destinations an event goes to: those subscribed to its kind (`events`), and those the
`notify` rules of `policies/notifications.yaml` send it to."""

from __future__ import annotations

from deskroute.outbox.facts import Facts
from deskroute.policies.notifications import Notifications, NotifyRule


def matches(rule: NotifyRule, kind: str, facts: Facts) -> bool:
    """Every condition the rule gives holds (a list: any of its values)."""
    when = rule.when
    return (
        kind in when.events
        and (when.categories is None or facts.category in when.categories)
        and (when.reasons is None or any(r in when.reasons for r in facts.reasons))
        and (when.tiers is None or facts.tier in when.tiers)
        and (when.sentiments is None or facts.sentiment in when.sentiments)
        and (when.priorities is None or facts.priority in when.priorities)
    )


def matching_rules(
    notifications: Notifications, kind: str, facts: Facts, *, destination: str
) -> list[NotifyRule]:
    """The rules that send this event to this destination (their names head a Slack message)."""
    return [
        rule
        for rule in notifications.notify
        if destination in rule.to and matches(rule, kind, facts)
    ]


def wanted_by(notifications: Notifications, kind: str, facts: Facts) -> list[str]:
    """Every destination that wants the event, each once, in the file's order."""
    wanted = {name for name, spec in notifications.destinations.items() if spec.subscribed(kind)}
    for rule in notifications.notify:
        if matches(rule, kind, facts):
            wanted.update(rule.to)
    return [name for name in notifications.destinations if name in wanted]


def needs_facts(notifications: Notifications, kind: str) -> bool:
    """Whether a rule for this kind has conditions beyond the kind (reading the facts costs a
    query or two when the payload lacks them)."""
    return any(kind in rule.when.events for rule in notifications.notify)
