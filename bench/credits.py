"""Goodwill credits against the cap: what customers asked for, what ran without a person.

Replays a run of goodwill-credit tickets (by default ten per customer for three customers, in
EUR and USD, amounts varied and some written with thousands separators or decimal commas)
through the service on a fresh SQLite store, then reports per customer: the total asked for,
the total executed (read back from the store's credits), the cap from
`policies/specialists.yaml`, and how many credits were proposed to a person instead (those
without an amount: the ticket's amount was ambiguous). Tickets that never reached the billing
specialist (an unsure classification, a repeat linked to an open ticket) are counted apart.

    uv run python bench/credits.py [--per-customer 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlmodel import Session, select

from deskroute.bench import GOODWILL_INCIDENTS as INCIDENTS
from deskroute.bench import bench_settings
from deskroute.runtime import open_workspace
from deskroute.service import route_new
from deskroute.settings import Settings
from deskroute.store.tables import Credit

# (customer, currency, [(as written, the amount meant)]): every ticket under the 50 limit but
# the thousands; "1.000 EUR" in an English ticket is ambiguous (1.00 or 1,000.00).
CUSTOMERS = [
    (
        "C-1001",
        "EUR",
        [
            ("45 EUR", "45"),
            ("30 EUR", "30"),
            ("49,90 €", "49.90"),
            ("€1,000", "1000"),
            ("20 EUR", "20"),
            ("EUR 40.-", "40"),
            ("35 €", "35"),
            ("25 EUR", "25"),
            ("48 EUR", "48"),
            ("50 EUR", "50"),
        ],
    ),
    (
        "C-1002",
        "USD",
        [
            ("$25", "25"),
            ("$1,000", "1000"),
            ("40 USD", "40"),
            ("$19.99", "19.99"),
            ("USD 30", "30"),
            ("$45.50", "45.50"),
            ("$1,234.56", "1234.56"),
            ("12 dollars", "12"),
            ("$49", "49"),
            ("$10", "10"),
        ],
    ),
    (
        "C-1003",
        "EUR",
        [
            ("1.000 EUR", "1000"),
            ("15 €", "15"),
            ("1 000 €", "1000"),
            ("33,33 €", "33.33"),
            ("EUR 49.-", "49"),
            ("1.000,00 EUR", "1000"),
            ("22 EUR", "22"),
            ("40 euros", "40"),
            ("€18", "18"),
            ("27,50 EUR", "27.50"),
        ],
    ),
]


@dataclass
class CustomerCredits:
    customer: str
    currency: str
    tickets: int
    requested: Decimal
    requested_within_limit: Decimal
    """What the tickets asking for at most the per-credit limit add up to: without a cap, all
    of it would have been credited without a person."""
    executed: Decimal
    cap: Decimal
    executed_credits: int
    proposals: int
    without_amount: int
    not_at_billing: int


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0)).quantize(Decimal("0.01"))


def _body(incident: str, amount: str) -> str:
    return f"{incident} Could you give us a goodwill credit of {amount} on our next invoice?"


@dataclass
class Report:
    period_days: int
    customers: list[CustomerCredits]


def run(per_customer: int) -> Report:
    base = Settings()
    open_workspace(base)  # builds the demo model if it is missing
    rows = []
    with tempfile.TemporaryDirectory(prefix="deskroute-credits-") as folder:
        ws = open_workspace(bench_settings(base, folder))
        policy = ws.deps.specialists["billing"].policy
        cap, limit = policy.credit_cap, Decimal(str(policy.credit_limit or 0))
        for customer, currency, asked in CUSTOMERS:
            tickets = [asked[i % len(asked)] for i in range(per_customer)]
            records = [
                route_new(
                    ws,
                    {
                        "channel": "email",
                        "customer_id": customer,
                        "subject": "Goodwill credit",
                        "body": _body(INCIDENTS[i % len(INCIDENTS)], written),
                    },
                )[1]
                for i, (written, _meant) in enumerate(tickets)
            ]
            credits = [a for r in records for a in r.actions if a.tool == "issue_credit"]
            with Session(ws.engine) as session:
                stored = session.exec(select(Credit).where(Credit.customer_id == customer)).all()
            rows.append(
                CustomerCredits(
                    customer=customer,
                    currency=currency,
                    tickets=len(records),
                    requested=_total(Decimal(meant) for _w, meant in tickets),
                    requested_within_limit=_total(
                        Decimal(meant) for _w, meant in tickets if Decimal(meant) <= limit
                    ),
                    executed=_total(Decimal(str(c.amount)) for c in stored),
                    cap=cap.amounts.get(currency, Decimal(0)) if cap else Decimal(0),
                    executed_credits=len(stored),
                    proposals=sum(1 for a in credits if a.status == "proposed"),
                    without_amount=sum(
                        1 for a in credits if a.status == "proposed" and a.args["amount"] is None
                    ),
                    not_at_billing=sum(1 for r in records if "billing" not in r.path),
                )
            )
    return Report(period_days=cap.period_days if cap else 0, customers=rows)


def print_table(report: Report) -> None:
    print(f"credit cap per customer over {report.period_days} days (policies/specialists.yaml)")
    header = (
        f"{'customer':<9}{'tickets':>8}{'requested':>14}{'of it <= limit':>16}{'executed':>14}"
        f"{'cap':>14}{'credits':>9}{'proposed':>10}{'no amount':>11}{'elsewhere':>11}"
    )
    print(header)
    for r in report.customers:
        print(
            f"{r.customer:<9}{r.tickets:>8}{r.requested:>10,.2f} {r.currency}"
            f"{r.requested_within_limit:>12,.2f} {r.currency}{r.executed:>10,.2f} {r.currency}"
            f"{r.cap:>10,.2f} {r.currency}{r.executed_credits:>9}"
            f"{r.proposals:>10}{r.without_amount:>11}{r.not_at_billing:>11}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-customer", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    report = run(args.per_customer)
    if args.json:
        print(json.dumps(asdict(report), default=float))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
