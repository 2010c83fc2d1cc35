"""`/v1/escalations` over real HTTP: the queue with its filters, counts and pages; one
escalation with its context package, history and soft lock; every decision; and the errors,
in the API's error body.

Each test serves a store of its own (exact counts), with the workspace's clock in the test's
hand: the queue's ages and the soft lock's expiry are read from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from deskroute.api.app import create_app
from deskroute.review.learning import LearningItem, learning_order
from deskroute.review.service import local_model
from deskroute.runtime import UnavailableClassifier, Workspace
from deskroute.settings import Settings
from deskroute.store.tables import Correction, Refund, Ticket
from deskroute.store.tickets import view_of
from deskroute.store.types import utcnow

REFUND = {
    "subject": "Refund please",
    "body": "Please refund invoice INV-2026-0181 in full, we never used the service.",
    "customer_id": "C-1023",
}
ENTERPRISE_REFUND = {
    "subject": "Refund please",
    "body": "Please refund invoice INV-2026-0103 in full, we never used the service.",
    "customer_id": "C-1001",
}
VAGUE = {
    "body": "Hello, I have a question about something, can someone call me?",
    "customer_id": "C-1002",
}
ROUTED = {"body": "How do I export a dashboard to PDF?", "customer_id": "C-1002"}


class Clock:
    """The workspace's clock, moved on by the test."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Desk:
    http: httpx.Client
    ws: Workspace
    clock: Clock

    def submit(self, ticket: dict[str, str]) -> dict[str, Any]:
        """Submit a ticket and wait for its outcome."""
        answer = self.http.post("/v1/tickets?wait=20", json=ticket)
        assert answer.status_code == 200, answer.text
        outcome: dict[str, Any] = answer.json()["outcome"]
        return outcome

    def resolve(self, ticket_id: str, **decision: Any) -> httpx.Response:
        return self.http.post(f"/v1/escalations/{ticket_id}/resolve", json=decision)

    def queue(self, **filters: Any) -> dict[str, Any]:
        answer = self.http.get("/v1/escalations", params=filters)
        assert answer.status_code == 200, answer.text
        page: dict[str, Any] = answer.json()
        return page

    def refunds(self) -> list[Refund]:
        with Session(self.ws.engine) as session:
            return list(session.exec(select(Refund)).all())


@pytest.fixture
def desk(
    api_settings: Settings,
    tmp_path: Path,
    serve: Callable[[FastAPI], str],
    auth: dict[str, str],
) -> Iterator[Desk]:
    app = create_app(api_settings.model_copy(update={"home": tmp_path / "desk"}))
    ws: Workspace = app.state.ws
    clock = Clock()
    ws.deps = replace(ws.deps, clock=clock)
    with httpx.Client(base_url=serve(app), headers=auth, timeout=30) as http:
        yield Desk(http, ws, clock)
    ws.engine.dispose()


def view_of_ticket(ws: Workspace, ticket_id: str) -> str:
    with Session(ws.engine) as session:
        row = session.get(Ticket, ticket_id)
        assert row is not None
        return view_of(row).text


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["ticket_id"] for item in page["items"]]


