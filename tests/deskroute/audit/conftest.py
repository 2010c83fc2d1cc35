"""The hand-built event log of `audit_log.py`, written for each test."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_log import write_log


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return write_log(tmp_path / "history.csv")
