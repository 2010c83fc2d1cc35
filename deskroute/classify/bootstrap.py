"""Cold start: a proposed label, with a confidence, for every unlabelled ticket of a team's
history, so that a person labels the least certain first instead of all of them.

The nearest labelled examples (TF-IDF cosine over the taxonomy's examples and its category
descriptions) vote, weighed by similarity; the confidence is the winner's share of the vote.
With an LLM configured it reads every ticket too (shown the vote as its candidates): when it
agrees, the confidence is the higher of the two; when it names another category, its choice
is proposed with its confidence discounted by the vote's (a confident disagreement is a ticket
a person should see); when it says no category fits, the confidence is 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from deskroute.classify.examples import ExampleIndex
from deskroute.errors import ClassifierError
from deskroute.intake.prepare import prepare_ticket
from deskroute.llm.errors import LLMUnavailable
from deskroute.models.classification import Candidate, NoFit, Prediction
from deskroute.models.ticket import TicketIn
from deskroute.policies.schema import Policies

if TYPE_CHECKING:  # provider clients load only when an LLM is configured
    from deskroute.classify.llm import LLMClassifier

NEIGHBOURS = 10
"""Examples that vote on each ticket."""
LLMVerdict = Literal["agreed", "disagreed", "no_fit", "failed"]


class Proposal(BaseModel):
    """One ticket's proposed label."""

    row: int = Field(description="Its row in the input file.")
    text: str
    proposed: str | None = Field(description="None: no example shares a word with it.")
    confidence: float = Field(ge=0.0, le=1.0)
    runner_up: str | None
    reason: str
    llm: LLMVerdict | None = Field(default=None, description="What the LLM said, if asked.")


def example_index(policies: Policies) -> ExampleIndex:
    """The taxonomy's examples, and each category's name and description as one more."""
    texts, labels = [], []
    for name, category in policies.taxonomy.categories.items():
        for text in [f"{category.name}. {category.description}", *policies.examples.get(name, [])]:
            texts.append(text)
            labels.append(name)
    return ExampleIndex(texts, labels)


def _vote(index: ExampleIndex, text: str) -> tuple[list[Candidate], float, int]:
    """Categories by their share of the similarity-weighed vote, best first; the best
    similarity; how many examples voted for the winner."""
    near = index.scored(text, NEIGHBOURS)
    weights: dict[str, float] = defaultdict(float)
    for example, score in near:
        weights[example.label] += score
    total = sum(weights.values())
    if not total:
        return [], 0.0, 0
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    winners = Counter(example.label for example, _ in near)[ranked[0][0]]
    shares = [Candidate(category=c, score=min(1.0, w / total)) for c, w in ranked]
    return shares, near[0][1], winners


def _by_examples(
    row: int, text: str, index: ExampleIndex
) -> tuple[Proposal, list[Candidate], float]:
    """The examples' proposal, the vote's shares, and the best similarity."""
    shares, best, winners = _vote(index, text)
    if not shares:
        reason = "no example shares a word with it"
        return (
            Proposal(
                row=row, text=text, proposed=None, confidence=0.0, runner_up=None, reason=reason
            ),
            shares,
            0.0,
        )
    top = shares[0]
    reason = (
        f"{winners} of {NEIGHBOURS} nearest examples, {top.score:.0%} of the vote "
        f"(best {best:.2f} similar)"
    )
    proposal = Proposal(
        row=row,
        text=text,
        proposed=top.category,
        confidence=round(top.score, 3),
        runner_up=shares[1].category if len(shares) > 1 else None,
        reason=reason,
    )
    return proposal, shares, best


def _with_llm(
    proposal: Proposal, shares: list[Candidate], llm: LLMClassifier, policies: Policies
) -> Proposal:
    ticket = prepare_ticket(TicketIn(body=proposal.text), policies.intake)
    local = (
        Prediction(
            category=shares[0].category,
            confidence=shares[0].score,
            candidates=shares[:5],
            source="local",
            model_version="nearest-examples",
        )
        if shares
        else None
    )
    try:
        verdict, _answer = llm.classify(ticket, local)
    except (LLMUnavailable, ClassifierError) as exc:
        said = f"; the LLM did not answer ({str(exc)[:80]})"
        return proposal.model_copy(update={"llm": "failed", "reason": proposal.reason + said})
    examples = proposal.confidence
    if isinstance(verdict, NoFit):
        said = f"the LLM says no category fits: {verdict.reason[:120]}; examples: "
        return proposal.model_copy(
            update={"confidence": 0.0, "llm": "no_fit", "reason": said + proposal.reason}
        )
    if verdict.category == proposal.proposed:
        return proposal.model_copy(
            update={
                "confidence": round(max(examples, verdict.confidence), 3),
                "llm": "agreed",
                "reason": f"the LLM agrees ({verdict.confidence:.2f}); " + proposal.reason,
            }
        )
    said = f"the LLM says {verdict.category} ({verdict.confidence:.2f}); the examples say "
    return proposal.model_copy(
        update={
            "proposed": verdict.category,
            "confidence": round(verdict.confidence * (1.0 - examples), 3),
            "runner_up": proposal.proposed,
            "llm": "disagreed",
            "reason": said + f"{proposal.proposed or 'nothing'}: " + proposal.reason,
        }
    )


def propose(
    texts: Sequence[str],
    rows: Sequence[int],
    *,
    policies: Policies,
    llm: LLMClassifier | None = None,
    on_row: Callable[[], None] = lambda: None,
) -> list[Proposal]:
    """A proposal for every text, least certain first (ties: the weaker best match, then the
    file's order)."""
    index = example_index(policies)
    found: list[tuple[Proposal, float]] = []
    for row, text in zip(rows, texts, strict=True):
        proposal, shares, best = _by_examples(row, text, index)
        if llm is not None:
            proposal = _with_llm(proposal, shares, llm, policies)
        found.append((proposal, best))
        on_row()
    found.sort(key=lambda pair: (pair[0].confidence, pair[1], pair[0].row))
    return [proposal for proposal, _best in found]
