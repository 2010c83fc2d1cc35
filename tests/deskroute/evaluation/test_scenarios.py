"""Realistic tickets judged as a support lead would (bench/data/scenarios.yaml): each routed
through the service on a fresh copy of the demo store with the embedded default model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from deskroute.errors import ConfigError
from deskroute.evaluation.scenarios import load_scenarios, run_scenarios
from deskroute.evaluation.scenarios.cases import Expectation, ExpectedAction
from deskroute.evaluation.scenarios.judge import judge, reply_language
from deskroute.runtime import Workspace
from deskroute.service import route_new
from deskroute.settings import Settings

PASS_RATE = 0.95


def test_the_scenarios_cover_languages_and_kinds_of_ticket() -> None:
    cases = load_scenarios()
    assert len(cases) >= 45
    languages = Counter(c.expect.language for c in cases)
    assert all(languages[lang] >= 5 for lang in ("en", "de", "fr", "es", "nl")), languages
    assert sum(bool(c.expect.intents) for c in cases) >= 3, "multi-intent tickets"
    assert sum(c.ticket.customer_id is None for c in cases) >= 8, "colleagues and strangers"


def test_scenarios_pass_as_a_support_lead_judges_them(settings: Settings) -> None:
    report = run_scenarios(settings, load_scenarios())
    print(report.table())
    assert report.score >= PASS_RATE, report.table()


def test_the_judge_names_every_expectation_a_ticket_misses(workspace: Workspace) -> None:
    record = route_new(
        workspace,
        {"customer_id": "C-1001", "body": "Please send me invoice INV-2026-0101 again."},
        dedupe=False,
    )[1]
    right = Expectation(
        language="en",
        category="billing",
        queue="finance",
        priority="P2",
        escalated=False,
        actions=[ExpectedAction(tool="resend_invoice", args={"number": "INV-2026-0101"})],
        reply=["INV-2026-0101", ["4000.00", "4,000.00"]],
    )
    assert judge(right, record) == []
    wrong = right.model_copy(
        update={
            "language": "de",
            "category": ["sales", "general"],
            "queue": "sales",
            "priority": ["P1"],
            "escalated": True,
            "intents": ["security"],
            "actions": [ExpectedAction(tool="resend_invoice", args={"number": "INV-2026-0102"})],
            "forbid": ["resend_invoice:executed"],
            "reply": ["INV-2026-0102"],
            "reply_not": ["Anna Weber"],
        }
    )
    failures = judge(wrong, record)
    assert [f.split(" ", 1)[0] for f in failures] == [
        "category",
        "intent",
        "queue",
        "priority",
        "language",
        "not",
        "no",
        "resend_invoice",
        "reply",
        "reply",
        "reply",
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Thank you for your message. A member of our team will reply to you.", "en"),
        ("Vielen Dank für Ihre Nachricht. Ein Mitglied unseres Teams antwortet Ihnen.", "de"),
        ("Merci pour votre message. Un membre de notre équipe vous répondra.", "fr"),
        ("Gracias por su mensaje. Un miembro de nuestro equipo le responderá.", "es"),
        ("Bedankt voor uw bericht. Een medewerker van ons team antwoordt u.", "nl"),
    ],
)
def test_a_reply_language_is_judged_by_its_words(text: str, language: str) -> None:
    assert reply_language(text) == language


def test_a_scenario_file_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        "cases:\n  - id: x\n    about: y\n    ticket: {body: hi}\n"
        "    expect: {language: en, category: general, queue: support, priority: P3, "
        "replies: [hi]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown key replies"):
        load_scenarios(path)
