"""`python -m deskroute.store.migrations MESSAGE`: draft the next revision (see the package's
docstring for what to do with it)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import Script

from deskroute.store.db import open_engine
from deskroute.store.schema import HEAD, alembic_config, upgrade_schema


def draft(message: str) -> Path:
    """Autogenerate against a temporary SQLite store upgraded to the current head."""
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'draft.db'}")
        upgrade_schema(engine)
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            script = command.revision(
                config, message=message, autogenerate=True, rev_id=f"{int(HEAD) + 1:04d}"
            )
        engine.dispose()
    if not isinstance(script, Script):
        raise SystemExit("alembic wrote no revision")
    return Path(script.path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit('usage: python -m deskroute.store.migrations "what changes"')
    print(f"drafted {draft(sys.argv[1])}: review it, format it and set HEAD")
