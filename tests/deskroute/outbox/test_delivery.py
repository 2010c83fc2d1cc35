"""The outbox against real receivers on loopback that fail, stall, answer 429 and go down:
every event reaches every receiver that wants it, exactly once after deduplication by key."""

from __future__ import annotations

import json
from datetime import timedelta

from outbox_support import SECRET, T0, Clock, queue_events
from sqlmodel import Session, select
from webhook_receiver import Receiver

from deskroute.outbox.signing import sign, verify_signature
from deskroute.store.tables import OutboxDelivery


def states(clock: Clock) -> dict[str, int]:
    with Session(clock.ws.engine) as session:
        rows = session.exec(select(OutboxDelivery)).all()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    return counts


def test_failing_stalling_and_rate_limiting_receivers_get_every_event_once(
    clock: Clock, helpdesk: Receiver, slack: Receiver
) -> None:
    keys = queue_events(clock.ws, "ticket.assigned", 6) + queue_events(
        clock.ws, "sla.breached", 3, queue="security"
    )
    helpdesk.plan = ["500", "500", "stall", "429:date:20", "stall", "503"]
    slack.plan = ["429:5", "500"]
    clock.tick()
    clock.run(seconds=600, step=1, until=lambda: states(clock) == {"delivered": 12})
    assert states(clock) == {"delivered": 12}
    assert helpdesk.unique_keys() == set(keys)
    assert slack.unique_keys() == set(keys[6:])  # only sla.breached notifies Slack
    # Stalled requests were processed and sent again: duplicates the receiver dropped by key.
    assert sum(helpdesk.processed.values()) == len(keys) + 2
    assert all(seen.verified for seen in helpdesk.seen)
    assert {seen.kind for seen in helpdesk.seen} == {"ticket.assigned", "sla.breached"}
    envelope = helpdesk.events[keys[0]]
    assert envelope["key"] == keys[0] and envelope["kind"] == "ticket.assigned"
    assert envelope["payload"] == {"n": 0}


def test_retry_after_is_honoured_and_the_destination_waits(
    clock: Clock, helpdesk: Receiver, slack: Receiver
) -> None:
    queue_events(clock.ws, "sla.breached", 2)
    slack.plan = ["429:30"]
    helpdesk.plan = ["429:date:45"]
    clock.tick()
    assert [s.answered for s in slack.seen] == ["429:30"]
    clock.run(seconds=29, step=1)
    assert len(slack.seen) == 1 and len(helpdesk.seen) == 1  # neither asked before its time
    clock.tick(1)  # 30 s on: one message, the next a second later (Slack's pace)
    assert len(slack.seen) == 2
    clock.tick(1)
    assert len(slack.seen) == 3 and len(slack.unique_keys()) == 2
    clock.run(seconds=13, step=1)
    assert len(helpdesk.seen) == 1  # 44 s on: the helpdesk asked for 45
    clock.tick(1)
    assert len(helpdesk.seen) == 3 and len(helpdesk.unique_keys()) == 2


def test_a_receiver_down_for_ten_minutes_loses_nothing(
    clock: Clock, helpdesk: Receiver, slack: Receiver
) -> None:
    helpdesk.stop()
    keys = queue_events(clock.ws, "ticket.routed", 5)
    clock.run(seconds=600, step=10)
    assert states(clock) == {"pending": 5}
    assert helpdesk.seen == []
    helpdesk.start()  # the same port again
    clock.run(seconds=120, step=1, until=lambda: states(clock) == {"delivered": 5})
    assert helpdesk.unique_keys() == set(keys)
    assert max(helpdesk.processed.values()) == 1


def test_slack_gets_at_most_one_message_per_second(clock: Clock, slack: Receiver) -> None:
    queue_events(clock.ws, "sla.breached", 4)
    sent_at = []
    for _ in range(24):
        before = len(slack.seen)
        clock.tick(0.25)
        sent_at += [clock.now] * (len(slack.seen) - before)
    assert len(sent_at) == 4
    gaps = [later - earlier for earlier, later in zip(sent_at, sent_at[1:], strict=False)]
    assert min(gaps) >= timedelta(seconds=1)


def test_a_refusal_is_dead_at_once_with_the_answer(clock: Clock, helpdesk: Receiver) -> None:
    queue_events(clock.ws, "ticket.resolved", 1)
    helpdesk.plan = ["400"]
    report = clock.tick()
    assert report.dead == 1
    with Session(clock.ws.engine) as session:
        (delivery,) = session.exec(select(OutboxDelivery)).all()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("dead", 1, 400)
    assert delivery.last_error == "HTTP 400: receiver says no: 400"


def test_a_destination_without_its_variable_is_off(clock: Clock, slack: Receiver) -> None:
    del clock.env["DESKROUTE_HELPDESK_WEBHOOK_URL"]
    queue_events(clock.ws, "sla.breached", 1)
    report = clock.tick()
    assert report.off == ["destination helpdesk is off: DESKROUTE_HELPDESK_WEBHOOK_URL is not set"]
    assert (report.queued, report.delivered) == (1, 1)  # Slack only


def test_signature_is_hmac_sha256_of_timestamp_and_body() -> None:
    body = json.dumps({"key": "evt_1"}).encode()
    stamp = int(T0.timestamp())
    header = sign(SECRET, stamp, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    now = T0.timestamp() + 10
    assert verify_signature(
        secret=SECRET, timestamp=str(stamp), body=body, signature=header, now=now
    )
    for secret, tampered in ((SECRET, body + b" "), ("other", body)):
        assert not verify_signature(
            secret=secret, timestamp=str(stamp), body=tampered, signature=header, now=now
        )
    assert not verify_signature(
        secret=SECRET, timestamp=str(stamp), body=body, signature=header, now=now + 3600
    )
