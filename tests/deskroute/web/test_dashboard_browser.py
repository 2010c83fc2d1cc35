"""The dashboard in a real browser (Debian's Chromium, headless, JavaScript off) on the demo:
`deskroute demo`'s tickets with two weeks of history before them, and a burst of security
tickets in the last half hour that the alert check has caught. A lead reaches it from the
keyboard, reads last week against the week before and the alert, breaks it down by category
and follows a figure to the tickets behind it, and on to one of them.

Screenshots go to `$DESKROUTE_TEST_ARTIFACTS` (default `tests/artifacts/`, ignored by git).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alert_rows import routed
from fastapi import FastAPI
from helpers import CHROMIUM, serving
from playwright.sync_api import Browser, Page, expect
from pydantic import SecretStr

from deskroute.alerts.check import check_alerts
from deskroute.analytics.seed import seed_history
from deskroute.api.app import create_app
from deskroute.demo import run_demo
from deskroute.review.reviewers import add_reviewer
from deskroute.settings import Settings
from deskroute.store.db import transaction
from deskroute.store.types import utcnow

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_model: Path) -> Iterator[str]:
    """The demo store (`deskroute demo --history-days 14`), served with a reviewer `lead`."""
    base = Settings(
        home=tmp_path_factory.mktemp("dashboard-home"),
        model_path=demo_model,
        api_keys=SecretStr("dashboard-test-key-7d1e"),
    )
    ws, _ = run_demo(base)
    now = utcnow()
    seed_history(ws.engine, ws.policies, days=14, per_day=60, end=now - timedelta(minutes=30))
    with transaction(ws.engine) as session:
        for i in range(40):
            routed(
                session,
                at=now - timedelta(minutes=25) + i * timedelta(seconds=30),
                category="security",
            )
    raised = check_alerts(ws.engine, ws.policies.alerts, now=now).raised
    assert [(a.rule, a.key) for a in raised] == [("ticket_spike", "security")]
    add_reviewer(ws.engine, name="lead", password=PASSWORD)
    ws.engine.dispose()
    app: FastAPI = create_app(ws.settings, route_in_background=False)
    with serving(app) as url:
        yield url
    app.state.ws.engine.dispose()


def _sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/review")
    page.get_by_label("Name").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{url}/review")


def test_a_lead_reads_last_week_against_the_week_before(
    chromium: Browser, demo: str, artifacts: Path
) -> None:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    _sign_in(page, demo)

    # From the keyboard: skip link, home, Queue, Corrections, Dashboard.
    for _ in range(5):
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Dashboard")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{demo}/review/dashboard")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")

    cards = page.locator(".kpi")
    expect(cards).to_have_count(8)
    tickets_in = cards.filter(has_text="Tickets in")
    expect(tickets_in.locator(".kpi__value")).to_have_text(re.compile(r"^\d{3}"))
    expect(tickets_in.locator(".kpi__before")).to_have_text(re.compile(r"Before: \d{3}"))
    for name in ("Tickets in per day", "Review decisions per day", "Escalations by reason"):
        expect(page.get_by_role("img", name=name)).to_be_visible()
    alerts = page.get_by_role("region", name="Alerts")
    spike = alerts.get_by_role("listitem").filter(has_text="Ticket spike in one category")
    expect(spike).to_have_count(1)
    # The burst, and the demo's own security ticket if it came in the same half hour.
    expect(spike).to_contain_text(re.compile(r"4[01] security tickets in the last 30 min"))
    expect(spike).to_contain_text("Still holding")
    expect(spike.get_by_role("link", name=re.compile("^security"))).to_have_attribute(
        "href", "/review/dashboard?since=7d&category=security"
    )
    page.screenshot(path=artifacts / "dashboard.png", full_page=True)

    # By category, from the form.
    page.get_by_label("Break down by").select_option("category")
    page.get_by_role("button", name="Show").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/review/dashboard\?since=7d&by=category"))
    by_category = page.get_by_role("table", name="Figures by category")
    billing = by_category.get_by_role("row").filter(has=page.get_by_role("link", name="billing"))
    expect(billing).to_have_count(1)
    page.screenshot(path=artifacts / "dashboard-by-category.png", full_page=True)

    # The corrected tickets of the week, then one of them.
    corrected = page.get_by_role("row", name=re.compile("^Corrected by reviewers"))
    link = corrected.get_by_role("link", name=re.compile("the tickets behind corrected")).first
    count = int(re.sub(r"\D", "", link.inner_text().split(":")[0]))
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/review/dashboard/tickets\?since=7d&figure=corrected"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Escalations a reviewer moved to another category"
    )
    expect(page.get_by_role("status")).to_contain_text(f"of {count} ticket")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(min(count, 50))
    page.screenshot(path=artifacts / "dashboard-tickets.png", full_page=True)
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/review/tickets/tkt_"))
    expect(page.get_by_role("heading", name=re.compile("Resolved: reassigned"))).to_be_visible()
    context.close()


def test_a_bad_period_is_shown_on_the_page(chromium: Browser, demo: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, demo)

    page.goto(f"{demo}/review/dashboard?since=forever&category={uuid.uuid4().hex[:6]}")

    expect(page.get_by_role("alert")).to_contain_text("Since:")
    expect(page.locator(".kpi")).to_have_count(0)
    context.close()
