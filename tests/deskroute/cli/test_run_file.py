"""`deskroute run FILE`: every row is routed or written back with its error, never lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

GOOD = json.dumps({"body": "I can't log in", "customer_id": "C-1012", "channel": "chat"})
BAD_ID = json.dumps({"body": "refund please", "customer_id": "12345"})


def test_without_out_the_records_and_the_rejected_rows_are_written_next_to_the_file(
    cli, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    tickets = inbox / "monday.jsonl"
    tickets.write_text(f"{GOOD}\n{BAD_ID}\n{{not json\n", encoding="utf-8")
    done = cli("run", str(tickets))
    assert done.returncode == 2
    records = (inbox / "monday.outcomes.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(records) == 1 and json.loads(records[0])["category"] == "account_access"
    assert str(inbox / "monday.outcomes.jsonl") in done.stdout
    rejected_path = inbox / "monday.outcomes.rejected.jsonl"
    assert str(rejected_path) in done.stderr
    rejected = [json.loads(line) for line in rejected_path.read_text().splitlines()]
    assert [(r["row"], r["field"], r["original"]) for r in rejected] == [
        (2, "customer_id", BAD_ID),
        (3, "row", "{not json"),
    ]
    assert "not a customer id" in rejected[0]["error"] and "invalid JSON" in rejected[1]["error"]
    # Fixed and run again: the stale list of rejected rows goes.
    tickets.write_text(f"{GOOD}\n", encoding="utf-8")
    assert cli("run", str(tickets)).returncode == 0
    assert not rejected_path.exists()


def test_a_rejected_csv_row_keeps_its_cells_by_column(cli, tmp_path: Path) -> None:
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "subject,body,customer_id\nHi,How do I export a chart to PDF?,C-1002\n,,C-1003\n"
        "Hi,Export to PDF, please,C-1004\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    done = cli("run", str(tickets), "--out", str(out))
    assert done.returncode == 2 and "row 3" in done.stderr and "row 4" in done.stderr
    empty, extra = [json.loads(line) for line in (tmp_path / "out.rejected.jsonl").open()]
    assert empty["original"] == {"subject": "", "body": "", "customer_id": "C-1003"}
    assert empty["field"] == "subject/body" and empty["error"]
    assert extra["original"] == {
        "subject": "Hi",
        "body": "Export to PDF",
        "customer_id": " please",
        "(cells beyond the header)": "C-1004",
    }
    assert extra["error"] == "1 cell(s) more than the header has"


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.jsonl", ""), ("blank.jsonl", "\n  \n"), ("header-only.csv", "subject,body\n")],
)
def test_a_file_without_tickets_is_bad_input(cli, tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    done = cli("run", str(path))
    assert done.returncode == 2
    assert f"no tickets in {path}" in " ".join(done.stderr.split())
    assert not list(tmp_path.glob("*.outcomes*"))


def test_a_line_that_is_not_utf8_is_rejected_by_name_and_the_others_routed(
    cli, tmp_path: Path
) -> None:
    tickets = tmp_path / "tickets.jsonl"
    latin1 = '{"body": "Rückerstattung bitte", "customer_id": "C-1005"}'.encode("latin-1")
    tickets.write_bytes(GOOD.encode() + b"\n" + latin1 + b"\n" + GOOD.encode() + b"\n")
    done = cli("run", str(tickets))
    assert done.returncode == 2
    assert "row 2 row: line 2 is not UTF-8 text (byte 0xfc)" in done.stderr
    assert len((tmp_path / "tickets.outcomes.jsonl").read_text().splitlines()) == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("utf16.jsonl", (GOOD + "\n").encode("utf-16"), "looks like UTF-16 text"),
        ("utf16.csv", "body\nhello\n".encode("utf-16"), "looks like UTF-16 text"),
        ("latin1.csv", "body\nhello\nWährung\n".encode("latin-1"), "line 3 is not UTF-8"),
    ],
)
def test_a_file_in_another_encoding_is_named_as_such(
    cli, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    done = cli("run", str(path))
    assert done.returncode == 2 and message in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def test_a_utf8_byte_order_mark_is_read_as_utf8(cli, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "body,customer_id\nHow do I export a chart to PDF?,C-1002\n".encode("utf-8-sig")
    )
    done = cli("run", str(path))
    assert done.returncode == 0, done.stderr


def test_route_text_that_is_not_utf8_is_named_as_such(cli) -> None:
    text = os.fsdecode(b"Rechnung f\xfcr M\xe4rz bitte")  # as Python receives such an argument
    done = cli("route", text, "--customer", "C-1001")
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "TEXT: not UTF-8 text (byte 0xfc at character 10)" in message
    assert "Traceback" not in message
