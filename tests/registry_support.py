"""Small labelled files for registry tests (three categories from the policies' examples)."""

from __future__ import annotations

import csv
from pathlib import Path

from deskroute.policies import Policies

CATEGORIES = ("billing", "account_access", "technical_issue")
PER_CATEGORY = 20


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "category"])
        writer.writerows(rows)
    return path


def examples(policies: Policies, per_category: int = PER_CATEGORY) -> list[tuple[str, str]]:
    return [(t, c) for c in CATEGORIES for t in policies.examples[c][:per_category]]
