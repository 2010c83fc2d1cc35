"""The README's model-version commands run as written, with reviewers' labels arriving
between the first promotion and the retrain."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from registry_support import examples, write_csv

from deskroute.policies import Policies
from deskroute.settings import PROJECT_ROOT


def test_the_retraining_commands_run(cli, tmp_path: Path, policies: Policies, label) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Retraining and model versions")
    section = readme[start : readme.index("\n## ", start + 1)]
    commands = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)[0]
    write_csv(tmp_path / "ours.csv", examples(policies))
    for line in commands.strip().splitlines():
        args = shlex.split(line)
        assert args[:3] == ["uv", "run", "deskroute"], line
        if args[3] == "retrain":
            label(
                ("our invoice shows the wrong VAT number", "billing", "ana"),
                ("the api answers 502 for every export", "technical_issue", "ben"),
            )
        done = cli(*args[3:], DESKROUTE_HOME=str(tmp_path / "home"))
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        if args[3] == "retrain":
            assert "2 used, weight 2" in done.stdout and "ours-v2 is now served" in done.stdout
    assert "ours-v1 is served again" in done.stdout
