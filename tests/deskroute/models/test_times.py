"""One rule for times at every boundary: a time without a zone is UTC, a zoned one is
converted to UTC, and one that UTC cannot hold is refused by name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from deskroute.models.ticket import TicketIn


def test_the_same_rule_holds_for_ticket_times() -> None:
    naive = TicketIn(body="x", created_at=datetime(2026, 3, 1, 9))
    zoned = TicketIn(body="x", created_at="2026-03-01T11:00:00+02:00")  # type: ignore[arg-type]
    assert naive.created_at == zoned.created_at == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert zoned.created_at is not None and zoned.created_at.tzinfo is UTC


def test_a_ticket_time_outside_utc_range_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        TicketIn.model_validate({"body": "x", "created_at": "0001-01-01T00:00:00+05:00"})
    first = caught.value.errors()[0]
    assert (first["loc"], first["type"]) == (("created_at",), "out_of_range")
