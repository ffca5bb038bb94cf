"""Enrolment (报名) in a course: who may enrol, who gets a place, how the waitlist moves, and completion.

The waitlist rules are the shared ones (:mod:`qingchun_plumbing.waitlist`); this module maps an
enrolment's status onto a :class:`Seat` and adds what is particular to learners: age limits and
the child-safety rules (DESIGN.md §4, DOMAIN.md §1.2: minors need recorded guardian consent, a
child is enrolled by their guardian, and sits a parent–child class with a guardian beside them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from qingchun_plumbing.ages import AgeBand
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition
from qingchun_plumbing.waitlist import (
    Place,
    Seat,
    WaitlistPolicy,
    gets_a_place,
    lapsed_offers,
    offer_deadline,
    places_taken,
    promotions,
)


class EnrolmentStatus(LabelledEnum):
    """Where one learner's enrolment in a course stands."""

    ENROLLED = ("enrolled", "已报名")
    OFFERED = ("offered", "待确认")
    WAITLISTED = ("waitlisted", "候补中")
    CANCELLED = ("cancelled", "已取消")
    COMPLETED = ("completed", "已结业")


class CancelReason(LabelledEnum):
    """Why an enrolment ended without completion."""

    LEARNER = ("learner", "学员或监护人取消")
    ORGANIZER = ("organizer", "组织方取消")
    DECLINED = ("declined", "放弃递补名额")
    OFFER_LAPSED = ("offer_lapsed", "逾期未确认")


SEAT_OF = {
    EnrolmentStatus.ENROLLED: Seat.HOLDING,
    EnrolmentStatus.COMPLETED: Seat.HOLDING,
    EnrolmentStatus.OFFERED: Seat.OFFERED,
    EnrolmentStatus.WAITLISTED: Seat.WAITING,
    EnrolmentStatus.CANCELLED: Seat.OUT,
}
LIVE = frozenset(s for s, seat in SEAT_OF.items() if seat is not Seat.OUT)
"""A learner has at most one live enrolment per course; a cancelled one does not stop re-enrolling."""
ATTENDING = frozenset({EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED})
"""Statuses whose learner may be marked present at a session."""


# eligibility -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Audience:
    """Who a course is for: its age limits, and whether it is a parent–child (亲子) class."""

    min_age: int | None = None
    max_age: int | None = None
    family: bool = False


@dataclass(frozen=True)
class Applicant:
    """A learner as the enrolment rules see them, and how they are being enrolled."""

    age: int
    band: AgeBand
    has_consent: bool
    by_guardian: bool
    guardian_present: bool


def check_eligibility(applicant: Applicant, audience: Audience) -> None:
    """Refuse what the course's limits or the child-safety rules forbid, naming the first reason found."""
    if audience.min_age is not None and applicant.age < audience.min_age:
        raise DomainError("age_below_minimum", f"该课程要求年满{audience.min_age}岁", field="learner_id")
    if audience.max_age is not None and applicant.age > audience.max_age:
        raise DomainError("age_above_maximum", f"该课程限{audience.max_age}岁及以下", field="learner_id")
    if applicant.band is not AgeBand.ADULT and not applicant.has_consent:
        raise DomainError("consent_required", "未成年人报名须有监护人同意记录", field="learner_id")
    if applicant.band is AgeBand.CHILD and not applicant.by_guardian:
        raise DomainError("guardian_required", "儿童须由其监护人报名", field="learner_id")
    if applicant.band is AgeBand.CHILD and audience.family and not applicant.guardian_present:
        raise DomainError("guardian_required", "亲子课程须有监护人陪同", field="guardian_present")


# places and the waitlist --------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One enrolment on a course's roster; ``position`` is its order of arrival."""

    enrolment_id: str
    status: EnrolmentStatus
    position: int
    offer_expires_at: datetime | None = None

    def place(self) -> Place:
        return Place(self.enrolment_id, SEAT_OF[self.status], self.position, self.offer_expires_at)


