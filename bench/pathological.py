"""Pathological ticket texts: is every text step linear in the size of its input?

A regular expression that backtracks can take time quadratic in the length of one token or one
line, and it holds the interpreter lock meanwhile: one crafted 100 kB ticket would stall every
request thread of the process. This script builds such texts (`KINDS`: one long token, dotted
and dashed runs, digit runs, `@` runs, nested brackets and quotes, many URLs and e-mail
addresses, whitespace runs and blank lines, ticket tags, deep, long and unfinished HTML) at
several sizes and times every text step a ticket goes through, each on the same input:

- `validate` (`parse_ticket`), `normalize` (`normalize_body` as for e-mail), `html_text`,
  `language`, `prepare` (`prepare_ticket`: normalise and detect the language),
- `email` (`parse_email` of a message whose body is the text; HTML kinds as `text/html`),
- `rules` (policy rules) and `signals` (`read_signals`) on the prepared text,
- `classifier` (the local model's features and scores on the prepared text),
- `redact` (PII placeholders, as before a call to a hosted model),
- `fingerprint` (duplicate detection, as the intake node calls it but with the whole raw text)
  and `pair_score` (fingerprint and score against an ordinary ticket),
- `submit` (`submit_ticket` storing the ticket on a temporary SQLite workspace),
- and, once per kind, the fingerprint of a 998-character subject (the longest accepted).

Per step it reports the worst milliseconds per kB over all kinds and sizes, the kind that gave
it, and that kind's ms/kB at each size: a linear step keeps ms/kB flat as the size grows, a
quadratic one multiplies it by the size ratio. A size whose time, grown quadratically from the
size before, would pass `--budget` seconds is skipped and listed: that step is already shown to
be super-linear there, and measuring it would take hours.

    uv run python bench/pathological.py [--sizes 10 50 100] [--kinds long_token ...]
        [--model PATH] [--budget 60] [--json]

Without `--model` the demo model is trained from `policies/examples/` into a temporary folder
(about 20 s). Inputs are deterministic. Times are CPU time of the process (other load on a
shared machine moves them far less than wall time, and a step that holds the interpreter lock
costs every other thread that much); each is the quickest of up to three runs (one run when it
takes over 0.25 s), after one warm-up call per step on a short text.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from deskroute.classify.demo import ensure_demo_model
from deskroute.classify.local import LocalModel
from deskroute.classify.rules import text_rule_hits
from deskroute.duplicates import Fingerprint, duplicate_score, fingerprint
from deskroute.enrich import read_signals
from deskroute.intake.email import parse_email
from deskroute.intake.html_text import html_to_text
from deskroute.intake.language import detect_language
from deskroute.intake.normalize import normalize_body
from deskroute.intake.prepare import prepare_ticket
from deskroute.intake.validate import parse_ticket
from deskroute.llm.redact import Redactor
from deskroute.models.ticket import Channel, TicketIn
from deskroute.policies import Policies, load_policies
from deskroute.runtime import Workspace, open_workspace
from deskroute.service import submit_ticket
from deskroute.settings import PROJECT_ROOT, Settings

KB = 1024
SIZES_KB = (10, 50, 100)
SUBJECT = "Export fails"
NOW = datetime(2026, 5, 11, 9, 0, tzinfo=UTC)
REPEATS = 3
REPEAT_BELOW_S = 0.25


def _fill(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` characters (every unit here is ASCII: bytes = chars)."""
    return (unit * (size // len(unit) + 1))[:size]


def _framed(middle: Callable[[int], str]) -> Callable[[int], str]:
    """Ordinary words around the run, so that validation keeps it and it sits mid-ticket."""
    head, tail = "Hello, the export fails: ", " Thanks, Claire"
    return lambda size: head + middle(size - len(head) - len(tail)) + tail


def _nested(opening: str, closing: str) -> Callable[[int], str]:
    def build(size: int) -> str:
        depth = size // (len(opening) + len(closing))
        return opening * depth + closing * depth

    return build


KINDS: dict[str, Callable[[int], str]] = {
    "long_token": lambda n: _fill("a", n),
    "dotted_token": lambda n: _fill("a.", n),
    "dashed_token": lambda n: _fill("a-", n),
    "digit_run": lambda n: _fill("1", n),
    "dotted_digits": lambda n: _fill("1.", n),
    "digits_and_letters": lambda n: _fill("a1", n),
    "at_signs": lambda n: _fill("@", n),
    "phone_like": lambda n: _fill("(1-", n),
    "nested_brackets": _nested("(", ")"),
    "nested_quotes": _nested("\"'", "'\""),
    "many_urls": lambda n: _fill("https://app.example.com/reports/r-2026-0042?tab=1&id=77 ", n),
    "many_emails": lambda n: _fill("claire.dubois+billing@monfort.example ", n),
    "whitespace_run": _framed(lambda n: _fill(" \t", n)),
    "blank_lines": _framed(lambda n: _fill("\n", n)),
    "long_line": lambda n: _fill("the scheduled export to INV-2026-0402 fails again, ", n),
    "capitalised_words": lambda n: _fill("Aa ", n),
    "ticket_tags": lambda n: _fill("[#1", n),
    "deep_html": _nested("<div><blockquote>", "</blockquote></div>"),
    "long_html": lambda n: _fill(
        "<p>Hello <b>team</b>, the <a href='https://x.example/a'>export</a> fails.</p><br>", n
    ),
    "unclosed_tags": lambda n: _fill("<a b='", n),
    "unclosed_attributes": lambda n: _fill("<a x=1 ", n),
}
HTML_KINDS = frozenset({"deep_html", "long_html", "unclosed_tags", "unclosed_attributes"})

ORDINARY = fingerprint(
    subject="Seat price on INV-2026-0402",
    body="our invoice INV-2026-0402 shows the Growth plan at 45 per seat, but our order form "
    "says 39. Could you correct it?",
    raw_body="Hi,\n\nour invoice INV-2026-0402 shows the Growth plan at 45 per seat, but our "
    "order form says 39. Could you correct it?\n\nThanks,\nClaire Dubois",
    is_email=True,
)


def _email_bytes(text: str, *, html: bool) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Claire Dubois <claire@monfort.example>"
    msg["To"] = "support@brightline.example"
    msg["Subject"] = SUBJECT
    msg["Message-ID"] = "<m1@monfort.example>"
    msg.set_content(text, subtype="html" if html else "plain")
    return msg.as_bytes()


@dataclass(frozen=True)
class Sample:
    kind: str
    text: str
    prepared: str
    """Subject and normalised body: what rules, signals and the classifier read (made before
    the clock starts; normalising is a step of its own)."""

    @classmethod
    def of(cls, kind: str, text: str) -> Sample:
        return cls(kind, text, f"{SUBJECT}\n{normalize_body(text, is_email=True)}")


Step = Callable[[Sample], object]


class Steps:
    """Every text step, with what it needs loaded once (policies, model, workspace)."""

    def __init__(self, policies: Policies, model: LocalModel, workspace: Workspace) -> None:
        self.policies = policies
        self.workspace = workspace
        self.submitted = 0
        languages = tuple(policies.intake.languages)
        self.table: dict[str, Step] = {
            "validate": self.validate,
            "normalize": lambda s: normalize_body(s.text, is_email=True, subject=SUBJECT),
            "html_text": lambda s: html_to_text(s.text),
            "language": lambda s: detect_language(s.text, languages),
            "prepare": lambda s: prepare_ticket(self.validate(s), policies.intake),
            "email": lambda s: parse_email(_email_bytes(s.text, html=s.kind in HTML_KINDS)),
            "rules": lambda s: text_rule_hits(s.prepared, policies.rules),
            "signals": lambda s: read_signals(
                s.prepared, policies.signals, base_urgency="low", history=[], now=NOW
            ),
            "classifier": lambda s: model.model.predict_proba([s.prepared]),
            "redact": lambda s: Redactor().redact(s.text),
            "fingerprint": self.fingerprint,
            "pair_score": lambda s: duplicate_score(ORDINARY, self.fingerprint(s)),
            "submit": self.submit,
        }

    def validate(self, sample: Sample) -> TicketIn:
        ticket = {"channel": "email", "subject": SUBJECT, "body": sample.text}
        return parse_ticket(ticket, self.policies.intake)

    def fingerprint(self, sample: Sample) -> Fingerprint:
        """As the intake node calls it, with the whole raw text (the node reads 4,000 chars)."""
        return fingerprint(
            subject=SUBJECT,
            body=normalize_body(sample.text, is_email=True, subject=SUBJECT),
            raw_body=sample.text,
            is_email=True,
        )

    def subject(self, sample: Sample) -> Fingerprint:
        """The text as the subject (validation lets 998 characters through), a short body."""
        return fingerprint(
            subject=sample.text, body="Any update?", raw_body="Any update?", is_email=True
        )

    def submit(self, sample: Sample) -> object:
        self.submitted += 1
        ticket = {
            "channel": Channel.EMAIL,
            "subject": SUBJECT,
            "body": sample.text,
            "customer_email": f"claire{self.submitted}@monfort.example",
        }
        return submit_ticket(self.workspace, ticket)


def _seconds(step: Step, sample: Sample) -> float:
    """CPU seconds of one run; a fast step is run up to three times and the quickest kept."""
    best = float("inf")
    for _ in range(REPEATS):
        started = time.process_time()
        step(sample)
        best = min(best, time.process_time() - started)
        if best > REPEAT_BELOW_S:
            break
    return best


def _worst(by_kind: dict[str, dict[int, float | None]]) -> dict[str, Any]:
    measured = [(v, k, s) for k, per in by_kind.items() for s, v in per.items() if v is not None]
    value, kind, size = max(measured)
    return {
        "worst_ms_per_kb": value,
        "kind": kind,
        "size_kb": size,
        "ms_per_kb_by_size": {str(s): v for s, v in by_kind[kind].items()},
        "skipped": sorted(
            f"{k}@{s}" for k, per in by_kind.items() for s, v in per.items() if v is None
        ),
    }


def measure(steps: Steps, kinds: list[str], sizes: list[int], budget_s: float) -> dict[str, Any]:
    """ms per kB for every (step, kind, size), and per step the worst of them. A size whose
    time, grown quadratically from the last size measured, would pass `budget_s` is skipped
    (None): the step is already shown to be super-linear, and the run would take hours."""
    warm_up = Sample.of("long_html", "<p>The export fails again.</p>")
    for step in steps.table.values():  # caches, lazy imports, the model's tables
        step(warm_up)
    runs: dict[str, dict[str, dict[int, float | None]]] = {name: {} for name in steps.table}
    last: dict[tuple[str, str], tuple[int, float]] = {}
    for kind in kinds:
        for size in sorted(sizes):
            sample = Sample.of(kind, KINDS[kind](size * KB))
            for name, step in steps.table.items():
                previous = last.get((name, kind))
                if previous is not None and previous[1] * (size / previous[0]) ** 2 > budget_s:
                    runs[name].setdefault(kind, {})[size] = None
                    continue
                seconds = _seconds(step, sample)
                last[(name, kind)] = (size, seconds)
                runs[name].setdefault(kind, {})[size] = round(1000 * seconds / size, 4)
    subject_ms = {
        kind: 1000 * _seconds(steps.subject, Sample.of(kind, KINDS[kind](998))) for kind in kinds
    }
    worst_subject = max(subject_ms, key=subject_ms.__getitem__)
    return {
        "sizes_kb": sorted(sizes),
        "kinds": kinds,
        "budget_s": budget_s,
        "worst": {name: _worst(by_kind) for name, by_kind in runs.items()},
        "subject_998_chars": {
            "worst_ms": round(subject_ms[worst_subject], 3),
            "kind": worst_subject,
        },
        "ms_per_kb": {
            name: {k: {str(s): v for s, v in per.items()} for k, per in by_kind.items()}
            for name, by_kind in runs.items()
        },
    }


def _print_table(result: dict[str, Any]) -> None:
    sizes = result["sizes_kb"]
    head = "".join(f"{f'@{s} kB':>11}" for s in sizes)
    print(f"{'step':<12}{'worst ms/kB':>12}  {'worst kind':<20}{head}  skipped")
    for name, row in result["worst"].items():
        by_size = "".join(
            f"{v:>11.3f}"
            if (v := row["ms_per_kb_by_size"].get(str(s))) is not None
            else f"{'-':>11}"
            for s in sizes
        )
        skipped = ", ".join(row["skipped"]) or "-"
        print(f"{name:<12}{row['worst_ms_per_kb']:>12.3f}  {row['kind']:<20}{by_size}  {skipped}")
    subject = result["subject_998_chars"]
    print(
        f"fingerprint of a 998-character subject (the longest accepted): worst "
        f"{subject['worst_ms']:.3f} ms ({subject['kind']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES_KB), help="in kB")
    parser.add_argument("--kinds", nargs="+", choices=sorted(KINDS), default=list(KINDS))
    parser.add_argument("--model", type=Path, help="a trained model (default: train the demo)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds; see `measure` (default 60)"
    )
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args()
    policies = load_policies(PROJECT_ROOT / "policies")
    if max(args.sizes) * KB > policies.intake.max_body_bytes:
        parser.error(f"sizes above {policies.intake.max_body_bytes // KB} kB fail validation")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        model_path = args.model or home / "demo.joblib"
        if args.model:
            model = LocalModel.load(model_path)
        else:
            model = ensure_demo_model(model_path, policies)
        workspace = open_workspace(Settings(home=home, model_path=model_path))
        try:
            steps = Steps(policies, model, workspace)
            result = measure(steps, args.kinds, args.sizes, args.budget)
        finally:
            workspace.engine.dispose()
    if args.json:
        print(json.dumps(result))
        return
    _print_table(result)


if __name__ == "__main__":
    main()
