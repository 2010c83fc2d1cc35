"""The interface every classifier implements, so the cascade can mix rules, local and LLM."""

from __future__ import annotations

from typing import Protocol

from deskroute.models.classification import ClassifierResult, ClassifierSource
from deskroute.models.ticket import TicketView


class Classifier(Protocol):
    """Maps a ticket to a category with a calibrated confidence, or says nothing fits.

    Raises `ClassifierError` when it cannot answer at all; the workflow escalates then.
    """

    @property
    def source(self) -> ClassifierSource: ...

    @property
    def version(self) -> str: ...

    def classify(self, ticket: TicketView) -> ClassifierResult: ...
