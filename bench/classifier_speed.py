"""Training time, prediction rate and memory of the local classifier on BANKING77.

- training: `deskroute train`'s work (fit + out-of-fold calibration + thresholds) on all
  10,003 tickets, timed in this process;
- batch prediction: 5,000 tickets in one call to a freshly loaded model (so nothing is
  remembered from an earlier call, sentence embeddings included), best of three;
- single-ticket latency: 1,000 other tickets one at a time (what routing does), each encoded
  afresh;
- memory: a fresh process that loads the saved model and predicts once, reading VmRSS.

    uv run python bench/classifier_speed.py [--embeddings]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from bench._data import banking77
from deskroute.classify import embeddings
from deskroute.classify.local import LocalModel, train_local

PROBE = """
import sys
def rss():
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1])
from pathlib import Path
before = rss()
from deskroute.classify.local import LocalModel
model = LocalModel.load(Path(sys.argv[1]))
model.model.predict_proba(["I am still waiting for my new card"])
print(before, rss())
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--embeddings", action="store_true")
    args = parser.parse_args()
    texts, labels = banking77()
    started = perf_counter()
    model = train_local(
        texts,
        labels,
        name="banking77",
        source="banking77",
        target_precision=0.99,
        embeddings=args.embeddings,
    )
    train_seconds = perf_counter() - started
    batch = texts[:5000]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        model.save(path)
        size_mb = path.stat().st_size / 2**20
        rates = []
        for _ in range(3):
            fresh = LocalModel.load(path)  # nothing remembered from an earlier call
            embeddings.forget()
            t0 = perf_counter()
            fresh.model.predict_proba(batch)
            rates.append(len(batch) / (perf_counter() - t0))
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
        )
    latencies = []
    for text in texts[5000:6000]:
        embeddings.forget()
        t0 = perf_counter()
        model.model.predict_proba([text])
        latencies.append((perf_counter() - t0) * 1000)
    latencies.sort()
    before_kb, after_kb = map(int, probe.stdout.split())
    print(
        json.dumps(
            {
                "design": "embeddings" if args.embeddings else "default",
                "rows": len(texts),
                "train_seconds": round(train_seconds, 2),
                "batch_tickets_per_s": round(max(rates), 1),
                "single_ms_p50": round(statistics.median(latencies), 3),
                "single_ms_p95": round(latencies[int(len(latencies) * 0.95)], 3),
                "model_file_mb": round(size_mb, 1),
                "rss_mb_interpreter": round(before_kb / 1024, 1),
                "rss_mb_loaded_model": round(after_kb / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
