"""Open an export as CSV text, zipped or not; every failure is the caller's bad input."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from deskroute.errors import BadInputError


def _member(archive: zipfile.ZipFile, path: Path) -> str:
    """The one CSV file in the archive (exports zip a single file)."""
    names = [n for n in archive.namelist() if not n.endswith("/")]
    csvs = [n for n in names if n.lower().endswith(".csv")] or names
    if len(csvs) != 1:
        found = ", ".join(csvs) or "nothing"
        raise BadInputError(
            f"the archive must hold one CSV file; it holds {found}", field=str(path)
        )
    return csvs[0]


@contextmanager
def open_export(path: Path) -> Iterator[tuple[str, TextIO]]:
    """(a name for messages, the text) of `path`, a CSV file or a zip archive holding one."""
    if not path.is_file():
        raise BadInputError("no such file", field=str(path))
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            member = _member(archive, path)
            with archive.open(member) as raw:
                yield f"{path}:{member}", io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with path.open(encoding="utf-8-sig", newline="") as text:
        yield str(path), text
