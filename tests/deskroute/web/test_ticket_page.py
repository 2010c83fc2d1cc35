"""The ticket page over real HTTP: what it shows of an escalation, the decisions posted from
its forms, and how refusals read (403 without the form's token, 422 next to the form, 409
naming who decided first). Its tests decide tickets, so the module has a store of its own."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from helpers import serving
from sqlmodel import Session, select

from deskroute.models.outcome import OutcomeRecord
from deskroute.review.reviewers import add_reviewer
from deskroute.review.service import open_escalation
from deskroute.runtime import Workspace
from deskroute.service import route_new, submit_ticket
from deskroute.store.tables import Refund

REFUND = {
    "channel": "email",
    "customer_id": "C-1023",
    "subject": "Refund please",
    "body": "Please refund invoice INV-2026-0181 in full, we never used the service.",
}
VAGUE = {
    "channel": "email",
    "customer_id": "C-1002",
    "subject": "",
    "body": "Hello, I have a question about something, can someone call me?",
}
CHARGED_TWICE = {
    "channel": "email",
    "customer_id": "C-1005",
    "subject": "Charged twice",
    "body": "We were charged twice this month for the same subscription. Please refund the "
    "duplicate payment.",
}
MARKUP = {
    "channel": "email",
    "customer_id": "C-1002",
    "subject": "Odd <img src=x onerror=alert(1)>",
    "body": "Hello, I have a question <script>alert('x')</script> can someone call me?",
}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def review_app(
    tmp_path_factory: pytest.TempPathFactory,
    new_review_app: Callable[[Path, list[dict[str, str]]], FastAPI],
) -> FastAPI:
    return new_review_app(tmp_path_factory.mktemp("ticket-page"), [])


@pytest.fixture(scope="module")
def review_url(review_app: FastAPI) -> Iterator[str]:
    with serving(review_app) as url:
        yield url


@pytest.fixture
def escalate(review_app: FastAPI) -> Callable[[dict[str, str]], OutcomeRecord]:
    """Routes a ticket into the module's store; the escalated outcome."""

    def route(ticket: dict[str, str]) -> OutcomeRecord:
        outcome = route_new(review_app.state.ws, ticket, dedupe=False)[1]
        assert outcome.state == "awaiting_review", outcome
        return outcome

    return route


def _token(page: httpx.Response) -> str:
    found = _TOKEN.search(page.text)
    assert found is not None, "the page has no form"
    return found.group(1)


def _decide(client: httpx.Client, ticket_id: str, **fields: str) -> httpx.Response:
    """Opens the ticket page and posts one of its forms, as a browser would."""
    page = client.get(f"/review/tickets/{ticket_id}")
    assert page.status_code == 200, page.text
    return client.post(
        f"/review/tickets/{ticket_id}/resolve", data={"csrf_token": _token(page), **fields}
    )


@contextmanager
def _signed_in_as(
    review_url: str, review_app: FastAPI, password: str, name: str | None = None
) -> Iterator[httpx.Client]:
    """Another reviewer's browser, signed in."""
    name = name or f"rv-{uuid.uuid4().hex[:8]}"
    add_reviewer(review_app.state.ws.engine, name=name, password=password)
    with httpx.Client(base_url=review_url, timeout=30, follow_redirects=False) as client:
        form = client.get("/review/login")
        data = {"name": name, "password": password, "csrf_token": _token(form)}
        assert client.post("/review/login", data=data).status_code == 303
        yield client


def _state(review_app: FastAPI, ticket_id: str) -> str:
    return open_escalation(review_app.state.ws, ticket_id).summary.state


