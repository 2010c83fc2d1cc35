"""Policy files load, cross-check, and fail with errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_tree, edit_yaml

from deskroute.errors import ConfigError
from deskroute.policies import load_policies
from deskroute.settings import PROJECT_ROOT


def test_shipped_policies_load(policies) -> None:
    assert 8 <= len(policies.taxonomy.categories) <= 12
    for name, category in policies.taxonomy.categories.items():
        assert len(policies.examples[name]) >= 30, name
        assert category.specialist in policies.specialists.specialists


def broken(tmp_path: Path, file: str, change) -> ConfigError:
    directory = copy_tree("policies", tmp_path)
    edit_yaml(directory / file, change)
    with pytest.raises(ConfigError) as caught:
        load_policies(directory)
    return caught.value


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    error = broken(
        tmp_path, "taxonomy.yaml", lambda d: d["categories"]["billing"].update(queu="finance")
    )
    assert error.file.endswith("taxonomy.yaml")
    assert error.key == "categories.billing.queu"
    assert "unknown key" in error.message


def test_wrong_type_names_key(tmp_path: Path) -> None:
    error = broken(
        tmp_path, "taxonomy.yaml", lambda d: d["categories"]["sales"].update(threshold="high")
    )
    assert error.key == "categories.sales.threshold"


def test_threshold_out_of_range(tmp_path: Path) -> None:
    error = broken(tmp_path, "taxonomy.yaml", lambda d: d.update(default_threshold=1.5))
    assert error.key == "default_threshold"


def test_unknown_specialist_is_cross_checked(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        "taxonomy.yaml",
        lambda d: d["categories"]["billing"].update(specialist="accounting"),
    )
    assert (error.file, error.key) == (
        str(tmp_path / "policies" / "taxonomy.yaml"),
        "categories.billing.specialist",
    )
    assert "accounting" in error.message


def test_bad_regex_in_rules(tmp_path: Path) -> None:
    error = broken(tmp_path, "rules.yaml", lambda d: d["rules"][0].update(patterns=["(unclosed"]))
    assert error.file.endswith("rules.yaml")
    assert error.key == "rules[0]"
    assert "regular expression" in error.message


def test_rule_with_unknown_category(tmp_path: Path) -> None:
    error = broken(tmp_path, "rules.yaml", lambda d: d["rules"][1].update(category="hr"))
    assert error.key == "rules[1].category"


def test_duplicate_rule_ids(tmp_path: Path) -> None:
    error = broken(tmp_path, "rules.yaml", lambda d: d["rules"].append(dict(d["rules"][0])))
    assert "used twice" in error.message


def test_incomplete_priority_matrix(tmp_path: Path) -> None:
    error = broken(tmp_path, "routing.yaml", lambda d: d["priority"]["business"].pop("high"))
    assert error.file.endswith("routing.yaml")
    assert "high" in error.message


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    directory = copy_tree("policies", tmp_path)
    (directory / "intake.yaml").write_text("max_body_bytes: [1, 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_policies(directory)
    assert "line" in caught.value.message and caught.value.file.endswith("intake.yaml")


def test_too_few_examples(tmp_path: Path) -> None:
    directory = copy_tree("policies", tmp_path)
    edit_yaml(directory / "examples" / "sales.yaml", lambda d: d.update(examples=d["examples"][:3]))
    with pytest.raises(ConfigError) as caught:
        load_policies(directory)
    assert caught.value.key == "categories.sales"
    assert "3 examples" in caught.value.message


def test_missing_file(tmp_path: Path) -> None:
    directory = copy_tree("policies", tmp_path)
    (directory / "signals.yaml").unlink()
    with pytest.raises(ConfigError, match="missing"):
        load_policies(directory)


def test_handoff_to_unknown_category(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        "specialists.yaml",
        lambda d: d["specialists"]["billing"]["handoffs"][0].update(to="nowhere"),
    )
    assert error.key == "specialists.billing.handoffs[0].to"


def test_policies_dir_is_the_checkout() -> None:
    assert (PROJECT_ROOT / "policies" / "taxonomy.yaml").is_file()


def test_specialists_yaml_must_declare_the_whole_roster(tmp_path: Path) -> None:
    error = broken(tmp_path, "specialists.yaml", lambda d: d["specialists"].pop("sales"))
    assert (error.file, error.key) == (
        str(tmp_path / "policies" / "specialists.yaml"),
        "specialists",
    )
    assert "missing specialists: sales" in error.message


def test_specialists_yaml_refuses_a_specialist_with_no_handler(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        "specialists.yaml",
        lambda d: d["specialists"].update(accounting=d["specialists"]["billing"]),
    )
    assert error.key.startswith("specialists.accounting")
    assert "'accounting' is not known here" in error.message


def test_the_roster_handlers_and_graph_agree() -> None:
    from deskroute.models.specialists import SPECIALIST_NAMES
    from graph.builder import workflow_nodes
    from specialists.registry import SPECIALISTS

    assert tuple(SPECIALISTS) == SPECIALIST_NAMES
    assert all(SPECIALISTS[name].name == name for name in SPECIALIST_NAMES)
    assert set(SPECIALIST_NAMES) <= set(workflow_nodes())
    shipped = load_policies(PROJECT_ROOT / "policies").specialists.specialists
    assert set(shipped) == set(SPECIALIST_NAMES)


def test_the_company_name_is_required(tmp_path: Path) -> None:
    error = broken(tmp_path, "routing.yaml", lambda d: d.pop("company"))
    assert error.file.endswith("routing.yaml") and error.key == "company"
    error = broken(tmp_path / "empty", "routing.yaml", lambda d: d.update(company=""))
    assert error.key == "company" and "at least 1 character" in error.message


def test_credit_cap_errors_name_the_key(tmp_path: Path) -> None:
    error = broken(
        tmp_path,
        "specialists.yaml",
        lambda d: d["specialists"]["billing"]["credit_cap"]["amounts"].update(euro=100),
    )
    assert error.file.endswith("specialists.yaml")
    assert error.key == "specialists.billing.credit_cap.amounts.euro.[key]"
    error = broken(
        tmp_path / "again",
        "specialists.yaml",
        lambda d: d["specialists"]["billing"]["credit_cap"].update(period_days=0),
    )
    assert error.key == "specialists.billing.credit_cap.period_days"


def _renamed(key: str, typo: str):
    def change(data: dict) -> None:
        data[typo] = data.pop(key)

    return change


def test_a_misspelt_key_is_reported_as_unknown_with_the_close_known_key(tmp_path: Path) -> None:
    error = broken(tmp_path / "top", "routing.yaml", _renamed("max_handoffs", "max_handof"))
    assert error.key == "max_handof"  # not "max_handoffs: Field required"
    assert error.message.startswith("unknown key max_handof (did you mean max_handoffs?)")
    nested = broken(
        tmp_path / "nested",
        "taxonomy.yaml",
        lambda d: _renamed("escalation_queue", "escalaton_queue")(d["categories"]["billing"]),
    )
    assert nested.key == "categories.billing.escalaton_queue"
    assert "did you mean escalation_queue?" in nested.message
    listed = broken(
        tmp_path / "listed", "rules.yaml", lambda d: _renamed("phrases", "phrase")(d["rules"][0])
    )
    assert listed.key == "rules[0].phrase" and "did you mean phrases?" in listed.message
    far = broken(tmp_path / "far", "routing.yaml", lambda d: d.update(colour="blue"))
    assert far.message == "unknown key colour"


def test_phrase_without_words_names_file_and_key(tmp_path: Path) -> None:
    error = broken(tmp_path, "rules.yaml", lambda d: d["rules"][0]["phrases"].append("!!"))
    assert error.file.endswith("rules.yaml")
    assert error.key.startswith("rules[0].phrases[")
    assert "has no words" in error.message


def test_bad_regex_in_signals_names_the_key(tmp_path: Path) -> None:
    error = broken(
        tmp_path, "signals.yaml", lambda d: d["signals"]["outage"].update(patterns=["(unclosed"])
    )
    assert error.file.endswith("signals.yaml")
    assert error.key == "signals.outage.patterns[0]"
    assert "regular expression" in error.message
