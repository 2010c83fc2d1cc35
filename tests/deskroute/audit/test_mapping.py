"""Mapping files are validated like policy files: an error names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskroute.audit.mapping import SERVICENOW, resolve_mapping
from deskroute.errors import BadInputError, ConfigError


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "columns:\n  id: number\n  gruop: team\n",
            "columns.gruop: unknown key gruop (did you mean group?)",
        ),
        ("columns:\n  id: null\n", "columns.id: Input should be a valid string"),
        (
            "columns: {id: number}\ndelimiter: ';;'\n",
            "delimiter: String should have at most 1 character",
        ),
        ("colums: {id: number}\n", "colums: unknown key colums (did you mean columns?)"),
        ("- id\n- number\n", "a mapping file is a YAML mapping with a `columns` key"),
        ("columns: [\n", "line 2, column 1: invalid YAML"),
    ],
)
def test_a_bad_mapping_file_names_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        resolve_mapping(file=path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file is missing"):
        resolve_mapping(file=tmp_path / "absent.yaml")


def test_layers_preset_then_file_then_options(tmp_path: Path) -> None:
    path = _file(tmp_path, "columns:\n  group: team\n  made_sla: null\n")
    resolved = resolve_mapping(
        preset="servicenow", file=path, columns={"assignee": "owner", "priority": None}
    )
    columns = resolved.mapping.columns
    assert (columns.id, columns.group, columns.assignee) == ("number", "team", "owner")
    assert columns.made_sla is None  # the file unmaps a column the preset names
    assert columns.priority == "priority"  # an option left out changes nothing
    assert resolved.mapping.date_format == SERVICENOW.date_format
    assert resolved.named_by["id"] == "--preset servicenow"
    assert resolved.named_by["group"] == "mapping.yaml (columns.group)"
    assert resolved.named_by["assignee"] == "--col-assignee"


def test_an_unknown_preset() -> None:
    with pytest.raises(
        BadInputError, match=r"unknown preset 'servicenw' \(did you mean servicenow\?\)"
    ):
        resolve_mapping(preset="servicenw")
