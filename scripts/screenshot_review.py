"""Regenerate the README's picture of the review page: the demo's refund ticket, waiting for a
reviewer, as Chromium shows it at 1100x800.

    uv run python scripts/screenshot_review.py [--out docs/review-ticket.png]

It routes the demo tickets into a throwaway store, adds a reviewer, serves the app on a
loopback port, signs in with Debian's Chromium (headless, JavaScript off, never downloaded)
and captures the ticket page.
"""

from __future__ import annotations

import argparse
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import ViewportSize, sync_playwright
from pydantic import SecretStr

from deskroute.api.app import create_app
from deskroute.demo import run_demo
from deskroute.review.reviewers import add_reviewer
from deskroute.settings import PROJECT_ROOT, Settings

CHROMIUM = Path("/usr/bin/chromium")
SHOWS = "refund needs approval"
REVIEWER = "ana"
VIEWPORT: ViewportSize = {"width": 1100, "height": 800}


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn in a thread, on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)


def capture(out: Path, home: Path) -> None:
    ws, results = run_demo(Settings(home=home))
    ticket_id = next(outcome.ticket_id for demo, outcome in results if demo.shows == SHOWS)
    settings = ws.settings.model_copy(update={"api_keys": SecretStr(secrets.token_urlsafe(24))})
    app = create_app(settings, route_in_background=False)
    password = secrets.token_urlsafe(16)
    add_reviewer(app.state.ws.engine, name=REVIEWER, password=password)
    with serving(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        page = browser.new_context(java_script_enabled=False, viewport=VIEWPORT).new_page()
        page.goto(f"{url}/review/login?next=/review/tickets/{ticket_id}")
        page.get_by_label("Name").fill(REVIEWER)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{url}/review/tickets/{ticket_id}")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=out)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "review-ticket.png")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    with tempfile.TemporaryDirectory(prefix="deskroute-shot-") as home:
        capture(args.out, Path(home))
    print(f"{args.out}: {args.out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
