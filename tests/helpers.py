"""Small helpers shared by tests (importable because `tests/` is on pytest's pythonpath)."""

from __future__ import annotations

import gzip
import shutil
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psycopg
import uvicorn
import yaml
from fastapi import FastAPI
from sqlalchemy import make_url

from deskroute.classify.demo import examples_of
from deskroute.classify.examples import ExampleIndex
from deskroute.classify.linear import LinearTextModel, NgramView
from deskroute.classify.llm import LLMClassifier
from deskroute.classify.local import LocalModel, ModelMeta
from deskroute.classify.prompt import PROMPT_SPEC as CLASSIFIER_PROMPT
from deskroute.classify.thresholds import Thresholds
from deskroute.intake.prepare import prepare_ticket
from deskroute.llm.config import LLMConfig
from deskroute.llm.resilience import CircuitBreaker, Resilient
from deskroute.llm.runtime import LLMRuntime
from deskroute.models.ticket import TicketIn, TicketView
from deskroute.policies import Policies
from deskroute.prompts import load_prompt
from deskroute.runtime import Workspace
from deskroute.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, which the browser tests drive (.ci/run installs it; none is downloaded)."""


def view(policies: Policies, **fields: Any) -> TicketView:
    """A normalised ticket, as intake hands it to the graph."""
    return prepare_ticket(TicketIn(**fields), policies.intake)


def copy_tree(name: str, target: Path) -> Path:
    """A private copy of `policies/` or `prompts/` that a test may break."""
    destination = target / name
    shutil.copytree(PROJECT_ROOT / name, destination)
    return destination


def edit_yaml(path: Path, change: Any) -> None:
    """Load a YAML file, let `change(data)` modify it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def keyword_model(
    global_threshold: float = 0.6, per_category: dict[str, float] | None = None
) -> LocalModel:
    """A hand-made model whose predictions a test can work out on paper: each class has one
    keyword (weight 4 on its own class); with temperature 1 and one keyword in a text, the
    confidence is e^4 / (e^4 + 2) = 0.9646, and with no keyword it is 1/3."""
    vocabulary = {"invoice": 0, "login": 1, "refund": 2}
    view = NgramView(
        analyzer="word",
        ngram_range=(1, 1),
        lowercase=True,
        strip_accents=False,
        token_pattern=r"(?u)\b\w+\b",
        sublinear_tf=False,
        vocabulary=vocabulary,
        idf=np.ones(3),
    )
    model = LinearTextModel(
        views=(view,),
        weights=np.eye(3, dtype=np.float32) * 4.0,
        bias=np.zeros(3),
        temperature=1.0,
        classes=("billing", "account_access", "refunds_cancellations"),
    )
    thresholds = Thresholds(
        target_precision=0.9,
        global_threshold=global_threshold,
        per_category=per_category or {},
        calibration_rows=0,
        expected_coverage=0.0,
        expected_precision=1.0,
    )
    meta = ModelMeta(
        name="keywords",
        version="keywords-1",
        trained_at=datetime.now(UTC),
        source="hand-made",
        data_digest="0",
        rows=0,
        label_counts={},
        libraries={},
        train_seconds=0.0,
        thresholds=thresholds,
    )
    return LocalModel(meta=meta, model=model)


def llm_runtime(
    chat: Any, *, redact: bool = False, retries: int = 2, system_role: bool = True
) -> LLMRuntime:
    """An LLM runtime around a (scripted) chat model, with instant backoff."""
    config = LLMConfig(
        provider="openai-compatible",
        model="scripted",
        base_url="http://scripted.invalid/v1",
        api_key=None,
        timeout_s=5,
        max_retries=retries,
        max_tokens=256,
        system_role=system_role,
        redact=redact,
        breaker_failures=3,
        breaker_cooldown_s=60,
    )
    return LLMRuntime(
        config=config,
        chat=chat,
        resilient=Resilient(breaker=CircuitBreaker(3, 60), retries=retries, sleep=lambda _s: None),
    )


def with_llm(
    workspace: Workspace, llm: LLMRuntime, *, classifier: bool = True, specialists: bool = True
) -> Workspace:
    """The same workspace with an LLM for the classifier cascade and/or the specialists."""
    deps = workspace.deps
    prompt = load_prompt(PROJECT_ROOT / "prompts" / "classifier.yaml", CLASSIFIER_PROMPT)
    stage = LLMClassifier(
        llm=llm,
        prompt=prompt,
        policies=deps.policies,
        examples=ExampleIndex(*examples_of(deps.policies)),
        company=deps.company,
    )
    cascade = replace(deps.cascade, llm=stage if classifier else None)
    return replace(workspace, deps=replace(deps, llm=llm if specialists else None, cascade=cascade))


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn in a thread, on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # No logging config of uvicorn's own: its loggers then propagate to the root logger, so
    # `caplog` sees what the server logs (tracebacks included).
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", log_config=None))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """A real `deskroute serve` on `port`, in its own process group (a kill of the group takes
    its routers along), once it answers `/readyz`."""
    server = subprocess.Popen(
        [sys.executable, "-m", "deskroute", "serve", "--port", str(port)],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"server did not start:\n{log.read_text()}")


def local_port(response: httpx.Response) -> int:
    """The client's port of the connection that carried the response: equal ports, one
    keep-alive connection."""
    port: int = response.extensions["network_stream"].get_extra_info("client_addr")[1]
    return port


RELEASE_STORES = Path(__file__).parent / "deskroute" / "store" / "data"
"""Stores made by the release before schema versioning (see the README there)."""


def release_sqlite_store(folder: Path) -> str:
    """A copy of the SQLite store that release made; its URL."""
    path = folder / "release.db"
    with gzip.open(RELEASE_STORES / "before-migrations.sqlite.gz") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return f"sqlite:///{path}"


def restore_release_postgres_store(url: str) -> None:
    """Restore the PostgreSQL store that release made into the empty schema on `url`'s
    search path: its dump, with the schema it was made in left for the search path."""
    sql = gzip.decompress((RELEASE_STORES / "before-migrations.postgresql.sql.gz").read_bytes())
    statements = [
        line
        for line in sql.decode("utf-8").splitlines()
        if not line.startswith("\\")  # psql's own commands
        and line != "CREATE SCHEMA release_store;"
        and "set_config('search_path'" not in line
    ]
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute("\n".join(statements).replace("release_store.", ""))


def stand_in_encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors that depend only on the text, where the `embeddings` extra's sentence
    encoder would answer (it is not installed for the tests: no torch)."""
    from deskroute.classify.embeddings import DIMENSIONS

    rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=DIMENSIONS) for t in texts]
    vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)
    normed: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normed
