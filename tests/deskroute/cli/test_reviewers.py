"""`deskroute reviewers`: adding (password from standard input), listing, disabling."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deskroute.review.sessions import sign_in
from deskroute.settings import Settings
from deskroute.store.db import make_engine

PASSWORD = "correct horse battery"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_add_with_password_stdin_then_list(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, f"{PASSWORD}\n")
    added = cli("reviewers", "add", "ana", "--password-stdin")
    assert added.returncode == 0, added.stderr
    assert "added reviewer ana" in added.stdout and PASSWORD not in added.stdout
    listed = cli("reviewers", "list")
    assert listed.returncode == 0 and "ana" in listed.stdout and "active" in listed.stdout
    as_json = [json.loads(line) for line in cli("reviewers", "list", "--json").stdout.splitlines()]
    assert [(r["name"], r["disabled"]) for r in as_json] == [("ana", False)]
    # The password read is the one that signs in (only the line end was taken off).
    engine = make_engine(Settings().resolved_database_url)
    assert sign_in(engine, name="ana", password=PASSWORD).reviewer == "ana"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("ana", "--password-stdin"), "short\n", "password: a password needs at least 10"),
        (("ana", "--password-stdin"), "", "--password-stdin: nothing on standard input"),
        (("bad name", "--password-stdin"), f"{PASSWORD}\n", "name: use 1-64 letters"),
        (("ana",), f"{PASSWORD}\n", "no terminal to ask on: send the password on standard"),
    ],
)
def test_add_refuses_bad_input_with_exit_2(
    cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], stdin: str, message: str
) -> None:
    _stdin(monkeypatch, stdin)
    done = cli("reviewers", "add", *args)
    assert done.returncode == 2
    assert message in " ".join(done.stderr.split()) and "Traceback" not in done.stderr
    assert cli("reviewers", "list", "--json").stdout == ""


def test_duplicate_name_exits_2(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, f"{PASSWORD}\n{PASSWORD}\n")
    assert cli("reviewers", "add", "ana", "--password-stdin").returncode == 0
    again = cli("reviewers", "add", "ana", "--password-stdin")
    assert again.returncode == 2 and "a reviewer named 'ana' already exists" in again.stderr


def test_disable_and_enable(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, f"{PASSWORD}\n")
    cli("reviewers", "add", "ana", "--password-stdin")
    assert cli("reviewers", "disable", "ana").returncode == 0
    assert "disabled" in cli("reviewers", "list").stdout
    assert cli("reviewers", "enable", "ana").returncode == 0
    unknown = cli("reviewers", "disable", "bob")
    assert unknown.returncode == 2 and "no reviewer named 'bob'" in unknown.stderr


def test_real_process_reads_the_password_from_a_pipe(tmp_path: Path) -> None:
    env = {**os.environ, "DESKROUTE_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "deskroute", "reviewers", "add", "ana", "--password-stdin"],
        input=f"{PASSWORD}\r\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'deskroute.db'}")
    assert sign_in(engine, name="ana", password=PASSWORD).reviewer == "ana"
