"""What each destination receives: a webhook the event as JSON; Slack a message with blocks
that lets a person act without opening anything else (who, what, how urgent, what the customer
wrote, the draft or the action asked for, and a link to the review page); for an alert, what
is unusual against what is usual at that time, and a link to the dashboard."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from deskroute.outbox.facts import Facts
from deskroute.policies.notifications import NotifyRule
from deskroute.store.outcomes import latest_outcome
from deskroute.store.tables import OutboxEvent, SlaClock, Ticket

EXCERPT_CHARS = 600
DRAFT_CHARS = 1200
FIELD_CHARS = 1900  # Slack: 2000 per field, 3000 per section text, 150 per header


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def envelope(event: OutboxEvent) -> dict[str, Any]:
    """The event as a webhook receives it; `key` repeats the Idempotency-Key header."""
    return {
        "key": event.key,
        "kind": event.kind,
        "ticket_id": event.ticket_id,
        "created_at": event.created_at.isoformat(),
        "payload": event.payload,
    }


def webhook_body(event: OutboxEvent) -> bytes:
    return _json(envelope(event))


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quote(text: str) -> str:
    return "\n".join(f">{line}" if line else ">" for line in text.splitlines())


def _when(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _asked(payload: dict[str, Any]) -> str | None:
    """The actions waiting for a person, e.g. `issue_refund(invoice_number=INV-1, amount=49)`."""
    proposed = [a for a in payload.get("actions") or [] if a.get("status") == "proposed"]
    lines = [
        f"• `{a['tool']}({', '.join(f'{k}={v}' for k, v in (a.get('args') or {}).items())})`"
        + (f" – {a['reason']}" if a.get("reason") else "")
        for a in proposed
    ]
    return "\n".join(lines) or None


def slack_message(
    *,
    event: OutboxEvent,
    facts: Facts,
    rules: list[NotifyRule],
    review_url: str | None,
    subject: str | None,
    body: str | None,
    sla_due: str | None,
    draft: str | None,
    asked: str | None,
) -> dict[str, Any]:
    """A Slack incoming-webhook message: `text` (the notification and fallback) and `blocks`."""
    title = " · ".join(rule.name for rule in rules) or event.kind
    ticket = event.ticket_id or "-"
    customer = facts.customer_name or facts.customer_id or "unknown sender"
    if facts.customer_name and facts.customer_id:
        customer = f"{facts.customer_name} ({facts.customer_id})"
    fields = {
        "Ticket": f"<{review_url}|{ticket}>" if review_url else ticket,
        "Customer": f"{customer} · {facts.tier or 'no tier'}",
        "Category": facts.category or "(none)",
        "Priority": facts.priority or "-",
        "Queue": facts.queue or "-",
        "Reasons": ", ".join(facts.reasons) or "-",
    }
    if sla_due:
        fields["SLA due"] = sla_due
    mood = facts.sentiment or "-"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(title, 150)}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{event.kind}* · sentiment {mood}"},
            "fields": [
                {"type": "mrkdwn", "text": _cut(f"*{name}*\n{value}", FIELD_CHARS)}
                for name, value in fields.items()
            ],
        },
    ]
    if subject or body:
        wrote = "\n".join(part for part in (f"*{subject}*" if subject else "", body or "") if part)
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*The customer wrote*\n" + _quote(_cut(wrote, EXCERPT_CHARS)),
                },
            }
        )
    if asked:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _cut(f"*Waiting for approval*\n{asked}", 2900)},
            }
        )
    if draft:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*Draft reply*\n" + _quote(_cut(draft, DRAFT_CHARS)),
                },
            }
        )
    if review_url:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open the review page"},
                        "url": review_url,
                    }
                ],
            }
        )
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"{event.key} · {_when(event.created_at)}"}],
        }
    )
    text = (
        f"{title}: ticket {ticket}, {customer} ({facts.tier or 'no tier'}), "
        f"{facts.category or 'no category'}, {facts.priority or '-'}"
    )
    return {"text": text, "blocks": blocks}


def alert_message(
    *, event: OutboxEvent, rules: list[NotifyRule], dashboard_url: str
) -> dict[str, Any]:
    """A Slack message for an alert (`alert.raised`): what is unusual, by how much against
    what is usual at this time, since when, and a link to the dashboard."""
    alert = event.payload
    title = str(alert.get("title") or event.kind)
    summary = str(alert.get("summary") or "")
    p_value = alert.get("p_value")
    window = (alert.get("details") or {}).get("window_minutes")
    raised = alert.get("raised_at")
    fields = {
        "Rule": f"`{alert.get('rule')}`",
        "Where": "all tickets" if alert.get("key") == "all" else f"category {alert.get('key')}",
        "Window": f"last {window} min" if window else "now",
        "Since": _when(datetime.fromisoformat(raised)) if isinstance(raised, str) else "-",
    }
    if p_value is not None:
        fields["Chance alone"] = f"p = {p_value:.1e}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(f"Alert: {title}", 150)}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _cut(f"*{summary}*", 2900)},
            "fields": [
                {"type": "mrkdwn", "text": _cut(f"*{name}*\n{value}", FIELD_CHARS)}
                for name, value in fields.items()
            ],
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open the dashboard"},
                    "url": dashboard_url,
                }
            ],
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": " · ".join(
                        [*(rule.name for rule in rules), event.key, _when(event.created_at) or ""]
                    ),
                }
            ],
        },
    ]
    return {"text": f"Alert: {title}: {summary}", "blocks": blocks}


def slack_body(
    session: Session,
    *,
    event: OutboxEvent,
    facts: Facts,
    rules: list[NotifyRule],
    public_url: str,
) -> bytes:
    """The Slack message for an event, completed from the store: the ticket's text, its SLA
    due time, and the draft or proposed actions of its latest outcome. An alert has a message
    of its own."""
    if event.kind == "alert.raised":
        dashboard = f"{public_url.rstrip('/')}/review/dashboard"
        return _json(alert_message(event=event, rules=rules, dashboard_url=dashboard))
    payload = event.payload
    ticket = session.get(Ticket, event.ticket_id) if event.ticket_id else None
    clock = session.get(SlaClock, event.ticket_id) if event.ticket_id else None
    draft = payload.get("draft_reply") or payload.get("response")
    asked = _asked(payload)
    if event.ticket_id and "actions" not in payload:
        record = latest_outcome(session, ticket_id=event.ticket_id)
        if record is not None:
            draft = (record.escalation.draft_reply if record.escalation else None) or (
                record.response
            )
            asked = _asked(record.model_dump(mode="json", include={"actions"}))
    sla_due = payload.get("due") or payload.get("resolution_due")
    if sla_due is None and clock is not None and clock.open:
        due = clock.first_response_due if clock.first_response_at is None else clock.resolution_due
        sla_due = _when(due)
    review_url = (
        f"{public_url.rstrip('/')}/review/tickets/{event.ticket_id}" if event.ticket_id else None
    )
    return _json(
        slack_message(
            event=event,
            facts=facts,
            rules=rules,
            review_url=review_url,
            subject=ticket.subject if ticket else None,
            body=ticket.body if ticket else None,
            sla_due=sla_due,
            draft=draft,
            asked=asked,
        )
    )
