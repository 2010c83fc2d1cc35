"""LLM calls, tokens and accuracy per 100 tickets: the cascade vs. the LLM for every ticket.

BANKING77 (from ../shared): a stratified sample of --tickets held out, the local model trained
on the rest at its default target precision. The cascade consults the LLM only when the local
model is below its threshold (and accepts its answer only among the local top 3); the baseline
asks the LLM about every ticket. Both use the same prompt file and few-shot examples, against
the real server named by DESKROUTE_LLM / DESKROUTE_LLM_BASE_URL. Answers are cached on disk, so
a re-run costs no calls.

    DESKROUTE_LLM=openai-compatible:gemma3-270m DESKROUTE_LLM_BASE_URL=http://127.0.0.1:8089/v1 \\
    DESKROUTE_LLM_SYSTEM_ROLE=false DESKROUTE_LLM_MAX_TOKENS=192 DESKROUTE_LLM_TIMEOUT_S=300 \\
        uv run python bench/llm_cost.py --tickets 100

(llama.cpp's `gemma` chat format drops system messages, hence SYSTEM_ROLE=false; Gemma 3 270M
on two CPU cores answers in 3-20 s, hence the longer timeout; 192 tokens bound a rambling
answer, which is then sent back once as invalid.)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from bench._data import banking77
from deskroute.classify.examples import ExampleIndex
from deskroute.classify.llm import InvalidAnswer, LLMClassifier
from deskroute.classify.local import DEFAULT_TARGET_PRECISION, train_local
from deskroute.classify.prompt import PROMPT_SPEC
from deskroute.errors import ConfigError
from deskroute.intake.prepare import prepare_ticket
from deskroute.llm.cache import AnswerCache
from deskroute.llm.errors import LLMUnavailable
from deskroute.llm.runtime import open_llm
from deskroute.models.classification import Candidate, NoFit, Prediction
from deskroute.models.ticket import TicketIn
from deskroute.policies import load_policies
from deskroute.policies.schema import Category, Taxonomy
from deskroute.prompts import load_prompt
from deskroute.settings import Settings


def banking_policies(settings: Settings, intents: list[str]):
    """The demo policies with BANKING77's intents as the taxonomy (one queue for all)."""
    policies = load_policies(settings.policies_dir)
    categories = {
        i: Category(
            name=i,
            description=i.replace("_", " "),
            queue="banking",
            escalation_queue="banking-review",
            specialist="general",
        )
        for i in intents
    }
    taxonomy = Taxonomy(
        version=1,
        default_threshold="auto",
        secondary_intent_floor=0.15,
        min_examples=2,
        categories=categories,
    )
    return policies.model_copy(update={"taxonomy": taxonomy})


