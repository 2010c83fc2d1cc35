"""Bad tickets are refused with an error that names the field."""

from __future__ import annotations

import pytest

from deskroute.errors import BadInputError
from deskroute.intake.validate import parse_ticket


def refused(policies, **data) -> BadInputError:
    with pytest.raises(BadInputError) as caught:
        parse_ticket(data, policies.intake)
    return caught.value


def test_valid_ticket(policies) -> None:
    ticket = parse_ticket(
        {
            "channel": "email",
            "subject": " Hi ",
            "body": "Help",
            "customer_email": "Anna@Example.COM",
        },
        policies.intake,
    )
    assert ticket.subject == "Hi" and ticket.customer_email == "anna@example.com"


def test_empty_subject_and_body(policies) -> None:
    error = refused(policies, subject="  ", body="\n")
    assert error.field == "subject/body" and "empty" in error.message


def test_a_long_body_is_not_refused(policies) -> None:
    """Its limit applies to the normalised text, which is cut, not refused (test_prepare)."""
    assert parse_ticket({"body": "x" * 102_401}, policies.intake).body == "x" * 102_401


def test_intake_notes_are_reserved_in_metadata(policies) -> None:
    error = refused(policies, body="hi", metadata={"intake_notes": ["made up"]})
    assert error.field == "metadata" and "reserved" in error.message


def test_unknown_channel(policies) -> None:
    error = refused(policies, body="hi", channel="fax")
    assert error.field == "channel" and "email" in error.message


def test_bad_customer_id_format(policies) -> None:
    error = refused(policies, body="hi", customer_id="12345")
    assert error.field == "customer_id" and "C-" in error.message


def test_bad_email(policies) -> None:
    assert refused(policies, body="hi", customer_email="not-an-email").field == "customer_email"


def test_unknown_field(policies) -> None:
    error = refused(policies, body="hi", priority="high")
    assert error.field == "priority" and error.message == "unknown field"


def test_unsupported_language(policies) -> None:
    assert refused(policies, body="hi", language="xx").field == "language"
    assert refused(policies, body="hi", language="English").field == "language"
