"""Alembic's environment. DeskRoute runs it through `deskroute.store.schema`, which hands over
an open connection already inside the transaction (and lock) the whole upgrade runs in."""

from __future__ import annotations

from typing import Literal

from alembic import context
from sqlmodel import AutoString, SQLModel

from deskroute.store import tables  # noqa: F401 - registers the tables on the metadata
from deskroute.store.types import UTCDateTime

target = SQLModel.metadata


def _ours(name: str | None, type_: str, _parents: object) -> bool:
    """Autogenerate compares DeskRoute's tables only: others in the same database (a
    checkpointer's, say) are not ours to drop."""
    return type_ != "table" or name in target.tables


def _plain_type(type_: str, obj: object, _context: object) -> str | Literal[False]:
    """Revisions name plain SQLAlchemy types, never the models' Python-side wrappers, so that
    an old revision still runs after the models change."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=target,
    include_name=_ours,
    render_item=_plain_type,
    # SQLite alters little in place: autogenerate writes batch operations (copy and rename).
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
