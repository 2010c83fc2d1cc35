"""The schema of `policies/llm_prices.yaml`: what LLM tokens cost, per `provider:model`, for
the analytics' cost figures. A policies folder without the file prices nothing."""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated

from pydantic import Field

from deskroute.policies.base import Strict
from deskroute.policies.loader import read_yaml, validate_file

FILE = "llm_prices.yaml"
PerMillion = Annotated[float, Field(ge=0.0, le=1_000_000.0)]


class ModelPrice(Strict):
    input_per_million: PerMillion
    output_per_million: PerMillion

    def cost(self, *, input_tokens: int, output_tokens: int) -> float:
        spent = input_tokens * self.input_per_million + output_tokens * self.output_per_million
        return spent / 1_000_000


class LlmPrices(Strict):
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    models: dict[Annotated[str, Field(min_length=1, max_length=200)], ModelPrice] = Field(
        default_factory=dict
    )
    """By `provider:model`; `*` in a name matches any text. An exact name wins, then the
    first pattern that matches, in the file's order."""

    def price(self, model: str) -> ModelPrice | None:
        if model in self.models:
            return self.models[model]
        return next(
            (price for name, price in self.models.items() if fnmatchcase(model, name)), None
        )


def load_llm_prices(directory: Path) -> LlmPrices:
    """The prices in `directory/llm_prices.yaml`; none when the folder has no such file."""
    path = directory / FILE
    if not path.exists():
        return LlmPrices()
    return validate_file(path, LlmPrices, read_yaml(path))
