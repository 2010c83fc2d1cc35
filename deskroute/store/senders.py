"""Queries over one sender's tickets, matched by customer id or by e-mail address.

Written as a UNION of two indexed lookups: with `customer_id = ? OR customer_email = ?`
SQLite's planner may walk the status or date index instead, which grows with the whole
ticket history rather than with the sender's few tickets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, union
from sqlmodel import col, select

from deskroute.store.tables import Ticket


def sender_tickets(columns: list[Any], conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """Newest first; bind `customer` and `email` (either may be None), `limit`, and the
    conditions' own parameters."""
    by_id = select(*columns).where(col(Ticket.customer_id) == bindparam("customer"), *conditions)
    by_email = select(*columns).where(col(Ticket.customer_email) == bindparam("email"), *conditions)
    rows = union(by_id, by_email).subquery()
    return select(*rows.c).order_by(col(rows.c.created_at).desc()).limit(bindparam("limit"))
