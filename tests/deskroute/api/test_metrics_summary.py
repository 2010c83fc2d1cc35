"""`GET /v1/metrics/summary` over real HTTP: the hand-made history's figures (as
`compute_metrics` gives them), and a 4xx naming the parameter for a bad one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from handmade_history import NOW, write_history

from deskroute.api.app import create_app
from deskroute.settings import Settings

UNTIL = NOW.isoformat()


@pytest.fixture(scope="module")
def metrics_app(tmp_path_factory: pytest.TempPathFactory, api_settings: Settings) -> FastAPI:
    """An app over a store of its own holding the hand-made history."""
    home: Path = tmp_path_factory.mktemp("metrics-home")
    app = create_app(api_settings.model_copy(update={"home": home}), route_in_background=False)
    write_history(app.state.ws.engine)
    return app


@pytest.fixture
def client(
    metrics_app: FastAPI, serve: Callable[[FastAPI], str], auth: dict[str, str]
) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=serve(metrics_app), headers=auth, timeout=30) as client:
        yield client


def test_the_summary_of_a_week_against_the_week_before(client: httpx.Client) -> None:
    answer = client.get(
        "/v1/metrics/summary",
        params={"until": UNTIL, "compare_previous": "true", "by": "category"},
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    now, before = body["current"]["total"], body["previous"]["total"]
    assert (now["tickets_in"], now["escalated"], now["review_accuracy"]) == (6, 2, 0.5)
    assert now["time_to_assignment"] == {"count": 4, "p50_s": 180.0, "p90_s": 1332.0}
    assert (before["tickets_in"], before["sla_met_share"]) == (2, 0.5)
    assert [g["key"] for g in body["current"]["groups"]] == [
        "billing",
        "technical_issue",
        "account_access",
    ]
    assert len(body["current"]["days"]) == 7 and body["by"] == "category"


def test_filters_and_a_shorter_period(client: httpx.Client) -> None:
    answer = client.get(
        "/v1/metrics/summary", params={"until": UNTIL, "since": "24h", "language": "fr"}
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["current"]["total"]["tickets_in"] == 1  # T6
    assert answer.json()["previous"] is None


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"since": "a fortnight"}, "since", "neither a span"),
        ({"since": "400d"}, "since", "at most 366 days"),
        ({"since": "2026-12-08", "until": UNTIL}, "since", "must be before until"),
        ({"until": "0001-01-02T00:00:00"}, "since", "outside the calendar"),
        ({"by": "colour"}, "by", "category"),
        ({"category": "biling"}, "category", "did you mean billing"),
        ({"shoe_size": "42"}, "shoe_size", "Extra inputs"),
    ],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: httpx.Client, params: dict[str, str], field: str, says: str
) -> None:
    answer = client.get("/v1/metrics/summary", params=params)

    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == field and says in error["message"]


def test_the_summary_needs_credentials(
    metrics_app: FastAPI, serve: Callable[[FastAPI], str]
) -> None:
    answer = httpx.get(f"{serve(metrics_app)}/v1/metrics/summary", timeout=30)

    assert answer.status_code == 401
