"""Assemble a ready-to-route workspace: settings, policies, prompts, store, model, graph."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Engine

from deskroute import acknowledge, escalation
from deskroute.classify.base import Classifier
from deskroute.classify.cascade import Cascade
from deskroute.classify.demo import ensure_demo_model, examples_of
from deskroute.classify.local import LocalClassifier, LocalModel
from deskroute.classify.problems import SecondProblems
from deskroute.classify.prompt import PROMPT_SPEC as CLASSIFIER_PROMPT
from deskroute.errors import ClassifierError
from deskroute.llm.runtime import LLMRuntime, open_llm
from deskroute.models.classification import ClassifierResult
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketView
from deskroute.policies import Policies, load_policies
from deskroute.prompts import Prompt, load_prompt
from deskroute.settings import Settings
from deskroute.store.db import make_engine
from deskroute.store.seed import seed_demo
from graph import CompiledRouteGraph, Deps, RouteInput, compile_graph
from specialists.registry import load_specialists

if TYPE_CHECKING:  # provider clients load only when an LLM is configured
    from deskroute.classify.llm import LLMClassifier


class UnavailableClassifier:
    """Stands where a model could not be loaded: every ticket escalates with the reason."""

    source: Literal["local"] = "local"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    @property
    def version(self) -> str:
        return "unavailable"

    def classify(self, ticket: TicketView) -> ClassifierResult:
        raise ClassifierError(self.reason)


@dataclass
class Workspace:
    settings: Settings
    policies: Policies
    engine: Engine
    deps: Deps
    graph: CompiledRouteGraph
    classifier_prompt: Prompt
    warnings: list[str] = field(default_factory=list)

    def run_graph(self, ticket: TicketView, *, dedupe: bool = True) -> OutcomeRecord:
        """One run of the routing graph for a stored ticket; `dedupe=False` skips the
        duplicate check. Only the outcome is read back: LangGraph then skips assembling the
        whole state as output after every step."""
        run: RouteInput = {"ticket": ticket} if dedupe else {"ticket": ticket, "skip_dedupe": True}
        state = self.graph.invoke(run, context=self.deps, output_keys=["outcome"])
        outcome: OutcomeRecord = state["outcome"]
        return outcome


def load_classifier(settings: Settings, policies: Policies) -> tuple[Classifier, list[str]]:
    """The configured model, or the demo model (built if needed); warnings for mismatches."""
    try:
        if settings.model_path is None:
            model = ensure_demo_model(settings.resolved_model_path, policies)
        else:
            model = LocalModel.load(settings.model_path)
    except ClassifierError as exc:
        return UnavailableClassifier(str(exc)), [f"classifier unavailable: {exc}"]
    unknown = sorted(set(model.classes) - set(policies.taxonomy.categories))
    warnings = []
    if unknown:
        warnings.append(
            f"model {model.meta.version} predicts categories not in taxonomy.yaml: "
            f"{', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}"
        )
    return LocalClassifier(model), warnings


def _llm_classifier(
    llm: LLMRuntime | None, prompt: Prompt, policies: Policies
) -> LLMClassifier | None:
    if llm is None:
        return None
    from deskroute.classify.examples import ExampleIndex
    from deskroute.classify.llm import LLMClassifier

    texts, labels = examples_of(policies)
    return LLMClassifier(
        llm=llm,
        prompt=prompt,
        policies=policies,
        examples=ExampleIndex(texts, labels),
        company=policies.routing.company,
    )


def open_workspace(settings: Settings | None = None) -> Workspace:
    """Load and check everything; raises `ConfigError` naming the file and key on bad edits."""
    settings = settings or Settings()
    policies = load_policies(settings.policies_dir)
    prompts = settings.prompts_dir
    specialists = load_specialists(policies, prompts, settings.policies_dir)
    escalation_prompt = load_prompt(prompts / "escalation.yaml", escalation.PROMPT_SPEC)
    intake_prompt = load_prompt(prompts / "intake.yaml", acknowledge.PROMPT_SPEC)
    classifier_prompt = load_prompt(prompts / "classifier.yaml", CLASSIFIER_PROMPT)
    engine = make_engine(settings.resolved_database_url)
    if settings.resolved_seed_demo:
        seed_demo(engine)
    classifier, warnings = load_classifier(settings, policies)
    thresholds = classifier.thresholds if isinstance(classifier, LocalClassifier) else None
    llm = open_llm(settings)
    deps = Deps(
        policies=policies,
        engine=engine,
        cascade=Cascade(
            rules=policies.rules,
            local=classifier,
            llm=_llm_classifier(llm, classifier_prompt, policies),
            threshold=lambda category: policies.taxonomy.threshold(category, thresholds),
            top_candidates=policies.routing.llm.top_candidates,
            problems=SecondProblems(
                classifier=classifier,
                specialist_of={n: c.specialist for n, c in policies.taxonomy.categories.items()},
                floor=policies.routing.fallback_floor,
            ),
        ),
        specialists=specialists,
        escalation_prompt=escalation_prompt,
        intake_prompt=intake_prompt,
        thresholds=thresholds,
        llm=llm,
        company=policies.routing.company,
    )
    # Everything loaded so far (policies, prompts, the model's vocabularies) lives as long as
    # the process: keep it out of the cyclic collector's scans.
    gc.freeze()
    return Workspace(
        settings=settings,
        policies=policies,
        engine=engine,
        deps=deps,
        graph=compile_graph(),
        classifier_prompt=classifier_prompt,
        warnings=warnings,
    )
