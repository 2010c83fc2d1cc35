"""An on-disk cache of LLM answers keyed by (model, prompt version, input), so re-running a
prompt evaluation costs nothing; a changed prompt has a new version and misses the cache."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any


class AnswerCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT)")

    @staticmethod
    def key(model: str, prompt_version: str, payload: str) -> str:
        return hashlib.sha256(json.dumps([model, prompt_version, payload]).encode()).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(value))
            )

    def close(self) -> None:
        self._db.close()
