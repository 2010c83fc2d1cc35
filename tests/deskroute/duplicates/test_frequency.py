"""The document-frequency table: the shipped one loads, a missing or corrupt one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskroute.duplicates import WORD_DF, idf, load_word_frequencies
from deskroute.errors import ConfigError


def test_shipped_table_loads_and_weighs_rare_words_more() -> None:
    table = load_word_frequencies(WORD_DF)
    assert table.documents > 100 and table.df["invoice"] > 2
    assert idf("zzyzx-unseen") > idf("invoice") > 0


def test_missing_table_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "word_df.json"
    with pytest.raises(ConfigError, match="cannot read the document-frequency table") as caught:
        load_word_frequencies(path)
    assert caught.value.file == str(path)


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('{"documents": 10, "df": {"invoice": ', None, "not valid JSON"),
        ('{"df": {"invoice": 3}}', "documents", "Field required"),
        ('{"documents": 10, "df": {"invoice": "3"}}', "df.invoice", "valid integer"),
        ('{"documents": 0, "df": {}}', "documents", "greater than 0"),
        ("[]", None, "valid dictionary"),
    ],
)
def test_corrupt_table_names_the_file_and_key(
    tmp_path: Path, text: str, key: str | None, message: str
) -> None:
    path = tmp_path / "word_df.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_word_frequencies(path)
    assert (caught.value.file, caught.value.key) == (str(path), key)
