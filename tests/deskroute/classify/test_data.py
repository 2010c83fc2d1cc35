"""Labelled files: CSV and JSONL, with errors that say what is wrong and where."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskroute.classify.data import load_labelled
from deskroute.errors import BadInputError


def test_csv_and_jsonl(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text('text,label\n"hello, world",general\nrefund please,refunds\n', encoding="utf-8")
    assert load_labelled(csv, text_col="text", label_col="label").texts == [
        "hello, world",
        "refund please",
    ]
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text('{"t": "a", "l": "x"}\n\n{"t": "b", "l": "y"}\n', encoding="utf-8")
    assert load_labelled(jsonl, text_col="t", label_col="l").labels == ["x", "y"]


def test_missing_column_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("body,category\nx,y\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="'text' not found; the file has: body, category"):
        load_labelled(path, text_col="text", label_col="category")


def test_empty_rows_are_reported_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("text,label\nok,a\n,b\nfine,\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"2 row\(s\).*rows 3, 4"):
        load_labelled(path, text_col="text", label_col="label")
    result = load_labelled(path, text_col="text", label_col="label", skip_invalid=True)
    assert (result.texts, result.skipped) == (["ok"], 2)


def test_bad_json_line_and_type(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"t": "a", "l": "x"}\n{broken\n', encoding="utf-8")
    with pytest.raises(BadInputError, match="line 2 is not valid JSON"):
        load_labelled(path, text_col="t", label_col="l")
    other = tmp_path / "t.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(BadInputError, match="unsupported"):
        load_labelled(other, text_col="t", label_col="l")