def ask(
    cache: AnswerCache, classifier: LLMClassifier, mode: str, text: str, local: Prediction | None
) -> dict:
    label, version = classifier.llm.config.label, classifier.prompt.version
    key = cache.key(label, version, json.dumps([mode, text]))
    if (hit := cache.get(key)) is not None:
        return hit
    ticket = prepare_ticket(TicketIn(body=text, language="en"), classifier.policies.intake)
    try:
        verdict, answer = classifier.classify(ticket, local)
        usage = answer.usage
        category = verdict.category if isinstance(verdict, Prediction) else None
        confidence = verdict.confidence if isinstance(verdict, Prediction) else 0.0
        outcome = "none" if isinstance(verdict, NoFit) else "decided"
    except InvalidAnswer as exc:
        usage, category, confidence, outcome = exc.answer.usage, None, 0.0, "invalid"
    except LLMUnavailable as exc:
        # Timed out or refused: the cascade would take the embedded path (escalate). Counted
        # as one call and not cached, so a re-run asks again.
        print(f"unavailable: {exc}", flush=True)
        return {
            "category": None,
            "confidence": 0.0,
            "outcome": "unavailable",
            "calls": 1,
            "in": 0,
            "out": 0,
            "ms": 0.0,
        }
    row = {
        "category": category,
        "confidence": confidence,
        "outcome": outcome,
        "calls": usage.calls,
        "in": usage.input_tokens,
        "out": usage.output_tokens,
        "ms": round(usage.seconds * 1000, 1),
    }
    cache.put(key, row)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100)
    parser.add_argument("--cache", type=Path, default=Path(".deskroute/llm-cost-cache.sqlite"))
    args = parser.parse_args()
    settings = Settings()
    runtime = open_llm(settings)
    if runtime is None:
        raise ConfigError(
            "set DESKROUTE_LLM and DESKROUTE_LLM_BASE_URL to a real server", file="DESKROUTE_LLM"
        )
    texts, raw_labels = banking77()
    # Category names in policies are snake_case: "Refund_not_showing_up" and
    # "reverted_card_payment?" become "refund_not_showing_up" and "reverted_card_payment".
    labels = [re.sub(r"[^a-z0-9_]", "", label.lower()) for label in raw_labels]
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=args.tickets, stratify=labels, random_state=0
    )
    model = train_local(train_x, train_y, name="banking77", source="banking77")
    policies = banking_policies(settings, sorted(set(labels)))
    prompt = load_prompt(settings.prompts_dir / "classifier.yaml", PROMPT_SPEC)
    llm = LLMClassifier(
        llm=runtime,
        prompt=prompt,
        policies=policies,
        examples=ExampleIndex(train_x, train_y),
        company="the bank",
    )
    cache = AnswerCache(args.cache)
    proba = model.model.predict_proba(test_x)
    classes = model.model.classes
    thresholds = model.meta.thresholds
    top_n = policies.routing.llm.top_candidates
    min_confidence = policies.routing.llm.min_confidence
    modes: dict[str, dict[str, list]] = {
        m: {"routed": [], "correct": [], "calls": [], "in": [], "out": [], "ms": [], "answers": []}
        for m in ("local", "cascade", "llm_every_ticket")
    }
    for i, (text, truth) in enumerate(zip(test_x, test_y, strict=True)):
        order = np.argsort(-proba[i])
        best = classes[order[0]]
        local_ok = proba[i][order[0]] >= thresholds.for_category(best)
        candidates = [classes[j] for j in order[:top_n]]
        local = Prediction(
            category=best,
            confidence=float(proba[i][order[0]]),
            candidates=[
                Candidate(category=classes[j], score=float(proba[i][j])) for j in order[:5]
            ],
            source="local",
            model_version=model.meta.version,
        )
        rows = {"local": {"category": best, "routed": local_ok}}
        if local_ok:
            rows["cascade"] = {"category": best, "routed": True, "calls": 0, "in": 0, "out": 0}
        else:
            answer = ask(cache, llm, "cascade", text, local)
            accepted = answer["category"] in candidates and answer["confidence"] >= min_confidence
            rows["cascade"] = {**answer, "routed": accepted}
        every = ask(cache, llm, "every", text, None)
        rows["llm_every_ticket"] = {
            **every,
            "routed": every["category"] is not None and every["confidence"] >= min_confidence,
        }
        for mode, row in rows.items():
            stats = modes[mode]
            stats["routed"].append(bool(row["routed"]))
            stats["correct"].append(row.get("category") == truth)
            for key in ("calls", "in", "out", "ms"):
                stats[key].append(row.get(key, 0))
            if "outcome" in row:
                stats["answers"].append(row["outcome"])
        print(
            f"{i + 1}/{len(test_x)} cascade calls so far: {sum(modes['cascade']['calls'])}",
            flush=True,
        )
    cache.close()
    n = len(test_x)
    report = {}
    for mode, stats in modes.items():
        routed = np.array(stats["routed"])
        correct = np.array(stats["correct"])
        report[mode] = {
            "llm_calls_per_100": round(100 * sum(stats["calls"]) / n, 1),
            "tickets_sent_to_llm_per_100": round(100 * sum(c > 0 for c in stats["calls"]) / n, 1),
            "input_tokens_per_100": round(100 * sum(stats["in"]) / n),
            "output_tokens_per_100": round(100 * sum(stats["out"]) / n),
            "coverage": round(float(routed.mean()), 4),
            "covered_accuracy": round(float(correct[routed].mean()), 4) if routed.any() else None,
            "accuracy_top1": round(float(correct.mean()), 4),
            "llm_ms_median": round(statistics.median([m for m in stats["ms"] if m] or [0]), 1),
            "llm_answers": dict(Counter(stats["answers"])),
        }
    print(
        json.dumps(
            {
                "tickets": n,
                "model": runtime.config.label,
                "prompt": prompt.version,
                "target_precision": DEFAULT_TARGET_PRECISION,
                "modes": report,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
