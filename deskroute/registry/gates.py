"""Quality gates: what a model version must reach on the fixed evaluation set before it is
served, and whether it is worse than the version served now.

Pure functions over reports, so a benchmark can replay the decisions: `evaluate` scores a model
through its own confidence gate (the same metrics as `deskroute eval`), `decide` applies
`policies/models.yaml` to a candidate's report and the served version's report on the same
rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from deskroute.classify.local import LocalModel
from deskroute.evaluation.metrics import evaluate as evaluate_rows
from deskroute.policies.models import ComparePolicy, GatesPolicy, ModelsPolicy
from deskroute.registry.bootstrap import Interval, paired_bootstrap


class CategoryRecall(BaseModel):
    model_config = ConfigDict(frozen=True)

    recall: float
    support: int


class EvalReport(BaseModel):
    """One model on one evaluation set, through the model's calibrated thresholds."""

    model_config = ConfigDict(frozen=True)

    model: str
    eval_set: str
    """The evaluation set's digest: reports are compared only on the same set."""
    rows: int
    in_scope: int
    oos: int
    accuracy: float
    """Top-1 accuracy over the in-scope rows."""
    coverage: float
    """Share of all rows auto-routed."""
    covered_accuracy: float | None
    """Accuracy of the auto-routed in-scope rows (None when none is routed)."""
    escalation_rate: float
    oos_escalated: float | None
    """Share of out-of-scope rows escalated (None without any)."""
    target_precision: float
    recall: dict[str, CategoryRecall]
    correct: list[bool]
    """Whether each in-scope row, in the set's order, was classified right (for pairing)."""


class GateCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    passed: bool
    value: float | None
    limit: float | None
    reason: str


class GateDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    passed: bool
    checks: list[GateCheck]
    against: str | None
    """The version it was compared with (None: nothing served, or comparison off)."""
    comparison: Interval | None

    @property
    def failures(self) -> list[str]:
        return [check.reason for check in self.checks if not check.passed]


def evaluate(
    model: LocalModel,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    eval_set: str = "",
    oos_label: str | None = None,
) -> EvalReport:
    """Score `model` on labelled rows; rows labelled `oos_label` should be escalated, every
    other row routed to its label. Models compared with each other must be scored with the
    same `oos_label`, so that their in-scope rows pair up."""
    result, rows = evaluate_rows(model, list(texts), list(labels), oos_label=oos_label)
    in_scope = rows.in_scope
    return EvalReport(
        model=model.meta.version,
        eval_set=eval_set,
        rows=result.n,
        in_scope=result.in_scope,
        oos=result.oos,
        accuracy=result.accuracy,
        coverage=result.coverage,
        covered_accuracy=result.covered_accuracy,
        escalation_rate=result.escalation_rate,
        oos_escalated=result.oos_recall,
        target_precision=model.meta.thresholds.target_precision,
        recall={
            label: CategoryRecall(recall=m.recall, support=m.support)
            for label, m in result.per_label.items()
            if m.support
        },
        correct=[bool(ok) for ok, keep in zip(rows.correct, in_scope, strict=True) if keep],
    )


def _at_least(name: str, what: str, value: float | None, limit: float | None) -> GateCheck | None:
    if limit is None:
        return None
    if value is None:
        return GateCheck(
            name=name, passed=False, value=None, limit=limit, reason=f"{what}: nothing to measure"
        )
    passed = value >= limit
    sign = ">=" if passed else "<"
    return GateCheck(
        name=name,
        passed=passed,
        value=value,
        limit=limit,
        reason=f"{what} {value:.3f} {sign} {limit:.3f}",
    )


