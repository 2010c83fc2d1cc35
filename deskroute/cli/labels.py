"""`deskroute corrections conflicts|settle`: texts reviewers labelled differently, which
training leaves out until a lead settles them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from deskroute.cli.render import out
from deskroute.settings import Settings


def conflicts(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line.")] = False,
) -> None:
    """Disputed texts, oldest first: each reviewer's latest label; training leaves them out."""
    from deskroute.registry.context import Registry
    from deskroute.registry.reviewed import conflicts as find

    rows = find(Registry.open(Settings()))
    if as_json:
        for row in rows:
            out.print(row.model_dump_json(), soft_wrap=True, highlight=False, markup=False)
        return
    if not rows:
        out.print("no disputed labels")
        return
    table = Table("key", "text", "labels", "corrections", "newest")
    for row in rows:
        table.add_row(
            row.key,
            row.text[:80],
            ", ".join(f"{who}: {label}" for who, label in row.labels.items()),
            ", ".join(f"#{i}" for i in row.correction_ids),
            row.newest_at.strftime("%Y-%m-%d %H:%M"),
        )
    out.print(table)
    out.print("settle one with: deskroute corrections settle KEY CATEGORY --by NAME")


def settle(
    key: Annotated[str, typer.Argument(help="The dispute's key (or its first characters).")],
    category: Annotated[str, typer.Argument(help="The label the text should have.")],
    by: Annotated[
        str, typer.Option("--by", envvar="DESKROUTE_REVIEWER", help="Who settles it (your name).")
    ],
) -> None:
    """Settle a dispute: this label overrides every earlier one for the text."""
    from deskroute.registry.context import Registry
    from deskroute.registry.reviewed import settle as run

    settled = run(Registry.open(Settings()), key, category=category, by=by)
    out.print(f"settled {settled} as {category}: the next retrain uses it", highlight=False)


def register(corrections: typer.Typer) -> None:
    corrections.command("conflicts")(conflicts)
    corrections.command("settle")(settle)
