"""`policies/notifications.yaml`: mistakes name the file and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import copy_tree, edit_yaml

from deskroute.errors import ConfigError
from deskroute.policies import load_policies


def broken(tmp_path: Path, change: Any) -> ConfigError:
    directory = copy_tree("policies", tmp_path)
    edit_yaml(directory / "notifications.yaml", change)
    with pytest.raises(ConfigError) as caught:
        load_policies(directory)
    assert caught.value.file.endswith("notifications.yaml")
    return caught.value


def test_a_rule_naming_an_unknown_destination_is_refused(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["notify"][0].update(to=["slak"]))
    assert error.key == "notify[0].to[0]"
    assert error.message == "unknown destination 'slak' (did you mean slack?)"


def test_a_rule_naming_an_unknown_category_is_refused(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["notify"][0]["when"].update(categories=["outages"]))
    assert error.key == "notify[0].when.categories[0]"


def test_a_url_in_the_file_is_refused(tmp_path: Path) -> None:
    error = broken(
        tmp_path, lambda d: d["destinations"]["slack"].update(url_env="https://hooks.slack.com/x")
    )
    assert error.key == "destinations.slack.url_env"


def test_an_unknown_event_kind_is_refused(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["notify"][1]["when"].update(events=["sla.broken"]))
    assert error.key == "notify[1].when.events[0]"
    assert "'sla.broken' is not known here" in error.message