def _recall_floors(report: EvalReport, gates: GatesPolicy) -> GateCheck | None:
    if gates.min_recall is None and not gates.recall_floors:
        return None
    judged, low = 0, []
    for label, recall in sorted(report.recall.items()):
        floor = gates.recall_floors.get(label, gates.min_recall)
        if floor is None or recall.support < gates.recall_min_support:
            continue
        judged += 1
        if recall.recall < floor:
            low.append((label, recall.recall, floor))
    lowest = min((r.recall for r in report.recall.values()), default=None)
    if low:
        shown = ", ".join(f"{label} {value:.2f} < {floor:.2f}" for label, value, floor in low[:5])
        more = f" and {len(low) - 5} more" if len(low) > 5 else ""
        reason = f"recall below its floor in {len(low)} categor{'y' if len(low) == 1 else 'ies'}"
        return GateCheck(
            name="recall_floors",
            passed=False,
            value=lowest,
            limit=gates.min_recall,
            reason=f"{reason}: {shown}{more}",
        )
    reason = (
        f"recall at or above its floor in all {judged} categories with at least "
        f"{gates.recall_min_support} evaluation rows"
        if judged
        else f"no category has the {gates.recall_min_support} evaluation rows needed to judge "
        "its recall"
    )
    return GateCheck(
        name="recall_floors", passed=True, value=lowest, limit=gates.min_recall, reason=reason
    )


def _oos(report: EvalReport, gates: GatesPolicy) -> GateCheck | None:
    if gates.min_oos_escalated is None or report.oos == 0:
        return None
    return _at_least(
        "min_oos_escalated",
        "out-of-scope rows escalated",
        report.oos_escalated,
        gates.min_oos_escalated,
    )


def _escalation(report: EvalReport, gates: GatesPolicy) -> GateCheck | None:
    limit = gates.max_escalation_rate
    if limit is None:
        return None
    passed = report.escalation_rate <= limit
    return GateCheck(
        name="max_escalation_rate",
        passed=passed,
        value=report.escalation_rate,
        limit=limit,
        reason=f"escalation rate {report.escalation_rate:.3f} {'<=' if passed else '>'} "
        f"{limit:.3f}",
    )


def compare(
    candidate: EvalReport, current: EvalReport, policy: ComparePolicy
) -> tuple[GateCheck, Interval]:
    """`not_worse`: refused only when the whole interval of the accuracy difference lies below
    zero (the candidate is worse beyond noise); `better`: passed only when it lies above."""
    if candidate.eval_set != current.eval_set or len(candidate.correct) != len(current.correct):
        raise ValueError(
            f"{candidate.model} and {current.model} were not evaluated on the same rows"
        )
    interval = paired_bootstrap(
        candidate.correct,
        current.correct,
        resamples=policy.resamples,
        confidence=policy.confidence,
        seed=policy.seed,
    )
    span = (
        f"accuracy {interval.difference:+.3f} against {current.model} "
        f"({policy.confidence:.0%} interval {interval.low:+.3f} to {interval.high:+.3f}, "
        f"{interval.candidate_only} rows only it gets right, {interval.current_only} only "
        f"{current.model})"
    )
    if policy.require == "better":
        passed = interval.low > 0
        verdict = "better beyond noise" if passed else "not shown better"
    else:
        passed = interval.high >= 0
        verdict = "not worse" if passed else "worse beyond noise"
    check = GateCheck(
        name=f"{policy.require}_than_current",
        passed=passed,
        value=interval.difference,
        limit=0.0,
        reason=f"{verdict}: {span}",
    )
    return check, interval


def decide(candidate: EvalReport, current: EvalReport | None, policy: ModelsPolicy) -> GateDecision:
    """Every gate of `policy` on the candidate's report, and the comparison with the served
    version's report on the same rows (skipped when nothing is served or it is off)."""
    gates = policy.gates
    checks = [
        check
        for check in (
            _at_least("min_accuracy", "accuracy", candidate.accuracy, gates.min_accuracy),
            _at_least(
                "min_covered_accuracy",
                f"covered accuracy at target precision {candidate.target_precision:.2f}",
                candidate.covered_accuracy,
                gates.min_covered_accuracy,
            ),
            _recall_floors(candidate, gates),
            _oos(candidate, gates),
            _escalation(candidate, gates),
        )
        if check is not None
    ]
    if candidate.in_scope == 0:
        checks.insert(
            0,
            GateCheck(
                name="evaluation_rows",
                passed=False,
                value=0.0,
                limit=1.0,
                reason="the evaluation set has no in-scope rows to judge the model on",
            ),
        )
    comparison, against = None, None
    if current is not None and policy.compare.require != "off":
        check, comparison = compare(candidate, current, policy.compare)
        checks.append(check)
        against = current.model
    return GateDecision(
        passed=all(check.passed for check in checks),
        checks=checks,
        against=against,
        comparison=comparison,
    )
