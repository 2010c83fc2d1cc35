"""A server switches to a newly promoted model version while tickets keep coming: no ticket
is lost or routed twice, the tickets before the promotion name the old model in their outcome,
the tickets after it the new one, and a rollback switches back."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from registry_support import examples, write_csv

from deskroute.api.app import create_app
from deskroute.policies import Policies
from deskroute.registry.context import Registry
from deskroute.registry.promotion import promote, rollback
from deskroute.registry.training import TrainingSource, train_version
from deskroute.settings import Settings

KEY = "switch-key"
TEXTS = (
    "I was charged twice on my last invoice",
    "I cannot sign in since the password reset",
    "The csv export of the dashboard fails with an error",
)


def _post(client: httpx.Client, i: int) -> str:
    answer = client.post(
        "/v1/tickets",
        json={
            "body": f"{TEXTS[i % 3]} (case {i})",
            "customer_email": f"switch-{i}@example.com",
            "source": "switchtest",
            "external_id": f"s-{i}",
        },
    )
    assert answer.status_code in (200, 202), answer.text
    ticket_id: str = answer.json()["ticket_id"]
    return ticket_id


def _versions(db: Path, ids: list[str], seconds: float = 30) -> list[list[str]]:
    """Each ticket's outcomes' model versions, once every ticket has one."""
    deadline = time.monotonic() + seconds
    while True:
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT ticket_id, json_extract(record, '$.classifier.model_version') "
                "FROM outcomes JOIN tickets ON tickets.id = outcomes.ticket_id "
                "WHERE tickets.source = 'switchtest'"
            ).fetchall()
        found: dict[str, list[str]] = {}
        for ticket_id, version in rows:
            found.setdefault(ticket_id, []).append(version)
        if all(i in found for i in ids) or time.monotonic() > deadline:
            return [found.get(i, []) for i in ids]
        time.sleep(0.1)


def test_a_server_switches_to_a_promoted_version_between_tickets(
    tmp_path: Path, demo_model: Path, policies: Policies, serve: Callable[[FastAPI], str]
) -> None:
    """The app's routing worker runs the loop each `deskroute serve` router runs."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    (home / "models" / "demo.joblib").write_bytes(demo_model.read_bytes())
    settings = Settings(
        home=home,
        api_keys=SecretStr(KEY),
        routing_poll_seconds=0.05,
        model_poll_seconds=0.1,
    )
    app = create_app(settings)
    registry = Registry.using(settings, app.state.ws.engine, policies)
    source = TrainingSource(
        kind="file", name="team", path=str(write_csv(tmp_path / "team.csv", examples(policies)))
    )
    v1, v2 = (train_version(registry, source, with_corrections=False) for _ in range(2))
    base_url = serve(app)
    db = home / "deskroute.db"
    numbers = iter(range(1000))
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}) as client:

        def post(size: int) -> list[str]:
            return [_post(client, next(numbers)) for _ in range(size)]

        def routed(ids: list[str]) -> list[str]:
            """The model version that routed each ticket (exactly once)."""
            found = _versions(db, ids)
            assert all(len(versions) == 1 for versions in found), found
            return [versions[0] for versions in found]

        def batch(size: int) -> list[str]:
            return routed(post(size))

        def settle() -> None:
            time.sleep(0.3)  # longer than a router waits between looks at the registry

        [demo] = set(batch(4))
        assert demo.startswith("demo-")
        early = post(6)
        promote(registry, v1.version, by="lee")  # while the router works through these
        during = routed(early + post(6))
        assert set(during) <= {demo, v1.version}
        assert during == sorted(during, key=lambda v: v == v1.version)  # never back
        settle()
        assert batch(4) == [v1.version] * 4
        assert client.get("/readyz").json()["model_version"] == v1.version

        assert promote(registry, v2.version, by="kim").outcome == "promoted"
        settle()
        assert batch(3) == [v2.version] * 3
        assert rollback(registry, by="lee").version == v1.version
        settle()
        assert batch(3) == [v1.version] * 3
