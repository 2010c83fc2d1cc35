"""One delivery pass: fan new events out to their destinations, then send what is due.

At least once: a delivery is claimed with a lease (a conditional UPDATE), sent, and settled
under that lease; a dispatcher that dies mid-send leaves a lease that expires, and the
delivery is sent again. Receivers deduplicate by the `Idempotency-Key` header (the event's
key). Connection errors, timeouts, 408, 429 and 5xx are retried with backoff (a Retry-After
is honoured, up to a day); any other answer outside 2xx is final: the delivery is dead, with
the status and the start of the body, until `deskroute outbox retry` re-drives it."""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

import httpx
from pydantic import BaseModel
from sqlmodel import Session

from deskroute.outbox.backoff import backoff_seconds, retry_after_seconds
from deskroute.outbox.destinations import Target, resolve
from deskroute.outbox.facts import Facts, facts_of
from deskroute.outbox.messages import slack_body, webhook_body
from deskroute.outbox.pacing import Pacer
from deskroute.outbox.rules import matching_rules, needs_facts, wanted_by
from deskroute.outbox.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from deskroute.runtime import Workspace
from deskroute.store import outbox as store
from deskroute.store.db import transaction
from deskroute.store.outbox import DeliveryState
from deskroute.store.tables import OutboxDelivery, OutboxEvent

log = logging.getLogger(__name__)

MAX_RETRY_AFTER_SECONDS = 86_400.0
ERROR_CHARS = 300


class DeliveryReport(BaseModel):
    """What one pass did."""

    fanned_out: int = 0
    """Events turned into deliveries."""
    queued: int = 0
    """Deliveries created for them."""
    delivered: int = 0
    retrying: int = 0
    """Attempts that failed and will be tried again."""
    dead: int = 0
    waiting: int = 0
    """Due deliveries left for a later pass: their destination is off, paced or asked to wait."""
    off: list[str] = []
    """Why each destination that is off is off."""

    @property
    def attempts(self) -> int:
        return self.delivered + self.retrying + self.dead


@dataclass
class Dispatcher:
    """What outlives a pass: the pacing of destinations, the jitter's random source, and the
    HTTP client (its connections are reused from pass to pass)."""

    pacer: Pacer = field(default_factory=Pacer)
    rng: random.Random = field(default_factory=random.Random)
    client: httpx.Client = field(default_factory=lambda: httpx.Client(follow_redirects=False))

    def close(self) -> None:
        self.client.close()


@dataclass(frozen=True)
class Attempt:
    """How one send ended."""

    state: DeliveryState
    status: int | None
    error: str | None
    retry_after: float | None = None


def deliver_due(
    ws: Workspace,
    *,
    now: datetime | None = None,
    dispatcher: Dispatcher | None = None,
    environ: Mapping[str, str] | None = None,
) -> DeliveryReport:
    """One pass at `now` (default: the workspace's clock): fan out new events, then send each
    due delivery whose destination is on and free. `environ` holds the destinations' URL and
    secret variables (default: the process environment)."""
    now = now or ws.deps.clock()
    if dispatcher is None:
        with closing(Dispatcher()) as once:
            return deliver_due(ws, now=now, dispatcher=once, environ=environ)
    destinations = resolve(ws.policies.notifications, environ)
    report = DeliveryReport(off=destinations.describe())
    _fan_out(ws, now=now, on=set(destinations.on), report=report)
    with Session(ws.engine) as session:
        due = store.due_deliveries(session, now=now, limit=ws.settings.outbox_batch)
    groups: dict[str, list[tuple[OutboxDelivery, OutboxEvent]]] = {}
    for delivery, event in due:
        groups.setdefault(delivery.destination, []).append((delivery, event))
    sends: list[tuple[Target, list[tuple[OutboxDelivery, OutboxEvent]]]] = []
    for name, items in groups.items():
        target = destinations.on.get(name)
        if target is None or not dispatcher.pacer.ready(name, now):
            report.waiting += len(items)
        elif target.spec.interval > 0:  # paced: one per pass, in its slot
            report.waiting += len(items) - 1
            sends.append((target, items[:1]))
        else:
            sends.append((target, items))
    if not sends:
        return report
    with ThreadPoolExecutor(max_workers=min(8, len(sends)), thread_name_prefix="outbox") as pool:
        futures = [
            pool.submit(_send_group, ws, dispatcher, target, items, now) for target, items in sends
        ]
        for future in futures:
            for state in future.result():
                if state == "delivered":
                    report.delivered += 1
                elif state == "dead":
                    report.dead += 1
                elif state == "pending":
                    report.retrying += 1
                else:
                    report.waiting += 1
    return report


