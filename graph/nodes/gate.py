"""Gate: route to the category's specialist only when the classification is trustworthy;
collect every reason a person must take over (the specialist still drafts when it can)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from deskroute.classify.rules import category_rule_hits
from deskroute.models.classification import NoFit
from deskroute.models.outcome import ReasonDetail
from graph.context import Deps
from graph.state import RouteState
from graph.timing import timed


def _rule_reasons(hits: list[Any]) -> list[ReasonDetail]:
    return [
        ReasonDetail(reason=h.reason, detail=f"rule {h.rule} matched {h.matched!r}")
        for h in hits
        if h.action == "escalate" and h.reason is not None
    ]


@timed("gate")
def gate(state: RouteState, runtime: Runtime[Deps]) -> dict[str, Any]:
    policies = runtime.context.policies
    taxonomy = policies.taxonomy
    verdict = state.get("classification")
    hits = list(state.get("rule_hits", []))
    reasons: list[ReasonDetail] = []
    target, category = None, None
    if verdict is None:
        reasons.append(
            ReasonDetail(
                reason="classifier_error",
                detail=state.get("classifier_error") or "no classifier result",
            )
        )
    elif isinstance(verdict, NoFit):
        reasons.append(
            ReasonDetail(reason="low_confidence", detail=f"no category fits: {verdict.reason}")
        )
    elif verdict.category not in taxonomy.categories:
        reasons.append(
            ReasonDetail(
                reason="classifier_error",
                detail=f"model {verdict.model_version} predicted {verdict.category!r}, "
                "which is not in taxonomy.yaml (retrain the model)",
            )
        )
    else:
        threshold = (
            policies.routing.llm.min_confidence
            if verdict.source == "llm"
            else taxonomy.threshold(verdict.category, runtime.context.thresholds)
        )
        if verdict.source != "rules" and verdict.confidence < threshold:
            reasons.append(
                ReasonDetail(
                    reason="low_confidence",
                    detail=f"{verdict.category} at {verdict.confidence:.2f} is below its threshold "
                    f"{threshold:.2f}",
                )
            )
        else:
            target, category = policies.specialist_for(verdict.category), verdict.category
            category_hits = category_rule_hits(verdict.category, policies.rules)
            hits += category_hits
            reasons += _rule_reasons(category_hits)
    reasons += _rule_reasons(state.get("rule_hits", []))
    return {"target": target, "category": category, "reasons": reasons, "rule_hits": hits}
