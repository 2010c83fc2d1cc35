"""`deskroute train`, `retrain`, `models ...` and `corrections conflicts|settle` from a terminal:
clear output, exit code 2 for bad input, 3 for a refused promotion, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from registry_support import CATEGORIES, examples, write_csv

from deskroute.policies import Policies


def test_train_list_show_promote_and_retrain(cli, tmp_path: Path, policies: Policies) -> None:
    data = write_csv(tmp_path / "team.csv", examples(policies))
    trained = cli("train", str(data))
    assert trained.returncode == 0, trained.stderr
    assert "team-v1" in trained.stdout and "candidate" in trained.stdout
    assert "48 (12 in the evaluation set left out)" in trained.stdout
    assert "deskroute models promote team-v1 --by NAME" in trained.stdout

    listed = cli("models", "list", "--json")
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (row["version"], row["status"], row["passed"], row["rows"]) == (
        "team-v1",
        "candidate",
        True,
        48,
    )
    promoted = cli("models", "promote", "1", "--by", "lee")
    assert promoted.returncode == 0 and "team-v1 is now served" in promoted.stdout
    shown = cli("models", "show", "team-v1")
    assert shown.returncode == 0 and "promoted" in shown.stdout and "by lee" in shown.stdout

    nothing = cli("retrain")
    assert nothing.returncode == 0 and "nothing to do" in nothing.stdout

    shifted = {c: CATEGORIES[(i + 1) % 3] for i, c in enumerate(CATEGORIES)}
    wrong = write_csv(tmp_path / "wrong.csv", [(t, shifted[c]) for t, c in examples(policies)])
    refused = cli("train", str(wrong), "--promote", "--by", "kim")
    assert refused.returncode == 3, refused.stderr
    assert "FAIL" in refused.stdout and "is refused" in refused.stdout
    again = cli("models", "promote", "wrong-v2", "--by", "kim", "--json")
    assert again.returncode == 3 and json.loads(again.stdout)["outcome"] == "refused"
    assert json.loads(cli("models", "show", "1", "--json").stdout)["status"] == "promoted"


def test_bad_input_is_a_clear_error(cli, tmp_path: Path, policies: Policies) -> None:
    data = write_csv(tmp_path / "team.csv", examples(policies))
    for args, message in [
        (("models", "promote", "v7", "--by", "lee"), "no model version 'v7'"),
        (("models", "rollback", "--by", "lee"), "no earlier promoted version"),
        (("train", str(data), "--promote"), "--by"),
        (("train", str(data), "--model", "m.joblib", "--promote"), "drop --model"),
        (("train", "missing.csv"), "file not found"),
        (("corrections", "settle", "abcd", "billing", "--by", "lee"), "no reviewed text"),
        (("corrections", "settle", "ab", "billing", "--by", "lee"), "at least 4"),
    ]:
        done = cli(*args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    conflicts = cli("corrections", "conflicts")
    assert conflicts.returncode == 0 and "no disputed labels" in conflicts.stdout
    assert cli("models", "list").stdout.startswith("no model versions yet")
