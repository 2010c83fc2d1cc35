"""`GET /metrics` over real HTTP: behind the API keys, in Prometheus' text format."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families


def test_metrics_need_a_key(base_url: str) -> None:
    refused = httpx.get(f"{base_url}/metrics")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"]


def test_metrics_are_prometheus_text(http: httpx.Client) -> None:
    http.post("/v1/tickets?wait=20", json={"body": "Please resend invoice INV-2026-0102"})
    answer = http.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    runs = sum(s.value for s in families["deskroute_routing_runs"].samples)
    assert runs >= 1
    (info,) = families["deskroute_model_info"].samples
    assert info.labels["local"] and info.labels["llm"] == "none"
