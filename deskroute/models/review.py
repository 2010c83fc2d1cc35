"""A person's decision on an escalated ticket, and the record it leaves behind.

`Decision` is what a reviewer sends (CLI, API, review page); `DecisionRecord` is what the run
keeps of it, with the before and after, in the outcome record's `review` key and the ticket's
history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

ReviewAction = Literal["approve", "edit", "reject", "reassign", "reply", "dismiss"]
REVIEW_ACTIONS: tuple[ReviewAction, ...] = get_args(ReviewAction)

OutcomeState = Literal["routed", "awaiting_review", "resolved"]
"""`routed`: answered without a person; `awaiting_review`: a person must decide;
`resolved`: a person decided."""

ReviewerName = str


class Decision(BaseModel):
    """A reviewer's decision on a paused run.

    `approve` carries out every proposed action as proposed and sends the draft; `edit` does
    the same after changing one action's arguments (`action`, `args`) and/or the draft
    (`reply`); `reject` refuses one proposed action (`action`, default: all of them) with a
    `reason`; `reassign` resumes the run at `category`'s specialist; `reply` resolves with
    a person's `reply`; `dismiss` closes it with a `reason` (spam, duplicate, nothing to do).
    """

    model_config = ConfigDict(extra="forbid")

    action: ReviewAction
    reviewer: ReviewerName = Field(min_length=1, max_length=100)
    category: str | None = Field(default=None, max_length=100)
    args: dict[str, Any] | None = None
    reply: str | None = Field(default=None, max_length=20_000)
    reason: str | None = Field(default=None, max_length=2_000)
    index: int | None = Field(
        default=None, ge=0, description="Which proposed action `edit` or `reject` is about."
    )

    @field_validator("reviewer", "category", "reply", "reason")
    @classmethod
    def _stripped(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _complete(self) -> Decision:
        needs: dict[ReviewAction, tuple[str, ...]] = {
            "reassign": ("category",),
            "reply": ("reply",),
            "dismiss": ("reason",),
            "reject": ("reason",),
        }
        for name in needs.get(self.action, ()):
            if getattr(self, name) is None:
                raise _missing(name, f"{self.action} needs {name}")
        if self.action == "edit" and self.args is None and self.reply is None:
            raise _missing(
                "args", "edit needs args (an action's new arguments) or reply (a new draft)"
            )
        if self.reviewer is None:
            raise _missing("reviewer", "reviewer must not be blank")
        return self


def _missing(name: str, message: str) -> ValidationError:
    """An error located at the field `name`, so the API and the CLI name it (a plain
    `ValueError` here would be located at the decision as a whole)."""
    error = PydanticCustomError("missing", message)
    return ValidationError.from_exception_data(
        Decision.__name__, [InitErrorDetails(type=error, loc=(name,), input=None)]
    )


class Misroute(BaseModel):
    """A reviewer's flag on a ticket routed without a person: it belongs to `category`. Kept
    as a correction (a labelled example), with the note among the ticket's notes."""

    model_config = ConfigDict(extra="forbid")

    category: str = Field(min_length=1, max_length=100, description="The right category.")
    reviewer: ReviewerName = Field(min_length=1, max_length=100)
    note: str | None = Field(default=None, max_length=2_000, description="Why, for the history.")

    @field_validator("category", "reviewer", "note")
    @classmethod
    def _stripped(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _complete(self) -> Misroute:
        for name in ("category", "reviewer"):
            if getattr(self, name) is None:
                error = PydanticCustomError("missing", f"{name} must not be blank")
                raise ValidationError.from_exception_data(
                    Misroute.__name__, [InitErrorDetails(type=error, loc=(name,), input=None)]
                )
        return self


class ActionChange(BaseModel):
    """What a decision did to one proposed action."""

    index: int
    tool: str
    verdict: Literal["executed", "rejected", "superseded"]
    args_before: dict[str, Any]
    args_after: dict[str, Any]
    reason: str | None = None
    result: dict[str, Any] | None = None


class DecisionRecord(BaseModel):
    """One decision as it was carried out: who, when, and the before and after."""

    round: int
    action: ReviewAction
    reviewer: ReviewerName
    decided_at: datetime
    reason: str | None = None
    category_before: str | None
    category_after: str | None
    reply_before: str | None = None
    reply_after: str | None = None
    actions: list[ActionChange] = Field(default_factory=list)


class ReviewInfo(BaseModel):
    """The `review` key of an outcome record: every decision so far, oldest first."""

    decisions: list[DecisionRecord]
    escalated_for: list[str] = Field(
        default_factory=list, description="The reasons the ticket first went to a person."
    )

    @property
    def last(self) -> DecisionRecord:
        return self.decisions[-1]
