"""Intake through the service layer, on SQLite and PostgreSQL: what reaches the store."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import view
from sample_emails import long_thread
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from deskroute.batch import route_file
from deskroute.errors import ConflictError
from deskroute.intake.chat import ChatTranscript
from deskroute.intake.email import parse_email
from deskroute.runtime import Workspace
from deskroute.service import (
    Attached,
    Submitted,
    route_new,
    submit_email,
    submit_ticket,
    ticket_detail,
)
from deskroute.store.db import make_engine, transaction
from deskroute.store.tables import Ticket
from deskroute.store.tickets import insert_ticket

NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _stored(ws: Workspace, ticket_id: str) -> dict[str, Any]:
    detail = ticket_detail(ws, ticket_id)
    return {
        "ticket": detail.ticket.model_dump(),
        "messages": [m.model_dump() for m in detail.messages],
    }


def test_nul_characters_are_dropped_from_json_and_chat_tickets(
    any_store_workspace: Workspace,
) -> None:
    ws = any_store_workspace
    ticket = submit_ticket(
        ws,
        {
            "subject": f"Export{NUL} stuck",
            "body": f"The CSV export{NUL} fails",
            "external_id": f"HD-{NUL}1",
            "source": f"help{NUL}desk",
            "customer_id": "C-1001",
            "metadata": {f"k{NUL}": [f"v{NUL}"]},
        },
    )
    stored = _stored(ws, ticket.ticket.id)
    assert not _has_nul(stored), stored
    assert stored["ticket"]["body"] == "The CSV export fails"
    assert stored["ticket"]["external_id"] == "HD-1"
    chat = ChatTranscript.model_validate(
        {
            "external_id": f"chat{NUL}-1",
            "messages": [
                {"role": "bot", "text": f"How{NUL} can I help?"},
                {"role": "customer", "text": f"my 2FA{NUL} codes are rejected"},
            ],
        }
    )
    stored = _stored(ws, submit_ticket(ws, chat.ticket_fields()).ticket.id)
    assert not _has_nul(stored), stored
    assert stored["ticket"]["body"] == "my 2FA codes are rejected"


def test_nul_characters_are_dropped_from_emails_and_their_replies(
    any_store_workspace: Workspace,
) -> None:
    ws = any_store_workspace
    first = (
        b"From: Ana \x00<ana@example.com>\nSubject: =?utf-8?q?Export=00_stuck?=\n"
        b"Message-ID: <m1\x00@example.com>\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: quoted-printable\n\nOur CSV=00 export\x00 is queued.\n"
    )
    started = submit_email(ws, parse_email(first), source="mailbot")
    reply = (
        b"From: ana@example.com\nSubject: Re: Export\x00 stuck\nMessage-ID: <m2@example.com>\n"
        b"In-Reply-To: <m1\x00@example.com>\n\nStill\x00 queued.\n"
    )
    attached = submit_email(ws, parse_email(reply), source="mailbot")
    assert attached.ticket.id == started.ticket.id
    stored = _stored(ws, started.ticket.id)
    assert not _has_nul(stored), stored
    assert stored["ticket"]["body"] == "Our CSV export is queued."
    assert [m["body"] for m in stored["messages"]] == ["Still queued."]


def test_nul_characters_are_dropped_from_batch_files(
    any_store_workspace: Workspace, tmp_path: Path
) -> None:
    rows = tmp_path / "tickets.jsonl"
    row = {"body": f"Please resend{NUL} invoice INV-2026-0101", "customer_id": "C-1001"}
    rows.write_text(json.dumps(row) + "\n", encoding="utf-8")
    summary = route_file(any_store_workspace, rows, tmp_path / "outcomes.jsonl")
    assert summary.total == 1 and not summary.rejected
    with any_store_workspace.engine.connect() as conn:
        bodies = [r.raw_body for r in conn.execute(Ticket.__table__.select())]  # type: ignore[attr-defined]
    assert bodies == ["Please resend invoice INV-2026-0101"]


def test_cli_route_drops_nul_characters(cli, database_url: str) -> None:
    done = cli(
        "route", f"Please resend{NUL} invoice", "--json", DESKROUTE_DATABASE_URL=database_url
    )
    assert done.returncode == 0, done.stderr
    engine = make_engine(database_url)
    with Session(engine) as session:
        row = session.get(Ticket, json.loads(done.stdout)["ticket_id"])
        assert row is not None and row.raw_body == "Please resend invoice"
    engine.dispose()


def test_a_store_error_shows_no_customer_text(
    any_store_workspace: Workspace, policies, caplog: pytest.LogCaptureFixture
) -> None:
    """Bound parameters stay out of error messages, so a failed write logs no ticket text."""
    ticket = view(policies, body="my card 4111 1111 1111 1111 was charged twice")
    caplog.set_level(logging.DEBUG)
    with transaction(any_store_workspace.engine) as session:
        insert_ticket(session, view=ticket, raw_body=ticket.body, meta={})
    with pytest.raises(IntegrityError) as failed:
        with transaction(any_store_workspace.engine) as session:
            insert_ticket(session, view=ticket, raw_body=ticket.body, meta={})
    assert "4111" not in str(failed.value)
    assert "4111" not in caplog.text


def test_an_idempotency_key_reused_for_another_ticket_is_a_conflict(
    any_store_workspace: Workspace,
) -> None:
    """Every field the caller sent counts, not only body and customer."""
    ws = any_store_workspace
    first = {
        "channel": "email",
        "subject": "Export stuck",
        "body": "The CSV export fails",
        "customer_id": "C-1001",
        "metadata": {"crm": 7},
    }
    created = submit_ticket(ws, first, idempotency_key="bot:k1")
    again = submit_ticket(ws, dict(first), idempotency_key="bot:k1")
    assert (created.created, again.created) == (True, False)
    assert again.ticket.id == created.ticket.id
    for change in (
        {"subject": "Export stuck again"},
        {"channel": "chat"},
        {"customer_id": "C-1002"},
        {"customer_email": "ana@example.com"},
        {"language": "de"},
        {"metadata": {"crm": 8}},
        {"external_id": "HD-2"},
        {"source": "zendesk"},
        {"created_at": "2026-01-01T00:00:00Z"},
    ):
        with pytest.raises(ConflictError, match="different content"):
            submit_ticket(ws, {**first, **change}, idempotency_key="bot:k1")


def test_subject_line_breaks_are_collapsed_on_every_path(any_store_workspace: Workspace) -> None:
    """A subject is one line wherever it came from: no header injection downstream."""
    ws = any_store_workspace
    for breaks in ("\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"):
        sent = submit_ticket(ws, {"subject": f"Hello{breaks}Bcc: evil@example.com", "body": "hi"})
        assert _stored(ws, sent.ticket.id)["ticket"]["subject"] == "Hello Bcc: evil@example.com"
        assert sent.ticket.subject == "Hello Bcc: evil@example.com"
    chat = ChatTranscript.model_validate(
        {"subject": "Hi\nBcc: evil@example.com", "messages": [{"role": "user", "text": "2FA"}]}
    )
    stored = _stored(ws, submit_ticket(ws, chat.ticket_fields()).ticket.id)
    assert stored["ticket"]["subject"] == "Hi Bcc: evil@example.com"
    first = submit_email(
        ws,
        parse_email(b"From: a@example.com\nSubject: One\nMessage-ID: <s1@example.com>\n\nHi\n"),
        source="mailbot",
    )
    reply = (
        b"From: a@example.com\nSubject: =?utf-8?q?Re=3A_One=0ABcc=3A_evil=40example=2Ecom?=\n"
        b"In-Reply-To: <s1@example.com>\nMessage-ID: <s2@example.com>\n\nStill\n"
    )
    submit_email(ws, parse_email(reply), source="mailbot")
    stored = _stored(ws, first.ticket.id)
    assert [m["subject"] for m in stored["messages"]] == ["Re: One Bcc: evil@example.com"]


@pytest.mark.parametrize("source", ["helpdesk", None])
def test_new_content_under_a_known_external_id_joins_its_thread(
    any_store_workspace: Workspace, source: str | None
) -> None:
    """A helpdesk's follow-up on its ticket is never dropped: it is attached to the ticket's
    thread (once, however often it is sent), unrouted; an exact repeat changes nothing."""
    ws = any_store_workspace
    first = {"body": "The CSV export fails", "customer_id": "C-1001", "external_id": "HD-7"}
    if source:
        first["source"] = source
    submitted, outcome = route_new(ws, first)
    repeat, same_outcome = route_new(ws, dict(first))
    assert isinstance(repeat, Submitted) and not repeat.created
    assert same_outcome.ticket_id == outcome.ticket_id == submitted.ticket.id
    follow_up = {**first, "subject": "Update", "body": "It now fails for PDF exports too"}
    for expected_created in (True, False):
        attached = submit_ticket(ws, follow_up)
        assert isinstance(attached, Attached)
        assert (attached.ticket.id, attached.created) == (submitted.ticket.id, expected_created)
    attached, attached_outcome = route_new(ws, follow_up)
    assert isinstance(attached, Attached) and attached_outcome.ticket_id == submitted.ticket.id
    stored = _stored(ws, submitted.ticket.id)
    assert stored["ticket"]["body"] == "The CSV export fails"
    assert [(m["subject"], m["body"]) for m in stored["messages"]] == [
        ("Update", "It now fails for PDF exports too")
    ]
    with Session(ws.engine) as session:
        assert session.exec(select(func.count()).select_from(Ticket)).one() == 1


NEW_LINES = (
    "The export is still stuck.\nIt has been queued since Monday.\n"
    "Could someone look at it today?\nWe need it for the board meeting."
)


def test_a_long_email_thread_is_kept_for_its_new_text(any_store_workspace: Workspace) -> None:
    """The body limit applies to the new text, after quotes are stripped, not to the history
    the message quotes."""
    ws = any_store_workspace
    raw = long_thread()
    assert len(raw) > 4 * ws.policies.intake.max_body_bytes
    done = submit_email(ws, parse_email(raw), source="mailbot")
    assert isinstance(done, Submitted) and done.created
    stored = _stored(ws, done.ticket.id)["ticket"]
    assert stored["body"] == NEW_LINES
    assert len(stored["raw_body"]) > 400_000 and done.ticket.notes == []


def test_new_text_over_the_limit_is_cut_with_a_note(any_store_workspace: Workspace) -> None:
    """Even when the new text alone is too long, the ticket is kept: cut, and it says so."""
    ws = any_store_workspace
    limit = ws.policies.intake.max_body_bytes
    long_text = "€uro " * 30_000  # 209,999 bytes of new text, once stripped
    done = submit_ticket(ws, {"subject": "Long", "body": long_text, "customer_id": "C-1001"})
    assert isinstance(done, Submitted) and done.created
    stored = _stored(ws, done.ticket.id)["ticket"]
    assert limit - 10 <= len(stored["body"].encode("utf-8")) <= limit
    assert stored["body"].startswith("€uro €uro") and stored["body"].endswith("[…]")
    assert stored["raw_body"] == long_text.strip()
    assert done.ticket.notes == [f"the text was cut to {limit:,} bytes from 209,999"]
    assert ticket_detail(ws, done.ticket.id).ticket.meta == {"intake_notes": done.ticket.notes}
    first = parse_email(b"From: a@example.com\nMessage-ID: <c1@example.com>\n\nHi\n")
    ticket = submit_email(ws, first, source="mailbot").ticket
    reply = (
        "From: a@example.com\nIn-Reply-To: <c1@example.com>\nMessage-ID: <c2@example.com>\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{long_text}\n"
    ).encode()
    assert isinstance(submit_email(ws, parse_email(reply), source="mailbot"), Attached)
    [message] = _stored(ws, ticket.id)["messages"]
    assert len(message["body"].encode("utf-8")) <= limit
    assert message["meta"]["intake_notes"] == [f"the text was cut to {limit:,} bytes from 209,999"]


CARD = "4111 1111 1111 1111"
IBAN = "DE89 3704 0044 0532 0130 00"


def _redacting(ws: Workspace) -> Workspace:
    """The same store, with `redact_at_rest` on."""
    settings = ws.settings.model_copy(update={"redact_at_rest": True})
    return dataclasses.replace(ws, settings=settings)


def test_cards_and_ibans_are_redacted_at_rest_when_asked(any_store_workspace: Workspace) -> None:
    ws = _redacting(any_store_workspace)
    done = submit_ticket(
        ws,
        {
            "channel": "email",
            "subject": f"Card {CARD} charged twice",
            "body": f"My card {CARD} was charged twice; refund to IBAN {IBAN} please.",
            "customer_id": "C-1001",
            "metadata": {"note": f"card {CARD}"},
        },
    )
    chat = ChatTranscript.model_validate(
        {"messages": [{"role": "customer", "text": f"refund to {IBAN}"}], "customer_id": "C-1002"}
    )
    chatted = submit_ticket(ws, chat.ticket_fields())
    first = parse_email(b"From: a@example.com\nMessage-ID: <r1@example.com>\n\nHi\n")
    thread = submit_email(ws, first, source="mailbot").ticket
    reply = (
        f"From: a@example.com\nSubject: Re: card {CARD}\nIn-Reply-To: <r1@example.com>\n"
        f"Message-ID: <r2@example.com>\n\nIt was card {CARD}.\n"
    ).encode()
    submit_email(ws, parse_email(reply), source="mailbot")
    stored = [_stored(ws, t.id) for t in (done.ticket, chatted.ticket, thread)]
    text = json.dumps(stored, default=str)
    assert "4111" not in text.replace("••••1111", "") and "3704" not in text
    ticket = stored[0]["ticket"]
    assert ticket["subject"] == "Card [card ••••1111] charged twice"
    assert "[IBAN ••••3000]" in ticket["body"] and "[card ••••1111]" in ticket["raw_body"]
    assert done.ticket.notes == ["redacted at rest: 1 card number, 1 IBAN (last 4 kept)"]
    assert ticket_detail(ws, done.ticket.id).ticket.meta["note"] == "card [card ••••1111]"
    [message] = stored[2]["messages"]
    assert message["body"] == "It was card [card ••••1111]."
    assert message["meta"]["intake_notes"] == ["redacted at rest: 1 card number (last 4 kept)"]
    plain = submit_ticket(any_store_workspace, {"body": f"card {CARD}", "customer_id": "C-1003"})
    assert CARD in _stored(any_store_workspace, plain.ticket.id)["ticket"]["body"]


def test_the_outcome_says_what_was_redacted_at_rest(workspace: Workspace) -> None:
    ws = _redacting(workspace)
    _, record = route_new(
        ws, {"body": f"My card {CARD} was charged twice.", "customer_id": "C-1001"}
    )
    assert "redacted at rest: 1 card number (last 4 kept)" in record.notes


def test_a_ticket_is_received_at_the_workspace_clock(workspace: Workspace) -> None:
    """SLA clocks start when a ticket is received: a controlled clock (a simulation, a replay)
    must set that time, not the machine's."""
    received = datetime(2016, 4, 14, 9, 30, tzinfo=UTC)
    workspace.deps = dataclasses.replace(workspace.deps, clock=lambda: received)
    submitted = submit_ticket(workspace, {"body": "Where is my invoice?", "external_id": "t-1"})
    with Session(workspace.engine) as session:
        row = session.get(Ticket, submitted.ticket.id)
    assert row is not None and row.received_at == received
