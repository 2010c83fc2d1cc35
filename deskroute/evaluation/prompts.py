"""`deskroute prompts eval`: the LLM classifier alone over labelled tickets, per prompt version.

Each ticket gets the same context as in production (taxonomy, the local model's candidates,
nearest examples). Answers are cached by (model, prompt version, input): re-runs are free and
only a changed prompt costs calls.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from deskroute.classify.llm import InvalidAnswer, LLMClassifier
from deskroute.intake.prepare import prepare_ticket
from deskroute.llm.cache import AnswerCache
from deskroute.llm.errors import FailureCount, FailureKind, LLMUnavailable, count_failures
from deskroute.models.classification import NoFit, Prediction
from deskroute.models.ticket import TicketIn
from deskroute.runtime import Workspace


class PromptReport(BaseModel):
    prompt: str
    model: str
    n: int
    accuracy: float
    """Correct category / all tickets ("none", invalid and unavailable count as wrong)."""
    coverage: float
    """Share of tickets with a category at or above the LLM confidence threshold."""
    covered_accuracy: float | None
    none_rate: float
    invalid_rate: float
    unavailable_rate: float
    calls_per_ticket: float
    input_tokens_per_ticket: float
    output_tokens_per_ticket: float
    latency_ms_p50: float
    latency_ms_p95: float
    cache_hits: int
    failures: list[FailureCount]
    """Why the provider could not answer (the unavailable tickets), by kind, most frequent
    first."""


@dataclass
class _Row:
    outcome: str
    category: str | None
    confidence: float
    calls: int
    input_tokens: int
    output_tokens: int
    ms: float
    failure: FailureKind | None = None
    error: str = ""


def _ask(ws: Workspace, classifier: LLMClassifier, text: str) -> _Row:
    ticket = prepare_ticket(TicketIn(body=text), ws.policies.intake)
    local = ws.deps.cascade.local.classify(ticket)
    try:
        verdict, answer = classifier.classify(
            ticket, local if isinstance(local, Prediction) else None
        )
    except InvalidAnswer as exc:
        u = exc.answer.usage
        return _Row(
            "invalid", None, 0.0, u.calls, u.input_tokens, u.output_tokens, u.seconds * 1000
        )
    except LLMUnavailable as exc:
        return _Row("unavailable", None, 0.0, 0, 0, 0, 0.0, failure=exc.kind, error=str(exc))
    u = answer.usage
    if isinstance(verdict, NoFit):
        return _Row("none", None, 0.0, u.calls, u.input_tokens, u.output_tokens, u.seconds * 1000)
    return _Row(
        "decided",
        verdict.category,
        verdict.confidence,
        u.calls,
        u.input_tokens,
        u.output_tokens,
        u.seconds * 1000,
    )


def evaluate_prompt(
    ws: Workspace,
    classifier: LLMClassifier,
    texts: list[str],
    labels: list[str],
    cache: AnswerCache | None,
    on_row: Callable[[], None] = lambda: None,
) -> PromptReport:
    """Every ticket through the LLM classifier; without a cache, every one is a real call
    (`llm check`)."""
    rows, hits = [], 0
    for text in texts:
        key = (
            cache.key(classifier.llm.config.label, classifier.prompt.version, text) if cache else ""
        )
        if cache is not None and (cached := cache.get(key)) is not None:
            rows.append(_Row(**cached))
            hits += 1
        else:
            row = _ask(ws, classifier, text)
            if cache is not None and row.outcome != "unavailable":  # an outage is no answer
                cache.put(key, row.__dict__)
            rows.append(row)
        on_row()
    n = len(rows) or 1
    threshold = ws.policies.routing.llm.min_confidence
    correct = [r.category == label for r, label in zip(rows, labels, strict=True)]
    covered = [r.category is not None and r.confidence >= threshold for r in rows]
    latencies = sorted(r.ms for r in rows if r.calls)
    return PromptReport(
        prompt=classifier.prompt.version,
        model=classifier.llm.config.label,
        n=len(rows),
        accuracy=round(sum(correct) / n, 4),
        coverage=round(sum(covered) / n, 4),
        covered_accuracy=round(
            sum(c for c, k in zip(correct, covered, strict=True) if k) / sum(covered), 4
        )
        if any(covered)
        else None,
        none_rate=round(sum(r.outcome == "none" for r in rows) / n, 4),
        invalid_rate=round(sum(r.outcome == "invalid" for r in rows) / n, 4),
        unavailable_rate=round(sum(r.outcome == "unavailable" for r in rows) / n, 4),
        calls_per_ticket=round(sum(r.calls for r in rows) / n, 3),
        input_tokens_per_ticket=round(sum(r.input_tokens for r in rows) / n, 1),
        output_tokens_per_ticket=round(sum(r.output_tokens for r in rows) / n, 1),
        latency_ms_p50=round(statistics.median(latencies), 1) if latencies else 0.0,
        latency_ms_p95=round(latencies[int(len(latencies) * 0.95)], 1) if latencies else 0.0,
        cache_hits=hits,
        failures=count_failures((r.failure, r.error) for r in rows if r.failure is not None),
    )
