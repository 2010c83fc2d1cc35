"""The demo: every ticket shows what its line says, in its own store, readable in 80 columns."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlmodel import Session, func, select

from deskroute.demo import DEMO_TICKETS, FAULT_TICKET, demo_settings, run_demo
from deskroute.store.db import make_engine
from deskroute.store.tables import Customer, Invoice, Ticket


def test_every_demo_ticket_shows_what_it_claims(settings) -> None:
    _, results = run_demo(settings)
    wrong = []
    for demo_ticket, record in results:
        if demo_ticket.expect == "routed":
            ok = not record.escalated and record.duplicate_of is None
        elif demo_ticket.expect == "duplicate":
            ok = record.duplicate_of is not None
        else:
            ok = record.escalated and demo_ticket.expect in record.escalation_reasons
        if not ok:
            wrong.append(
                f"{demo_ticket.shows}: {record.category} ({record.confidence}), "
                f"escalated={record.escalated} {record.escalation_reasons}"
            )
    assert not wrong, "\n".join(wrong)


def _count(url: str, table: type[Customer] | type[Invoice] | type[Ticket]) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(table)).one()
    finally:
        engine.dispose()


def test_the_demo_seeds_its_own_store_and_leaves_a_configured_database_alone(
    cli, postgres_url: str
) -> None:
    done = cli("demo", DESKROUTE_DATABASE_URL=postgres_url)
    assert done.returncode == 0, done.stderr
    demo_store = re.search(r"^Demo store: (\S+)$", done.stdout, re.MULTILINE)
    assert demo_store is not None, done.stdout
    assert demo_store[1] != postgres_url
    assert _count(demo_store[1], Customer) == 24 and _count(demo_store[1], Invoice) > 0
    assert _count(demo_store[1], Ticket) == len(DEMO_TICKETS) + 1
    assert _count(postgres_url, Customer) == 0 and _count(postgres_url, Ticket) == 0


def test_the_demo_fits_80_columns_with_every_ticket_id_in_full(demo_model: Path) -> None:
    # A short home, so that the demo store's path fits on its line too.
    with tempfile.TemporaryDirectory(prefix="dr-") as home:
        env = {
            **os.environ,
            "DESKROUTE_HOME": home,
            "DESKROUTE_MODEL_PATH": str(demo_model),
            "COLUMNS": "80",
        }
        done = subprocess.run(
            [sys.executable, "-m", "deskroute", "demo"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        engine = make_engine(f"sqlite:///{Path(home) / 'demo' / 'deskroute.db'}")
        with Session(engine) as session:
            ids = list(session.exec(select(Ticket.id)))
        engine.dispose()
    lines = done.stdout.splitlines()
    assert [line for line in lines if len(line) > 80] == []
    assert len(ids) == len(DEMO_TICKETS) + 1
    listed = [line.split()[1] for line in lines if re.match(r"\s*\d+ tkt_", line)]
    assert sorted(listed) == sorted(ids)
    words = " ".join(done.stdout.split())  # what each ticket shows may wrap onto a second line
    for demo_ticket in [*DEMO_TICKETS, FAULT_TICKET]:
        assert demo_ticket.shows in words, demo_ticket.shows


def test_the_demo_redacts_card_numbers_at_rest(settings) -> None:
    assert not settings.redact_at_rest  # off unless asked for
    assert demo_settings(settings).redact_at_rest
