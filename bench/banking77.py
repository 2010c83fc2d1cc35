"""Cross-validated routing quality on BANKING77 (10,003 real queries, 77 intents).

For each of 5 stratified folds: train on the other four (thresholds calibrated on their
out-of-fold predictions only), then measure the held-out fold through the confidence gate.
The out-of-scope tickets written for this project (bench/data/out_of_scope.csv) are scored by
every fold model. With --oos-calibration, half of them (alternating) are given to training as
out-of-scope rows that only calibrate the thresholds, and only the other half is measured.

    uv run python bench/banking77.py [--targets 0.98,0.985,0.99] [--embeddings] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
from time import perf_counter

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bench._data import banking77, out_of_scope
from deskroute.classify.local import fit_local
from deskroute.evaluation.metrics import evaluate

OOS = "__out_of_scope__"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--targets", default="0.98,0.985,0.99")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--oos-calibration", action="store_true")
    parser.add_argument(
        "--embeddings",
        action="store_true",
        help="use the sentence-embedding view (needs the embeddings extra)",
    )
    parser.add_argument("--json", action="store_true", help="only the summary, as one JSON line")
    args = parser.parse_args()
    texts, labels = banking77()
    oos = out_of_scope()
    calib_oos, test_oos = (oos[::2], oos[1::2]) if args.oos_calibration else ([], oos)
    x, y = np.array(texts, dtype=object), np.array(labels)
    targets = [float(t) for t in args.targets.split(",")]
    results: dict[float, list[dict[str, float]]] = {t: [] for t in targets}
    split = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    for fold, (train, test) in enumerate(split.split(x, y)):
        started = perf_counter()
        calibration = fit_local(
            [*x[train], *calib_oos],
            [*y[train], *[OOS] * len(calib_oos)],
            name=f"fold{fold}",
            source="banking77",
            oos_label=OOS if calib_oos else None,
            embeddings=args.embeddings,
        )
        seconds = perf_counter() - started
        for target in targets:
            model = calibration.at(target)
            result, _ = evaluate(
                model, [*x[test], *test_oos], [*y[test], *[OOS] * len(test_oos)], oos_label=OOS
            )
            in_scope = evaluate(model, list(x[test]), list(y[test]))[0]
            row = {
                "accuracy": result.accuracy,
                "macro_f1": result.macro_f1,
                "coverage": in_scope.coverage,
                "covered_accuracy": in_scope.covered_accuracy or 0,
                "in_scope_routed_accuracy": result.in_scope_routed_accuracy,
                "oos_recall": result.oos_recall or 0.0,
                "train_seconds": seconds,
            }
            results[target].append(row)
            if not args.json:
                print(
                    f"fold {fold} target {target}: "
                    + ", ".join(f"{k} {v:.4f}" for k, v in row.items()),
                    flush=True,
                )
    summary = {}
    for target, rows in results.items():
        summary[str(target)] = {
            key: {
                "mean": round(statistics.mean(r[key] for r in rows), 4),
                "std": round(statistics.pstdev(r[key] for r in rows), 4),
            }
            for key in rows[0]
        }
    print(
        json.dumps(
            {
                "design": "embeddings" if args.embeddings else "default",
                "folds": args.folds,
                "oos_tickets_measured": len(test_oos),
                "oos_in_calibration": len(calib_oos),
                "targets": summary,
            },
            indent=None if args.json else 2,
        )
    )


if __name__ == "__main__":
    main()
