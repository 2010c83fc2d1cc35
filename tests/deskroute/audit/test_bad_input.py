"""Bad exports stop the audit with a message that names the file, the line and the column."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from audit_log import HEADER, ROWS, write_log

from deskroute.audit.mapping import resolve_mapping
from deskroute.audit.service import audit_history
from deskroute.errors import BadInputError


def _fails(path: Path, **mapping: Any) -> str:
    with pytest.raises(BadInputError) as caught:
        audit_history(path, resolve_mapping(**mapping))
    return str(caught.value)


def test_a_missing_file(tmp_path: Path) -> None:
    assert _fails(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: no such file"


def test_an_empty_file_and_a_header_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "the file is empty" in _fails(empty)
    assert "no events" in _fails(write_log(tmp_path / "header.csv", rows=[]))


def test_a_missing_column_names_it_and_what_the_file_has(tmp_path: Path) -> None:
    path = write_log(tmp_path / "h.csv", HEADER.replace("group", "team"), ROWS)
    message = _fails(path)
    assert "no column 'group' for group (map it with --col-group)" in message
    assert "Its columns are: id, opened_at, updated_at, team, assignee" in message


def test_a_mis_mapped_column_says_who_named_it(tmp_path: Path, history: Path) -> None:
    message = _fails(history, columns={"group": "assignment_grup"})
    assert "no column 'assignment_grup' for group (named by --col-group)" in message
    message = _fails(history, preset="servicenow")
    assert "no column 'number' for id (named by --preset servicenow)" in message


def test_an_optional_column_at_its_default_name_may_be_absent(tmp_path: Path) -> None:
    header = HEADER.replace("assignee", "owner")
    report = audit_history(write_log(tmp_path / "h.csv", header, ROWS), resolve_mapping())
    assert "assignee" in report.not_measured
    assert report.load is None and report.time_to_assignment_p50_s is None


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            "INC9,2026-02-30 09:00,2026-03-02 09:00,Triage,,P1,,0,0,true",
            "line 4, column 'opened_at': '2026-02-30 09:00' is not a date (ISO 8601",
        ),
        (
            "INC9,2026-03-02 09:00,,Triage,,P1,,0,0,true",
            "line 4, column 'updated_at': empty (every event needs one)",
        ),
        (
            "INC9,2026-03-02 09:00,2026-03-02 09:00,Triage,,P1,,two,0,true",
            "line 4, column 'reassignment_count': 'two' is not a whole number",
        ),
        (
            "INC9,2026-03-02 09:00,2026-03-02 09:00,Triage,,P1,,0,0,maybe",
            "line 4, column 'made_sla': 'maybe' is not true or false",
        ),
        ("INC9,2026-03-02 09:00", "line 4 has 2 fields; the columns read need 10"),
    ],
)
def test_a_bad_value_names_the_line_and_column(tmp_path: Path, bad_row: str, message: str) -> None:
    path = write_log(tmp_path / "h.csv", rows=[*ROWS[:2], bad_row, *ROWS[2:]])
    assert message in _fails(path)


def test_a_date_in_another_format_names_the_format(tmp_path: Path, history: Path) -> None:
    message = _fails(history, date_format="%d/%m/%Y %H:%M")
    assert "line 2, column 'opened_at': '2026-03-02 09:00' is not a date (%d/%m/%Y %H:%M)" in (
        message
    )


def test_text_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\n" + ROWS[0].replace("Triage", "Tri\u00e4ge")).encode("latin-1"))
    assert "not UTF-8 text" in _fails(path)


def test_an_archive_must_hold_one_csv(tmp_path: Path, history: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(history, "a.csv")
        z.write(history, "b.csv")
    assert "the archive must hold one CSV file; it holds a.csv, b.csv" in _fails(archive)
