"""Fuzzing the app against its own OpenAPI schema with schemathesis, valid and invalid
requests alike, bounded in examples: no request may cause a server error.

(The operations are driven by hand: schemathesis' lazy pytest fixture loader does not work
with the pytest in use.)"""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from sample_emails import EDGE_CASES
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case
from schemathesis.generation.modes import GenerationMode
from schemathesis.transport import SerializationContext
from schemathesis.transport.serialization import serialize_binary

EXAMPLES_PER_OPERATION_AND_MODE = int(os.environ.get("DESKROUTE_FUZZ_EXAMPLES", "15"))
"""15 keeps the suite fast; for a longer one-off run: DESKROUTE_FUZZ_EXAMPLES=150 pytest -s."""


@schemathesis.serializer("message/rfc822")
def _raw_email(_ctx: SerializationContext, value: object) -> bytes:
    """Generated e-mail bodies go on the wire as the bytes they are."""
    return serialize_binary(value)  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_no_request_causes_a_server_error(
    app: FastAPI, base_url: str, auth: dict[str, str]
) -> None:
    """`base_url` runs the shared app, so its router drains the tickets the fuzzer creates."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    calls = 0
    for operation in operations:
        takes_input = bool(
            operation.body or operation.query or operation.path_parameters or operation.headers
        )
        modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE] if takes_input else []
        for mode in modes or [GenerationMode.POSITIVE]:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION_AND_MODE,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: Case) -> None:
                nonlocal calls
                calls += 1
                response = case.call(headers=auth)
                case.validate_response(response, checks=[not_a_server_error])

            call()
        if operation.path == "/v1/intake/email":
            for raw, _status in EDGE_CASES.values():  # the corpus of known parser edges
                calls += 1
                case = operation.Case(body=raw, media_type="message/rfc822")
                case.validate_response(case.call(headers=auth), checks=[not_a_server_error])
    assert len(operations) == 19 and calls >= len(operations) * 2
    print(f"schemathesis: {calls} requests over {len(operations)} operations, no server error")
