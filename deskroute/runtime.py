"""Assemble a ready-to-route workspace: settings, policies, prompts, store, model, graph."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.types import Command, Interrupt
from sqlalchemy import Engine

from deskroute import acknowledge, escalation
from deskroute.classify.base import Classifier
from deskroute.classify.cascade import Cascade
from deskroute.classify.demo import ensure_demo_model
from deskroute.classify.local import LocalClassifier, LocalModel
from deskroute.classify.problems import SecondProblems
from deskroute.classify.prompt import PROMPT_SPEC as CLASSIFIER_PROMPT
from deskroute.classify.thresholds import Thresholds
from deskroute.errors import ClassifierError, ConflictError
from deskroute.llm.runtime import LLMRuntime, open_llm
from deskroute.models.classification import ClassifierResult
from deskroute.models.outcome import OutcomeRecord
from deskroute.models.ticket import TicketView
from deskroute.policies import Policies, load_policies
from deskroute.prompts import Prompt, load_prompt
from deskroute.registry.watch import ModelWatch, served_file
from deskroute.review.checkpoints import open_checkpointer, restore
from deskroute.review.pause import Pause, Resume
from deskroute.settings import Settings
from deskroute.store.db import make_engine
from deskroute.store.seed import seed_demo
from graph import CompiledRouteGraph, Deps, RouteInput, RouteState, compile_graph
from specialists.registry import load_specialists

if TYPE_CHECKING:  # provider clients load only when an LLM is configured
    from deskroute.classify.llm import LLMClassifier


log = logging.getLogger(__name__)


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

    checkpointer: BaseCheckpointSaver | None = None
    """Where escalated runs wait for review (None: pausing is off; a review then opens one)."""
    review_graph: CompiledRouteGraph | None = None
    """The workflow with its review step, under `review_saver`: built on first use."""
    review_saver: BaseCheckpointSaver | None = None
    inherited: list[BaseCheckpointSaver] = field(default_factory=list)
    """Checkpointers a forked process got from its parent: kept, never used nor closed (their
    connections are the parent's, and closing a copy of a SQLite one could disturb it)."""
    watch: ModelWatch | None = None
    """Follows the registry's served model version (None: a model file is pinned)."""

    def refresh_model(self) -> None:
        """Switch to the registry's served version if another was promoted since the last
        look. Runs already under way keep the `Deps` they were given, so they finish on the
        model they started with."""
        if self.watch is not None and (switch := self.watch.due()) is not None:
            self.deps = with_classifier(self.deps, LocalClassifier(switch.model))

    def run_graph(self, ticket: TicketView, *, dedupe: bool = True) -> OutcomeRecord:
        """One run of the routing graph for a stored ticket; `dedupe=False` skips the
        duplicate check. Only the outcome is read back: LangGraph then skips assembling the
        whole state as output after every step.

        Routing itself is not checkpointed: with a checkpointer LangGraph starts a thread pool
        for every run and saves its end, a third of a routed ticket's time, for the four in
        five tickets that never pause. An escalated ticket's run goes on, in the ticket's
        thread, from its recorded outcome to the review, where it pauses (`hold`)."""
        run: RouteInput = {"ticket": ticket} if dedupe else {"ticket": ticket, "skip_dedupe": True}
        self.refresh_model()
        state = self.graph.invoke(run, context=self.deps, output_keys=["outcome"])
        outcome: OutcomeRecord = state["outcome"]
        if self.checkpointer is not None and outcome.state == "awaiting_review":
            try:
                self.hold(ticket, outcome)
            except Exception:  # noqa: BLE001 - the outcome is stored; a review holds it later
                log.exception("ticket %s awaits review without a paused run yet", ticket.id)
        return outcome

    def after_fork(self) -> None:
        """Connections of its own for a forked process (a router). Sharing the parent's would
        interleave two processes' statements on one connection (PostgreSQL answers
        "prepared statement already exists"; SQLite forbids it outright)."""
        self.engine.dispose(close=False)  # the parent's pooled connections are not ours
        self.inherited += [s for s in (self.checkpointer, self.review_saver) if s is not None]
        self.review_graph = self.review_saver = None
        if self.checkpointer is not None:
            self.checkpointer = open_checkpointer(self.engine, RouteState)
            self.review_saver = self.checkpointer

    def reviewing(self) -> tuple[CompiledRouteGraph, BaseCheckpointSaver]:
        """The graph that pauses and resumes reviews, and its checkpointer."""
        if self.review_graph is None or self.review_saver is None:
            saver = self.checkpointer or open_checkpointer(self.engine, RouteState)
            self.review_saver = saver
            self.review_graph = compile_graph(saver)
        return self.review_graph, self.review_saver

    def pending(self, ticket_id: str) -> list[Interrupt]:
        """The reviews the ticket's run waits for (none: not paused, or already resumed): its
        interrupts, or the review a held run is about to enter."""
        graph, _saver = self.reviewing()
        snapshot = graph.get_state(_thread(ticket_id))
        if snapshot.interrupts or snapshot.next != ("review",):
            return list(snapshot.interrupts)
        round = len(snapshot.values.get("reviews", [])) + 1
        return [Interrupt(value=Pause(ticket_id=ticket_id, round=round).model_dump(), id=HELD)]

    def prune(self, ticket_id: str) -> None:
        """Drop the checkpoints of a ticket whose review is over."""
        _graph, saver = self.reviewing()
        saver.delete_thread(ticket_id)

    def hold(self, ticket: TicketView, outcome: OutcomeRecord) -> None:
        """Put a ticket's run, in its thread, at the door of the review from an outcome
        awaiting review: one checkpoint, written as if the run had started there, without
        running anything (a run costs LangGraph a thread pool; this one write does not). The
        decision that resumes it enters the review, whose `interrupt()` takes it at once.
        Routing hands every escalation over this way; so does a review of a ticket whose
        routing failed or that escalated with pausing off."""
        graph, _saver = self.reviewing()
        graph.update_state(_thread(ticket.id), {"ticket": ticket, "held": outcome}, "__start__")

    def resume(self, ticket_id: str, interrupt_id: str, value: Resume) -> OutcomeRecord | None:
        """Resume the paused run with a decision; the outcome it ends (or pauses again) with.
        Its checkpoints go once it ends: the history lives in the outcome records."""
        graph, saver = self.reviewing()
        if interrupt_id not in {i.id for i in self.pending(ticket_id)}:
            # LangGraph would start the run afresh, or ignore the value, without a word.
            raise ConflictError(f"ticket {ticket_id} has no pending review {interrupt_id}")
        decision = value.model_dump(mode="json")
        before = saver.get_tuple(_thread(ticket_id))
        try:
            state = graph.invoke(
                # A held run has no interrupt yet: the review's first one takes the value.
                Command(resume=decision if interrupt_id == HELD else {interrupt_id: decision}),
                _thread(ticket_id),
                context=self.deps,
                output_keys=["outcome"],
                durability="exit",
            )
        except BaseException:
            if before is not None:  # the run waits for a decision again, not for this one
                restore(saver, before)
            raise
        outcome: OutcomeRecord | None = state.get("outcome")
        if not self.pending(ticket_id):
            saver.delete_thread(ticket_id)
        return outcome


HELD = "held"
"""The id under which `pending` shows the review a held run is about to enter."""


def _thread(ticket_id: str) -> RunnableConfig:
    """A ticket's run is the LangGraph thread named by its id."""
    return {"configurable": {"thread_id": ticket_id}}


def load_classifier(
    settings: Settings, policies: Policies, engine: Engine
) -> tuple[Classifier, list[str]]:
    """The pinned model file (`DESKROUTE_MODEL_PATH`), else the registry's served version,
    else the demo model (built if needed); warnings for mismatches."""
    try:
        if settings.model_path is not None:
            model = LocalModel.load(settings.model_path)
        elif (served := served_file(engine, settings.versions_dir)) is not None:
            model = LocalModel.load(served[1])
        else:
            model = ensure_demo_model(settings.resolved_model_path, policies)
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


def _gate(policies: Policies, thresholds: Thresholds | None) -> Callable[[str], float]:
    return lambda category: policies.taxonomy.threshold(category, thresholds)


def with_classifier(deps: Deps, classifier: Classifier) -> Deps:
    """The same dependencies around another local model (its thresholds included)."""
    thresholds = classifier.thresholds if isinstance(classifier, LocalClassifier) else None
    cascade = deps.cascade
    problems = replace(cascade.problems, classifier=classifier) if cascade.problems else None
    return replace(
        deps,
        cascade=replace(
            cascade,
            local=classifier,
            threshold=_gate(deps.policies, thresholds),
            problems=problems,
        ),
        thresholds=thresholds,
    )


def _llm_classifier(
    llm: LLMRuntime | None, prompt: Prompt, policies: Policies
) -> LLMClassifier | None:
    if llm is None:
        return None
    from deskroute.classify.llm import llm_classifier

    return llm_classifier(llm, prompt, policies)


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
    classifier, warnings = load_classifier(settings, policies, engine)
    thresholds = classifier.thresholds if isinstance(classifier, LocalClassifier) else None
    llm = open_llm(settings)
    deps = Deps(
        policies=policies,
        engine=engine,
        cascade=Cascade(
            rules=policies.rules,
            local=classifier,
            llm=_llm_classifier(llm, classifier_prompt, policies),
            threshold=_gate(policies, thresholds),
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
    checkpointer = open_checkpointer(engine, RouteState) if settings.review_pause else None
    return Workspace(
        settings=settings,
        policies=policies,
        engine=engine,
        deps=deps,
        graph=compile_graph(),
        checkpointer=checkpointer,
        review_graph=compile_graph(checkpointer) if checkpointer is not None else None,
        review_saver=checkpointer,
        classifier_prompt=classifier_prompt,
        warnings=warnings,
        watch=None
        if settings.model_path is not None
        else ModelWatch(
            engine,
            models_dir=settings.versions_dir,
            poll_seconds=settings.model_poll_seconds,
            serving=classifier.version if isinstance(classifier, LocalClassifier) else None,
        ),
    )
