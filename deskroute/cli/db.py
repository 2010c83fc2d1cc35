"""`db status` and `db upgrade`: the store's schema against this release's. They are the only
commands that open a store whose schema is behind; every other one refuses it."""

from __future__ import annotations

from typing import Annotated

import typer

from deskroute.cli.render import out
from deskroute.settings import Settings

app = typer.Typer(help="The store's schema: where it stands, and upgrades.", no_args_is_help=True)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Show the store's schema revision against this release's newest."""
    from deskroute.store.db import store_status

    found = store_status(Settings().resolved_database_url)
    if as_json:
        out.print_json(found.model_dump_json())
        return
    out.print(f"store   {found.store}", soft_wrap=True, highlight=False)
    out.print(f"schema  {found.current or '(none)'}", highlight=False)
    out.print(f"head    {found.head}", highlight=False)
    out.print(found.explanation, soft_wrap=True, highlight=False)


@app.command()
def upgrade() -> None:
    """Bring the store to this release's schema in one transaction, keeping every record.
    Back the store up first: an upgraded store does not open with an older release."""
    from deskroute.store.db import upgrade_store

    done = upgrade_store(Settings().resolved_database_url)
    before, after = done.before, done.after
    if before.state == "current":
        message = f"{after.store} is already at {after.head}; nothing to do"
    elif before.state == "empty":
        message = f"created the schema at {after.current} in {after.store}"
    else:
        since = before.current or "a release before schema versioning"
        message = f"upgraded {after.store} from {since} to {after.current}"
    out.print(message, soft_wrap=True, highlight=False)
