"""Seed the demo CRM (customers, subscriptions, invoices, logins, known issues, catalog) and
the demo organisation's agents.

Seed files give dates as days relative to now, so the demo data is fresh whenever it is seeded.
Only stores that ask for it get it (`Settings.resolved_seed_demo`): never a team's own database.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, func
from sqlmodel import select

from deskroute.assignment.hours import parse_hours
from deskroute.errors import ConfigError
from deskroute.models.agents import AgentIn
from deskroute.models.context import Tier
from deskroute.policies.loader import read_yaml, validate_file
from deskroute.store import crm
from deskroute.store.db import transaction
from deskroute.store.tables import (
    Agent,
    ContentTranslation,
    Customer,
    HelpArticle,
    Invoice,
    KnownIssue,
    LoginEvent,
    Plan,
    Subscription,
)
from deskroute.store.types import utcnow

SEED_DIR = Path(__file__).resolve().parents[1] / "seed"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeedSubscription(_Strict):
    plan: str
    seats: int
    monthly_amount: float
    currency: str
    status: Literal["active", "past_due", "cancelled", "trialing"]
    started_days_ago: int
    renews_in_days: int


class SeedInvoice(_Strict):
    number: str
    amount: float
    currency: str
    status: Literal["paid", "open", "overdue", "failed", "refunded"]
    issued_days_ago: int
    due_in_days: int
    description: str


class SeedLogin(_Strict):
    days_ago: float
    success: bool
    ip: str
    country: str
    method: Literal["password", "sso", "api_key"]
    failure_reason: Literal["wrong_password", "2fa_failed", "locked", "sso_error"] | None = None


class SeedCustomer(_Strict):
    id: str
    name: str
    contact_name: str
    email: str
    tier: Tier
    plan: str
    account_value: int
    country: str
    language: str
    timezone: str
    status: Literal["active", "suspended", "cancelled"]
    subscription: SeedSubscription | None = None
    invoices: list[SeedInvoice] = Field(default_factory=list)
    logins: list[SeedLogin] = Field(default_factory=list)


class SeedKnownIssue(_Strict):
    id: str
    title: str
    component: str
    status: Literal["investigating", "identified", "monitoring", "resolved"]
    is_outage: bool = False
    started_days_ago: int
    keywords: list[str]
    workaround: str | None = None


class CrmSeed(_Strict):
    customers: list[SeedCustomer]
    known_issues: list[SeedKnownIssue]


class SeedPlan(_Strict):
    name: str
    price_per_seat: float
    currency: str
    min_seats: int
    features: list[str]


class SeedArticle(_Strict):
    id: str
    title: str
    url: str
    summary: str
    keywords: list[str]


class Catalog(_Strict):
    plans: list[SeedPlan]
    help_articles: list[SeedArticle]


class AgentsSeed(_Strict):
    agents: list[AgentIn]


class IssueText(_Strict):
    title: str
    workaround: str | None = None


class ArticleText(_Strict):
    title: str
    summary: str


class PlanText(_Strict):
    features: list[str]


class Translations(_Strict):
    """By item id (a plan's name), then language."""

    known_issues: dict[str, dict[str, IssueText]] = Field(default_factory=dict)
    help_articles: dict[str, dict[str, ArticleText]] = Field(default_factory=dict)
    plans: dict[str, dict[str, PlanText]] = Field(default_factory=dict)

    def rows(self, records: CrmSeed, catalog: Catalog, file: Path) -> list[ContentTranslation]:
        """One row per item and language; an id the CRM does not have is an error."""
        known = {
            "known_issues": {k.id for k in records.known_issues},
            "help_articles": {a.id for a in catalog.help_articles},
            "plans": {p.name for p in catalog.plans},
        }
        kinds = {"known_issues": "known_issue", "help_articles": "help_article", "plans": "plan"}
        rows = []
        for field, kind in kinds.items():
            items: dict[str, dict[str, BaseModel]] = getattr(self, field)
            for item_id, languages in items.items():
                if item_id not in known[field]:
                    raise ConfigError(f"no such item: {item_id}", file=str(file), key=field)
                rows += [
                    ContentTranslation(
                        kind=kind,
                        item_id=item_id,
                        language=language,
                        texts=text.model_dump(exclude_none=True),
                    )
                    for language, text in languages.items()
                ]
        return rows


def is_seeded(engine: Engine) -> bool:
    with transaction(engine) as session:
        return bool(session.exec(select(func.count()).select_from(Customer)).one())


def seed_demo(engine: Engine, seed_dir: Path = SEED_DIR) -> None:
    """Insert the demo CRM unless customers already exist."""
    if is_seeded(engine):
        return
    crm = validate_file(seed_dir / "crm.yaml", CrmSeed, read_yaml(seed_dir / "crm.yaml"))
    catalog = validate_file(
        seed_dir / "catalog.yaml", Catalog, read_yaml(seed_dir / "catalog.yaml")
    )
    texts = seed_dir / "translations.yaml"
    translations = validate_file(texts, Translations, read_yaml(texts)) if texts.is_file() else None
    people = seed_dir / "agents.yaml"
    agents = validate_file(people, AgentsSeed, read_yaml(people)).agents if people.is_file() else []
    now = utcnow()

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    with transaction(engine) as session:
        for c in crm.customers:
            session.add(Customer(**c.model_dump(exclude={"subscription", "invoices", "logins"})))
        session.flush()
        for c in crm.customers:
            if s := c.subscription:
                session.add(
                    Subscription(
                        customer_id=c.id,
                        plan=s.plan,
                        seats=s.seats,
                        monthly_amount=s.monthly_amount,
                        currency=s.currency,
                        status=s.status,
                        started_at=ago(s.started_days_ago),
                        renews_at=ago(-s.renews_in_days),
                    )
                )
            for i in c.invoices:
                session.add(
                    Invoice(
                        number=i.number,
                        customer_id=c.id,
                        amount=i.amount,
                        currency=i.currency,
                        status=i.status,
                        issued_at=ago(i.issued_days_ago),
                        due_at=ago(-i.due_in_days),
                        description=i.description,
                    )
                )
            for e in c.logins:
                session.add(
                    LoginEvent(
                        customer_id=c.id,
                        at=ago(e.days_ago),
                        success=e.success,
                        ip=e.ip,
                        country=e.country,
                        method=e.method,
                        failure_reason=e.failure_reason,
                    )
                )
        for k in crm.known_issues:
            session.add(
                KnownIssue(
                    id=k.id,
                    title=k.title,
                    component=k.component,
                    status=k.status,
                    is_outage=k.is_outage,
                    started_at=ago(k.started_days_ago),
                    keywords=k.keywords,
                    workaround=k.workaround,
                )
            )
        for plan in catalog.plans:
            session.add(Plan(**plan.model_dump()))
        for article in catalog.help_articles:
            session.add(HelpArticle(**article.model_dump()))
        if translations is not None:
            session.add_all(translations.rows(crm, catalog, texts))
        for agent in agents:
            fields = {**agent.model_dump(), "hours": parse_hours(agent.hours)}
            session.add(Agent(**fields, status_changed_at=now, created_at=now))


def clone_customers(engine: Engine, count: int) -> list[str]:
    """Add `count` customers copied from the demo CRM (subscription, invoices, logins), each
    under a new id and e-mail: load tests need many distinct known senders."""
    with transaction(engine) as session:
        originals = list(session.exec(select(Customer).order_by(Customer.id)))
        ids = []
        for n in range(count):
            source = originals[n % len(originals)]
            new_id = f"C-{9_000_000 + n}"
            ids.append(new_id)
            session.add(
                Customer(
                    **{
                        **source.model_dump(),
                        "id": new_id,
                        "email": f"load-{n}@{source.email.split('@')[1]}",
                    }
                )
            )
            sub = crm.get_subscription(session, customer_id=source.id)
            if sub is not None:
                session.add(
                    Subscription(**{**sub.model_dump(exclude={"id"}), "customer_id": new_id})
                )
            for i, invoice in enumerate(crm.list_invoices(session, customer_id=source.id, limit=3)):
                session.add(
                    Invoice(
                        **{
                            **invoice.model_dump(),
                            "customer_id": new_id,
                            "number": f"LDT-{n:04d}-{i:04d}",
                        }
                    )
                )
            for event in crm.login_history(session, customer_id=source.id, limit=10):
                session.add(
                    LoginEvent(**{**event.model_dump(exclude={"id"}), "customer_id": new_id})
                )
        return ids
