"""`OutcomeQuery`: the one check of outcome filters, for the CLI and the API alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from deskroute.models.outcome_query import MAX_PAGE, OutcomeQuery


def _error(**filters: object) -> dict:
    with pytest.raises(ValidationError) as caught:
        OutcomeQuery.model_validate(filters)
    first: dict = caught.value.errors()[0]
    return first


def test_defaults_filter_nothing() -> None:
    query = OutcomeQuery()
    assert (query.category, query.queue, query.escalated, query.since, query.until) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert (query.limit, query.offset) == (50, 0)


def test_times_are_utc_whatever_the_caller_sent() -> None:
    query = OutcomeQuery.model_validate(
        {"since": "2026-11-20", "until": "2026-11-21T02:30:00+02:00"}
    )
    assert query.since == datetime(2026, 11, 20, tzinfo=UTC) and query.since.tzinfo is UTC
    assert query.until == datetime(2026, 11, 21, 0, 30, tzinfo=UTC) and query.until.tzinfo is UTC
    zoned = datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=-5)))
    assert OutcomeQuery(since=zoned).since == datetime(2026, 1, 1, 17, tzinfo=UTC)


def test_until_before_since_names_until() -> None:
    error = _error(since="2026-02-01", until="2026-01-01")
    assert (error["loc"], error["type"]) == (("until",), "before_since")
    assert error["msg"] == "must not be before since (2026-02-01T00:00:00+00:00)"
    same = OutcomeQuery.model_validate({"since": "2026-02-01", "until": "2026-02-01"})
    assert same.since == same.until  # an empty window, not an error


def test_an_invalid_since_is_named_and_until_is_not_blamed() -> None:
    with pytest.raises(ValidationError) as caught:
        OutcomeQuery.model_validate({"since": "yesterday", "until": "2026-01-01"})
    assert [e["loc"] for e in caught.value.errors()] == [("since",)]


def test_a_time_outside_utc_range_is_out_of_range() -> None:
    error = _error(since="0001-01-01T00:00:00+05:00")
    assert (error["loc"], error["type"]) == (("since",), "out_of_range")


@pytest.mark.parametrize(
    ("field", "value"), [("limit", 0), ("limit", MAX_PAGE + 1), ("offset", -1)]
)
def test_page_bounds(field: str, value: int) -> None:
    assert _error(**{field: value})["loc"] == (field,)
    assert OutcomeQuery(limit=MAX_PAGE).limit == MAX_PAGE