def _fan_out(ws: Workspace, *, now: datetime, on: set[str], report: DeliveryReport) -> None:
    """One delivery per destination that wants each new event and is on (a destination that
    is off gets none: turned on later, it receives events from then on)."""
    notifications = ws.policies.notifications
    with transaction(ws.engine) as session:
        for event in store.unfanned_events(session, limit=ws.settings.outbox_batch):
            facts = facts_of(session, event) if needs_facts(notifications, event.kind) else Facts()
            names = [n for n in wanted_by(notifications, event.kind, facts) if n in on]
            if event.id is not None and store.fan_out(
                session, event_id=event.id, destinations=names, at=now
            ):
                report.fanned_out += 1
                report.queued += len(names)


def _send_group(
    ws: Workspace,
    dispatcher: Dispatcher,
    target: Target,
    items: list[tuple[OutboxDelivery, OutboxEvent]],
    now: datetime,
) -> list[DeliveryState | None]:
    """Send one destination's due deliveries in order; after a failure that will be retried,
    the rest wait for a later pass (the receiver is likely down or busy)."""
    states: list[DeliveryState | None] = []
    for index, (delivery, event) in enumerate(items):
        if target.spec.interval > 0 and not dispatcher.pacer.take(
            target.name, now, target.spec.interval
        ):
            states.append(None)
            continue
        state = _send_one(ws, dispatcher, target, delivery, event, now)
        states.append(state)
        if state == "pending":
            states += [None] * (len(items) - index - 1)
            break
    return states


def _body(ws: Workspace, target: Target, event: OutboxEvent) -> bytes:
    if target.spec.kind == "webhook":
        return webhook_body(event)
    notifications = ws.policies.notifications
    with Session(ws.engine) as session:
        facts = facts_of(session, event)
        rules = matching_rules(notifications, event.kind, facts, destination=target.name)
        return slack_body(
            session, event=event, facts=facts, rules=rules, public_url=ws.settings.public_url
        )


def _post(
    client: httpx.Client,
    target: Target,
    event: OutboxEvent,
    body: bytes,
    now: datetime,
    timeout: float,
) -> Attempt:
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "DeskRoute-Outbox/1",
        "Idempotency-Key": event.key,
        "X-DeskRoute-Event": event.kind,
        TIMESTAMP_HEADER: str(timestamp),
    }
    if target.secret:
        headers[SIGNATURE_HEADER] = sign(target.secret, timestamp, body)
    try:
        response = client.post(target.url, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        return Attempt("pending", None, f"no answer within {timeout}s")
    except httpx.TransportError as exc:
        return Attempt("pending", None, f"{type(exc).__name__}: {exc}"[:ERROR_CHARS])
    status = response.status_code
    if 200 <= status < 300:
        return Attempt("delivered", status, None)
    excerpt = f"HTTP {status}: {response.text[:ERROR_CHARS]}".strip()
    if status in (408, 429) or status >= 500:
        wait = retry_after_seconds(response.headers.get("Retry-After"), now)
        return Attempt("pending", status, excerpt, retry_after=wait)
    return Attempt("dead", status, excerpt)


def _send_one(
    ws: Workspace,
    dispatcher: Dispatcher,
    target: Target,
    delivery: OutboxDelivery,
    event: OutboxEvent,
    now: datetime,
) -> DeliveryState | None:
    """Claim, send and settle one delivery; None when another dispatcher holds it."""
    delivery_id = cast(int, delivery.id)  # read from the store: never None
    lease = now + timedelta(seconds=ws.settings.outbox_lease_seconds)
    with transaction(ws.engine) as session:
        if not store.claim_delivery(session, delivery_id=delivery_id, now=now, until=lease):
            return None
    notifications = ws.policies.notifications
    body = _body(ws, target, event)
    attempt = _post(
        dispatcher.client, target, event, body, now, timeout=notifications.timeout_seconds
    )
    state, next_at = attempt.state, None
    retry = notifications.retry
    attempts = delivery.attempts + 1
    if state == "pending":
        queued_for = (now - delivery.created_at).total_seconds()
        if attempts >= retry.max_attempts and queued_for >= retry.keep_trying_minutes * 60:
            state = "dead"
        else:
            wait = (
                min(attempt.retry_after, MAX_RETRY_AFTER_SECONDS)
                if attempt.retry_after is not None
                else backoff_seconds(attempts, retry, dispatcher.rng)
            )
            next_at = now + timedelta(seconds=wait)
            if attempt.status == 429:
                dispatcher.pacer.hold(target.name, next_at)
    with transaction(ws.engine) as session:
        settled = store.settle_attempt(
            session,
            delivery_id=delivery_id,
            lease=lease,
            state=state,
            status=attempt.status,
            error=attempt.error,
            next_attempt_at=next_at,
            at=now,
        )
    if not settled:
        log.warning("delivery %s to %s: lease lost before it was settled", delivery_id, target.name)
    elif state == "dead":
        log.warning(
            "delivery %s of %s to %s is dead after %d attempts: %s",
            delivery_id,
            event.key,
            target.name,
            attempts,
            attempt.error,
        )
    elif state == "pending":
        log.info(
            "delivery %s to %s failed (%s), attempt %d; next at %s",
            delivery_id,
            target.name,
            attempt.error,
            attempts,
            next_at,
        )
    return state
