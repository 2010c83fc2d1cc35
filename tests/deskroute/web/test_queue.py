"""The queue page: what it lists and in which order, its counts, filters and pages, that
customers' text stays text, and its headers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from deskroute.models.review_query import ReviewQuery
from deskroute.review.service import list_escalations
from deskroute.web import queue as queue_page
from deskroute.web.pages import age


def test_queue_lists_every_escalation_by_priority_then_age(
    signed_in: httpx.Client, review_app: FastAPI
) -> None:
    expected = list_escalations(review_app.state.ws, ReviewQuery(limit=500))
    page = signed_in.get("/review")
    assert page.status_code == 200
    assert f"1–{expected.count} of {expected.count} tickets" in page.text
    links = re.findall(r'href="/review/tickets/([\w-]+)"', page.text)
    assert links == [item.ticket_id for item in expected.items]  # the service's order
    for item in expected.items:
        assert f"priority--{item.priority.lower()}" in page.text
        for reason in item.reasons:
            assert f'<li class="reason">{reason.replace("_", " ")}</li>' in page.text
    assert "finance-approvals" in page.text and "Refunds &amp; cancellations" in page.text


def test_counts_per_reason_and_queue_link_to_the_filtered_queue(
    signed_in: httpx.Client, review_app: FastAPI
) -> None:
    expected = list_escalations(review_app.state.ws, ReviewQuery(limit=500))
    page = signed_in.get("/review").text
    for reason, count in expected.by_reason.items():
        link = f'<a class="facet" href="/review?reason={reason}" >{reason.replace("_", " ")}'
        assert f'{link} <span class="facet__count">{count}</span>' in page
    for queue, count in expected.by_queue.items():
        assert f'href="/review?queue={queue}" >{queue} <span class="facet__count">{count}<' in page
    filtered = signed_in.get("/review", params={"reason": "low_confidence"}).text
    assert 'href="/review?reason=low_confidence" aria-current="true"' in filtered
    assert '<option value="low_confidence" selected>' in filtered
    shown = re.findall(r'href="/review/tickets/([\w-]+)"', filtered)
    low = [i.ticket_id for i in expected.items if "low_confidence" in i.reasons]
    assert shown == low and low


def test_filters_narrow_the_queue(signed_in: httpx.Client, review_app: FastAPI) -> None:
    ws = review_app.state.ws
    for params, query in (
        ({"queue": "finance-approvals"}, ReviewQuery(queue="finance-approvals")),
        ({"category": "account_access", "priority": ""}, ReviewQuery(category="account_access")),
        ({"priority": "P3", "reason": ""}, ReviewQuery(priority="P3")),
    ):
        page = signed_in.get("/review", params=params).text
        expected = [item.ticket_id for item in list_escalations(ws, query).items]
        assert re.findall(r'href="/review/tickets/([\w-]+)"', page) == expected and expected
    waiting = signed_in.get("/review", params={"waiting": "600"}).text
    assert "No ticket matches these filters." in waiting
    assert '<a class="button button--quiet" href="/review">Clear filters</a>' in waiting


def test_a_filter_the_queue_cannot_use_is_named(signed_in: httpx.Client) -> None:
    unknown = signed_in.get("/review", params={"queue": "finanse-approvals"})
    assert unknown.status_code == 422
    assert "Queue: Unknown queue &#39;finanse-approvals&#39; (did you mean" in unknown.text
    minutes = signed_in.get("/review", params={"waiting": "soon"})
    assert minutes.status_code == 422 and "Waiting: Input should be a valid integer" in minutes.text


def test_pages_of_the_queue_link_to_each_other(
    signed_in: httpx.Client, review_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_page, "PAGE_SIZE", 2)
    everything = list_escalations(review_app.state.ws, ReviewQuery(limit=500))
    first = signed_in.get("/review", params={"priority": "P3"}).text
    p3 = [item.ticket_id for item in everything.items if item.priority == "P3"]
    assert len(p3) > 2
    assert re.findall(r'href="/review/tickets/([\w-]+)"', first) == p3[:2]
    assert 'href="/review?priority=P3&amp;offset=2" rel="next"' in first and "prev" not in first
    second = signed_in.get("/review", params={"priority": "P3", "offset": "2"}).text
    assert re.findall(r'href="/review/tickets/([\w-]+)"', second) == p3[2:4]
    assert 'href="/review?priority=P3" rel="prev"' in second


def test_subjects_with_markup_show_as_text(signed_in: httpx.Client) -> None:
    page = signed_in.get("/review").text
    assert "Something &lt;b&gt;odd&lt;/b&gt;" in page
    assert "<b>odd" not in page


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


def test_the_learning_order_is_a_choice_that_says_why(
    signed_in: httpx.Client, review_app: FastAPI
) -> None:
    expected = list_escalations(review_app.state.ws, ReviewQuery(order="learning", limit=500))
    page = signed_in.get("/review", params={"order": "learning"})
    assert page.status_code == 200
    assert '<option value="learning" selected>Most to teach the model first</option>' in page.text
    assert "tickets, most to teach the model first" in page.text
    links = re.findall(r'href="/review/tickets/([\w-]+)"', page.text)
    assert links == [item.ticket_id for item in expected.items] and links
    for item in expected.items:
        assert item.learning is not None
        shown = item.learning.reason.replace("'", "&#39;")
        assert f'<span class="queue__why">Why first: {shown}</span>' in page.text
    # A facet keeps the order; an order the queue does not know is named.
    assert 'href="/review?order=learning&amp;reason=' in page.text
    wrong = signed_in.get("/review", params={"order": "newest"})
    assert wrong.status_code == 422 and "Order: Input should be" in wrong.text
