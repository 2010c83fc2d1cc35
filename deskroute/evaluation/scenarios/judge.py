"""Judge one routed ticket against what a support lead expects of it.

Each failed expectation becomes one short line, so a report can say what went wrong with a
case, not only that it did. The reply's language is judged by its own words (the commonest
function words of each language), independently of the language DeskRoute detected."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from deskroute.evaluation.scenarios.cases import Expectation, ExpectedAction, OneOf
from deskroute.models.actions import ActionRecord
from deskroute.models.outcome import OutcomeRecord

# Words frequent in one of the languages and in none of the others (so "de", "la", "is" and
# "we" are left out).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and you your our to of for with this will please have has are be that it".split()
    ),
    "de": frozenset(
        "und der das sie ihre ihr ihnen wir ist nicht mit für eine ein zu den dem von auf "
        "bitte haben wird uns unser unsere".split()
    ),
    "fr": frozenset(
        "vous votre vos le les et nous est des une pour avec dans pas sur du au sera notre".split()
    ),
    "es": frozenset(
        "el los las y su sus usted para con por una es del al nos nuestro nuestra hemos".split()
    ),
    "nl": frozenset(
        "het een en u uw wij niet van voor met op te dit dat zijn wordt ons onze".split()
    ),
}
_WORD = re.compile(r"\w+")


def reply_language(text: str) -> str | None:
    """The language whose function words the text uses most; None when it uses none."""
    words = Counter(w.lower() for w in _WORD.findall(text))
    counts = {lang: sum(words[w] for w in vocab) for lang, vocab in FUNCTION_WORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] else None


def judge(expect: Expectation, record: OutcomeRecord) -> list[str]:
    """Every expectation the outcome misses, one line each (empty: the case passes)."""
    failures = [
        *_routing(expect, record),
        *_escalation(expect, record),
        *_actions(expect, record.actions),
        *_reply(expect, record),
    ]
    return failures


def _options(value: OneOf) -> list[str]:
    return [value] if isinstance(value, str) else value


def _routing(expect: Expectation, record: OutcomeRecord) -> list[str]:
    failures = []
    if record.category not in _options(expect.category):
        failures.append(f"category {record.category}, expected {_said(expect.category)}")
    recorded = {record.category, *(c.category for c in record.secondary_intents)}
    failures += [f"intent {i} not recorded" for i in expect.intents if i not in recorded]
    if record.queue not in _options(expect.queue):
        failures.append(f"queue {record.queue}, expected {_said(expect.queue)}")
    priorities = [expect.priority] if isinstance(expect.priority, str) else expect.priority
    if record.priority not in priorities:
        failures.append(f"priority {record.priority}, expected {' or '.join(priorities)}")
    if record.language != expect.language:
        failures.append(f"language taken for {record.language}, expected {expect.language}")
    return failures


def _escalation(expect: Expectation, record: OutcomeRecord) -> list[str]:
    failures = []
    if expect.escalated is not None and record.escalated != expect.escalated:
        state = "escalated" if record.escalated else "not escalated"
        failures.append(f"{state} ({', '.join(record.escalation_reasons) or 'no reason'})")
    failures += [
        f"reason {r} missing (got {', '.join(record.escalation_reasons) or 'none'})"
        for r in expect.reasons
        if r not in record.escalation_reasons
    ]
    return failures


def _actions(expect: Expectation, actions: list[ActionRecord]) -> list[str]:
    failures = []
    writes = [a for a in actions if a.kind == "write" or a.status == "proposed"]
    for wanted in expect.actions:
        if not any(_matches(wanted, a) for a in actions):
            got = "; ".join(f"{a.tool} {a.status} {a.args}" for a in writes) or "no write"
            failures.append(f"no {_action_said(wanted)} (got {got})")
    for forbidden in expect.forbid:
        tool, _, status = forbidden.partition(":")
        statuses = {status} if status else {"executed", "proposed"}
        failures += [
            f"{a.tool} {a.status} {a.args}, which is forbidden"
            for a in actions
            if a.tool == tool and a.status in statuses
        ]
    return failures


def _matches(wanted: ExpectedAction, action: ActionRecord) -> bool:
    if action.tool != wanted.tool or action.status == "rejected":
        return False
    if wanted.status is not None and action.status != wanted.status:
        return False
    return all(_arg_matches(action.args.get(k), v) for k, v in wanted.args.items())


def _arg_matches(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return any(_arg_matches(actual, w) for w in wanted)
    if wanted is None or isinstance(wanted, bool):
        return actual is wanted
    if isinstance(wanted, int | float):
        return isinstance(actual, int | float) and abs(actual - wanted) < 0.005
    return isinstance(actual, str) and str(wanted).lower() in actual.lower()


def _reply(expect: Expectation, record: OutcomeRecord) -> list[str]:
    draft = record.escalation.draft_reply if record.escalation else None
    texts = [t for t in (record.response, draft) if t]
    if not texts:
        return ["no reply and no draft"]
    failures = []
    for name, text in zip(("reply", "draft"), (record.response, draft), strict=True):
        if text and (lang := reply_language(text)) != expect.language:
            failures.append(f"{name} written in {lang}, expected {expect.language}")
    said = "\n".join(texts).lower()
    failures += [
        f"reply lacks {_said(fact)}"
        for fact in expect.reply
        if not any(option.lower() in said for option in _options(fact))
    ]
    failures += [f"reply mentions {bad!r}" for bad in expect.reply_not if bad.lower() in said]
    return failures


def _said(value: OneOf) -> str:
    return " or ".join(repr(v) for v in _options(value))


def _action_said(wanted: ExpectedAction) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in wanted.args.items())
    return f"{wanted.status or 'executed or proposed'} {wanted.tool}({args})"
