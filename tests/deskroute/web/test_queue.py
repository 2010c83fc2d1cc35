"""The queue page: what it lists, that customers' text stays text, and its headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from deskroute.models.outcome_query import OutcomeQuery
from deskroute.service import find_outcomes
from deskroute.web.pages import age


def test_queue_lists_every_escalated_ticket(signed_in: httpx.Client, review_app: FastAPI) -> None:
    total, records = find_outcomes(review_app.state.ws, OutcomeQuery(escalated=True))
    page = signed_in.get("/review")
    assert page.status_code == 200
    assert f"{total} tickets" in page.text
    for record in records:
        assert f"<code>{record.ticket_id}</code>" in page.text
        assert f"priority--{record.priority.lower()}" in page.text
        for reason in record.escalation_reasons:
            assert f'<li class="reason">{reason.replace("_", " ")}</li>' in page.text
    assert "finance-approvals" in page.text and "refunds_cancellations" in page.text


def test_ticket_text_with_markup_shows_as_text(signed_in: httpx.Client) -> None:
    page = signed_in.get("/review").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Something &lt;b&gt;odd&lt;/b&gt;" in page
    assert "<script" not in page and "<b>odd" not in page


def test_pages_are_not_cached_framed_or_scripted_from_elsewhere(
    signed_in: httpx.Client, review_url: str
) -> None:
    for answer in (signed_in.get("/review"), httpx.get(f"{review_url}/review/login")):
        assert answer.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_stylesheet_is_served_without_signing_in(browser: httpx.Client) -> None:
    answer = browser.get("/review/static/review.css")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in answer.text


def test_review_pages_are_not_in_the_api_schema(browser: httpx.Client) -> None:
    paths = browser.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/review")]


def test_age_reads_at_a_glance() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    ages = [
        age(now - delta, now)
        for delta in (
            timedelta(seconds=20),
            timedelta(minutes=59),
            timedelta(hours=47),
            timedelta(days=3, hours=5),
        )
    ]
    assert ages == ["just now", "59 min", "47 h", "3 d"]
