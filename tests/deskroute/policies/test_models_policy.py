"""`policies/models.yaml` loads with the other policies; a bad edit names the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_tree, edit_yaml

from deskroute.errors import ConfigError
from deskroute.policies import Policies, load_policies


def test_shipped_gates_are_set(policies: Policies) -> None:
    gates = policies.models.gates
    assert gates.min_accuracy > 0 and gates.min_covered_accuracy is not None
    assert policies.models.compare.require == "not_worse"
    assert policies.models.training.correction_weight == 2.0
    assert policies.models.evaluation.path(Path("/p")) is None


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d["gates"].update(min_acuracy=0.8), "gates.min_acuracy"),
        (lambda d: d["gates"].update(min_recall=1.5), "gates.min_recall"),
        (lambda d: d["compare"].update(require="maybe"), "compare.require"),
        (lambda d: d["evaluation"].update(holdout=0.9), "evaluation.holdout"),
        (lambda d: d["training"].update(correction_weight=0), "training.correction_weight"),
    ],
)
def test_a_bad_edit_names_file_and_key(tmp_path: Path, change, key: str) -> None:
    directory = copy_tree("policies", tmp_path)
    edit_yaml(directory / "models.yaml", change)
    with pytest.raises(ConfigError) as caught:
        load_policies(directory)
    assert caught.value.file.endswith("models.yaml") and caught.value.key == key


def test_the_evaluation_file_is_relative_to_the_policies(tmp_path: Path) -> None:
    directory = copy_tree("policies", tmp_path)
    edit_yaml(directory / "models.yaml", lambda d: d["evaluation"].update(file="../eval.csv"))
    policy = load_policies(directory).models.evaluation
    assert policy.path(directory) == (tmp_path / "eval.csv").resolve()
