"""Where benchmark data lives: the steering side's datasets beside the checkout, never copies."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BANKING77 = SHARED / "datasets" / "banking77" / "train.csv"
OUT_OF_SCOPE = ROOT / "bench" / "data" / "out_of_scope.csv"


def banking77() -> tuple[list[str], list[str]]:
    if not BANKING77.is_file():
        sys.exit(
            f"skipped: {BANKING77} is absent (the shared datasets must sit beside the "
            "checkout as ../shared)"
        )
    with BANKING77.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def out_of_scope() -> list[str]:
    with OUT_OF_SCOPE.open(newline="", encoding="utf-8") as f:
        return [r["text"] for r in csv.DictReader(f)]
