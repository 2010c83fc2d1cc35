"""Corrections: the labelled examples reviews leave behind, listed and exported in the form
`deskroute train` reads (a `text` and a `category` column, plus provenance)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session

from deskroute.errors import BadInputError
from deskroute.runtime import Workspace
from deskroute.store import reviews
from deskroute.store.tables import Correction

CorrectionKind = Literal["corrected", "confirmed"]
KINDS: tuple[CorrectionKind, ...] = ("corrected", "confirmed")
COLUMNS = (
    "text",
    "category",
    "kind",
    "predicted",
    "confidence",
    "reviewer",
    "ticket_id",
    "created_at",
)


class CorrectionOut(BaseModel):
    """One labelled example: the ticket's text, the category a person chose or confirmed,
    and what the classifier had predicted."""

    text: str
    category: str
    kind: CorrectionKind
    predicted: str | None
    confidence: float | None
    reviewer: str
    ticket_id: str
    created_at: datetime


def _kind(kind: str | None) -> CorrectionKind | None:
    if kind is None:
        return None
    if kind not in KINDS:
        raise BadInputError(f"unknown kind {kind!r}; use corrected or confirmed", field="kind")
    return kind


def list_corrections(
    ws: Workspace, *, kind: str | None = None, limit: int | None = None, newest_first: bool = False
) -> list[CorrectionOut]:
    """The labelled examples, oldest first (the order `deskroute train` reads them in), or
    newest first for a person looking at the latest."""
    with Session(ws.engine) as session:
        rows = reviews.list_corrections(
            session, kind=_kind(kind), limit=limit, newest_first=newest_first
        )
    return [correction_out(r) for r in rows]


def correction_out(row: Correction) -> CorrectionOut:
    return CorrectionOut(
        text=row.text,
        category=row.category,
        kind=_kind(row.kind) or "corrected",
        predicted=row.predicted,
        confidence=row.confidence,
        reviewer=row.reviewer,
        ticket_id=row.ticket_id,
        created_at=row.created_at,
    )


def export_corrections(ws: Workspace, path: Path, *, kind: str | None = None) -> int:
    """Write every correction (of `kind`) to a .csv or .jsonl file; how many were written."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise BadInputError("use a .csv or .jsonl file name", field=str(path))
    rows = list_corrections(ws, kind=kind)
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            if suffix == ".csv":
                writer = csv.DictWriter(f, fieldnames=COLUMNS)
                writer.writeheader()
                for row in rows:
                    writer.writerow(row.model_dump(mode="json"))
            else:
                for row in rows:
                    f.write(json.dumps(row.model_dump(mode="json"), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise BadInputError(f"cannot write it: {exc}", field=str(path)) from exc
    return len(rows)
