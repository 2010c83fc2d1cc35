"""Where the llama.cpp test server listens (recording and replay must agree)."""

import os

LLAMA_CPP_URL = os.environ.get("DESKROUTE_TEST_LLAMA_URL", "http://127.0.0.1:8089/v1")
