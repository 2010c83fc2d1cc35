"""How a receiver knows a delivery came from DeskRoute and was not replayed.

Each request carries `X-DeskRoute-Timestamp` (Unix seconds) and `X-DeskRoute-Signature:
sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the destination's secret.
A receiver recomputes it over the raw bytes it received (before parsing the JSON), compares in
constant time, and refuses timestamps far from its own clock."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-DeskRoute-Signature"
TIMESTAMP_HEADER = "X-DeskRoute-Timestamp"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for one request."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify_signature(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float | None = None,
    tolerance_seconds: float | None = 300,
) -> bool:
    """Whether the headers match the body under the secret, and the timestamp is within the
    tolerance of `now` (default: this machine's clock; `tolerance_seconds=None` skips it)."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if tolerance_seconds is not None:
        current = time.time() if now is None else now
        if abs(current - stamp) > tolerance_seconds:
            return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)