@dataclass(frozen=True)
class Terms:
    """A roster's waitlist terms, copied from its course when the first learner enrols."""

    capacity: int
    policy: WaitlistPolicy
    offer_window_hours: int | None = None


@dataclass(frozen=True)
class Promotion:
    """A waitlisted enrolment moved up: enrolled outright, or offered the place until ``confirm_by``."""

    enrolment_id: str
    status: EnrolmentStatus
    confirm_by: datetime | None


def _promotion(enrolment_id: str, terms: Terms, now: datetime) -> Promotion:
    deadline = offer_deadline(now, terms.offer_window_hours)
    status = EnrolmentStatus.ENROLLED if deadline is None else EnrolmentStatus.OFFERED
    return Promotion(enrolment_id, status, deadline)


def promote(entries: Sequence[Entry], terms: Terms, now: datetime) -> list[Promotion]:
    """Who moves up now that places may be free (only ``auto_promote`` moves anyone by itself)."""
    ids = promotions([e.place() for e in entries], terms.capacity, terms.policy, now)
    return [_promotion(i, terms, now) for i in ids]


def lapsed(entries: Sequence[Entry], now: datetime) -> list[str]:
    """Offers not accepted in time: they end, and their places go to the next in line."""
    return lapsed_offers([e.place() for e in entries], now)


def counts(entries: Sequence[Entry]) -> tuple[int, int]:
    """(places taken, learners waiting); an offer takes its place until it is accepted or ends."""
    seats = [SEAT_OF[e.status] for e in entries]
    return sum(s in (Seat.HOLDING, Seat.OFFERED) for s in seats), seats.count(Seat.WAITING)


def promote_by_hand(entries: Sequence[Entry], enrolment_id: str, terms: Terms, now: datetime) -> Promotion:
    """Staff choose who moves up (``manual``/``notify_all``): a waitlisted learner, into a free place."""
    entry = next(e for e in entries if e.enrolment_id == enrolment_id)
    if entry.status is not EnrolmentStatus.WAITLISTED:
        raise InvalidTransition(f"“{entry.status.label}”的报名不能递补", field="status")
    if not gets_a_place(places_taken([e.place() for e in entries], now), terms.capacity):
        raise DomainError("no_place_free", "该课程名额已满,无法递补", field="enrolment_id")
    return _promotion(enrolment_id, terms, now)


def check_cancellable(status: EnrolmentStatus) -> None:
    """Only a live enrolment before completion can be withdrawn."""
    if status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.OFFERED, EnrolmentStatus.WAITLISTED):
        raise InvalidTransition(f"“{status.label}”的报名不能取消", field="status")


def check_offered(status: EnrolmentStatus) -> None:
    """Accepting or declining answers an offer; nothing else can be answered."""
    if status is not EnrolmentStatus.OFFERED:
        raise InvalidTransition(f"“{status.label}”的报名没有待确认的递补名额", field="status")


def offer_lapsed(entry: Entry, now: datetime) -> bool:
    return entry.enrolment_id in lapsed([entry], now)


# completion ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Exam:
    """A course's exam, where it has one (结业考试)."""

    has_exam: bool
    pass_mark: float | None = None


def check_completion(status: EnrolmentStatus, exam: Exam, score: float | None) -> bool | None:
    """Whether the exam was passed (``None``: no exam); refuses completing without a passing score."""
    if status is not EnrolmentStatus.ENROLLED:
        raise InvalidTransition(f"“{status.label}”的报名不能结业", field="status")
    if not exam.has_exam:
        if score is not None:
            raise DomainError("course_has_no_exam", "该课程没有结业考试,不能登记成绩", field="exam_score")
        return None
    if score is None:
        raise DomainError("exam_score_required", "该课程须登记结业考试成绩", field="exam_score")
    if exam.pass_mark is not None and score < exam.pass_mark:
        raise DomainError("exam_not_passed", f"考试成绩未达到及格线{exam.pass_mark:g}分", field="exam_score")
    return True
