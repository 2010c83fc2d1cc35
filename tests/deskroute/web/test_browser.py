"""A real browser on the review page: Debian's Chromium, headless, with JavaScript off,
driven by Playwright against the app served by uvicorn on a loopback port.

Screenshots go to `$DESKROUTE_TEST_ARTIFACTS` (default `tests/artifacts/`, ignored by git).
No browser is ever downloaded: without /usr/bin/chromium the test is skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from deskroute.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("DESKROUTE_TEST_ARTIFACTS", PROJECT_ROOT / "tests" / "artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_sign_in_see_the_queue_and_sign_out(
    chromium: Browser, review_url: str, reviewer: str, password: str, artifacts: Path
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
    expect(page.locator("table.queue tbody tr")).to_have_count(5)
    # A ticket's markup is shown as the characters the customer typed.
    expect(page.get_by_text("<script>alert('x')</script>", exact=False)).to_be_visible()
    page.screenshot(path=artifacts / "review-queue.png", full_page=True)

    page.keyboard.press("Tab")  # the first stop is the skip link, visible once focused
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")  # then the home link
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