def _error(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert set(error) == {"code", "message", "field"}
    return error


def test_the_queue_filters_counts_and_pages(desk: Desk) -> None:
    refund = desk.submit(REFUND)["ticket_id"]
    desk.clock.advance(minutes=90)
    vague = desk.submit(VAGUE)["ticket_id"]
    enterprise = desk.submit(ENTERPRISE_REFUND)["ticket_id"]
    routed = desk.submit(ROUTED)
    assert routed["state"] == "routed"

    everything = desk.queue()
    # Priority first (the enterprise customer's P2), then the oldest.
    assert _ids(everything) == [enterprise, refund, vague]
    assert everything["count"] == 3 and everything["next_url"] is None
    counts = {"by_reason": {"sensitive_action": 2, "low_confidence": 1}}
    counts["by_queue"] = {"finance-approvals": 2, "support-l2": 1}
    assert {key: everything[key] for key in counts} == counts
    first = everything["items"][1]
    assert first["waiting_minutes"] == 90 and first["subject"] == "Refund please"
    assert (first["queue"], first["category"], first["priority"]) == (
        "finance-approvals",
        "refunds_cancellations",
        "P3",
    )
    assert first["reasons"] == ["sensitive_action"] and first["customer_id"] == "C-1023"

    filtered = {
        "reason=low_confidence": ({"reason": "low_confidence"}, [vague]),
        "queue": ({"queue": "finance-approvals"}, [enterprise, refund]),
        "category": ({"category": "refunds_cancellations"}, [enterprise, refund]),
        "priority": ({"priority": "P2"}, [enterprise]),
        "age": ({"older_than_minutes": 60}, [refund]),
        "age and queue": ({"older_than_minutes": 60, "queue": "support-l2"}, []),
    }
    for name, (filters, expected) in filtered.items():
        page = desk.queue(**filters)
        assert _ids(page) == expected and page["count"] == len(expected), name
        # The counts are of the whole queue, whatever the filters.
        assert {key: page[key] for key in counts} == counts, name

    first_page = desk.queue(limit=2)
    assert _ids(first_page) == [enterprise, refund] and first_page["count"] == 3
    next_url = first_page["next_url"]
    assert next_url is not None and "offset=2" in next_url and "limit=2" in next_url
    second_page = desk.http.get(next_url)
    assert _ids(second_page.json()) == [vague] and second_page.json()["next_url"] is None
    assert desk.queue(state="resolved")["count"] == 0


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"queue": "nowhere"}, "queue"),
        ({"category": "refundz"}, "category"),
        ({"reason": "boredom"}, "reason"),
        ({"priority": "P9"}, "priority"),
        ({"older_than_minutes": -1}, "older_than_minutes"),
        ({"limit": 0}, "limit"),
        ({"order": "newest"}, "order"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(
    http: httpx.Client, filters: dict[str, Any], field: str
) -> None:
    """On the shared server: a refusal depends on no ticket."""
    error = _error(http.get("/v1/escalations", params=filters), 422)
    assert error["field"] == field


def test_show_gives_the_context_package_the_history_and_the_soft_lock(desk: Desk) -> None:
    paused = desk.submit(REFUND)
    ticket_id = paused["ticket_id"]
    shown = desk.http.get(f"/v1/escalations/{ticket_id}", params={"reviewer": "ana"})
    assert shown.status_code == 200, shown.text
    detail = shown.json()
    assert detail["body"] == REFUND["body"] and detail["channel"] == "api"
    assert detail["summary"]["opened_by"] == "ana"
    package = detail["outcome"]["escalation"]
    assert package["customer"]["customer_id"] == "C-1023"
    assert package["customer"]["tier"] == "business" and package["customer"]["plan"] == "Growth"
    assert package["candidates"][0]["category"] == "refunds_cancellations"
    assert package["specialist_path"] == ["refunds"]
    [proposal] = package["proposed_actions"]
    assert proposal["tool"] == "issue_refund" and proposal["status"] == "proposed"
    assert proposal["args"]["invoice_number"] == "INV-2026-0181"
    assert proposal["args"]["amount"] == 450.0
    assert "INV-2026-0181" in package["draft_reply"]
    assert [r["reason"] for r in package["reasons"]] == ["sensitive_action"]
    assert [h["state"] for h in detail["history"]] == ["awaiting_review"]

    # Another reviewer sees who has it open; the lock holds until it expires.
    by_bo = desk.http.get(f"/v1/escalations/{ticket_id}", params={"reviewer": "bo"}).json()
    assert by_bo["summary"]["opened_by"] == "ana"
    assert desk.queue()["items"][0]["opened_by"] == "ana"
    desk.clock.advance(seconds=desk.ws.settings.review_lock_seconds + 1)
    assert desk.queue()["items"][0]["opened_by"] is None
    by_bo = desk.http.get(f"/v1/escalations/{ticket_id}", params={"reviewer": "bo"}).json()
    assert by_bo["summary"]["opened_by"] == "bo"

    assert desk.resolve(ticket_id, action="approve", reviewer="bo").status_code == 200
    after = desk.http.get(f"/v1/escalations/{ticket_id}").json()
    summary = after["summary"]
    assert (summary["state"], summary["resolved_by"], summary["resolution"]) == (
        "resolved",
        "bo",
        "approve",
    )
    assert summary["opened_by"] is None
    assert [h["state"] for h in after["history"]] == ["awaiting_review", "resolved"]
    assert desk.queue()["count"] == 0 and desk.queue(state="resolved")["count"] == 1


def _approve(desk: Desk, paused: dict[str, Any], done: dict[str, Any]) -> None:
    [refund] = desk.refunds()
    assert (refund.invoice_number, refund.amount) == ("INV-2026-0181", 450.0)
    assert done["response"] == paused["escalation"]["draft_reply"]
    [executed] = [a for a in done["actions"] if a["tool"] == "issue_refund"]
    assert executed["status"] == "executed" and executed["result"]["refund_id"] == refund.id


def _edit(desk: Desk, paused: dict[str, Any], done: dict[str, Any]) -> None:
    [refund] = desk.refunds()
    assert refund.amount == 120.5
    [change] = done["review"]["decisions"][-1]["actions"]
    assert (change["args_before"]["amount"], change["args_after"]["amount"]) == (450.0, 120.5)
    assert done["response"] == "We refund 120.50 EUR."


def _reject(desk: Desk, paused: dict[str, Any], done: dict[str, Any]) -> None:
    assert desk.refunds() == []
    assert "the service was used all month" in done["response"]
    [refused] = [a for a in done["actions"] if a["tool"] == "issue_refund"]
    assert refused["status"] == "rejected" and refused["decided_by"] == "ana"


def _reassign(desk: Desk, paused: dict[str, Any], done: dict[str, Any]) -> None:
    assert (done["category"], done["specialist"]) == ("technical_issue", "technical")
    assert done["path"][-2:] == ["technical", "record"] and done["response"]
    with Session(desk.ws.engine) as session:
        [label] = session.exec(select(Correction)).all()
    assert (label.kind, label.category, label.reviewer) == ("corrected", "technical_issue", "ana")
    assert label.predicted == paused["category"]


def _reply(desk: Desk, paused: dict[str, Any], done: dict[str, Any]) -> None:
    assert desk.refunds() == [] and done["response"] == "We will call you tomorrow."


def _dismiss(desk: Desk, paused: dict[str, Any], done: dict[str, Any]) -> None:
    assert desk.refunds() == [] and done["response"] is None
    assert done["review"]["decisions"][-1]["reason"] == "spam"


DECISIONS: dict[str, tuple[dict[str, str], dict[str, Any], Callable[..., None]]] = {
    "approve": (REFUND, {}, _approve),
    "edit": (
        REFUND,
        {"args": {"amount": 120.5, "partial": True}, "reply": "We refund 120.50 EUR."},
        _edit,
    ),
    "reject": (REFUND, {"reason": "the service was used all month"}, _reject),
    "reassign": (VAGUE, {"category": "technical_issue"}, _reassign),
    "reply": (REFUND, {"reply": "We will call you tomorrow."}, _reply),
    "dismiss": (VAGUE, {"reason": "spam"}, _dismiss),
}


@pytest.mark.parametrize("action", DECISIONS)
def test_each_decision_resolves_the_ticket(desk: Desk, action: str) -> None:
    ticket, fields, check = DECISIONS[action]
    paused = desk.submit(ticket)
    assert paused["state"] == "awaiting_review"
    answer = desk.resolve(paused["ticket_id"], action=action, reviewer="ana", **fields)
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert done["state"] == "resolved" and done["ticket_id"] == paused["ticket_id"]
    last = done["review"]["decisions"][-1]
    assert (last["action"], last["reviewer"]) == (action, "ana")
    check(desk, paused, done)
    # The ticket's own outcome is the resolved one; the queue is empty.
    stored = desk.http.get(f"/v1/tickets/{paused['ticket_id']}").json()["outcome"]
    assert stored["state"] == "resolved" and stored["review"] == done["review"]
    assert desk.queue()["count"] == 0


def test_errors_name_the_problem_and_change_nothing(desk: Desk) -> None:
    paused = desk.submit(REFUND)["ticket_id"]
    routed = desk.submit(ROUTED)["ticket_id"]

    unknown = desk.resolve("tkt_nosuchticket", action="approve", reviewer="ana")
    assert _error(unknown, 404)["code"] == "not_found"
    assert _error(desk.http.get("/v1/escalations/tkt_nosuchticket"), 404)["code"] == "not_found"
    not_escalated = _error(desk.resolve(routed, action="approve", reviewer="ana"), 409)
    assert "not escalated" in not_escalated["message"]
    assert _error(desk.http.get(f"/v1/escalations/{routed}"), 409)["code"] == "conflict"

    refused = {
        "category": {"action": "reassign", "category": "refundz"},
        "args.amount": {"action": "edit", "args": {"amount": "a lot"}},
        "reason": {"action": "reject"},
        "x": {"action": "approve", "x": 1},
        "action": {"action": "escalate"},
    }
    for field, decision in refused.items():
        error = _error(desk.resolve(paused, reviewer="ana", **decision), 422)
        assert error["field"] == field, error
    assert _error(desk.resolve(paused, action="dismiss", reviewer="ana"), 422)["field"] == "reason"
    over = _error(desk.resolve(paused, action="edit", reviewer="ana", args={"amount": 9999}), 422)
    assert over["field"] == "args" and "exceeds invoice total" in over["message"]
    assert desk.refunds() == []

    desk.clock.now = desk.clock.now.replace(microsecond=0)
    assert desk.resolve(paused, action="approve", reviewer="ana").status_code == 200
    again = _error(desk.resolve(paused, action="reject", reviewer="bo", reason="no"), 409)
    assert "already resolved by ana" in again["message"]
    assert f"at {desk.clock.now:%Y-%m-%d %H:%M:%S} UTC" in again["message"]
    assert again["field"] is None
    assert len(desk.refunds()) == 1


def test_a_caller_without_a_key_sees_nothing(desk: Desk) -> None:
    ticket_id = desk.submit(REFUND)["ticket_id"]
    base = str(desk.http.base_url)
    answers = [
        httpx.get(f"{base}/v1/escalations"),
        httpx.get(f"{base}/v1/escalations/{ticket_id}"),
        httpx.post(
            f"{base}/v1/escalations/{ticket_id}/resolve",
            json={"action": "approve", "reviewer": "ana"},
        ),
        httpx.get(f"{base}/v1/escalations", headers={"Authorization": "Bearer wrong-key"}),
    ]
    for answer in answers:
        assert _error(answer, 401)["code"] == "unauthorized"
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        assert ticket_id not in answer.text
    assert desk.refunds() == [] and desk.queue()["count"] == 1


def test_the_learning_order_ranks_the_queue_and_pages_it(desk: Desk) -> None:
    ids = [desk.submit(ticket)["ticket_id"] for ticket in (REFUND, VAGUE, ENTERPRISE_REFUND)]
    page = desk.queue(order="learning")
    assert page["count"] == 3 and set(_ids(page)) == set(ids)
    texts = {ticket_id: view_of_ticket(desk.ws, ticket_id) for ticket_id in ids}
    expected = learning_order(
        [LearningItem(key, texts[key]) for key in ids], local_model(desk.ws)
    )  # the ranking of the pure function, oldest first in
    assert _ids(page) == [s.key for s in expected]
    for rank, item in enumerate(page["items"], start=1):
        learning = item["learning"]
        assert learning["rank"] == rank and learning["reason"].startswith("margin ")
    second = desk.queue(order="learning", limit=1, offset=1)
    assert _ids(second) == [expected[1].key] and second["items"][0]["learning"]["rank"] == 2
    assert "order=learning" in str(second["next_url"])
    assert all(item["learning"] is None for item in desk.queue()["items"])

    cascade = desk.ws.deps.cascade
    desk.ws.deps = replace(
        desk.ws.deps, cascade=replace(cascade, local=UnavailableClassifier("model file gone"))
    )
    error = _error(desk.http.get("/v1/escalations", params={"order": "learning"}), 409)
    assert "needs the local model" in error["message"] and "model file gone" in error["message"]


def test_a_routed_ticket_flagged_as_misrouted_becomes_a_correction(desk: Desk) -> None:
    routed = desk.submit(ROUTED)
    paused = desk.submit(REFUND)["ticket_id"]
    ticket_id, was = routed["ticket_id"], routed["category"]
    right = "technical_issue" if was != "technical_issue" else "general"

    def flag(ticket: str, **body: Any) -> httpx.Response:
        return desk.http.post(f"/v1/tickets/{ticket}/misroute", json=body)

    refusals = [
        (flag("tkt_nosuchticket", category=right, reviewer="ana"), 404, None),
        (flag(ticket_id, category="technicl_issue", reviewer="ana"), 422, "category"),
        (flag(ticket_id, category=was, reviewer="ana"), 422, "category"),
        (flag(ticket_id, category=right), 422, "reviewer"),
        (flag(ticket_id, category=right, reviewer="ana", colour="red"), 422, "colour"),
        (flag(paused, category=right, reviewer="ana"), 409, None),
    ]
    for answer, status, field in refusals:
        assert _error(answer, status)["field"] == field
    assert "waits for review" in refusals[-1][0].json()["error"]["message"]

    kept = flag(ticket_id, category=right, reviewer="ana", note="about a broken export")
    assert kept.status_code == 201, kept.text
    correction = kept.json()
    assert (correction["category"], correction["predicted"], correction["kind"]) == (
        right,
        was,
        "corrected",
    )
    ticket = desk.http.get(f"/v1/tickets/{ticket_id}").json()
    assert ticket["notes"][-1].endswith(f"{was} -> {right} (about a broken export)")
    again = _error(flag(ticket_id, category="sales", reviewer="bo"), 409)
    assert "already flagged as misrouted by ana" in again["message"]
    with Session(desk.ws.engine) as session:
        rows = session.exec(select(Correction)).all()
    assert [(r.ticket_id, r.category, r.round) for r in rows] == [(ticket_id, right, 0)]
