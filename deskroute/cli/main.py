"""Entry point: builds the Typer app and maps errors to exit codes (0 ok, 2 bad input or not
found, 3 conflict such as a ticket another reviewer already decided, 1 bug).

The command modules import the routing graph (LangGraph, 2-4 s) inside the commands that run
it, so `train`, `eval` and `--help` start without it."""

from __future__ import annotations

import logging
import sys
import traceback

import typer

from deskroute.cli import (
    agents,
    alerts,
    audit,
    bootstrap,
    db,
    evaluation,
    labels,
    llm,
    models,
    outbox,
    outcomes,
    report,
    review,
    reviewers,
    routing,
    serve,
    sla,
    training,
)
from deskroute.cli.render import err
from deskroute.errors import (
    BadInputError,
    ConfigError,
    ConflictError,
    DeskRouteError,
    NotFoundError,
)
from deskroute.settings import Settings

app = typer.Typer(
    name="deskroute",
    help="Support-ticket triage and routing: classify, enrich, hand to a specialist or a person.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
routing.register(app)
training.register(app)
bootstrap.register(app)
evaluation.register(app)
llm.register(app)
serve.register(app)
app.add_typer(outcomes.app, name="outcomes")
review.register(app)
labels.register(review.corrections_app)
app.add_typer(models.app, name="models")
report.register(app)
app.add_typer(reviewers.app, name="reviewers")
app.add_typer(agents.app, name="agents")
app.add_typer(db.app, name="db")
app.add_typer(outbox.app, name="outbox")
app.add_typer(sla.app, name="sla")
app.add_typer(sla.tickets, name="tickets")
audit.register(app)
app.add_typer(alerts.app, name="alerts")


def _log_internal_error(exc: BaseException) -> str:
    settings = Settings()
    path = settings.home / "logs" / "deskroute.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write("".join(traceback.format_exception(exc)))
    return str(path)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except (BadInputError, ConfigError, NotFoundError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)
    except ConflictError as exc:
        err.print(f"[red]conflict:[/red] {exc}", highlight=False)
        sys.exit(3)
    except DeskRouteError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - last resort: one line, traceback to the log
        where = _log_internal_error(exc)
        err.print(
            f"[red]internal error:[/red] {type(exc).__name__}: {exc} (details in {where})",
            highlight=False,
        )
        sys.exit(1)
