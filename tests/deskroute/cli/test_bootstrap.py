"""`deskroute bootstrap` through the console entry point: a review file least certain first,
filled in part and trained on as it is; the LLM read from a chat server on loopback; bad input
named."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from llm_server import ChatServer, closed_port_url

HISTORY = {
    "I cannot log in, the password reset mail never arrives": "account_access",
    "My account is locked after too many sign-in attempts": "account_access",
    "Lost my phone with the authenticator app, how do I get in?": "account_access",
    "We were charged twice on the last invoice": "billing",
    "Please send a copy of invoice INV-2026-0101 with our VAT number": "billing",
    "Our card payment failed, how do we update the card?": "billing",
    "The dashboard has been down for the whole team since this morning": "outage",
    "Nothing loads for any of us, is the service down?": "outage",
    "hello": "",
    "xyzzy": "",
}
LLM_ENV = {
    "DESKROUTE_LLM": "openai-compatible:gemma",
    "DESKROUTE_LLM_TIMEOUT_S": "0.5",
    "DESKROUTE_LLM_MAX_RETRIES": "0",
}


def _history(tmp_path: Path) -> Path:
    path = tmp_path / "history.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "body"])
        for n, text in enumerate([*HISTORY, ""], start=1):
            writer.writerow([n, text])
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_review_file_filled_in_part_is_what_train_reads(cli: Any, tmp_path: Path) -> None:
    history = _history(tmp_path)
    done = cli("bootstrap", str(history), "--text-col", "body")
    assert done.returncode == 0, done.stderr
    review = tmp_path / "history.review.csv"
    words = " ".join(done.stdout.split())
    assert f"10 rows to {review}, least certain first" in words
    assert "10 (1 without text)" in words and "--skip-invalid" in words
    rows = _rows(review)
    assert list(rows[0]) == [
        "text",
        "proposed",
        "confidence",
        "runner_up",
        "reason",
        "category",
        "row",
    ]
    assert rows[0]["text"] == "xyzzy" and rows[0]["proposed"] == "" and rows[0]["row"] == "11"
    confidences = [float(r["confidence"]) for r in rows]
    assert confidences == sorted(confidences) and all(r["category"] == "" for r in rows)
    assert {r["text"]: r["proposed"] for r in rows}[
        "We were charged twice on the last invoice"
    ] in ("billing", "refunds_cancellations")

    for row in rows:  # a person labels what they know, and leaves the rest
        row["category"] = HISTORY[row["text"]]
    with review.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    refused = cli("train", str(review), "--model", "m.joblib")
    assert refused.returncode == 2 and "--skip-invalid" in refused.stderr
    trained = cli("train", str(review), "--skip-invalid", "--model", "m.joblib")
    assert trained.returncode == 0, trained.stderr
    assert "(2 skipped)" in trained.stdout and (tmp_path / "m.joblib").is_file()


def test_limit_and_json_summary(cli: Any, tmp_path: Path) -> None:
    history = _history(tmp_path)
    done = cli(
        "bootstrap", str(history), "--text-col", "body", "--out", "first.csv", "--limit", "3"
    )
    assert done.returncode == 0, done.stderr
    assert [r["text"] for r in _rows(tmp_path / "first.csv")][:1] == ["xyzzy"]
    assert len(_rows(tmp_path / "first.csv")) == 3
    summary = json.loads(
        cli("bootstrap", str(history), "--text-col", "body", "--out", "all.csv", "--json").stdout
    )
    assert (summary["rows"], summary["skipped"], summary["written"]) == (10, 1, 10)
    assert summary["no_match"] == 1 and summary["llm"] is None
    assert sum(summary["by_category"].values()) == 9


def test_the_llm_reads_every_ticket_when_one_is_set(cli: Any, tmp_path: Path) -> None:
    history = _history(tmp_path)
    args = ("bootstrap", str(history), "--text-col", "body", "--json")
    with ChatServer() as server:  # answers billing, 0.9, to everything
        summary = json.loads(cli(*args, DESKROUTE_LLM_BASE_URL=server.url, **LLM_ENV).stdout)
        assert server.requests == 10
    assert summary["llm"].startswith("openai-compatible:gemma")
    verdicts = summary["llm_verdicts"]
    assert sum(verdicts.values()) == 10 and verdicts["disagreed"] >= 3, verdicts
    assert summary["by_category"]["billing"] >= 6
    rows = {r["text"]: r for r in _rows(tmp_path / "history.review.csv")}
    locked = rows["My account is locked after too many sign-in attempts"]
    assert (locked["proposed"], locked["runner_up"]) == ("billing", "account_access")
    assert locked["reason"].startswith("the LLM says billing (0.90); the examples say ")

    no_llm = json.loads(
        cli(*args, "--no-llm", DESKROUTE_LLM_BASE_URL=closed_port_url(), **LLM_ENV).stdout
    )
    assert no_llm["llm"] is None and no_llm["llm_verdicts"] == {}
    down = cli(*args, DESKROUTE_LLM_BASE_URL=closed_port_url(), **LLM_ENV)
    assert down.returncode == 0, down.stderr
    assert json.loads(down.stdout)["llm_verdicts"] == {"failed": 10}


def test_bad_input_is_named(cli: Any, tmp_path: Path) -> None:
    history = _history(tmp_path)
    for args, named in (
        (("--text-col", "text"), "column 'text' not found; the file has: id, body"),
        (("--text-col", "body", "--out", "review.txt"), "give a .csv name"),
        (("--text-col", "body", "--limit", "0"), "--limit"),
    ):
        done = cli("bootstrap", str(history), *args)
        assert done.returncode == 2 and named in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    missing = cli("bootstrap", "nowhere.csv")
    assert missing.returncode == 2 and "file not found" in missing.stderr
