"""Service-hour entries (服务时长记录): what was served, how it was recorded, and who certified it.

The seeds' activity card records "参加社区活动的时间、内容,以及社区党组织…的认定": hours count only
once the host has certified them, nobody certifies their own, and an entry made after the fact
(补录) needs evidence and a second person to approve it, since nobody saw it being recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition

RETROACTIVE_MAX_DAYS = 366
"""A 补录 older than a year cannot be checked against anyone's memory or the activity records."""


class EntryStatus(LabelledEnum):
    PENDING = ("pending", "待认定")
    VERIFIED = ("verified", "已认定")
    REJECTED = ("rejected", "未通过")


class EntryMethod(LabelledEnum):
    """How the minutes were recorded; printed on the service record so a reader can weigh it."""

    CODE = ("code", "扫码签到")
    ORGANIZER = ("organizer", "组织者登记")
    RETROACTIVE = ("retroactive", "补录")


def served_minutes(
    checked_in_at: datetime, checked_out_at: datetime, starts_at: datetime, ends_at: datetime
) -> int:
    """Whole minutes on site within the shift: arriving early or staying late is not the shift's
    service (an organiser can still record it as a 补录)."""
    begin = max(checked_in_at, starts_at).astimezone(UTC)
    end = min(checked_out_at, ends_at).astimezone(UTC)
    return max(0, int((end - begin).total_seconds()) // 60)


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The local date a minute counts toward (daily caps, the service record)."""
    return moment.astimezone(zone).date()


def check_retroactive_date(served_on: date, today: date) -> None:
    if served_on > today:
        raise DomainError("served_on_in_future", "补录日期不能晚于今天", field="served_on")
    if (today - served_on).days > RETROACTIVE_MAX_DAYS:
        raise DomainError(
            "served_on_too_old", f"只能补录{RETROACTIVE_MAX_DAYS}天以内的服务", field="served_on"
        )


def check_decidable(status: EntryStatus) -> None:
    """Only a pending entry can be verified or rejected: a certified record is history."""
    if status is not EntryStatus.PENDING:
        raise InvalidTransition(f"“{status.label}”的时长记录不能再认定或驳回", field="status")


def approval_refusal(
    approver: str, volunteer_side: frozenset[str], method: EntryMethod, requested_by: str | None
) -> str | None:
    """Why this approver may not certify the entry (a refusal code), or None when they may.

    Nobody certifies hours of their own side (the volunteer, or a minor's guardian); a 补录 also
    needs someone other than the person who asked for it.
    """
    if approver in volunteer_side:
        return "own_hours"
    if method is EntryMethod.RETROACTIVE and approver == requested_by:
        return "second_approver_required"
    return None
