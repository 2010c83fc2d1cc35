"""`deskroute bootstrap`: unlabelled history in, a review file out, for a team with no labels.

The file lists every ticket (or the `limit` least certain) with its proposed label, the
confidence, the runner-up and the reason, least certain first, and an empty `category` column
for a person to fill. Filled in part, it is what `deskroute train FILE --skip-invalid` reads:
the rows still empty are skipped and counted.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from deskroute.classify.bootstrap import Proposal, propose
from deskroute.classify.data import load_texts
from deskroute.classify.prompt import PROMPT_SPEC as CLASSIFIER_PROMPT
from deskroute.errors import BadInputError
from deskroute.llm.runtime import open_llm
from deskroute.policies import load_policies
from deskroute.prompts import load_prompt
from deskroute.settings import Settings

COLUMNS = ("text", "proposed", "confidence", "runner_up", "reason", "category", "row")
CONFIDENT = 0.8
UNSURE = 0.5


class BootstrapSummary(BaseModel):
    """What a bootstrap run proposed, for the person about to label."""

    out: str
    rows: int = Field(description="Tickets read (rows with a text).")
    skipped: int = Field(description="Rows without a text.")
    written: int = Field(description="Rows in the review file (the least certain first).")
    by_category: dict[str, int] = Field(description="Proposals per category, all rows.")
    confident: int = Field(description=f"Rows proposed with confidence >= {CONFIDENT}.")
    unsure: int = Field(description=f"Rows proposed with confidence < {UNSURE}.")
    no_match: int = Field(description="Rows no example shares a word with (nothing proposed).")
    llm: str | None = Field(description="The LLM that read every ticket, if one did.")
    llm_verdicts: dict[str, int] = Field(
        description="agreed, disagreed, no_fit, failed: what the LLM said against the examples."
    )


def _write(path: Path, proposals: Sequence[Proposal]) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            for p in proposals:
                writer.writerow(
                    {
                        "text": p.text,
                        "proposed": p.proposed or "",
                        "confidence": f"{p.confidence:.3f}",
                        "runner_up": p.runner_up or "",
                        "reason": p.reason,
                        "category": "",
                        "row": p.row,
                    }
                )
    except OSError as exc:
        raise BadInputError(f"cannot write it: {exc}", field=str(path)) from exc


def bootstrap(
    data: Path,
    *,
    text_col: str,
    out: Path,
    limit: int | None = None,
    use_llm: bool = True,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> BootstrapSummary:
    """Propose a label for every row of `data` and write the review file `out` (CSV);
    `progress(done, total)` after each row."""
    if out.suffix.lower() != ".csv":
        raise BadInputError("the review file is CSV: give a .csv name", field=str(out))
    settings = settings or Settings()
    policies = load_policies(settings.policies_dir)
    unlabelled = load_texts(data, text_col=text_col)
    classifier = None
    runtime = open_llm(settings) if use_llm else None
    if runtime is not None:
        from deskroute.classify.llm import llm_classifier  # provider clients, only now

        prompt = load_prompt(settings.prompts_dir / "classifier.yaml", CLASSIFIER_PROMPT)
        classifier = llm_classifier(runtime, prompt, policies)
    total, done = len(unlabelled.texts), 0

    def advance() -> None:
        nonlocal done
        done += 1
        progress(done, total)

    proposals = propose(
        unlabelled.texts, unlabelled.rows, policies=policies, llm=classifier, on_row=advance
    )
    shown = proposals[:limit] if limit is not None else proposals
    _write(out, shown)
    return BootstrapSummary(
        out=str(out),
        rows=len(proposals),
        skipped=unlabelled.skipped,
        written=len(shown),
        by_category=dict(Counter(p.proposed for p in proposals if p.proposed).most_common()),
        confident=sum(p.confidence >= CONFIDENT for p in proposals),
        unsure=sum(p.confidence < UNSURE for p in proposals),
        no_match=sum(p.proposed is None for p in proposals),
        llm=runtime.config.label if runtime is not None else None,
        llm_verdicts=dict(Counter(p.llm for p in proposals if p.llm is not None)),
    )
