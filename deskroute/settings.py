"""One settings object for environment variables (prefix `DESKROUTE_`) and defaults."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_home() -> Path:
    return platformdirs.user_data_path("deskroute", appauthor=False)


class Settings(BaseSettings):
    """Where data lives and which editable files drive the workflow.

    `home` holds the SQLite store and trained models; `policies_dir` and `prompts_dir` default to
    the checkout's `policies/` and `prompts/` so that edits there take effect on the next run.
    """

    model_config = SettingsConfigDict(
        env_prefix="DESKROUTE_", extra="ignore", populate_by_name=True
    )

    home: Path = Field(default_factory=_default_home)
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in `home`."
    )
    seed_demo: bool | None = Field(
        default=None,
        description="Put the demo CRM into an empty store; default: only into the store in "
        "`home` (never into a database named by `database_url`).",
    )
    policies_dir: Path = PROJECT_ROOT / "policies"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    model_path: Path | None = Field(
        default=None,
        description="A local classifier model file to use, whatever the registry serves; "
        "default: the registry's promoted version, else the demo model in `home`.",
    )
    model_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often routers look for a newly promoted model version (`deskroute "
        "models promote`), which they switch to between tickets.",
    )

    # --- HTTP API (`deskroute serve`) ---------------------------------------------------------
    api_keys: SecretStr | None = Field(
        default=None, description="Comma-separated API keys (`Authorization: Bearer KEY`)."
    )
    api_keys_file: Path | None = Field(
        default=None, description="One key per line, or `sha256:<hex>` of a key; `#` comments."
    )
    webhook_secrets: SecretStr | None = Field(
        default=None,
        description="Comma-separated `source=secret` pairs for HMAC-signed webhook requests.",
    )
    insecure_no_auth: bool = Field(
        default=False, description="Serve without any credentials; for local development only."
    )
    review_pause: bool = Field(
        default=True,
        description="Escalated runs pause for review under a checkpointer in the store; off, "
        "they end at their outcome and a review starts them again from it.",
    )
    review_lock_seconds: float = Field(
        default=600, gt=0, description="How long opening a ticket holds its soft lock."
    )
    max_request_bytes: int = Field(default=1_048_576, gt=0, description="Larger bodies get 413.")
    redact_at_rest: bool = Field(
        default=False,
        description="Mask card numbers and IBANs (last 4 kept) before tickets and messages "
        "are stored: subject, body, raw body, metadata, thread messages.",
    )
    routing_lease_seconds: float = Field(
        default=60.0, gt=0, description="A claim older than this is taken over by another worker."
    )
    routing_poll_seconds: float = Field(default=0.2, gt=0)
    assign_poll_seconds: float = Field(
        default=2.0, gt=0, description="How often the assigner offers waiting tickets again."
    )
    max_routing_attempts: int = Field(
        default=3, ge=1, description="Claims after which a ticket goes to triage unrouted."
    )

    # --- Outbox: decisions to helpdesk webhooks and Slack (`policies/notifications.yaml`) ----
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where people reach `deskroute serve`: Slack messages link to the review "
        "page under it.",
    )
    outbox_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often `serve` looks for deliveries that are due."
    )
    outbox_lease_seconds: float = Field(
        default=120.0, gt=0, description="A claimed delivery left unsent this long is claimable."
    )
    outbox_batch: int = Field(default=100, ge=1, description="Deliveries sent per pass at most.")
    sla_sweep_seconds: float = Field(
        default=30,
        gt=0,
        le=60,
        description="How often `serve` sweeps the SLA clocks: a warning or breach is raised "
        "within this time of falling due.",
    )

    # --- LLM path (`DESKROUTE_LLM`; "none" keeps everything embedded) ------------------------
    llm: str = Field(
        default="none", description="none | ollama:MODEL | openai:MODEL | openai-compatible:MODEL"
    )
    llm_base_url: str | None = Field(
        default=None, description="Server URL; required for openai-compatible."
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DESKROUTE_LLM_API_KEY", "OPENAI_API_KEY"),
        description="Key for hosted providers; never logged or recorded.",
    )
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Per call.")
    llm_max_retries: int = Field(
        default=2, ge=0, le=5, description="On connection errors, 429 and 5xx; never on timeouts."
    )
    llm_max_tokens: int = Field(default=512, ge=16, le=8192)
    llm_system_role: bool = Field(
        default=True,
        description="False for servers whose chat template drops system messages (llama.cpp's "
        "`gemma` format does, silently): instructions then open the first user message.",
    )
    llm_redact: bool | None = Field(
        default=None,
        description="Redact PII before calls; default: on unless the server is "
        "on this machine (loopback).",
    )
    llm_breaker_failures: int = Field(
        default=3, ge=1, description="Consecutive failures that open the circuit."
    )
    llm_breaker_cooldown_s: float = Field(
        default=60.0, gt=0, description="How long the embedded path is used before trying again."
    )
    cache_dir: Path | None = Field(
        default=None, description="LLM response cache for `prompts eval`; default: home/cache."
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'deskroute.db'}"

    @property
    def resolved_seed_demo(self) -> bool:
        """A team's own database never gets demo customers, invoices and logins unasked."""
        return self.database_url is None if self.seed_demo is None else self.seed_demo

    @property
    def resolved_model_path(self) -> Path:
        return self.model_path or self.home / "models" / "demo.joblib"

    @property
    def versions_dir(self) -> Path:
        """The registry's model files, one per version, named after it."""
        return self.home / "models" / "versions"
