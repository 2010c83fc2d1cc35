"""How common a content word is among example tickets: the weights of the IDF features.

The table is frozen in `word_df.json` (written by `bench/duplicates.py --fit` from
`policies/examples/`) so that scores do not move when the examples change. The fitted weights
assume it: a missing or unreadable table is a broken installation and raises `ConfigError`
naming the file, instead of scoring every word alike.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, NonNegativeInt, PositiveInt, ValidationError

from deskroute.errors import ConfigError

WORD_DF = Path(__file__).with_name("word_df.json")
"""Document frequencies of content words in the example tickets."""


class WordFrequencies(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    documents: PositiveInt
    """Example tickets counted."""
    df: dict[str, NonNegativeInt]
    """Content word -> number of example tickets that contain it (words in two or more)."""


def load_word_frequencies(path: Path) -> WordFrequencies:
    """Read and validate a document-frequency table; `ConfigError` names the file and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read the document-frequency table ({exc.strerror or exc})", file=str(path)
        ) from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"not valid JSON: {exc}", file=str(path)) from exc
    try:
        return WordFrequencies.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or None
        raise ConfigError(first["msg"], file=str(path), key=key) from exc


@cache
def document_frequency() -> WordFrequencies:
    """The shipped table, read once per process."""
    return load_word_frequencies(WORD_DF)


def idf(word: str) -> float:
    """BM25-style inverse document frequency over the example tickets; unseen words weigh most."""
    table = document_frequency()
    d = table.df.get(word, 0)
    return math.log(1.0 + (table.documents - d + 0.5) / (d + 0.5))
