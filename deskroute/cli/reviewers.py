"""`reviewers add` and `reviewers list`: who may sign in to the review page."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from deskroute.cli.render import out
from deskroute.errors import BadInputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(help="People who may sign in to the review page.", no_args_is_help=True)


def _engine() -> Engine:
    """The store alone: managing reviewers needs no model, policies or graph."""
    from deskroute.settings import Settings
    from deskroute.store.db import make_engine

    return make_engine(Settings().resolved_database_url)


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    if not line:
        raise BadInputError("nothing on standard input", field="--password-stdin")
    return line.removesuffix("\n").removesuffix("\r")


def _password_from_terminal() -> str:
    if not sys.stdin.isatty():
        raise BadInputError(
            "no terminal to ask on: send the password on standard input with --password-stdin",
            field="password",
        )
    first: str = typer.prompt("Password", hide_input=True)
    again: str = typer.prompt("Repeat the password", hide_input=True)
    if first != again:
        raise BadInputError("the two passwords differ", field="password", code="mismatch")
    return first


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Letters, digits, '.', '_', '-' or '@'.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from one line of stdin.")
    ] = False,
) -> None:
    """Add a reviewer; the password (at least 10 characters) is asked twice, hidden."""
    from deskroute.review.reviewers import add_reviewer, check_name

    check_name(name)  # before asking for a password it could not use
    password = _password_from_stdin() if password_stdin else _password_from_terminal()
    reviewer = add_reviewer(_engine(), name=name, password=password)
    out.print(f"added reviewer {reviewer.name}", highlight=False)


@app.command()
def disable(name: Annotated[str, typer.Argument(help="The reviewer's name.")]) -> None:
    """Stop a reviewer from signing in; their open sessions end at once."""
    from deskroute.review.reviewers import set_disabled

    set_disabled(_engine(), name=name, disabled=True)
    out.print(f"disabled reviewer {name}", highlight=False)


@app.command()
def enable(name: Annotated[str, typer.Argument(help="The reviewer's name.")]) -> None:
    """Let a disabled reviewer sign in again."""
    from deskroute.review.reviewers import set_disabled

    set_disabled(_engine(), name=name, disabled=False)
    out.print(f"enabled reviewer {name}", highlight=False)


@app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List reviewers by name."""
    from deskroute.review.reviewers import list_reviewers

    reviewers = list_reviewers(_engine())
    if as_json:
        for reviewer in reviewers:
            out.print(reviewer.model_dump_json(), soft_wrap=True, highlight=False)
        return
    table = Table(
        "name",
        "added",
        "status",
        title=f"{len(reviewers)} reviewer{'' if len(reviewers) == 1 else 's'}",
    )
    for reviewer in reviewers:
        added = reviewer.created_at.strftime("%Y-%m-%d %H:%M UTC")
        table.add_row(reviewer.name, added, "disabled" if reviewer.disabled else "active")
    out.print(table)
