"""The learning curve: from 10% of a pool labelled to a model within a point of one trained on
the whole pool, by reviewing escalations, every new model gated (policies/models.yaml) before
it is served. Review order `learning` (the review queue's learning order) against `oldest`.

BANKING77's training file (../shared) is split once, seeded and stratified, into an 80% pool
and a fixed 20% evaluation part. A model trained on a labelled 10% of the pool (at least two
rows per category) is served. Each round, for each order:
1. the served model routes the pool's unlabelled tickets; those below their category's
   threshold are escalated;
2. a simulated reviewer (the true label) resolves the first `--budget` escalations of the
   queue, each a confirmed or corrected label, and inspects `--inspect` of the routed tickets
   at random, flagging the misroutes (a correction);
3. a candidate is trained on the start set plus every reviewer label (merged as the product
   does, weighted `training.correction_weight`) and, unless `--no-implicit`, the routed
   tickets nobody flagged, as the category they were routed to: a ticket handled where it
   was sent is a tacit confirmation. They are never counted as labels and never set the
   thresholds (see bench/_loop/simulate.py);
4. the gates decide the candidate against the served model on the evaluation part; it is
   served when it passes, else the round counts a refusal.
Rounds run while an order has used at most `--max-share` of the pool in labels (so the last
round ends just past it); they stop once every order still under that cap is within 1 point
of the whole pool.

    uv run python bench/learning_loop.py [--seed 0] [--budget 200] [--start 0.10]
        [--inspect 0.05] [--max-share 0.30] [--implicit | --no-implicit]
        [--target-precision 0.95] [--embeddings] [--chart PATH] [--json] [--quick]

The pool is routed again each round, so with implicit labels the model has trained on the
very tickets it routes next: it grows sure of them and escalates fewer, which shortens the
queue (a live desk routes new tickets); accuracy is always measured on the unseen
evaluation part.

--quick: 30 rows of each of the ten top-up categories (alike, so rounds have work to do)
and a budget of 15, a smoke test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np

from bench._data import banking77
from bench._loop.chart import write_chart
from bench._loop.simulate import ORDERS, Run, Settings, figures, initial
from bench._loop.split import Split, split
from deskroute.classify.local import DEFAULT_TARGET_PRECISION, train_local
from deskroute.policies.loader import read_yaml, validate_file
from deskroute.policies.models import ModelsPolicy
from deskroute.registry.gates import evaluate
from deskroute.settings import PROJECT_ROOT

DEFAULT_CHART = PROJECT_ROOT / "bench" / "results" / "learning_loop.png"
POLICY = PROJECT_ROOT / "policies" / "models.yaml"
HOLDOUT = 0.2
MARK = 0.01
"""Within this much accuracy of the whole-pool model counts as there."""
QUICK_FAMILY, QUICK_ROWS, QUICK_BUDGET = ("top_up", "topping_up"), 30, 15


def _quick(texts: list[str], labels: list[str], seed: int) -> tuple[list[str], list[str]]:
    """QUICK_ROWS rows, drawn at random, of each category named like QUICK_FAMILY."""
    rng = np.random.default_rng(seed)
    chosen = sorted({label for label in labels if any(part in label for part in QUICK_FAMILY)})
    keep: list[int] = []
    for category in chosen:
        rows = [i for i, label in enumerate(labels) if label == category]
        keep.extend(int(i) for i in rng.permutation(rows)[:QUICK_ROWS])
    keep.sort()
    return [texts[i] for i in keep], [labels[i] for i in keep]


def _mark(rounds: list[dict[str, Any]], full: float) -> int | None:
    """The fewest labels at which the served model was within MARK of the whole pool's."""
    return next((r["labels"] for r in rounds if r["accuracy"] >= full - MARK - 1e-9), None)


def _full_pool(data: Split, settings: Settings) -> dict[str, Any]:
    started = perf_counter()
    model = train_local(
        data.pool_texts,
        data.pool_labels,
        name="full-pool",
        source="banking77-learning-loop",
        target_precision=settings.target_precision,
        embeddings=settings.embeddings,
    )
    seconds = perf_counter() - started
    report = evaluate(model, data.eval_texts, data.eval_labels, eval_set=data.eval_set)
    return {**figures(report), "train_seconds": round(seconds, 2)}


