"""Dead letters after N attempts, shown by `outbox list` and re-driven by `outbox retry`;
claims that keep two dispatchers from sending one delivery at once."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from outbox_support import SECRET, T0, Clock, queue_events, set_retry, tune
from sqlmodel import Session, select
from webhook_receiver import Receiver

from deskroute.outbox.deliver import Dispatcher, deliver_due
from deskroute.runtime import Workspace
from deskroute.store import outbox as store
from deskroute.store.db import transaction
from deskroute.store.tables import OutboxDelivery


def test_dead_after_n_attempts_then_retried_from_the_cli(
    cli, clock: Clock, helpdesk: Receiver, policies_dir: Path
) -> None:
    tune(policies_dir, max_attempts=3, keep_trying_minutes=0)
    set_retry(clock.ws, max_attempts=3, keep_trying_minutes=0)  # as the CLI reads the file
    (key,) = queue_events(clock.ws, "ticket.escalated", 1)
    helpdesk.plan = ["500"] * 3
    clock.run(seconds=60, step=1)
    assert len(helpdesk.seen) == 3 and helpdesk.unique_keys() == set()
    env = {
        "DESKROUTE_POLICIES_DIR": str(policies_dir),
        "DESKROUTE_HELPDESK_WEBHOOK_URL": helpdesk.url,
        "DESKROUTE_HELPDESK_WEBHOOK_SECRET": SECRET,
    }
    listed = cli("outbox", "list", "--state", "dead", **env)
    assert listed.returncode == 0, listed.stderr
    assert "destination slack is off: DESKROUTE_SLACK_WEBHOOK_URL is not set" in listed.stdout
    assert "1 delivery" in listed.stdout and "HTTP 500" in listed.stdout
    (row,) = [r for r in listed.stdout.splitlines() if "ticket.escalated" in r]
    delivery_id = row.split("│")[1].strip()
    assert cli("outbox", "retry", "999", **env).returncode == 2
    assert cli("outbox", "retry", **env).returncode == 2
    done = cli("outbox", "retry", delivery_id, **env)
    assert done.returncode == 0 and f"re-driven 1 delivery: {delivery_id}" in done.stdout
    assert cli("outbox", "retry", delivery_id, **env).returncode == 2  # pending now, not dead
    with Session(clock.ws.engine) as session:
        (delivery,) = session.exec(select(OutboxDelivery)).all()
    assert (delivery.state, delivery.attempts) == ("pending", 0)
    clock.tick(1)
    assert helpdesk.unique_keys() == {key}
    assert cli("outbox", "retry", "--all-dead", **env).stdout.strip() == "re-driven 0 deliveries"


def test_a_claimed_delivery_is_sent_by_one_dispatcher_only(any_store_workspace: Workspace) -> None:
    ws = any_store_workspace
    queue_events(ws, "ticket.routed", 1)
    with transaction(ws.engine) as session:
        (event,) = store.unfanned_events(session, limit=10)
        assert event.id is not None
        assert store.fan_out(session, event_id=event.id, destinations=["helpdesk"], at=T0)
        assert not store.fan_out(session, event_id=event.id, destinations=["helpdesk"], at=T0)
    with Session(ws.engine) as session:
        ((delivery, _),) = store.due_deliveries(session, now=T0, limit=10)
    assert delivery.id is not None
    lease = T0 + timedelta(seconds=60)
    with transaction(ws.engine) as session:
        assert store.claim_delivery(session, delivery_id=delivery.id, now=T0, until=lease)
    with transaction(ws.engine) as session:
        assert not store.claim_delivery(
            session, delivery_id=delivery.id, now=T0, until=T0 + timedelta(seconds=61)
        )
        assert store.due_deliveries(session, now=T0, limit=10) == []
    later = T0 + timedelta(seconds=61)  # the first dispatcher died; its lease ran out
    taken = later + timedelta(seconds=60)
    with transaction(ws.engine) as session:
        assert store.claim_delivery(session, delivery_id=delivery.id, now=later, until=taken)
    settle = {
        "delivery_id": delivery.id,
        "state": "delivered",
        "status": 200,
        "error": None,
        "next_attempt_at": None,
        "at": later,
    }
    with transaction(ws.engine) as session:
        assert not store.settle_attempt(session, lease=lease, **settle)  # type: ignore[arg-type]
        assert store.settle_attempt(session, lease=taken, **settle)  # type: ignore[arg-type]
    with Session(ws.engine) as session:
        row = session.get(OutboxDelivery, delivery.id)
    assert row is not None and (row.state, row.attempts, row.locked_until) == ("delivered", 1, None)


def test_one_pass_without_destinations_fans_out_nothing(outbox_ws: Workspace) -> None:
    queue_events(outbox_ws, "ticket.routed", 2)
    report = deliver_due(outbox_ws, now=T0, dispatcher=Dispatcher(rng=random.Random(1)), environ={})
    assert (report.fanned_out, report.queued, report.attempts) == (2, 0, 0)
    assert len(report.off) == 2
