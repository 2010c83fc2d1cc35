"""How long `deskroute report --since 7d --compare-previous` takes on a large store.

Fills a throwaway store with --rows synthetic outcomes spread over --days (the tickets behind
them with their escalations, reviews, assignment history and SLA clocks, from
`deskroute.analytics.history`; bulk-loaded: executemany on SQLite, COPY on PostgreSQL), then
times `compute_metrics` for the last 7 days against the 7 before, overall and by category.
The store is dropped afterwards: a temporary SQLite file, or a schema of its own in the
PostgreSQL database at --postgres-url. Target: under 2 s on each.

    uv run python bench/report_speed.py [--rows 1000000] [--days 90] [--db sqlite|postgres] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

import psycopg
from sqlalchemy import JSON, Boolean, Engine, Table, make_url
from sqlmodel import Session, SQLModel, func, select

from deskroute.analytics.history import TABLES, HistoryPlan, generate, shapes_from
from deskroute.analytics.metrics import compute_metrics
from deskroute.analytics.query import MetricsQuery
from deskroute.policies import load_policies
from deskroute.policies.llm_prices import load_llm_prices
from deskroute.settings import PROJECT_ROOT
from deskroute.store.db import make_engine, transaction
from deskroute.store.tables import Agent, Outcome
from deskroute.store.types import UTCDateTime

TARGET_S = 2.0
AGENTS = 60
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def throwaway_store(db: str, postgres_url: str) -> Iterator[str]:
    """The URL of an empty store, removed afterwards."""
    if db == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'report-speed.db'}"
        return
    schema = f"report_speed_{uuid.uuid4().hex[:10]}"
    plain = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
            yield url.render_as_string(hide_password=False)
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _converter(table: Table, names: list[str], sqlite: bool) -> list[Any]:
    """Per column, how a generated value becomes what the driver writes (as the engine's
    types would have bound it: naive UTC times, JSON text, 0/1 on SQLite)."""

    def time_text(v: datetime | None) -> Any:
        """The generator's times are UTC already; SQLite keeps them as text with microseconds
        (SQLAlchemy's format: text comparisons need every value at the same length)."""
        if v is None:
            return None
        naive = v.replace(tzinfo=None)
        if not sqlite:
            return naive
        text = naive.isoformat(sep=" ")
        return text if naive.microsecond else f"{text}.000000"

    converters: list[Any] = []
    for name in names:
        kind = table.c[name].type
        if isinstance(kind, UTCDateTime):
            converters.append(time_text)
        elif isinstance(kind, JSON):
            converters.append(json.dumps)
        elif isinstance(kind, Boolean) and sqlite:
            converters.append(lambda v: None if v is None else int(v))
        else:
            converters.append(None)
    return converters


def _tuples(table: Table, rows: list[dict[str, Any]], sqlite: bool) -> tuple[list[str], list[Any]]:
    names = list(rows[0])
    converters = _converter(table, names, sqlite)
    pairs = list(zip(names, converters, strict=True))
    return names, [tuple(row[n] if c is None else c(row[n]) for n, c in pairs) for row in rows]


def bulk_load(engine: Engine, plan: HistoryPlan) -> dict[str, int]:
    """Write the plan's rows with the driver's fastest path; rows written per table."""
    counts = dict.fromkeys(TABLES, 0)
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for rows in generate(plan):
            for name in TABLES:
                if not rows[name]:
                    continue
                table = SQLModel.metadata.tables[name]
                names, values = _tuples(table, rows[name], sqlite)
                columns = ", ".join(names)
                if sqlite:
                    marks = ", ".join("?" * len(names))
                    cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", values)
                else:
                    with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                        for value in values:
                            copy.write_row(value)
                counts[name] += len(values)
            raw.commit()
        cursor.close()
    finally:
        raw.close()
    return counts


def _analyze(engine: Engine) -> None:
    """Fresh planner statistics (and PostgreSQL's visibility map, for index-only scans)."""
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            raw.execute("ANALYZE")
            raw.commit()
        else:
            driver = raw.driver_connection
            if not isinstance(driver, psycopg.Connection):
                raise TypeError("the PostgreSQL store is not on psycopg")
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
    finally:
        raw.close()


def _agents(engine: Engine, now: datetime) -> list[tuple[int, str]]:
    with transaction(engine) as session:
        for i in range(AGENTS):
            session.add(
                Agent(
                    name=f"agent-{i:02d}",
                    skills=[],
                    languages=["en"],
                    tiers=[],
                    capacity=8,
                    status="online" if i % 3 else "offline",
                    status_changed_at=now,
                    created_at=now,
                )
            )
    with Session(engine) as session:
        return [(a.id, a.name) for a in session.exec(select(Agent)) if a.id is not None]


def _time(engine: Engine, query: MetricsQuery, now: datetime, runs: int) -> list[float]:
    prices = load_llm_prices(PROJECT_ROOT / "policies")
    seconds = []
    for _ in range(runs):
        with Session(engine) as session:
            started = perf_counter()
            report = compute_metrics(session, query, prices=prices, now=now)
            seconds.append(perf_counter() - started)
    if report.current.total.tickets_in == 0:
        raise SystemExit("the period holds no tickets: the store was not filled")
    return seconds


def run(rows: int, days: int, db: str, postgres_url: str, runs: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    policies = load_policies(PROJECT_ROOT / "policies")
    with throwaway_store(db, postgres_url) as url:
        engine = make_engine(url)
        try:
            plan = HistoryPlan(
                outcomes=rows,
                days=days,
                end=now,
                shapes=shapes_from(policies),
                agents=_agents(engine, now),
                prefix="b",
                chunk=20_000,
            )
            started = perf_counter()
            counts = bulk_load(engine, plan)
            _analyze(engine)
            fill_s = perf_counter() - started
            with Session(engine) as session:
                stored = session.exec(select(func.count()).select_from(Outcome)).one()
            weekly = MetricsQuery(since="7d", compare_previous=True)
            first = _time(engine, weekly, now, 1)[0]
            plain = _time(engine, weekly, now, runs)
            by_category = _time(engine, weekly.model_copy(update={"by": "category"}), now, runs)
            with Session(engine) as session:
                report = compute_metrics(
                    session, weekly, prices=load_llm_prices(PROJECT_ROOT / "policies"), now=now
                )
        finally:
            engine.dispose()
    median = statistics.median(plain)
    return {
        "db": db,
        "outcomes": int(stored),
        "rows": counts,
        "days": days,
        "fill_s": round(fill_s, 1),
        "tickets_last_7d": report.current.total.tickets_in,
        "tickets_7d_before": report.previous.total.tickets_in if report.previous else 0,
        "report_first_s": round(first, 3),
        "report_s": round(median, 3),
        "report_by_category_s": round(statistics.median(by_category), 3),
        "runs": runs,
        "target_s": TARGET_S,
        "met": max(median, statistics.median(by_category)) < TARGET_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="Outcomes to store.")
    parser.add_argument("--days", type=int, default=90, help="Days they spread over.")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--runs", type=int, default=3, help="Timed runs (the median counts).")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args()
    if args.rows < 1000 or args.days < 14:
        raise SystemExit("use --rows >= 1000 and --days >= 14 (two weeks to compare)")
    result = run(args.rows, args.days, args.db, args.postgres_url, args.runs)
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{result['db']}: {result['outcomes']:,} outcomes over {result['days']} days "
        f"(filled in {result['fill_s']} s)"
    )
    print(
        f"  last 7 days: {result['tickets_last_7d']:,} tickets, the 7 before: "
        f"{result['tickets_7d_before']:,}"
    )
    print(
        f"  report 7d + previous: {result['report_s']} s (median of {result['runs']}; "
        f"first run {result['report_first_s']} s); by category: "
        f"{result['report_by_category_s']} s; target < {TARGET_S} s: "
        f"{'met' if result['met'] else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
