"""Sign-ups (报名) for a shift: who may join, and where each sign-up stands.

Who gets a place and who moves up from the waitlist follows the platform's waitlist rules
(``qingchun_plumbing.waitlist``): this module maps sign-up statuses onto their seats. With a
confirmation window, the volunteer moved up is first *offered* the place (待确认) and holds it
until they accept, decline or let the offer lapse.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.waitlist import Seat

from .activities import Shift
from .errors import DomainError, InvalidTransition
from .volunteers import AgeBand


class SignupStatus(LabelledEnum):
    """Where one volunteer's sign-up stands; attendance is recorded on the same entry."""

    CONFIRMED = ("confirmed", "已确认")
    WAITLISTED = ("waitlisted", "候补中")
    CANCELLED = ("cancelled", "已取消")
    NO_SHOW = ("no_show", "缺席")
    ATTENDED = ("attended", "已到场")
    OFFERED = ("offered", "待确认")


_SEATS = {
    SignupStatus.CONFIRMED: Seat.HOLDING,
    SignupStatus.ATTENDED: Seat.HOLDING,
    SignupStatus.OFFERED: Seat.OFFERED,
    SignupStatus.WAITLISTED: Seat.WAITING,
    SignupStatus.CANCELLED: Seat.OUT,
    SignupStatus.NO_SHOW: Seat.OUT,
}
PENDING = frozenset({SignupStatus.CONFIRMED, SignupStatus.OFFERED, SignupStatus.WAITLISTED})
"""Sign-ups still ahead of the shift: they count against overlaps and are told of a cancellation."""


def seat_of(status: SignupStatus) -> Seat:
    """Where a sign-up stands for the waitlist rules; an attended volunteer keeps their place."""
    return _SEATS[status]


def check_eligibility(
    band: AgeBand, age: int, shift: Shift, has_consent: bool, guardian_present: bool
) -> None:
    """Refuse a sign-up the shift's limits or child-safety rules forbid, naming the first reason found.

    A child may serve only on a family shift with a guardian beside them; children and minors
    alike need a guardian's consent on record.
    """
    if shift.min_age is not None and age < shift.min_age:
        raise DomainError("age_below_minimum", f"该场次要求年满{shift.min_age}岁", field="shift_id")
    if shift.max_age is not None and age > shift.max_age:
        raise DomainError("age_above_maximum", f"该场次限{shift.max_age}岁及以下", field="shift_id")
    if band is AgeBand.CHILD and not (shift.family_only and guardian_present):
        raise DomainError(
            "guardian_required", "儿童只能在亲子场次中由监护人陪同参加", field="guardian_present"
        )
    if band in (AgeBand.CHILD, AgeBand.MINOR) and not has_consent:
        raise DomainError("consent_required", "未成年人参加须有监护人同意", field="volunteer_id")


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: one shift may end exactly when the next begins."""
    return a_start < b_end and b_start < a_end


def check_no_overlap(
    starts_at: datetime, ends_at: datetime, taken: Sequence[tuple[datetime, datetime]]
) -> None:
    """A volunteer cannot be in two places at once; ``taken`` holds the shifts they already hold."""
    for taken_start, taken_end in taken:
        if overlaps(starts_at, ends_at, taken_start, taken_end):
            raise DomainError(
                "shift_overlap",
                f"与已报名的场次时间冲突（{taken_start.isoformat()} 至 {taken_end.isoformat()}）",
                field="shift_id",
            )


def check_cancellable(status: SignupStatus) -> None:
    """Only a pending sign-up can be withdrawn (declining an offer is one); attendance is history."""
    if status not in PENDING:
        raise InvalidTransition(f"“{status.label}”的报名不能取消", field="status")


def offer_lapsed(
    status: SignupStatus, offer_expires_at: datetime | None, lapsed_at: datetime | None, now: datetime
) -> bool:
    """An offer answered at or after its deadline is too late, whether or not the expiry job has
    already handed the place on (``lapsed_at`` set)."""
    if lapsed_at is not None:
        return True
    return status is SignupStatus.OFFERED and offer_expires_at is not None and offer_expires_at <= now


def check_offered(status: SignupStatus) -> None:
    """Only an open offer can be accepted or declined."""
    if status is not SignupStatus.OFFERED:
        raise InvalidTransition(f"“{status.label}”的报名没有待确认的名额", field="status")
