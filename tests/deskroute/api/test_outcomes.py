"""`deskroute outcomes list` and `GET /v1/outcomes` read through one query and one service
function: the same filters give the same records, and the same bad filters the same refusal."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from deskroute.api.app import create_app
from deskroute.runtime import Workspace
from deskroute.service import route_new
from deskroute.settings import Settings

TICKETS = (
    ("Please resend invoice INV-2026-0101", "C-1001"),
    ("I lost my phone with the authenticator app", "C-1014"),
    ("Please resend invoice INV-2026-0102", "C-1001"),
    ("How do I add a colleague as a viewer?", "C-1002"),
    ("refund the double charge", "C-1005"),
)


@pytest.fixture
def api(
    settings: Settings, serve: Callable[[FastAPI], str], auth: dict[str, str]
) -> Iterator[httpx.Client]:
    """The API on the same store as the CLI of this test (the test's DeskRoute home)."""
    key = auth["Authorization"].removeprefix("Bearer ")
    app = create_app(settings.model_copy(update={"api_keys": SecretStr(key)}))
    with httpx.Client(base_url=serve(app), headers=auth, timeout=30) as client:
        yield client


def _cli_ids(cli: Any, filters: dict[str, str | None]) -> list[str]:
    args = [
        f"--{name}" if value is None else f"--{name}={value}" for name, value in filters.items()
    ]
    done = cli("outcomes", "list", "--json", *args)
    assert done.returncode == 0, done.stderr
    return [json.loads(line)["ticket_id"] for line in done.stdout.splitlines()]


def _api_ids(api: httpx.Client, filters: dict[str, str | None]) -> list[str]:
    params = {
        ("escalated" if name in ("escalated", "routed") else name): (
            ("true" if name == "escalated" else "false") if value is None else value
        )
        for name, value in filters.items()
    }
    answer = api.get("/v1/outcomes", params=params)
    assert answer.status_code == 200, answer.text
    return [item["ticket_id"] for item in answer.json()["items"]]


def test_cli_and_api_give_the_same_records_for_the_same_filters(
    workspace: Workspace, cli: Any, api: httpx.Client
) -> None:
    outcomes = [route_new(workspace, {"body": b, "customer_id": c})[1] for b, c in TICKETS]
    middle = outcomes[2].created_at.isoformat()
    naive_middle = outcomes[2].created_at.replace(tzinfo=None).isoformat()
    billing = [o.ticket_id for o in reversed(outcomes) if o.category == "billing"]
    assert len(billing) == 2
    cases: list[dict[str, str | None]] = [
        {},
        {"category": "billing"},
        {"escalated": None},
        {"routed": None},
        {"queue": outcomes[0].queue},
        {"since": middle},
        {"until": naive_middle},  # a time without a zone is UTC, on both sides
        {"since": outcomes[1].created_at.isoformat(), "until": middle, "limit": "1"},
        {"limit": "2", "offset": "1"},
    ]
    for filters in cases:
        from_cli, from_api = _cli_ids(cli, filters), _api_ids(api, filters)
        assert from_cli == from_api and from_cli, filters
    assert _cli_ids(cli, {"category": "billing"}) == billing
    assert _cli_ids(cli, {"since": middle}) == [o.ticket_id for o in reversed(outcomes[2:])]
    assert _cli_ids(cli, {"until": naive_middle}) == [o.ticket_id for o in reversed(outcomes[:2])]


def test_bad_filters_are_refused_alike_naming_the_field(cli: Any, api: httpx.Client) -> None:
    window = {"since": "2026-02-01", "until": "2026-01-01"}
    answer = api.get("/v1/outcomes", params=window)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert (error["field"], error["code"]) == ("until", "before_since")
    assert "must not be before since" in error["message"]
    done = cli("outcomes", "list", "--since", window["since"], "--until", window["until"])
    assert done.returncode == 2
    assert "--until: must not be before since" in done.stderr and "Traceback" not in done.stderr
    for option, value in (("limit", "0"), ("limit", "1001"), ("offset", "-1")):
        answer = api.get("/v1/outcomes", params={option: value})
        assert (answer.status_code, answer.json()["error"]["field"]) == (422, option)
        done = cli("outcomes", "list", f"--{option}={value}")
        assert done.returncode == 2 and f"--{option}:" in done.stderr, done.stderr
    late = cli("outcomes", "list", "--since", "0001-01-01T00:00:00+05:00")
    assert late.returncode == 2 and "--since: out of range" in late.stderr
