"""Cassettes for provider wiring, recorded from a real llama.cpp server (llama-cpp-python's
OpenAI-compatible server with Gemma 3 270M, see scripts/record_cassettes.sh) and replayed
offline in CI. Credentials never reach a cassette."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, object]:
    return {
        "filter_headers": [
            "authorization",
            "api-key",
            "x-api-key",
            "openai-organization",
            "cookie",
            "set-cookie",
        ],
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "port", "path", "query"],
    }
