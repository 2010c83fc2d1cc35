"""`db status` and `db upgrade` on a store made by the release before schema versioning; every
other command, `serve` included, refuses that store and names the command that fixes it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from helpers import release_sqlite_store

from deskroute.store.schema import HEAD

HINT = 'run "deskroute db upgrade"'


def _one_line(text: str) -> str:
    """The terminal wraps long messages: compare them as one line."""
    return " ".join(text.split())


def test_commands_refuse_a_release_store_until_db_upgrade(cli, tmp_path: Path) -> None:
    url = release_sqlite_store(tmp_path)

    refused = cli("outcomes", "list", DESKROUTE_DATABASE_URL=url)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"before schema versioning: {HINT}" in _one_line(refused.stderr)
    status = cli("db", "status", DESKROUTE_DATABASE_URL=url)
    assert status.returncode == 0
    assert "schema (none)" in _one_line(status.stdout) and HINT in _one_line(status.stdout)

    upgraded = cli("db", "upgrade", DESKROUTE_DATABASE_URL=url)
    again = cli("db", "upgrade", DESKROUTE_DATABASE_URL=url)

    assert upgraded.returncode == 0
    assert f"from a release before schema versioning to {HEAD}" in _one_line(upgraded.stdout)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    status = cli("db", "status", "--json", DESKROUTE_DATABASE_URL=url)
    assert json.loads(status.stdout) | {"store": url} == {
        "store": url,
        "state": "current",
        "current": HEAD,
        "head": HEAD,
        "explanation": f"the schema is at {HEAD}, this release's newest revision",
    }
    listed = cli("outcomes", "list", "--limit", "1", DESKROUTE_DATABASE_URL=url)
    assert listed.returncode == 0 and "1 of 20 outcomes" in listed.stdout


def test_db_upgrade_creates_an_empty_store_at_head(cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'store.db'}"

    done = cli("db", "upgrade", DESKROUTE_DATABASE_URL=url)

    assert done.returncode == 0 and f"created the schema at {HEAD}" in _one_line(done.stdout)


def test_serve_refuses_a_release_store(tmp_path: Path, demo_model: Path) -> None:
    url = release_sqlite_store(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    env = {
        **os.environ,
        "DESKROUTE_DATABASE_URL": url,
        "DESKROUTE_MODEL_PATH": str(demo_model),
        "COLUMNS": "400",
    }

    done = subprocess.run(
        [sys.executable, "-m", "deskroute", "serve", "--insecure", "--port", port],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 2, done.stderr
    assert HINT in _one_line(done.stderr) and "Traceback" not in done.stderr
