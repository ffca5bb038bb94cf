"""Sign-ups (报名) for a shift: who may join, who gets a place, and who moves up from the waitlist.

Places go in order of arrival; when one frees up the earliest waitlisted volunteer has the best
claim to it. Whether they get it at once depends on the activity's waitlist policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from qingchun_plumbing.labels import LabelledEnum

from .activities import Shift, WaitlistPolicy
from .errors import DomainError, InvalidTransition
from .volunteers import AgeBand


class SignupStatus(LabelledEnum):
    """Where one volunteer's sign-up stands; attendance is recorded on the same entry."""

    CONFIRMED = ("confirmed", "已确认")
    WAITLISTED = ("waitlisted", "候补中")
    CANCELLED = ("cancelled", "已取消")
    NO_SHOW = ("no_show", "缺席")
    ATTENDED = ("attended", "已到场")


_HOLDS_A_PLACE = frozenset({SignupStatus.CONFIRMED, SignupStatus.ATTENDED})


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


@dataclass(frozen=True)
class Entry:
    """One sign-up on a shift; ``position`` is the order of arrival, which decides who moves up first."""

    volunteer_id: str
    status: SignupStatus
    position: int


def placement(confirmed: int, capacity: int) -> SignupStatus:
    """A newcomer gets a place if one is free, else joins the waitlist rather than being turned away."""
    return SignupStatus.CONFIRMED if confirmed < capacity else SignupStatus.WAITLISTED


def promotions(entries: Sequence[Entry], capacity: int, policy: WaitlistPolicy) -> list[str]:
    """Volunteer ids to move from the waitlist to confirmed now, earliest arrival first.

    Only ``auto_promote`` moves anyone: under ``notify_all`` the app tells every waitlisted
    volunteer, and under ``manual`` the organiser chooses. A shift over capacity (its capacity
    was lowered) promotes nobody; nobody is demoted either.
    """
    if policy is not WaitlistPolicy.AUTO_PROMOTE:
        return []
    free = capacity - sum(1 for entry in entries if entry.status in _HOLDS_A_PLACE)
    if free <= 0:
        return []
    waiting = sorted(
        (entry for entry in entries if entry.status is SignupStatus.WAITLISTED), key=lambda e: e.position
    )
    return [entry.volunteer_id for entry in waiting[:free]]


def check_cancellable(status: SignupStatus) -> None:
    """Only a pending sign-up can be withdrawn; attendance already recorded is history."""
    if status not in (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED):
        raise InvalidTransition(f"“{status.label}”的报名不能取消", field="status")
