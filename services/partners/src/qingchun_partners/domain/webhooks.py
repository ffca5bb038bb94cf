"""Webhook rules: which addresses may receive, and when a failed delivery is tried again.

A webhook URL must be HTTPS and resolve only to public addresses: a partner must not be able to make
the platform POST into its own network (loopback, private ranges, link-local metadata services). A
development setting lifts both for local receivers; production keeps it off.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

MAX_URL_LENGTH = 500


class WebhookStatus(LabelledEnum):
    PENDING = ("pending", "待投递")
    DELIVERED = ("delivered", "已送达")
    DEAD = ("dead", "投递失败（死信）")
    CANCELLED = ("cancelled", "已取消")


def webhook_host(url: str, allow_private: bool, field: str = "webhook_url") -> str:
    """The host of an acceptable webhook URL (before resolution), or a refusal naming ``field``."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname or len(url) > MAX_URL_LENGTH:
        raise DomainError("webhook_url_invalid", "give an absolute https:// URL", field)
    if parts.username or parts.password:
        raise DomainError("webhook_url_invalid", "the URL may not carry credentials", field)
    if parts.scheme != "https" and not allow_private:
        raise DomainError("webhook_https_required", "webhooks are delivered over HTTPS only", field)
    return parts.hostname


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_addresses(addresses: Sequence[str], allow_private: bool, field: str = "webhook_url") -> None:
    """Every address the host resolves to must be public (unless the development setting is on)."""
    if not addresses:
        raise DomainError("webhook_host_unresolvable", "the webhook host does not resolve", field)
    if allow_private:
        return
    if not all(is_public(a) for a in addresses):
        raise DomainError(
            "webhook_private_address",
            "the webhook host resolves to a private, loopback or link-local address",
            field,
        )


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Wait after failed attempt ``attempt`` (1-based): base, 2·base, 4·base … at most ``cap``."""
    return float(min(cap, base * 2 ** (attempt - 1)))


def after_attempt(attempts: int, ok: bool, max_attempts: int) -> WebhookStatus:
    """The delivery's state once ``attempts`` tries were made, the last one ``ok`` or not."""
    if ok:
        return WebhookStatus.DELIVERED
    return WebhookStatus.DEAD if attempts >= max_attempts else WebhookStatus.PENDING