def test_not_signed_in_sees_no_ticket_and_decides_nothing(
    browser: httpx.Client,
    review_app: FastAPI,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    ticket_id = escalate(VAGUE).ticket_id
    page = browser.get(f"/review/tickets/{ticket_id}")
    assert page.status_code == 303
    assert page.headers["location"] == f"/review/login?next=%2Freview%2Ftickets%2F{ticket_id}"
    assert "question about something" not in page.text
    post = browser.post(
        f"/review/tickets/{ticket_id}/resolve", data={"action": "dismiss", "reason": "spam"}
    )
    assert post.status_code == 303 and post.headers["location"].startswith("/review/login")
    assert _state(review_app, ticket_id) == "awaiting_review"


def test_a_decision_without_the_form_token_is_refused(
    signed_in: httpx.Client,
    review_app: FastAPI,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    ticket_id = escalate(VAGUE).ticket_id
    url = f"/review/tickets/{ticket_id}/resolve"
    for token in ({}, {"csrf_token": "x" * 43}):
        answer = signed_in.post(url, data={"action": "dismiss", "reason": "spam", **token})
        assert answer.status_code == 403
        assert "This form cannot be accepted" in answer.text
    assert _state(review_app, ticket_id) == "awaiting_review"


def test_the_page_shows_the_whole_context_package(
    signed_in: httpx.Client,
    review_app: FastAPI,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    outcome = escalate(REFUND)
    package = outcome.escalation
    assert package is not None and package.customer is not None
    page = signed_in.get(f"/review/tickets/{outcome.ticket_id}")
    assert page.status_code == 200
    text = page.text
    # The ticket, its customer, why it is here.
    assert "Refund please" in text and "we never used the service." in text
    customer = package.customer
    assert customer.name is not None and customer.customer_id is not None
    assert html.escape(customer.name) in text and customer.customer_id in text
    assert f'tier--{customer.tier}">{customer.tier}' in text
    assert f"<dt>Open tickets</dt><dd>{customer.open_tickets}</dd>" in text
    assert '<span class="reason">sensitive action</span>' in text
    # The classification with its runner-ups, and the route the run took.
    assert f"<dd>{outcome.confidence:.0%}</dd>" in text
    names = review_app.state.ws.policies.taxonomy.categories
    for candidate in package.candidates:
        assert html.escape(names[candidate.category].name) in text
    assert "<li>refunds</li>" in text and "<li>escalate</li>" in text
    # The proposal with its arguments and why it waits, and the draft reply.
    assert "Issue refund" in text and "Needs approval" in text
    assert "<dd>INV-2026-0181</dd>" in text and "<dd>450.00</dd>" in text
    assert "Why it needs approval:</strong> Issue refund is a sensitive action." in text
    assert package.draft_reply is not None and html.escape(package.draft_reply) in text
    # Every decision as a form that carries the session's token.
    forms = re.findall(r"<form method=\"post\" action=\"([^\"]+)\" id=\"form-([\w-]+)\"", text)
    assert [f for _, f in forms] == [
        "approve",
        "edit-0",
        "reject-0",
        "reassign",
        "reply",
        "dismiss",
    ]
    assert {url for url, _ in forms} == {f"/review/tickets/{outcome.ticket_id}/resolve"}
    assert text.count('name="csrf_token"') == len(forms) + 1  # and the sign-out form
    for category, info in names.items():
        assert f'<option value="{category}"' in text and html.escape(info.name) in text
    # The edit form's inputs follow the tool's typed arguments.
    assert 'name="args.amount" type="text" inputmode="decimal"' in text
    assert re.search(r'<select id="edit-0-args-partial" name="args.partial"', text)


def test_ticket_text_with_markup_shows_as_text(
    signed_in: httpx.Client, escalate: Callable[[dict[str, str]], OutcomeRecord]
) -> None:
    page = signed_in.get(f"/review/tickets/{escalate(MARKUP).ticket_id}").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Odd &lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page and "<img" not in page


def test_opening_takes_the_soft_lock_and_shows_who_else_has_it(
    signed_in: httpx.Client,
    review_app: FastAPI,
    review_url: str,
    password: str,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    ticket_id = escalate(VAGUE).ticket_id
    first = signed_in.get(f"/review/tickets/{ticket_id}")
    assert "Also open by" not in first.text
    holder = open_escalation(review_app.state.ws, ticket_id).summary.opened_by
    assert holder is not None
    with _signed_in_as(review_url, review_app, password) as other:
        second = other.get(f"/review/tickets/{ticket_id}").text
        assert re.search(rf"Also open by <strong>{holder}</strong> until \d\d:\d\d UTC", second)
        queue = other.get("/review").text
    row = queue[queue.index(ticket_id) :]
    assert f'<span class="lock-badge">{holder}</span>' in row[: row.index("</tr>")]


def test_a_bad_decision_shows_the_field_error_next_to_its_form(
    signed_in: httpx.Client,
    review_app: FastAPI,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    ticket_id = escalate(REFUND).ticket_id
    edit = {"action": "edit", "form": "edit-0", "index": "0", "tool": "issue_refund"}
    answer = _decide(signed_in, ticket_id, **edit, **{"args.amount": "a lot", "reply": "Hi"})
    assert answer.status_code == 422
    error = re.search(r'<p class="form-error" id="error-edit-0">\s*(.*?)\s*</p>', answer.text)
    assert error is not None
    assert error.group(1).startswith("<strong>Amount:</strong> Input should be a valid number")
    assert re.search(
        r'name="args.amount"[^>]*value="a lot"[^>]*aria-invalid="true" '
        r'aria-describedby="error-edit-0"',
        answer.text,
    )
    assert '<details class="disclosure" open>' in answer.text  # the form is shown open
    rejected = _decide(signed_in, ticket_id, action="reject", form="reject-0", index="0")
    assert rejected.status_code == 422
    assert "<strong>Reason:</strong> Reject needs reason." in rejected.text
    unknown = _decide(signed_in, ticket_id, action="reassign", form="reassign", category="nope")
    assert unknown.status_code == 422
    assert "<strong>Category:</strong> Unknown category &#39;nope&#39;" in unknown.text
    assert _state(review_app, ticket_id) == "awaiting_review"


def test_a_second_decision_gets_409_naming_who_decided_first(
    review_app: FastAPI,
    review_url: str,
    password: str,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    ticket_id = escalate(VAGUE).ticket_id
    with (
        _signed_in_as(review_url, review_app, password, "first-reviewer") as first,
        _signed_in_as(review_url, review_app, password) as second,
    ):
        late = second.get(f"/review/tickets/{ticket_id}")  # both have the page open
        done = _decide(first, ticket_id, action="dismiss", form="dismiss", reason="spam")
        assert done.status_code == 303
        answer = second.post(
            f"/review/tickets/{ticket_id}/resolve",
            data={"csrf_token": _token(late), "action": "reply", "reply": "We will call you."},
        )
    assert answer.status_code == 409
    assert "was already resolved by first-reviewer at" in answer.text
    assert "Resolved: dismissed" in answer.text and "/resolve" not in answer.text
    with _signed_in_as(review_url, review_app, password) as third:
        resolved = third.get("/review", params={"state": "resolved"}).text
    row = resolved[resolved.index(ticket_id) :]
    assert 'first-reviewer <span class="muted">(dismissed)</span>' in row[: row.index("</tr>")]


def test_a_ticket_that_is_not_in_review_gets_a_page_that_says_so(
    signed_in: httpx.Client, review_app: FastAPI
) -> None:
    for ticket_id in ("tkt_doesnotexist", "not a ticket!"):
        missing = signed_in.get(f"/review/tickets/{ticket_id}")
        assert missing.status_code == 404 and "No such escalated ticket" in missing.text
    waiting = submit_ticket(review_app.state.ws, {"body": "Nobody routed me yet."}).ticket
    page = signed_in.get(f"/review/tickets/{waiting.id}")
    assert page.status_code == 409 and "is not routed yet (status received)" in page.text


def test_a_routed_ticket_can_be_flagged_as_misrouted(
    signed_in: httpx.Client, review_app: FastAPI
) -> None:
    routed = route_new(review_app.state.ws, {"body": "How do I export a dashboard to PDF?"})[1]
    assert routed.state == "routed" and routed.category is not None
    ticket_id, was = routed.ticket_id, routed.category
    right = "technical_issue" if was != "technical_issue" else "general"
    found = signed_in.get("/review/find", params={"ticket": f" {ticket_id} "})
    assert found.status_code == 303 and found.headers["location"] == f"/review/tickets/{ticket_id}"
    page = signed_in.get(f"/review/tickets/{ticket_id}")
    assert page.status_code == 200 and "Routed without review" in page.text
    assert f'<option value="{was}"  disabled>' in page.text
    url = f"/review/tickets/{ticket_id}/misroute"

    same = signed_in.post(url, data={"csrf_token": _token(page), "category": was})
    assert same.status_code == 422
    assert f"<strong>Category:</strong> Ticket {ticket_id} was routed to {was}" in same.text
    assert 'aria-invalid="true" aria-describedby="error-misroute"' in same.text
    assert signed_in.post(url, data={"category": right}).status_code == 403  # no form token

    fields = {"csrf_token": _token(page), "category": right, "note": "a broken export"}
    kept = signed_in.post(url, data=fields)
    assert kept.status_code == 303
    assert kept.headers["location"] == f"/review/tickets/{ticket_id}?flagged=1"
    shown = signed_in.get(kept.headers["location"]).text
    assert "Your flag is kept as a correction." in shown and "Flagged as misrouted" in shown
    assert "(a broken export)" in shown and "/misroute" not in shown
    again = signed_in.post(url, data={**fields, "category": "sales"})
    assert again.status_code == 409 and "Your flag was not kept." in again.text
    corrections = signed_in.get("/review/corrections").text
    assert f'href="/review/tickets/{ticket_id}"' in corrections


def test_a_decision_leads_back_to_the_ticket_showing_its_resolution(
    signed_in: httpx.Client,
    review_app: FastAPI,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    ticket_id = escalate(VAGUE).ticket_id
    reply = "Hello,\r\nwe will call you tomorrow at 10:00.\r\n\r\nAna"
    answer = _decide(signed_in, ticket_id, action="reply", form="reply", reply=reply)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/review/tickets/{ticket_id}?decided=reply"
    page = signed_in.get(answer.headers["location"]).text
    assert "Your decision is recorded: answered by a person." in page
    assert "Resolved: answered by a person" in page
    assert '<div class="reply">Hello,\nwe will call you tomorrow at 10:00.\n\nAna</div>' in page
    assert "/resolve" not in page and "Decide" not in page  # no forms on a resolved ticket
    assert _state(review_app, ticket_id) == "resolved"


def test_edited_arguments_are_typed_and_the_refund_runs_once(
    signed_in: httpx.Client,
    review_app: FastAPI,
    escalate: Callable[[dict[str, str]], OutcomeRecord],
) -> None:
    ticket_id = escalate(CHARGED_TWICE).ticket_id
    fields = {"args.amount": "50.50", "args.partial": "true", "args.invoice_number": ""}
    answer = _decide(
        signed_in,
        ticket_id,
        action="edit",
        form="edit-0",
        index="0",
        tool="issue_refund",
        reply="Refunded in part.",
        **fields,
    )
    # An empty invoice number means "not set": the refund is then still open.
    assert answer.status_code == 422
    assert "<strong>Arguments:</strong> Issue refund is still open" in answer.text
    fields["args.invoice_number"] = "INV-2026-0118"
    answer = _decide(
        signed_in,
        ticket_id,
        action="edit",
        form="edit-0",
        index="0",
        tool="issue_refund",
        reply="Refunded in part.",
        **fields,
    )
    assert answer.status_code == 303, answer.text
    ws: Workspace = review_app.state.ws
    with Session(ws.engine) as session:
        [refund] = session.exec(select(Refund).where(Refund.ticket_id == ticket_id)).all()
    assert refund.amount == 50.5
    page = signed_in.get(answer.headers["location"]).text
    assert '<span class="status status--executed">Executed</span>' in page
    assert "<dd>50.50</dd>" in page and "<dd>yes</dd>" in page
    assert "Refunded in part." in page


def test_corrections_are_listed_newest_first(
    signed_in: httpx.Client, escalate: Callable[[dict[str, str]], OutcomeRecord]
) -> None:
    tickets = [escalate(VAGUE).ticket_id for _ in range(2)]
    for ticket_id, category in zip(tickets, ("technical_issue", "sales"), strict=True):
        answer = _decide(
            signed_in, ticket_id, action="reassign", form="reassign", category=category
        )
        assert answer.status_code == 303, answer.text
    page = signed_in.get("/review/corrections").text
    first, second = (page.index(f"/review/tickets/{t}") for t in reversed(tickets))
    assert first < second
    assert '<span class="kind kind--corrected">corrected</span>' in page
