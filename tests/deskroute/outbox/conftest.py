"""Fixtures of the outbox tests: a workspace with short delivery timeouts, receivers on
loopback, and the clock that drives delivery passes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import copy_tree
from outbox_support import SECRET, Clock, tune
from webhook_receiver import Receiver

from deskroute.runtime import Workspace, open_workspace
from deskroute.settings import Settings


@pytest.fixture
def policies_dir(tmp_path: Path) -> Path:
    directory = copy_tree("policies", tmp_path)
    tune(directory)
    return directory


@pytest.fixture
def outbox_ws(settings: Settings, policies_dir: Path) -> Iterator[Workspace]:
    ws = open_workspace(settings.model_copy(update={"policies_dir": policies_dir}))
    yield ws
    ws.engine.dispose()


@pytest.fixture
def helpdesk() -> Iterator[Receiver]:
    receiver = Receiver(secret=SECRET).start()
    yield receiver
    receiver.stop()


@pytest.fixture
def slack() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def clock(outbox_ws: Workspace, helpdesk: Receiver, slack: Receiver) -> Iterator[Clock]:
    env = {
        "DESKROUTE_HELPDESK_WEBHOOK_URL": helpdesk.url,
        "DESKROUTE_HELPDESK_WEBHOOK_SECRET": SECRET,
        "DESKROUTE_SLACK_WEBHOOK_URL": slack.url,
    }
    clock = Clock(outbox_ws, env, [helpdesk, slack])
    yield clock
    clock.dispatcher.close()
