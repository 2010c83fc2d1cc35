"""Regex scans that stay linear in the length of the text, with the matches of `finditer`.

`re` tries a pattern at every position of the text. A pattern that, started anywhere inside a
long run of characters (word characters and dots, digits and dashes, ...), reads to the end of
that run before it fails costs time quadratic in the run's length: a 100 kB token of `a.a.a.`
kept one e-mail pattern busy for about a minute, holding the interpreter lock. For many such
patterns an attempt at a later position of a run can only succeed if the attempt at the first
position where a match may start succeeds too (the later attempt sees a suffix of the same run,
followed by the same text). `RunScanner` then tries the pattern once per run instead of once
per position, and gives exactly the matches `pattern.finditer` gives; the tests hold each
scanner to that on ordinary and crafted texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RunScanner:
    """`pattern`, tried at the first position of each `run` where `start` matches.

    Valid when every match starts inside one run, and when, within a run (or what is left of it
    after a match), the pattern failing at the first such position means it fails at every later
    one."""

    pattern: re.Pattern[str]
    run: re.Pattern[str]
    """Whole runs that may hold the start of a match, found once each: from a run's first
    character (a lookbehind) to its last, so that skipping the runs without a match is C work."""
    start: re.Pattern[str]
    """Where in a run a match may begin (its first characters, with any lookbehind)."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches `pattern.finditer(text)` gives, in linear time."""
        pos = 0
        for run in self.run.finditer(text):
            at, end = max(pos, run.start()), run.end()
            while at < end and (first := self.start.search(text, at, end)) is not None:
                match = self.pattern.match(text, first.start())
                if match is None:
                    break
                yield match
                pos = at = max(match.end(), match.start() + 1)

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        """`pattern.sub(repl, text)`, in linear time."""
        parts: list[str] = []
        pos = 0
        for match in self.finditer(text):
            parts += (text[pos : match.start()], repl(match))
            pos = match.end()
        parts.append(text[pos:])
        return "".join(parts)
