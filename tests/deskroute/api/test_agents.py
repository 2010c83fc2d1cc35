"""`/v1/agents` on the real server: add, read, change, remove, and the errors."""

from __future__ import annotations

import uuid

import httpx


def test_agent_lifecycle(http: httpx.Client) -> None:
    name = f"api-{uuid.uuid4().hex[:8]}"
    body = {
        "name": name,
        "skills": ["sales"],
        "languages": ["en"],
        "capacity": 2,
        "hours": "mon-fri 09:00-17:00",
        "timezone": "America/New_York",
    }
    created = http.post("/v1/agents", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["hours"] == "mon-fri 09:00-17:00"
    assert http.post("/v1/agents", json=body).status_code == 409
    assert name in [a["name"] for a in http.get("/v1/agents").json()]
    changed = http.patch(f"/v1/agents/{name}", json={"status": "away", "capacity": 4})
    assert (changed.json()["status"], changed.json()["capacity"]) == ("away", 4)
    assert http.get(f"/v1/agents/{name}").json()["status"] == "away"
    assert http.delete(f"/v1/agents/{name}").status_code == 204
    assert http.get(f"/v1/agents/{name}").status_code == 404


def test_bad_agents_get_4xx_naming_the_field(http: httpx.Client, base_url: str) -> None:
    bad = http.post(
        "/v1/agents", json={"name": "x", "skills": ["nope"], "languages": ["en"], "capacity": 1}
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "skills"
    low = http.post(
        "/v1/agents", json={"name": "x", "skills": ["sales"], "languages": ["en"], "capacity": 0}
    )
    assert low.status_code == 422 and low.json()["error"]["field"] == "capacity"
    assert http.patch("/v1/agents/nobody", json={"status": "online"}).status_code == 404
    assert http.patch("/v1/agents/nobody", json={"status": "busy"}).status_code == 422
    assert httpx.get(f"{base_url}/v1/agents").status_code == 401


def test_null_fields_change_nothing(http: httpx.Client) -> None:
    name = f"api-{uuid.uuid4().hex[:8]}"
    body = {"name": name, "skills": ["sales"], "languages": ["en"], "capacity": 2}
    assert http.post("/v1/agents", json=body).status_code == 201
    same = http.patch(f"/v1/agents/{name}", json={"languages": None, "tiers": None})
    assert same.status_code == 200 and same.json()["languages"] == ["en"]
    http.delete(f"/v1/agents/{name}")
