"""Rotating one-time check-in codes (签到码): proof that a volunteer stood where the organiser is.

The organiser's screen shows a QR code (and six digits to type where scanning fails) that
changes every period. Each code is an HMAC of (shift, time window) under a server secret, so no
code needs to be stored, a photo of yesterday's screen is worthless, and a code from one shift
cannot check anyone into another. The previous window stays valid as grace: a volunteer who
scanned a second before the screen rotated is not turned away.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import DomainError

QR_PREFIX = "QC1"
DIGITS = 6
EARLY_CHECKIN = timedelta(minutes=30)
"""Volunteers may check in this long before the shift starts (setting up, briefing)."""
_MAC_HEX = 32  # 128 bits in the QR text: unguessable, still a small QR code


@dataclass(frozen=True)
class CheckinCode:
    """What the organiser's screen shows for one window."""

    qr_text: str
    code: str
    window: int
    valid_until: datetime


def window_of(moment: datetime, period_seconds: int) -> int:
    """The index of the period ``moment`` falls in, counted from the Unix epoch (UTC)."""
    return int(moment.astimezone(UTC).timestamp()) // period_seconds


def _digest(secret: bytes, shift_id: str, window: int) -> bytes:
    return hmac.new(secret, f"{shift_id}:{window}".encode(), hashlib.sha256).digest()


def _mac(secret: bytes, shift_id: str, window: int) -> str:
    return _digest(secret, shift_id, window).hex()[:_MAC_HEX]


def _short(secret: bytes, shift_id: str, window: int) -> str:
    """Six digits by dynamic truncation (as in HOTP, RFC 4226) of the same HMAC."""
    digest = _digest(secret, shift_id, window)
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_code(secret: bytes, shift_id: str, now: datetime, period_seconds: int) -> CheckinCode:
    window = window_of(now, period_seconds)
    return CheckinCode(
        qr_text=f"{QR_PREFIX}:{shift_id}:{window}:{_mac(secret, shift_id, window)}",
        code=_short(secret, shift_id, window),
        window=window,
        valid_until=datetime.fromtimestamp((window + 1) * period_seconds, UTC),
    )


def _invalid() -> DomainError:
    return DomainError("checkin_code_invalid", "签到码无效", field="code")


def _expired() -> DomainError:
    return DomainError("checkin_code_expired", "签到码已过期，请扫描现场最新的二维码", field="code")


def verify_code(
    secret: bytes, shift_id: str, given: str, now: datetime, period_seconds: int, oldest_window: int
) -> int:
    """The window of a valid code (current or previous); otherwise the precise reason it fails.

    ``oldest_window`` bounds how far back a typed code is recognised as a real but expired one
    (the shift's check-in opening), so the search stays small. Comparisons are constant-time.
    """
    current = window_of(now, period_seconds)
    given = given.strip()
    if given.startswith(f"{QR_PREFIX}:"):
        return _verify_qr(secret, shift_id, given, current)
    if len(given) != DIGITS or not given.isdigit():
        raise _invalid()
    for window in (current, current - 1):
        if hmac.compare_digest(_short(secret, shift_id, window), given):
            return window
    for window in range(current - 2, max(oldest_window, current - 2 - 2000) - 1, -1):
        if hmac.compare_digest(_short(secret, shift_id, window), given):
            raise _expired()
    raise _invalid()


def _verify_qr(secret: bytes, shift_id: str, given: str, current: int) -> int:
    parts = given.removeprefix(f"{QR_PREFIX}:").rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        raise _invalid()
    named_shift, raw_window, mac = parts
    window = int(raw_window)
    if not hmac.compare_digest(_mac(secret, named_shift, window), mac):
        raise _invalid()
    if named_shift != shift_id:
        raise DomainError("checkin_code_other_shift", "这是其他场次的签到码", field="code")
    if window > current:
        raise _invalid()
    if window < current - 1:
        raise _expired()
    return window


def check_checkin_open(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """Check-in opens half an hour before the shift and closes when it ends."""
    if not starts_at - EARLY_CHECKIN <= now <= ends_at:
        raise DomainError("checkin_closed", "不在签到时间内（开始前30分钟至结束）", field="shift_id")


def opening_window(starts_at: datetime, period_seconds: int) -> int:
    """The first window in which a code of this shift could have been shown."""
    return window_of(starts_at - EARLY_CHECKIN, period_seconds)
