"""Who may call the API: bearer API keys, or webhook sources that sign the raw body.

Keys are kept only as SHA-256 digests and compared in constant time. A signed request carries
`X-DeskRoute-Timestamp` (Unix seconds) and `X-DeskRoute-Signature: sha256=<hex>`, the
HMAC-SHA256 of `<timestamp>.<raw body>` under the source's secret; a timestamp more than five
minutes away from now is refused, so a captured request cannot be replayed later. Every
failure reads the same, so a caller learns nothing about which part was wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from pathlib import Path

from deskroute.errors import ConfigError
from deskroute.settings import Settings

REPLAY_WINDOW_S = 300
TIMESTAMP_HEADER = "X-DeskRoute-Timestamp"
SIGNATURE_HEADER = "X-DeskRoute-Signature"
_DIGEST_PREFIX = "sha256:"
# The shapes of well-formed credentials. Anything else is refused before it costs a hash, an
# integer conversion (CPython refuses over 4,300 digits) or reading the body.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"sha256=[0-9a-f]{64}")
_TOKEN = re.compile(r"[\x21-\x7e]{1,512}")


class AuthError(Exception):
    """Missing or invalid credentials (always the same message)."""

    message = "missing or invalid credentials"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller; `name` is safe to store and log (never the key itself)."""

    name: str


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for a body, as a webhook source computes it."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return f"sha256={mac.hexdigest()}"


def check_signature_headers(timestamp: str, signature: str) -> None:
    """Refuse malformed signature headers, before the body is read for them."""
    if not (_TIMESTAMP.fullmatch(timestamp) and _SIGNATURE.fullmatch(signature)):
        raise AuthError()


def _read_keys_file(path: Path) -> list[bytes]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the keys file: {exc}", file=str(path)) from exc
    digests = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(_DIGEST_PREFIX):
            try:
                value = bytes.fromhex(line.removeprefix(_DIGEST_PREFIX))
            except ValueError as exc:
                raise ConfigError(
                    "not a hex SHA-256 digest", file=str(path), key=f"line {number}"
                ) from exc
            if len(value) != hashlib.sha256().digest_size:
                raise ConfigError("not a SHA-256 digest", file=str(path), key=f"line {number}")
            digests.append(value)
        else:
            digests.append(digest(line))
    return digests


def _webhook_secrets(raw: str) -> dict[str, bytes]:
    secrets: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        source, sep, secret = item.partition("=")
        if not sep or not source.strip() or not secret.strip():
            raise ConfigError("use source=secret pairs", file="DESKROUTE_WEBHOOK_SECRETS")
        secrets[source.strip()] = secret.strip().encode("utf-8")
    return secrets


@dataclass(frozen=True)
class Credentials:
    key_digests: tuple[bytes, ...]
    webhook_secrets: dict[str, bytes]
    open_access: bool = False
    """No credentials needed (explicit insecure development mode)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Credentials:
        """Load keys and secrets; refuse to start with none unless insecure mode is explicit."""
        keys = settings.api_keys.get_secret_value() if settings.api_keys else ""
        digests = [digest(k.strip()) for k in keys.split(",") if k.strip()]
        if settings.api_keys_file is not None:
            digests += _read_keys_file(settings.api_keys_file)
        secrets = (
            _webhook_secrets(settings.webhook_secrets.get_secret_value())
            if settings.webhook_secrets
            else {}
        )
        if not digests and not secrets and not settings.insecure_no_auth:
            raise ConfigError(
                "no API keys configured: set DESKROUTE_API_KEYS or DESKROUTE_API_KEYS_FILE "
                "(or DESKROUTE_WEBHOOK_SECRETS), or pass --insecure for local development",
                file="settings",
                key="api_keys",
            )
        return cls(tuple(digests), secrets, open_access=settings.insecure_no_auth)

    def check_bearer(self, token: str) -> Principal:
        if not _TOKEN.fullmatch(token):
            raise AuthError()
        given = digest(token)
        matched = b""
        for known in self.key_digests:  # compare with every key: timing says nothing
            if hmac.compare_digest(given, known):
                matched = known
        if not matched:
            raise AuthError()
        return Principal(name=f"key-{matched.hex()[:12]}")

    def check_signature(
        self, *, timestamp: str, signature: str, body: bytes, now: float | None = None
    ) -> Principal:
        check_signature_headers(timestamp, signature)
        now = time.time() if now is None else now
        if abs(now - int(timestamp)) > REPLAY_WINDOW_S:
            raise AuthError()
        source = None
        for name, secret in self.webhook_secrets.items():
            expected = sign(secret.decode("utf-8"), timestamp, body)
            if hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8")):
                source = name
        if source is None:
            raise AuthError()
        return Principal(name=f"webhook-{source}")
