"""Applications (求职申请) and staff referrals (职业介绍): who moves them on, and in which order.

An application follows the employer's steps in order (已申请 → 已查看 → 面试 → 已录用通知 → 已入职),
so the placement figures count only seekers who really went through them. The employer may turn
an open application down (未录用) and the seeker may withdraw it (已撤回) at any open step; a
closed application no longer changes, so its history stays what it was.

A referral is staff proposing a seeker for a posting; nothing reaches the employer until the
seeker accepts it, which makes it an application like one the seeker made.
"""

from __future__ import annotations

from datetime import datetime

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import InvalidTransition

MAX_COVER_NOTE = 1000
MAX_REFERRAL_NOTE = 500


class ApplicationStatus(LabelledEnum):
    APPLIED = ("applied", "已申请")
    REVIEWED = ("reviewed", "已查看")
    INTERVIEW = ("interview", "面试")
    OFFERED = ("offered", "已录用通知")
    HIRED = ("hired", "已入职")
    REJECTED = ("rejected", "未录用")
    WITHDRAWN = ("withdrawn", "已撤回")


class ApplicationAction(LabelledEnum):
    REVIEW = ("review", "查看")
    INVITE = ("invite", "邀请面试")
    OFFER = ("offer", "发出录用通知")
    HIRE = ("hire", "确认入职")
    REJECT = ("reject", "不予录用")
    WITHDRAW = ("withdraw", "撤回申请")


S, A = ApplicationStatus, ApplicationAction
OPEN = (S.APPLIED, S.REVIEWED, S.INTERVIEW, S.OFFERED)
_TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationAction], ApplicationStatus] = {
    (S.APPLIED, A.REVIEW): S.REVIEWED,
    (S.REVIEWED, A.INVITE): S.INTERVIEW,
    (S.INTERVIEW, A.OFFER): S.OFFERED,
    (S.OFFERED, A.HIRE): S.HIRED,
    **{(status, A.REJECT): S.REJECTED for status in OPEN},
    **{(status, A.WITHDRAW): S.WITHDRAWN for status in OPEN},
}
LIVE = frozenset({*OPEN, S.HIRED})
"""While the application is one of these, the employer sees the seeker's profile and contact: the
seeker chose to share them with this employer. A withdrawn or turned-down application ends that
(the choice was for this job, not for ever); a hire keeps it, since the seeker now works there."""
SEEKER_ACTIONS = frozenset({A.WITHDRAW})
"""What only the seeker does; every other step is the employer's."""


def apply_action(status: ApplicationStatus, action: ApplicationAction) -> ApplicationStatus:
    try:
        return _TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(f"“{status.label}”的申请不能“{action.label}”", field="status") from None


def shares_contact(status: ApplicationStatus) -> bool:
    return status in LIVE


def is_seeker_action(action: ApplicationAction) -> bool:
    return action in SEEKER_ACTIONS


def accepts_applications(posting_status: str, expires_at: datetime | None, now: datetime) -> bool:
    """Only a published posting that has not yet run out takes applications (and referrals).

    The expiry job may not have closed a posting that ran out a moment ago; it is closed already.
    """
    return posting_status == "published" and (expires_at is None or now < expires_at)


class ReferralStatus(LabelledEnum):
    PROPOSED = ("proposed", "已推荐")
    ACCEPTED = ("accepted", "已接受")
    DECLINED = ("declined", "已谢绝")


class ReferralAnswer(LabelledEnum):
    ACCEPT = ("accept", "接受推荐")
    DECLINE = ("decline", "谢绝推荐")


_ANSWERS = {ReferralAnswer.ACCEPT: ReferralStatus.ACCEPTED, ReferralAnswer.DECLINE: ReferralStatus.DECLINED}


def answer_referral(status: ReferralStatus, answer: ReferralAnswer) -> ReferralStatus:
    """The seeker answers a proposal once; an answered referral stays answered."""
    if status is not ReferralStatus.PROPOSED:
        raise InvalidTransition(f"“{status.label}”的推荐不能再“{answer.label}”", field="status")
    return _ANSWERS[answer]
