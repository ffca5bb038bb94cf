"""Webhook signatures: how Qingchun signs what it POSTs to a partner, and how a partner signs its own
requests back (inspecting or redelivering dead letters). Standard library only, so a partner that
installs this package alone can verify a delivery with the very code that signed it.

Header ``X-Qingchun-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` with the
partner's webhook secret. The timestamp is inside the MAC, so a captured message cannot be replayed
later than ``tolerance`` seconds after it was signed.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Qingchun-Signature"
DELIVERY_HEADER = "X-Qingchun-Delivery"
CHALLENGE_TYPE = "qingchun.partners.webhook.challenge"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """A signature that does not verify; ``code`` says why (malformed, mismatch, stale)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value for ``body`` signed at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def parse(header: str) -> tuple[int, list[str]]:
    """The timestamp and every ``v1`` MAC of a header (several during a secret rotation)."""
    timestamp: int | None = None
    macs: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            macs.append(value)
    if timestamp is None or not macs:
        raise SignatureError("signature_malformed", "the signature header needs t=<unix>,v1=<hex>")
    return timestamp, macs


def verify(
    secret: str, body: bytes, header: str, *, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> int:
    """Check a header against ``body``; returns its timestamp or raises :class:`SignatureError`."""
    timestamp, macs = parse(header)
    expected = _mac(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, mac) for mac in macs):
        raise SignatureError("signature_mismatch", "the signature does not match the body")
    if abs(now - timestamp) > tolerance:
        raise SignatureError(
            "signature_stale", f"the signature is older than {tolerance} s (or in the future)"
        )
    return timestamp


def request_message(method: str, path_and_query: str, body: bytes) -> bytes:
    """What a partner signs for a request of its own: method, path with query, then the body."""
    return f"{method.upper()} {path_and_query}\n".encode() + body
