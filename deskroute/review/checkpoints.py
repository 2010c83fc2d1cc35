"""The checkpointer a paused run waits in: in the store's own database, so a ticket awaiting
review survives a restart with everything else (SQLite file or PostgreSQL)."""

from __future__ import annotations

import sqlite3
import types
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, get_args, get_type_hints

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from pydantic import BaseModel
from sqlalchemy import Engine, make_url

from deskroute.errors import ConfigError


def _models(root: Any) -> Iterator[type]:
    """Every class a value of type `root` may hold: pydantic models, their fields' types."""
    seen: set[Any] = set()
    todo = [root]
    while todo:
        hint = todo.pop()
        if hint in seen or hint is None or isinstance(hint, str | int | float | bool):
            continue
        seen.add(hint)
        todo.extend(get_args(hint))
        origin = typing.get_origin(hint)
        if isinstance(hint, type) and origin is None:
            if issubclass(hint, BaseModel):
                yield hint
                todo.extend(f.annotation for f in hint.model_fields.values())
            elif hint.__module__ not in ("builtins", "typing", "datetime") and not isinstance(
                hint, types.GenericAlias
            ):
                yield hint


def serializer(state: type) -> JsonPlusSerializer:
    """LangGraph's serializer, allowed to restore exactly the classes the state holds (and
    nothing else a tampered checkpoint might name)."""
    allowed = {(cls.__module__, cls.__qualname__) for cls in _models_of(state)}
    return JsonPlusSerializer(allowed_msgpack_modules=sorted(allowed))


def _models_of(state: type) -> Iterator[type]:
    for hint in get_type_hints(state, include_extras=True).values():
        yield from _models(hint)


def open_checkpointer(engine: Engine, state: type) -> BaseCheckpointSaver:
    """A checkpointer in the store's database: SQLite beside the store's tables (its own
    connection), PostgreSQL through a small pool; in memory for an in-memory store."""
    url = engine.url
    serde = serializer(state)
    if url.get_backend_name() == "sqlite":
        path = url.database
        if not path or path == ":memory:":
            return InMemorySaver(serde=serde)
        connection = sqlite3.connect(path, check_same_thread=False, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        saver = SqliteSaver(connection, serde=serde)
        saver.setup()
        return saver
    if url.get_backend_name() == "postgresql":
        return _postgres(engine, serde)
    raise ConfigError(
        f"paused reviews need SQLite or PostgreSQL, not {url.get_backend_name()}",
        file="DESKROUTE_DATABASE_URL",
    )


def _postgres(engine: Engine, serde: JsonPlusSerializer) -> BaseCheckpointSaver:
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool
    except ImportError as exc:
        raise ConfigError(
            "PostgreSQL needs the postgres extra (uv sync --extra postgres)",
            file="DESKROUTE_DATABASE_URL",
        ) from exc
    conninfo = (
        make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    pool = ConnectionPool(
        conninfo,
        min_size=1,
        max_size=8,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=True,
    )
    saver = PostgresSaver(pool, serde=serde)  # type: ignore[arg-type]
    saver.setup()
    return saver


def restore(saver: BaseCheckpointSaver, before: CheckpointTuple) -> None:
    """Put a thread back as it stood at `before`, pending writes included. A resume whose run
    fails leaves its value behind as the paused task's answer, and LangGraph would hand that
    stale answer to the next resume instead of the new one: a refused decision would come
    back however the reviewer decides next."""
    configurable = before.config["configurable"]
    thread_id = configurable["thread_id"]
    if _marks(saver.get_tuple({"configurable": {"thread_id": thread_id}})) == _marks(before):
        return  # the run died before it wrote anything
    saver.delete_thread(thread_id)
    parent: RunnableConfig = before.parent_config or {
        "configurable": {"thread_id": thread_id, "checkpoint_ns": configurable["checkpoint_ns"]}
    }
    saved = saver.put(
        parent, before.checkpoint, before.metadata, before.checkpoint["channel_versions"]
    )
    by_task: defaultdict[str, list[tuple[str, Any]]] = defaultdict(list)
    for task_id, channel, value in before.pending_writes or []:
        by_task[task_id].append((channel, value))
    for task_id, writes in by_task.items():
        saver.put_writes(saved, writes, task_id)


def _marks(item: CheckpointTuple | None) -> tuple[str, set[tuple[str, str]]] | None:
    """A thread's latest checkpoint and which task wrote which channel since."""
    if item is None:
        return None
    writes = {(task_id, channel) for task_id, channel, _value in item.pending_writes or []}
    return item.checkpoint["id"], writes


def checkpoint_bytes(saver: BaseCheckpointSaver, thread_id: str) -> int:
    """What a thread's checkpoints take in the store (for the review bench)."""
    total = 0
    for item in saver.list({"configurable": {"thread_id": thread_id}}):
        total += len(saver.serde.dumps_typed(item.checkpoint)[1])
        total += sum(len(saver.serde.dumps_typed(w[2])[1]) for w in item.pending_writes or [])
    return total
