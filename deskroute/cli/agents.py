"""`deskroute agents add|list|set-status|remove`: the people tickets are assigned to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from deskroute.cli.render import out

if TYPE_CHECKING:
    from deskroute.assignment.service import Assigner

app = typer.Typer(help="Agents: who works tickets after routing.", no_args_is_help=True)


def _desk() -> Assigner:
    """The store, the policies and the clock: managing agents needs no model or graph."""
    from deskroute.assignment.service import Assigner
    from deskroute.policies import load_policies
    from deskroute.settings import Settings
    from deskroute.store.db import make_engine
    from deskroute.store.seed import seed_demo

    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    if settings.resolved_seed_demo:
        seed_demo(engine)
    return Assigner(engine=engine, policies=load_policies(settings.policies_dir))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Letters, digits, '.', '_', '-', '@' or spaces.")],
    skills: Annotated[str, typer.Option(help="Categories or queues, comma-separated.")],
    languages: Annotated[str, typer.Option(help="Language codes from intake.yaml, e.g. en,de.")],
    capacity: Annotated[int, typer.Option(help="Open tickets at once.")],
    tiers: Annotated[
        str, typer.Option(help="Customer tiers served.")
    ] = "standard,business,enterprise",
    timezone: Annotated[str, typer.Option(help="IANA time zone of the hours.")] = "UTC",
    hours: Annotated[str, typer.Option(help="e.g. 'mon-fri 09:00-17:00'; empty: any time.")] = "",
    lead_of: Annotated[str, typer.Option(help="Queues whose SLA breaches go to them.")] = "",
    status: Annotated[str, typer.Option(help="online, away or offline.")] = "online",
) -> None:
    """Add an agent; when online, they are offered the waiting tickets at once."""
    from pydantic import ValidationError

    from deskroute.assignment.agents import add_agent
    from deskroute.errors import BadInputError
    from deskroute.models.agents import AgentIn

    fields = {
        "name": name,
        "skills": _names(skills),
        "languages": _names(languages),
        "tiers": _names(tiers),
        "capacity": capacity,
        "timezone": timezone,
        "hours": hours,
        "lead_of": _names(lead_of),
        "status": status,
    }
    try:
        agent = AgentIn.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInputError(
            str(first["msg"]), field=f"--{where.split('.')[0].replace('_', '-')}"
        ) from exc
    view = add_agent(_desk(), agent)
    out.print(f"added agent {view.name} ({view.status}, capacity {view.capacity})", highlight=False)


@app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Every agent: status, open tickets against capacity, skills and languages."""
    from deskroute.assignment.agents import list_agents

    agents = list_agents(_desk())
    if as_json:
        for agent in agents:
            out.print(agent.model_dump_json(), soft_wrap=True, highlight=False)
        return
    table = Table(
        "name",
        "status",
        "open/cap",
        "load",
        "skills",
        "lang",
        "hours",
        title=f"{len(agents)} agent{'' if len(agents) == 1 else 's'}",
    )
    for a in agents:
        status = a.status if a.working_now or a.status != "online" else "online (off hours)"
        table.add_row(
            a.name,
            status,
            f"{a.open_tickets}/{a.capacity}",
            str(a.load),
            ",".join(a.skills),
            ",".join(a.languages),
            f"{a.hours} {a.timezone}",
        )
    out.print(table)


@app.command("set-status")
def set_status(
    name: Annotated[str, typer.Argument(help="The agent's name.")],
    status: Annotated[str, typer.Argument(help="online, away or offline.")],
) -> None:
    """Going offline returns the agent's unstarted tickets to the pool; coming online offers
    them the waiting tickets."""
    from deskroute.assignment.agents import get_agent
    from deskroute.assignment.service import set_agent_status
    from deskroute.errors import BadInputError

    if status not in ("online", "away", "offline"):
        raise BadInputError(
            f"unknown status {status!r}; use online, away or offline", field="status"
        )
    desk = _desk()
    set_agent_status(desk, name, status)  # type: ignore[arg-type]
    view = get_agent(desk, name)
    out.print(
        f"{view.name} is {view.status} ({view.open_tickets}/{view.capacity} open)", highlight=False
    )


@app.command()
def remove(name: Annotated[str, typer.Argument(help="The agent's name.")]) -> None:
    """Take an agent off the roster; their open tickets go to others first."""
    from deskroute.assignment.agents import remove_agent

    returned = remove_agent(_desk(), name)
    out.print(
        f"removed agent {name}; {len(returned)} open ticket(s) returned to the pool",
        highlight=False,
    )
