"""Ticket files (CSV or JSONL), labelled for training and evaluation or not yet (bootstrap),
with clear errors."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from deskroute.errors import BadInputError


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    labels: list[str]
    skipped: int


def _rows(path: Path) -> tuple[list[str], list[dict[str, object]]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                rows = list(reader)
                return list(reader.fieldnames or []), rows
        if suffix in (".jsonl", ".ndjson"):
            rows = []
            with path.open(encoding="utf-8") as f:
                for number, line in enumerate(f, start=1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise BadInputError(
                            f"line {number} is not valid JSON: {exc.msg}", field=str(path)
                        ) from exc
                    if not isinstance(row, dict):
                        raise BadInputError(f"line {number} is not a JSON object", field=str(path))
                    rows.append(row)
            columns = sorted({k for row in rows for k in row})
            return columns, rows
    except UnicodeDecodeError as exc:
        raise BadInputError("file is not UTF-8 text", field=str(path)) from exc
    raise BadInputError("unsupported file type; use .csv or .jsonl", field=str(path))


@dataclass(frozen=True)
class Unlabelled:
    texts: list[str]
    rows: list[int]
    """Each text's row number in the file (as an editor shows it: a CSV's header is row 1)."""
    skipped: int
    """Rows with an empty text."""


def load_texts(path: Path, *, text_col: str) -> Unlabelled:
    """The text column of every row; rows with an empty text are counted and left out."""
    if not path.is_file():
        raise BadInputError("file not found", field=str(path))
    columns, rows = _rows(path)
    if text_col not in columns:
        raise BadInputError(
            f"column {text_col!r} not found; the file has: {', '.join(columns) or 'no columns'}",
            field=str(path),
        )
    texts, numbers, skipped = [], [], 0
    for number, row in enumerate(rows, start=2 if path.suffix.lower() == ".csv" else 1):
        text = str(row.get(text_col) or "").strip()
        if not text:
            skipped += 1
            continue
        texts.append(text)
        numbers.append(number)
    if not texts:
        raise BadInputError(f"no row has a text in {text_col!r}", field=str(path))
    return Unlabelled(texts=texts, rows=numbers, skipped=skipped)


def load_labelled(
    path: Path, *, text_col: str, label_col: str, skip_invalid: bool = False
) -> Labelled:
    """Read text and label columns; rows with an empty text or label are an error unless
    `skip_invalid`, in which case they are counted and reported, never silently dropped."""
    if not path.is_file():
        raise BadInputError("file not found", field=str(path))
    columns, rows = _rows(path)
    for col in (text_col, label_col):
        if col not in columns:
            raise BadInputError(
                f"column {col!r} not found; the file has: {', '.join(columns) or 'no columns'}",
                field=str(path),
            )
    texts, labels, bad = [], [], []
    for number, row in enumerate(rows, start=2 if path.suffix.lower() == ".csv" else 1):
        text, label = str(row.get(text_col) or "").strip(), str(row.get(label_col) or "").strip()
        if not text or not label:
            bad.append(number)
            continue
        texts.append(text)
        labels.append(label)
    if bad and not skip_invalid:
        shown = ", ".join(map(str, bad[:5])) + (" ..." if len(bad) > 5 else "")
        raise BadInputError(
            f"{len(bad)} row(s) with an empty text or label (rows {shown}); "
            "fix them or pass --skip-invalid",
            field=str(path),
        )
    if not texts:
        raise BadInputError("no labelled rows", field=str(path))
    return Labelled(texts=texts, labels=labels, skipped=len(bad))
