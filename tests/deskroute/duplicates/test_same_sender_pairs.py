"""The same-sender labelled pairs: well formed, and the detector keeps its precision on them.

One sender writing twice within the window is not the same problem twice; a follow-up cue
("again", "any update") must not link unrelated problems. Not a timed test: 130 pairs score in
well under a second."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from deskroute.duplicates import Fingerprint, fingerprint, is_duplicate
from deskroute.intake.normalize import normalize_body
from deskroute.policies.loader import load_policies
from deskroute.settings import PROJECT_ROOT

PAIRS = PROJECT_ROOT / "bench" / "data" / "duplicate_pairs_same_sender.jsonl"


class Side(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    channel: Literal["email", "chat", "web"]
    subject: str
    body: str = Field(min_length=1)


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str
    label: Literal["duplicate", "different"]
    kind: Literal["same_sender_unrelated", "same_sender_followup"]
    hours_apart: float = Field(gt=0)
    first: Side
    second: Side


def _pairs(path: Path) -> list[Pair]:
    return [Pair.model_validate_json(line) for line in path.read_text("utf-8").splitlines()]


def _print(side: Side) -> Fingerprint:
    email = side.channel == "email"
    return fingerprint(  # as the intake node sees it, like bench/duplicates.py
        subject=side.subject,
        body=normalize_body(side.body, is_email=email, subject=side.subject),
        raw_body=side.body,
        is_email=email,
    )


def test_the_file_parses_and_holds_the_cases_the_issue_names() -> None:
    pairs = _pairs(PAIRS)
    window = load_policies(PROJECT_ROOT / "policies").intake.duplicate_window_hours
    assert len(pairs) >= 80 and len({p.id for p in pairs}) == len(pairs)
    assert all(p.hours_apart <= window for p in pairs)
    unrelated = [p for p in pairs if p.kind == "same_sender_unrelated"]
    follow_ups = [p for p in pairs if p.kind == "same_sender_followup"]
    assert len(unrelated) >= 50 and all(p.label == "different" for p in unrelated)
    assert len(follow_ups) >= 20 and all(p.label == "duplicate" for p in follow_ups)
    issue_cases = {(p.first.body, p.second.body) for p in unrelated}
    assert ("issue with billing", "Our Salesforce connector fails again") in issue_cases
    assert (
        "issue with billing",
        "The dashboard crashed again and I lost an hour of work",
    ) in issue_cases


def test_precision_on_the_same_sender_pairs_is_at_least_095() -> None:
    calls = [(p, is_duplicate(_print(p.first), _print(p.second))) for p in _pairs(PAIRS)]
    linked = [p for p, said in calls if said]
    false_links = [p.id for p in linked if p.label != "duplicate"]
    assert not [p for p in linked if p.first.body == "issue with billing" and p.id in false_links]
    assert linked and (len(linked) - len(false_links)) / len(linked) >= 0.95, false_links
