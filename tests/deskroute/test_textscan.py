"""Run scanners give exactly the matches of `finditer`, and finish on long runs."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator

import pytest

from deskroute.duplicates import specifics
from deskroute.llm import redact
from deskroute.settings import PROJECT_ROOT
from deskroute.textscan import RunScanner

SCANNERS = {
    "specifics.email": specifics._EMAIL,
    "specifics.host": specifics._HOST,
    "specifics.id": specifics._ID,
    "redact.email": redact._EMAIL,
    "redact.phone": redact._PHONE,
}


def _ticket_texts() -> list[str]:
    texts = []
    for name in ("duplicate_pairs.jsonl", "duplicate_pairs_holdout.jsonl"):
        path = PROJECT_ROOT / "bench" / "data" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            for side in (pair["first"], pair["second"]):
                texts += [side["subject"], side["body"]]
    return texts


CRAFTED = [
    "a@b.co.+x@d.ef and a@b.com.c@d.com",  # a second address right after the first
    "Www.brightline.io and App.brightline.io/sso, -a.bc, --.bb.cc, ab.cd-e1, ab..cd.ef",
    "https://x.io/a1 v2.5k INV-2026--0402 ws_81422 12.ab @x1.a _a1 é1.b",
    "+((1 2 3 4 5 6 7 8 call +49 40 1234567, (555) 123-4567 or 1 2+3 4 5 6 7 8 9",
    "contact...john@x.com, _claire@x.io, (+claire@x.io), x-claire@y.example",
]


def _random_texts(count: int, alphabet: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(alphabet, k=rng.randint(1, 40))) for _ in range(count)]


CORPUS = [
    *_ticket_texts(),
    *CRAFTED,
    *_random_texts(3000, "a1.-@ _+(/:Ab", seed=1),
    *_random_texts(3000, "ab1.-@com ", seed=2),
    *_random_texts(3000, "12 ()./-+x", seed=3),
]


def _spans(matches: Iterator[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize("name", SCANNERS)
def test_same_matches_as_finditer(name: str) -> None:
    scanner = SCANNERS[name]
    for text in CORPUS:
        expected = _spans(scanner.pattern.finditer(text))
        assert _spans(scanner.finditer(text)) == expected, text


@pytest.mark.parametrize("name", SCANNERS)
def test_same_substitution_as_sub(name: str) -> None:
    scanner = SCANNERS[name]
    for text in CORPUS[:500] + CRAFTED:
        assert scanner.sub(lambda m: f"<{m.group().upper()}>", text) == scanner.pattern.sub(
            lambda m: f"<{m.group().upper()}>", text
        )


@pytest.mark.parametrize(
    ("name", "unit", "tail", "matches"),
    [
        ("specifics.email", "a.", "", 0),
        ("specifics.email", "a", "@x", 0),
        ("specifics.host", "a.", "1", 0),
        ("specifics.host", "a-", "", 0),
        ("specifics.id", "a.", "", 0),
        ("specifics.id", "-a", "1", 1),
        ("redact.email", "a.", "@b", 0),
        ("redact.phone", "(1-", "(", 0),
    ],
)
def test_one_attempt_per_run_finishes_a_200_kb_run(
    name: str, unit: str, tail: str, matches: int
) -> None:
    """`finditer` would read each of these runs from every position: hours, not milliseconds."""
    text = unit * (200_000 // len(unit)) + tail
    assert len(list(SCANNERS[name].finditer(text))) == matches


def test_each_run_is_tried_once() -> None:
    attempts: list[int] = []

    class Counting:
        """Stands for the pattern and counts the positions it is tried at."""

        def match(self, text: str, pos: int) -> re.Match[str] | None:
            attempts.append(pos)
            return re.compile(r"x@y\.z").match(text, pos)

    scanner = RunScanner(
        pattern=Counting(),  # type: ignore[arg-type]
        run=re.compile(r"[\w.@]+"),
        start=re.compile(r"\w"),
    )
    text = " ".join(["a.b.c.d.e.f"] * 50 + ["x@y.z"])
    assert [m.group() for m in scanner.finditer(text)] == ["x@y.z"]
    assert len(attempts) == 51
