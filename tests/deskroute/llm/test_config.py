"""DESKROUTE_LLM parsing: providers, defaults, errors that name the setting."""

from __future__ import annotations

import pytest

from deskroute.errors import ConfigError
from deskroute.llm.config import is_loopback, llm_config
from deskroute.settings import Settings


def test_none_is_embedded() -> None:
    assert llm_config(Settings(llm="none")) is None


def test_ollama_defaults_to_local_without_redaction() -> None:
    config = llm_config(Settings(llm="ollama:qwen2.5:7b"))
    assert config is not None
    assert (config.provider, config.model) == ("ollama", "qwen2.5:7b")
    assert config.base_url == "http://127.0.0.1:11434" and config.redact is False


def test_hosted_openai_needs_a_key_and_redacts() -> None:
    with pytest.raises(ConfigError) as caught:
        llm_config(Settings(llm="openai:gpt-4o-mini"))
    assert caught.value.file == "DESKROUTE_LLM_API_KEY"
    config = llm_config(Settings(llm="openai:gpt-4o-mini", llm_api_key="sk-test"))
    assert config is not None and config.redact is True


def test_openai_compatible_needs_a_url() -> None:
    with pytest.raises(ConfigError) as caught:
        llm_config(Settings(llm="openai-compatible:gemma"))
    assert caught.value.file == "DESKROUTE_LLM_BASE_URL"
    local = llm_config(
        Settings(llm="openai-compatible:gemma", llm_base_url="http://127.0.0.1:8080/v1")
    )
    remote = llm_config(
        Settings(llm="openai-compatible:gemma", llm_base_url="https://llm.example.com/v1")
    )
    assert local is not None and remote is not None
    assert (local.redact, remote.redact) == (False, True)


def test_redaction_can_be_forced() -> None:
    config = llm_config(Settings(llm="ollama:x", llm_redact=True))
    assert config is not None and config.redact is True


@pytest.mark.parametrize("spec", ["gpt-4", "anthropic:claude", "openai:", "ollama"])
def test_bad_specs_name_the_setting(spec: str) -> None:
    with pytest.raises(ConfigError) as caught:
        llm_config(Settings(llm=spec))
    assert caught.value.file == "DESKROUTE_LLM"


def test_loopback() -> None:
    assert is_loopback("http://localhost:11434") and is_loopback("http://[::1]:8000/v1")
    assert not is_loopback("https://api.openai.com/v1")
