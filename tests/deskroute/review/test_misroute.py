"""A misroute flag on a routed ticket: kept as a correction (on SQLite and PostgreSQL) with the
note among the ticket's notes, once; every ticket it does not fit is refused, saying why."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from deskroute.errors import BadInputError, ConflictError, NotFoundError
from deskroute.models.review import Decision, Misroute
from deskroute.review.corrections import list_corrections
from deskroute.review.misroute import flag_misrouted, routed_ticket
from deskroute.review.service import resolve
from deskroute.runtime import Workspace
from deskroute.service import route_new
from deskroute.store.tables import Ticket
from deskroute.store.tickets import notes_of

ROUTED = {"body": "How do I export a dashboard to PDF?", "customer_id": "C-1002"}
ESCALATED = {
    "body": "Please refund invoice INV-2026-0181 in full, we never used the service.",
    "customer_id": "C-1023",
}


def _route(ws: Workspace, ticket: dict[str, str], state: str) -> str:
    _, outcome = route_new(ws, ticket)
    assert outcome.state == state, outcome
    return outcome.ticket_id


def test_a_flag_is_kept_as_a_correction_once(any_store_workspace: Workspace) -> None:
    ws = any_store_workspace
    ticket_id = _route(ws, ROUTED, "routed")
    routed = routed_ticket(ws, ticket_id)
    assert routed.flag is None and routed.outcome.category == "general"

    flag = Misroute(category="technical_issue", reviewer="ana", note=" a product question ")
    kept = flag_misrouted(ws, ticket_id, flag)
    assert (kept.kind, kept.category, kept.predicted) == ("corrected", "technical_issue", "general")
    assert kept.text == ROUTED["body"] and kept.reviewer == "ana"
    assert list_corrections(ws) == [kept]
    assert routed_ticket(ws, ticket_id).flag == kept
    with Session(ws.engine) as session:
        row = session.get(Ticket, ticket_id)
        assert row is not None
        assert notes_of(row.meta) == [
            "Flagged as misrouted by ana: general -> technical_issue (a product question)"
        ]

    with pytest.raises(ConflictError, match="already flagged as misrouted by ana at .* UTC"):
        flag_misrouted(ws, ticket_id, Misroute(category="sales", reviewer="bo"))
    assert len(list_corrections(ws)) == 1


def test_a_flag_that_does_not_fit_is_refused_saying_why(workspace: Workspace) -> None:
    routed = _route(workspace, ROUTED, "routed")
    escalated = _route(workspace, ESCALATED, "awaiting_review")
    flag = Misroute(category="billing", reviewer="ana")

    with pytest.raises(NotFoundError, match="no ticket 'tkt_nosuch'"):
        flag_misrouted(workspace, "tkt_nosuch", flag)
    with pytest.raises(BadInputError, match="did you mean billing") as unknown:
        flag_misrouted(workspace, routed, Misroute(category="biling", reviewer="ana"))
    assert unknown.value.field == "category" and unknown.value.code == "unknown_category"
    with pytest.raises(BadInputError, match="was routed to general") as same:
        flag_misrouted(workspace, routed, Misroute(category="general", reviewer="ana"))
    assert same.value.field == "category"
    with pytest.raises(ConflictError, match="waits for review: reassign it there"):
        flag_misrouted(workspace, escalated, flag)

    resolve(workspace, escalated, Decision(action="reply", reviewer="bo", reply="We call you."))
    with pytest.raises(ConflictError, match=r"decided in review by bo \(reply\)"):
        flag_misrouted(workspace, escalated, flag)
    assert [c.kind for c in list_corrections(workspace)] == ["confirmed"]  # the reply's


def test_a_blank_category_or_reviewer_is_named() -> None:
    for fields, name in (
        ({"category": " ", "reviewer": "ana"}, "category"),
        ({"category": "billing", "reviewer": " "}, "reviewer"),
        ({"category": "billing", "reviewer": "ana", "colour": "red"}, "colour"),
    ):
        with pytest.raises(ValueError, match=name):
            Misroute.model_validate(fields)
