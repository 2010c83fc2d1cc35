"""The tickets behind each figure are the ones it counts (hand-made history, both databases)."""

from __future__ import annotations

import pytest
from handmade_history import NOW
from sqlalchemy import Engine
from sqlmodel import Session

from deskroute.analytics.behind import FigureName, tickets_behind
from deskroute.analytics.query import MetricsQuery
from deskroute.errors import BadInputError


def _ids(
    engine: Engine,
    figure: FigureName,
    *,
    reason: str | None = None,
    previous: bool = False,
    query: dict[str, str] | None = None,
) -> list[str]:
    with Session(engine) as session:
        found = tickets_behind(
            session,
            MetricsQuery.model_validate(query or {}),
            figure,
            now=NOW,
            reason=reason,
            previous=previous,
        )
    assert found.total == len(found.items)
    return [item.ticket_id for item in found.items]


@pytest.mark.parametrize(
    ("figure", "reason", "tickets"),
    [
        ("tickets_in", None, ["T6", "T5", "T4", "T3", "T2", "T1"]),
        ("auto_routed", None, ["T6", "T5", "T2", "T1"]),
        ("escalated", None, ["T4", "T3"]),
        ("escalated", "human_requested", ["T3"]),
        ("escalated", "sensitive_action", ["T4"]),
        ("duplicates", None, ["T5"]),
        ("confirmed", None, ["T4"]),
        ("corrected", None, ["T3"]),
        ("misrouted", None, ["T6"]),
        ("reassigned", None, ["T2"]),
        ("sla_at_risk", None, ["T6", "T2"]),
        ("sla_breached", None, ["T6", "T3"]),
    ],
)
def test_each_figure_lists_the_tickets_it_counts(
    history: Engine, figure: FigureName, reason: str | None, tickets: list[str]
) -> None:
    assert _ids(history, figure, reason=reason) == tickets


def test_the_period_before_and_filters(history: Engine) -> None:
    assert _ids(history, "corrected", previous=True) == ["P2"]
    assert _ids(history, "tickets_in", query={"category": "billing"}) == ["T5", "T2", "T1"]
    assert _ids(history, "tickets_in", query={"tier": "none"}) == ["T3"]


def test_a_page_of_them(history: Engine) -> None:
    with Session(history) as session:
        page = tickets_behind(session, MetricsQuery(), "tickets_in", now=NOW, limit=2, offset=1)
    assert page.total == 6 and [t.ticket_id for t in page.items] == ["T5", "T4"]
    first = page.items[1]
    assert (first.subject, first.channel, first.tier, first.escalated) == (
        "subject of T4",
        "web",
        "business",
        True,
    )


def test_a_reason_goes_with_escalated_only(history: Engine) -> None:
    with Session(history) as session, pytest.raises(BadInputError, match="a reason goes"):
        tickets_behind(session, MetricsQuery(), "corrected", now=NOW, reason="low_confidence")
