"""A real browser on the review page: Debian's Chromium, headless, with JavaScript off,
driven by Playwright against the app served by uvicorn on a loopback port: signing in and out,
and a reviewer's round over a store of its own (filter the queue, reassign a low-confidence
ticket, see the correction, approve a refund that then runs once).

Screenshots go to `$DESKROUTE_TEST_ARTIFACTS` (default `tests/artifacts/`, ignored by git).
No browser is ever downloaded: without /usr/bin/chromium the test is skipped.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from helpers import CHROMIUM, serving
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from deskroute.models.review_query import ReviewQuery
from deskroute.review.reviewers import add_reviewer
from deskroute.review.service import list_escalations, open_escalation
from deskroute.service import route_new
from deskroute.store.tables import Refund

VAGUE = {
    "channel": "email",
    "customer_id": "C-1002",
    "body": "Hello, I have a question about something, can someone call me?",
}
REFUND = {
    "channel": "email",
    "customer_id": "C-1023",
    "subject": "Refund please",
    "body": "Please refund invoice INV-2026-0181 in full, we never used the service.",
}
OTHERS = [
    {
        "channel": "chat",
        "customer_id": "C-1014",
        "subject": "Locked out",
        "body": "I lost my phone with the authenticator app",
    },
    {
        "channel": "email",
        "customer_id": "C-1003",
        "subject": "Delete our data",
        "body": "Please delete all personal data you hold about our company under GDPR.",
    },
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium (.ci/run installs it)"
)


def test_sign_in_see_the_queue_and_sign_out(
    chromium: Browser,
    review_app: FastAPI,
    review_url: str,
    reviewer: str,
    password: str,
    artifacts: Path,
) -> None:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 720}
    )
    page = context.new_page()

    page.goto(f"{review_url}/review")
    expect(page).to_have_url(f"{review_url}/review/login?next=%2Freview")
    page.get_by_label("Name").fill(reviewer)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong name or password.")
    page.screenshot(path=artifacts / "review-sign-in.png")

    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{review_url}/review")
    expect(page.get_by_role("heading", name="Escalated tickets")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {reviewer}")
    waiting = list_escalations(review_app.state.ws, ReviewQuery()).count
    expect(page.locator("table.queue tbody tr")).to_have_count(waiting)
    # A ticket's markup is shown as the characters the customer typed.
    expect(page.get_by_role("link", name="Something <b>odd</b>")).to_be_visible()

    page.keyboard.press("Tab")  # the first stop is the skip link, visible once focused
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")  # then the home link
    page.keyboard.press("Tab")  # then the page links
    expect(page.get_by_role("link", name="Queue")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Corrections")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Dashboard")).to_be_focused()
    page.keyboard.press("Tab")  # then the sign-out button, with a visible focus ring
    expect(page.get_by_role("button", name="Sign out")).to_be_focused()
    page.screenshot(
        path=artifacts / "review-focus.png", clip={"x": 0, "y": 0, "width": 1280, "height": 160}
    )

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{review_url}/review/login?signed_out=1")
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.goto(f"{review_url}/review")
    expect(page).to_have_url(re.compile(r"/review/login\?next="))
    context.close()


@dataclass(frozen=True)
class Seeded:
    app: FastAPI
    url: str
    vague: str
    refund: str


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory,
    new_review_app: Callable[[Path, list[dict[str, str]]], FastAPI],
) -> Iterator[Seeded]:
    """A store of its own, with a low-confidence ticket, a refund waiting for approval and two
    more escalations, routed through the service as intake would."""
    app = new_review_app(tmp_path_factory.mktemp("browser-round"), OTHERS)
    vague, refund = (route_new(app.state.ws, t)[1] for t in (VAGUE, REFUND))
    assert vague.escalation_reasons == ["low_confidence"]
    assert [a.tool for a in refund.actions if a.status == "proposed"] == ["issue_refund"]
    with serving(app) as url:
        yield Seeded(app, url, vague.ticket_id, refund.ticket_id)


def _sign_in(page: Page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/review")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{url}/review")


def test_a_reviewer_reassigns_a_ticket_then_approves_a_refund(
    chromium: Browser, seeded: Seeded, password: str, artifacts: Path
) -> None:
    ws, url = seeded.app.state.ws, seeded.url
    name = f"lead-{uuid.uuid4().hex[:6]}"
    add_reviewer(ws.engine, name=name, password=password)
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    _sign_in(page, url, name, password)

    # Filter the queue by reason, with its form.
    page.get_by_label("Reason").select_option("low_confidence")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/review\?reason=low_confidence&"))
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("low confidence")
    page.screenshot(path=artifacts / "review-queue.png", full_page=True)

    # Open the low-confidence ticket and reassign it.
    page.get_by_role("link", name="Hello, I have a question about something").click()
    expect(page).to_have_url(f"{url}/review/tickets/{seeded.vague}")
    expect(page.get_by_role("region", name="Why it needs a person")).to_contain_text(
        "low confidence"
    )
    page.screenshot(path=artifacts / "review-ticket.png", full_page=True)
    page.get_by_text("Reassign to another category").click()  # opens its form
    page.get_by_label("Category").select_option("technical_issue")
    page.get_by_role("button", name="Reassign").click()
    expect(page).to_have_url(f"{url}/review/tickets/{seeded.vague}?decided=reassign")
    expect(page.get_by_role("status")).to_have_text("Your decision is recorded: reassigned.")
    expect(page.get_by_role("heading", name="Resolved: reassigned")).to_be_visible()
    expect(page.get_by_role("list", name="Steps of the run").get_by_role("listitem")).to_have_text(
        [
            "classify",
            "dedupe",
            "enrich",
            "gate",
            "escalate",
            "record",
            "review",
            "technical",
            "record",
        ]
    )
    expect(page.locator("form")).to_have_count(1)  # only sign-out: no decision forms left
    done = open_escalation(ws, seeded.vague).outcome
    assert (done.state, done.category, done.specialist) == (
        "resolved",
        "technical_issue",
        "technical",
    )
    assert done.path[-2:] == ["technical", "record"]

    # The reassignment is a correction.
    page.get_by_role("link", name="Corrections").click()
    correction = page.locator("table tbody tr").filter(has_text=seeded.vague)
    expect(correction).to_contain_text("Technical issue")
    expect(correction).to_contain_text("corrected")
    expect(correction).to_contain_text(name)

    # Approve the refund: it runs once, and the page says so.
    page.get_by_role("link", name="Queue").click()
    page.get_by_role("link", name="Refund please").click()
    expect(page.get_by_role("heading", name="Refund please")).to_be_visible()
    page.get_by_role("button", name="Approve and send").click()
    expect(page).to_have_url(f"{url}/review/tickets/{seeded.refund}?decided=approve")
    with Session(ws.engine) as session:
        [refund] = session.exec(select(Refund)).all()
    assert (refund.ticket_id, refund.invoice_number, refund.amount) == (
        seeded.refund,
        "INV-2026-0181",
        450.0,
    )
    executed = page.locator("article.action--executed")
    expect(executed).to_contain_text("Executed")
    expect(executed).to_contain_text(f"Done, approved by {name}:")
    expect(executed).to_contain_text(f"refund id {refund.id}")
    assert list_escalations(ws, ReviewQuery()).count == len(OTHERS)
    context.close()