def simulate(args: argparse.Namespace) -> dict[str, Any]:
    began = perf_counter()
    texts, labels = banking77()
    budget = args.budget
    if args.quick:
        texts, labels = _quick(texts, labels, args.seed)
        budget = min(budget, QUICK_BUDGET)
    policy = validate_file(POLICY, ModelsPolicy, read_yaml(POLICY))
    settings = Settings(
        budget=budget,
        inspect=args.inspect,
        target_precision=args.target_precision,
        implicit=args.implicit,
        policy=policy,
        seed=args.seed,
        embeddings=args.embeddings,
    )
    data = split(texts, labels, holdout=HOLDOUT, start=args.start, seed=args.seed)
    pool = len(data.pool_labels)
    cap = round(args.max_share * pool)
    full = _full_pool(data, settings)
    model, report, failures, seconds = initial(data, settings)
    first = {
        "round": 0,
        "labels": len(data.start),
        "share": round(len(data.start) / pool, 4),
        "train_rows": len(data.start),
        "train_seconds": round(seconds, 2),
        "promoted": None,
        "failures": failures,
        "note": "served at the start whatever the gates say: there is nothing else to serve",
        **figures(report),
    }
    runs = {
        order: Run(order=order, data=data, settings=settings, served=model, served_report=report)
        for order in ORDERS
    }
    for run in runs.values():
        run.rounds.append(dict(first))
    while True:
        active = [run for run in runs.values() if run.labels <= cap and not _stalled(run)]
        waiting = [run for run in active if _mark(run.rounds, full["accuracy"]) is None]
        if not waiting:
            break
        for run in active:
            print(_line(run.order, run.step()), file=sys.stderr, flush=True)
    orders: dict[str, dict[str, Any]] = {}
    for order, run in runs.items():
        decided = [r for r in run.rounds if r["promoted"] is not None]
        orders[order] = {
            "rounds": run.rounds,
            "labels_to_within_1pt": _mark(run.rounds, full["accuracy"]),
            "promotions": sum(bool(r["promoted"]) for r in decided),
            "refusals": sum(not r["promoted"] for r in decided),
        }
    learning, oldest = (orders[o]["labels_to_within_1pt"] for o in ORDERS)
    return {
        "pool_size": pool,
        "eval_rows": len(data.eval_labels),
        "categories": len(set(labels)),
        "seed": args.seed,
        "quick": args.quick,
        "start_labels": len(data.start),
        "label_cap": cap,
        "budget": budget,
        "inspect": args.inspect,
        "target_precision": args.target_precision,
        "implicit": args.implicit,
        "embeddings": args.embeddings,
        "gates": policy.gates.model_dump(),
        "compare": policy.compare.model_dump(),
        "correction_weight": policy.training.correction_weight,
        "full_pool_accuracy": full["accuracy"],
        "full_pool": full,
        "orders": orders,
        "targets": {
            "within_1pt_by_cap": {
                o: orders[o]["labels_to_within_1pt"] is not None
                and orders[o]["labels_to_within_1pt"] <= cap
                for o in ORDERS
            },
            "learning_fewer_labels": learning is not None and (oldest is None or learning < oldest),
        },
        "seconds": round(perf_counter() - began, 1),
    }


def _stalled(run: Run) -> bool:
    """Nothing was left to review or flag last round: another would change nothing."""
    last = run.rounds[-1]
    return last["round"] > 0 and last["reviewed"] + last["flagged"] == 0


def _line(order: str, row: dict[str, Any]) -> str:
    covered = row["covered_accuracy"]
    verdict = (
        "start"
        if row["promoted"] is None
        else "promoted"
        if row["promoted"]
        else "refused: " + "; ".join(row["failures"])
    )
    return (
        f"{order:8} r{row['round']:<2} labels {row['labels']:5} ({row['share']:.1%})  "
        f"accuracy {row['accuracy']:.4f}  coverage {row['coverage']:.3f}  covered "
        f"{'-' if covered is None else f'{covered:.4f}'}  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=int, default=200, help="escalations reviewed per round")
    parser.add_argument("--start", type=float, default=0.10, help="share of the pool labelled")
    parser.add_argument("--inspect", type=float, default=0.05, help="routed tickets inspected")
    parser.add_argument("--max-share", type=float, default=0.30, help="label cap, pool share")
    parser.add_argument(
        "--implicit",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="train on routed tickets nobody flagged, as routed (never counted as labels); "
        "on by default: it measured better (see the README)",
    )
    parser.add_argument(
        "--embeddings",
        action="store_true",
        help="train with the sentence-embedding view (needs the embeddings extra)",
    )
    parser.add_argument("--target-precision", type=float, default=DEFAULT_TARGET_PRECISION)
    parser.add_argument("--chart", type=Path, default=DEFAULT_CHART)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for name in ("start", "inspect", "max_share", "target_precision"):
        if not 0.0 < getattr(args, name) <= 1.0:
            parser.error(f"--{name.replace('_', '-')} must lie in (0, 1]")
    if args.budget < 1:
        parser.error("--budget must be at least 1")
    result = simulate(args)
    chart = _chart(args.chart, result)
    if args.json:
        print(json.dumps(result))
        return
    print(json.dumps({k: v for k, v in result.items() if k != "orders"}, indent=2))
    for order, run in result["orders"].items():
        print(f"{order}: within 1 point at {run['labels_to_within_1pt']} labels")
    print(f"chart: {chart}")


def _chart(path: Path, result: dict[str, Any]) -> str | None:
    try:
        import matplotlib  # noqa: F401 - only to say clearly that it is missing
    except ImportError:
        print(
            "chart skipped: matplotlib is not installed (it comes with `uv sync`'s dev tools)",
            file=sys.stderr,
        )
        return None
    variant = "with implicit labels" if result["implicit"] else "people's labels only"
    if result["embeddings"]:
        variant += ", sentence embeddings"
    write_chart(
        path,
        result,
        title=f"Learning curve on BANKING77: pool {result['pool_size']}, seed {result['seed']}, "
        f"{result['budget']} escalations reviewed per round, {variant}",
    )
    return str(path)


if __name__ == "__main__":
    main()
