"""The demo model: trained from `policies/examples/` on first use, retrained when they change."""

from __future__ import annotations

from pathlib import Path

from deskroute.classify.local import LocalModel, data_digest, train_local
from deskroute.errors import ClassifierError
from deskroute.policies.schema import Policies

DEMO_NAME = "demo"


def examples_of(policies: Policies) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for category, examples in policies.examples.items():
        texts += examples
        labels += [category] * len(examples)
    return texts, labels


def ensure_demo_model(path: Path, policies: Policies) -> LocalModel:
    """Load the demo model if it matches the current examples, else train and save it."""
    texts, labels = examples_of(policies)
    if path.is_file():
        try:
            model = LocalModel.load(path)
        except ClassifierError:
            model = None  # unreadable or old format: rebuilt below from the examples
        if model is not None and model.meta.data_digest == data_digest(texts, labels):
            return model
    model = train_local(texts, labels, name=DEMO_NAME, source="policies/examples")
    model.save(path)
    return model
