"""Which model provider is configured (`DESKROUTE_LLM`), resolved and checked."""

from __future__ import annotations

import ipaddress
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, SecretStr

from deskroute.errors import ConfigError
from deskroute.settings import Settings

Provider = Literal["ollama", "openai", "openai-compatible"]
DEFAULT_URLS: dict[Provider, str | None] = {
    "ollama": "http://127.0.0.1:11434",
    "openai": "https://api.openai.com/v1",
    "openai-compatible": None,
}


class LLMConfig(BaseModel):
    provider: Provider
    model: str
    base_url: str
    api_key: SecretStr | None
    timeout_s: float
    max_retries: int
    max_tokens: int
    system_role: bool
    redact: bool
    breaker_failures: int
    breaker_cooldown_s: float

    @property
    def label(self) -> str:
        return f"{self.provider}:{self.model}"


def is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def llm_config(settings: Settings) -> LLMConfig | None:
    """The configured provider, or None for the embedded default (`DESKROUTE_LLM=none`)."""
    spec = settings.llm.strip()
    if spec in ("", "none"):
        return None
    provider, _, model = spec.partition(":")
    if provider not in DEFAULT_URLS or not model:
        raise ConfigError(
            f"{spec!r} is not a provider spec; use none, ollama:MODEL, openai:MODEL or "
            "openai-compatible:MODEL",
            file="DESKROUTE_LLM",
        )
    base_url = settings.llm_base_url or DEFAULT_URLS[provider]
    redact = settings.llm_redact
    if redact is None:
        redact = base_url is not None and not is_loopback(base_url)
    if base_url is None:
        raise ConfigError(
            "openai-compatible needs the server's URL (e.g. http://127.0.0.1:8000/v1)",
            file="DESKROUTE_LLM_BASE_URL",
        )
    if urlparse(base_url).scheme not in ("http", "https"):
        raise ConfigError(f"{base_url!r} is not an http(s) URL", file="DESKROUTE_LLM_BASE_URL")
    if provider == "openai" and settings.llm_api_key is None:
        raise ConfigError("openai needs an API key", file="DESKROUTE_LLM_API_KEY")
    return LLMConfig(
        provider=provider,
        model=model,
        base_url=base_url.rstrip("/"),
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        max_tokens=settings.llm_max_tokens,
        system_role=settings.llm_system_role,
        redact=redact,
        breaker_failures=settings.llm_breaker_failures,
        breaker_cooldown_s=settings.llm_breaker_cooldown_s,
    )
