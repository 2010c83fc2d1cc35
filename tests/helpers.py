"""Small helpers shared by tests (importable because `tests/` is on pytest's pythonpath)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from deskroute.intake.prepare import prepare_ticket
from deskroute.models.ticket import TicketIn, TicketView
from deskroute.policies import Policies
from deskroute.settings import PROJECT_ROOT


def view(policies: Policies, **fields: Any) -> TicketView:
    """A normalised ticket, as intake hands it to the graph."""
    return prepare_ticket(TicketIn(**fields), policies.intake)


def copy_tree(name: str, target: Path) -> Path:
    """A private copy of `policies/` or `prompts/` that a test may break."""
    destination = target / name
    shutil.copytree(PROJECT_ROOT / name, destination)
    return destination


def edit_yaml(path: Path, change: Any) -> None:
    """Load a YAML file, let `change(data)` modify it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
