"""`deskroute models list|show|promote|rollback`: the model versions in the store, and which
one is served. A running `deskroute serve` switches to a newly served version by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from deskroute.cli.render import out
from deskroute.settings import Settings

if TYPE_CHECKING:
    from deskroute.registry.context import Registry
    from deskroute.registry.promotion import Promotion

app = typer.Typer(help="Model versions: list, inspect, promote, roll back.", no_args_is_help=True)

By = Annotated[
    str, typer.Option("--by", envvar="DESKROUTE_REVIEWER", help="Who decides (your name).")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Version = Annotated[str, typer.Argument(help="A version's name (tickets-v3) or number (3).")]


def _registry() -> Registry:
    from deskroute.registry.context import Registry

    return Registry.open(Settings())


def _json(text: str) -> None:
    out.print(text, soft_wrap=True, highlight=False, markup=False)


@app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line.")] = False,
) -> None:
    """Every version, oldest first, with its figures on the evaluation set."""
    from deskroute.cli.models_render import versions_table
    from deskroute.registry.views import list_versions

    rows = list_versions(_registry())
    if as_json:
        for row in rows:
            _json(row.model_dump_json())
        return
    if not rows:
        out.print("no model versions yet: deskroute train DATA registers one")
        return
    out.print(versions_table(rows))


@app.command()
def show(version: Version, as_json: AsJson = False) -> None:
    """One version: its data, reviewers' labels, evaluation, gate decisions and history."""
    from deskroute.cli.models_render import version_detail
    from deskroute.registry.views import show_version

    detail = show_version(_registry(), version)
    if as_json:
        _json(detail.model_dump_json())
        return
    for part in version_detail(detail):
        out.print(part)


@app.command()
def promote(version: Version, by: By, as_json: AsJson = False) -> None:
    """Serve a version if it passes the gates against the version served now (exit code 3
    when refused: the reasons are recorded on the version)."""
    from deskroute.registry.promotion import promote as run

    _report(run(_registry(), version, by=by), as_json)


@app.command()
def rollback(by: By, as_json: AsJson = False) -> None:
    """Serve again the version served before the current one."""
    from deskroute.registry.promotion import rollback as run

    _report(run(_registry(), by=by), as_json)


def _report(result: Promotion, as_json: bool) -> None:
    from deskroute.cli.models_render import gate_lines

    if as_json:
        _json(result.model_dump_json())
    else:
        if result.decision is not None:
            for line in gate_lines(result.decision):
                out.print(line)
        for note in result.notes:
            out.print(f"note: {note}", highlight=False)
        out.print(_sentence(result), highlight=False)
    if result.outcome == "refused":
        raise typer.Exit(3)


def _sentence(result: Promotion) -> str:
    before = f" (was {result.previous})" if result.previous else ""
    return {
        "promoted": f"{result.version} is now served{before}",
        "rolled_back": f"rolled back: {result.version} is served again, {result.previous} retired",
        "already_served": f"{result.version} is already served",
        "refused": f"{result.version} is refused: it is kept, never served",
    }[result.outcome]
