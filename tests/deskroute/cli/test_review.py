"""`deskroute review ...` and `deskroute corrections ...` through the console entry point, on
the demo store: the queue, one escalation, every decision, the exit codes, and corrections
exported in a file `deskroute train` reads as it is."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from deskroute.classify.local import LocalModel

REFUND = "Please refund invoice INV-2026-0181 in full, we never used the service."
ENTERPRISE_REFUND = "Please refund invoice INV-2026-0103 in full, we never used the service."
OLD_REFUND = "Please refund invoice INV-2026-0184 in full, we never used the service."
VAGUE = "Hello, I have a question about something, can someone call me?"
VAGUE_TOO = "Hi there, something seems off for us, could someone phone me back?"
MARKUP = "Refund [/b] please [bold]"
"""A subject a terminal must show as it is (rich would read it as markup, and fail)."""
LABELS = {"confirmed": "refunds_cancellations", "corrected": "technical_issue"}


def _json(done: Any) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _escalate(cli: Any, text: str, customer: str, subject: str = "") -> str:
    extra = ("--subject", subject) if subject else ()
    outcome = _json(cli("route", text, "--customer", customer, "--json", *extra))
    assert outcome["state"] == "awaiting_review", outcome
    ticket_id: str = outcome["ticket_id"]
    return ticket_id


def test_list_show_and_every_decision(cli: Any) -> None:
    refund = _escalate(cli, REFUND, "C-1023", MARKUP)
    vague = _escalate(cli, VAGUE, "C-1002")
    enterprise = _escalate(cli, ENTERPRISE_REFUND, "C-1001", "Refund please")
    to_answer = _escalate(cli, OLD_REFUND, "C-1023", "Another refund")
    to_dismiss = _escalate(cli, VAGUE_TOO, "C-1005")

    page = _json(cli("review", "list", "--json"))
    assert page["count"] == 5 and page["items"][0]["ticket_id"] == enterprise  # P2 first
    assert page["by_reason"]["sensitive_action"] == 3
    only = _json(cli("review", "list", "--reason", "low_confidence", "--json"))
    assert {item["ticket_id"] for item in only["items"]} == {vague, to_dismiss}
    table = cli("review", "list", "--queue", "finance-approvals")
    assert table.returncode == 0 and refund in table.stdout and vague not in table.stdout
    assert "4 of 4" in table.stdout and "by reason:" in table.stdout  # a vague one too
    assert "Refund [/b] please" in table.stdout

    shown = cli("review", "show", refund, "--reviewer", "ana")
    assert shown.returncode == 0, shown.stderr
    assert REFUND in shown.stdout and "issue_refund" in shown.stdout
    detail = _json(cli("review", "show", refund, "--json"))
    assert detail["summary"]["opened_by"] == "ana"
    assert detail["outcome"]["escalation"]["customer"]["customer_id"] == "C-1023"

    approved = _json(cli("review", "approve", refund, "--reviewer", "ana", "--json"))
    assert approved["state"] == "resolved"
    [executed] = [a for a in approved["actions"] if a["tool"] == "issue_refund"]
    assert executed["status"] == "executed" and executed["result"]["amount"] == 450.0
    reassigned = cli(
        "review",
        "reassign",
        vague,
        "--category",
        "technical_issue",
        "--json",
        DESKROUTE_REVIEWER="cy",
    )
    assert reassigned.returncode == 0, reassigned.stderr  # the reviewer from the environment
    assert json.loads(reassigned.stdout)["specialist"] == "technical"
    rejected = _json(
        cli(
            "review", "reject", enterprise, "--reason", "paid by card", "--reviewer", "bo", "--json"
        )
    )
    assert "paid by card" in rejected["response"]
    answered = cli("review", "reply", to_answer, "--text", "We will call you.", "--reviewer", "bo")
    assert answered.returncode == 0 and "We will call you." in answered.stdout
    dismissed = _json(
        cli("review", "dismiss", to_dismiss, "--reason", "spam", "--reviewer", "bo", "--json")
    )
    assert dismissed["state"] == "resolved" and dismissed["response"] is None

    assert _json(cli("review", "list", "--json"))["count"] == 0
    resolved = _json(cli("review", "list", "--resolved", "--json", "--limit", "10"))
    by = {
        item["ticket_id"]: (item["resolution"], item["resolved_by"]) for item in resolved["items"]
    }
    assert by == {
        refund: ("approve", "ana"),
        vague: ("reassign", "cy"),
        enterprise: ("reject", "bo"),
        to_answer: ("reply", "bo"),
        to_dismiss: ("dismiss", "bo"),
    }

    again = cli("review", "approve", refund, "--reviewer", "bo")
    assert again.returncode == 3
    assert "already resolved by ana" in again.stderr and "UTC" in again.stderr


def test_bad_input_exits_2_naming_it(cli: Any) -> None:
    ticket_id = _escalate(cli, REFUND, "C-1023", "Refund please")
    ana = ("--reviewer", "ana")
    refused = {
        "category": ("reassign", ticket_id, "--category", "refundz", *ana),
        "--reason": ("reject", ticket_id, *ana),
        "--text": ("reply", ticket_id, *ana),
        "args.amount": ("edit", ticket_id, "--arg", "amount=a lot", *ana),
        "--priority": ("list", "--priority", "P9"),
        "tkt_nosuchticket": ("approve", "tkt_nosuchticket", *ana),
    }
    for named, args in refused.items():
        done = cli("review", *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert named in done.stderr and "Traceback" not in done.stderr, done.stderr
    dismissed = cli("review", "dismiss", ticket_id, *ana)
    assert dismissed.returncode == 2 and "--reason" in dismissed.stderr
    assert cli("corrections", "export", "out.txt").returncode == 2
    # Nothing was decided: the ticket still waits.
    assert _json(cli("review", "list", "--json"))["count"] == 1


def test_corrections_export_is_what_train_reads(cli: Any, tmp_path: Path) -> None:
    first = _escalate(cli, REFUND, "C-1023", MARKUP)
    second = _escalate(cli, ENTERPRISE_REFUND, "C-1001", "Refund please")
    vague = _escalate(cli, VAGUE, "C-1002")
    vague_too = _escalate(cli, VAGUE_TOO, "C-1005")
    for args in (
        ("approve", first),
        ("reply", second, "--text", "We refund it by bank transfer."),
        ("reassign", vague, "--category", "technical_issue"),
        ("reassign", vague_too, "--category", "technical_issue"),
    ):
        done = cli("review", *args, "--reviewer", "ana")
        assert done.returncode == 0, done.stderr

    listed = cli("corrections", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert [(r["kind"], r["category"]) for r in rows] == [
        ("confirmed", "refunds_cancellations"),
        ("confirmed", "refunds_cancellations"),
        ("corrected", "technical_issue"),
        ("corrected", "technical_issue"),
    ]
    assert rows[2]["predicted"] != "technical_issue" and rows[2]["ticket_id"] == vague
    assert MARKUP in rows[0]["text"]
    table = cli("corrections", "list")
    assert table.returncode == 0 and "[/b]" in table.stdout and vague in table.stdout

    exported = cli("corrections", "export", "out.csv")
    assert exported.returncode == 0 and "wrote 4" in exported.stdout
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert [row["category"] for row in table] == [r["category"] for r in rows]
    assert VAGUE in table[2]["text"]

    trained = cli("train", "out.csv", "--model", "from-corrections.joblib")
    assert trained.returncode == 0, trained.stderr
    assert "rows" in trained.stdout and (tmp_path / "from-corrections.joblib").is_file()
    weighted = cli("train", "out.csv", "--with-corrections", "--model", "weighted.joblib")
    assert weighted.returncode == 0 and "reviewers' labels" in weighted.stdout
    used = LocalModel.load(tmp_path / "weighted.joblib").meta.corrections
    assert used is not None and used.count == 4 and used.weight == 2.0

    assert cli("corrections", "export", "out.jsonl", "--kind", "corrected").returncode == 0
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["category"] for line in lines] == [LABELS["corrected"]] * 2


def test_the_learning_order_says_why_each_comes_first(cli: Any) -> None:
    ids = {
        _escalate(cli, REFUND, "C-1023", "Refund please"),
        _escalate(cli, VAGUE, "C-1002"),
        _escalate(cli, VAGUE_TOO, "C-1005"),
    }
    page = _json(cli("review", "list", "--order", "learning", "--json"))
    assert {item["ticket_id"] for item in page["items"]} == ids
    assert [item["learning"]["rank"] for item in page["items"]] == [1, 2, 3]
    table = cli("review", "list", "--order", "learning")
    assert table.returncode == 0 and "why first" in table.stdout
    assert "margin" in table.stdout and "examples" in table.stdout
    plain = cli("review", "list")
    assert plain.returncode == 0 and "why first" not in plain.stdout
    wrong = cli("review", "list", "--order", "newest")
    assert wrong.returncode == 2 and "--order" in wrong.stderr, wrong.stderr


def test_misroute_flags_a_routed_ticket(cli: Any) -> None:
    routed = _json(cli("route", "How do I export a dashboard to PDF?", "--json"))
    assert routed["state"] == "routed"
    ticket_id, was = routed["ticket_id"], routed["category"]
    right = "technical_issue" if was != "technical_issue" else "general"
    escalated = _escalate(cli, VAGUE, "C-1002")
    ana = ("--reviewer", "ana")
    refused = {
        2: [
            ("tkt_nosuchticket", "--category", right, *ana),
            (ticket_id, "--category", "technicl_issue", *ana),
            (ticket_id, "--category", was, *ana),
        ],
        3: [(escalated, "--category", right, *ana)],
    }
    for code, cases in refused.items():
        for args in cases:
            done = cli("review", "misroute", *args)
            assert done.returncode == code, (args, done.stderr)
            assert "Traceback" not in done.stderr and done.stderr.strip(), done.stderr
    kept = cli("review", "misroute", ticket_id, "--category", right, "--note", "export", *ana)
    assert kept.returncode == 0, kept.stderr
    assert f"kept as a correction: {was} -> {right}" in kept.stdout
    again = cli("review", "misroute", ticket_id, "--category", "sales", "--reviewer", "bo")
    assert again.returncode == 3 and "already flagged" in again.stderr
    rows = [json.loads(line) for line in cli("corrections", "list", "--json").stdout.splitlines()]
    assert [(r["ticket_id"], r["category"], r["kind"]) for r in rows] == [
        (ticket_id, right, "corrected")
    ]
