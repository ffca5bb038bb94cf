"""社区报到: league and Party members report to their residential community.

The seeds run it three ways (a school Party branch with 介绍信 and 回执联, a primary school with
报到卡 and 登记表, agency members with an activity card); all share one path, derived here as
INVITED → DOC_ISSUED → SUBMITTED → CONFIRMED → RECEIPT_RETURNED → ACTIVE, with the side branch
OVERDUE → FOLLOW_UP → SUBMITTED for those who miss the deadline (查找原因, 督促报到). Each move
belongs to one party: the sending branch, the member, the residential community, or the clock.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from enum import Enum

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition


class DocumentKind(LabelledEnum):
    """The papers a round may require; each seed variant chooses its own set."""

    INTRODUCTION_LETTER = ("introduction_letter", "《在职党员到社区报到介绍信》")
    CHECKIN_CARD = ("checkin_card", "《在职党员赴社区报到卡》")
    REGISTRATION_FORM = ("registration_form", "《在职党员基本情况登记表》")
    RECEIPT = ("receipt", "《报到回执》")
    ACTIVITY_CARD = ("activity_card", "《机关党员进社区活动证》")
    INFORMATION_FORM = ("information_form", "《机关党员信息采集表》")
    SERVICE_INTENT_FORM = ("service_intent_form", "《机关在职党员服务意向登记表》")


CARDS = frozenset({DocumentKind.CHECKIN_CARD, DocumentKind.ACTIVITY_CARD})
"""Documents that are cards: filled in over time, so they can be full or lost and then reissued."""


class CheckinStatus(LabelledEnum):
    INVITED = ("invited", "待报到")
    DOC_ISSUED = ("doc_issued", "已发放报到材料")
    SUBMITTED = ("submitted", "已提交报到")
    CONFIRMED = ("confirmed", "社区已确认")
    RECEIPT_RETURNED = ("receipt_returned", "回执已返回")
    ACTIVE = ("active", "已认领服务")
    OVERDUE = ("overdue", "逾期未报到")
    FOLLOW_UP = ("follow_up", "跟进督促中")


class CheckinAction(LabelledEnum):
    ISSUE_DOCUMENTS = ("issue_documents", "发放报到材料")
    SUBMIT = ("submit", "提交报到材料")
    CONFIRM = ("confirm", "社区确认报到")
    RETURN_RECEIPT = ("return_receipt", "回执返回支部")
    CLAIM = ("claim", "认领岗位或微心愿")
    MARK_OVERDUE = ("mark_overdue", "标记逾期")
    FOLLOW_UP = ("follow_up", "跟进督促")
    REISSUE_CARD = ("reissue_card", "补发卡证")


class Actor(Enum):
    """Who may take an action: the sending branch's organisers, the member, the community's, the clock."""

    BRANCH = "branch"
    MEMBER = "member"
    COMMUNITY = "community"
    SYSTEM = "system"


class OverdueReason(LabelledEnum):
    """Why a member had not reported (the 检查汇总 step: 摸清原因)."""

    BUSY_WORK = ("busy_work", "工作繁忙")
    MOVED_RESIDENCE = ("moved_residence", "居住地变更")
    UNAWARE = ("unaware", "不知晓要求")
    HEALTH = ("health", "身体原因")
    OTHER = ("other", "其他")


class FollowUpKind(LabelledEnum):
    FIND_CAUSE = ("find_cause", "摸清原因")
    URGE = ("urge", "督促报到")


class CardReissueReason(LabelledEnum):
    FULL = ("full", "卡证已填满")
    LOST = ("lost", "卡证遗失")


S = CheckinStatus
A = CheckinAction
_EVERY_STATUS_BUT_INVITED: dict[CheckinStatus, CheckinStatus] = {s: s for s in S if s is not S.INVITED}

TRANSITIONS: dict[CheckinAction, dict[CheckinStatus, CheckinStatus]] = {
    A.ISSUE_DOCUMENTS: {S.INVITED: S.DOC_ISSUED, S.DOC_ISSUED: S.DOC_ISSUED},
    A.SUBMIT: {S.DOC_ISSUED: S.SUBMITTED, S.FOLLOW_UP: S.SUBMITTED},
    A.CONFIRM: {S.SUBMITTED: S.CONFIRMED},
    A.RETURN_RECEIPT: {S.CONFIRMED: S.RECEIPT_RETURNED, S.ACTIVE: S.ACTIVE},
    A.CLAIM: {S.CONFIRMED: S.ACTIVE, S.RECEIPT_RETURNED: S.ACTIVE, S.ACTIVE: S.ACTIVE},
    A.MARK_OVERDUE: {S.INVITED: S.OVERDUE, S.DOC_ISSUED: S.OVERDUE},
    A.FOLLOW_UP: {S.OVERDUE: S.FOLLOW_UP, S.FOLLOW_UP: S.FOLLOW_UP},
    A.REISSUE_CARD: _EVERY_STATUS_BUT_INVITED,
}
"""From-status → to-status per action; a status missing from an action's row refuses it."""

ACTORS: dict[CheckinAction, Actor] = {
    A.ISSUE_DOCUMENTS: Actor.BRANCH,
    A.SUBMIT: Actor.MEMBER,
    A.CONFIRM: Actor.COMMUNITY,
    A.RETURN_RECEIPT: Actor.BRANCH,
    A.CLAIM: Actor.MEMBER,
    A.MARK_OVERDUE: Actor.SYSTEM,
    A.FOLLOW_UP: Actor.BRANCH,
    A.REISSUE_CARD: Actor.BRANCH,
}

REPORTED = frozenset({S.SUBMITTED, S.CONFIRMED, S.RECEIPT_RETURNED, S.ACTIVE})
CONFIRMED_OR_LATER = frozenset({S.CONFIRMED, S.RECEIPT_RETURNED, S.ACTIVE})
AWAITING_REPORT = frozenset(TRANSITIONS[A.MARK_OVERDUE])
LATE = frozenset({S.OVERDUE, S.FOLLOW_UP})


class DeadlinePassed(InvalidTransition):
    """A late member reports through the branch's follow-up, so the branch learns why they were late."""

    def __init__(self, deadline: date) -> None:
        super().__init__(f"报到截止日期（{deadline.isoformat()}）已过，请待支部跟进督促后再提交", "round_id")
        self.code = "deadline_passed"


def apply(status: CheckinStatus, action: CheckinAction) -> CheckinStatus:
    after = TRANSITIONS[action].get(status)
    if after is None:
        raise InvalidTransition(f"当前状态“{status.label}”不能{action.label}", field="status")
    return after


def is_overdue(status: CheckinStatus, deadline: date, today: date) -> bool:
    """Not yet reported the day after the deadline (the deadline day itself still counts)."""
    return status in AWAITING_REPORT and today > deadline


def check_round_dates(
    checkin_deadline: date,
    receipt_deadline: date,
    milestones: Sequence[date],
    today: date,
    backfill: bool = False,
) -> None:
    """A new round looks ahead; a round copied from the 台账 (``backfill``) may lie in the past."""
    if checkin_deadline < today and not backfill:
        raise DomainError("date_in_past", "报到截止日期不能早于今天", field="checkin_deadline")
    if receipt_deadline < checkin_deadline:
        raise DomainError(
            "receipt_before_checkin", "回执返回日期不能早于报到截止日期", field="receipt_deadline"
        )
    for position, due in enumerate(milestones):
        if due < today and not backfill:
            raise DomainError("date_in_past", "节点日期不能早于今天", field=f"milestones.{position}.due")


def check_reported_on(reported_on: date | None, backfill: bool, today: date, field: str) -> None:
    """Only the ledger can say a member reported before the round was recorded, and never in the future."""
    if reported_on is None:
        return
    if not backfill:
        raise DomainError("reported_on_needs_backfill", "只有补录台账的批次可以填写报到日期", field=field)
    if reported_on > today:
        raise DomainError("date_in_future", "报到日期不能晚于今天", field=field)


def first_repeat(values: Sequence[str]) -> int | None:
    """The position of the first value seen before (one invitation per member per round)."""
    seen: set[str] = set()
    for position, value in enumerate(values):
        if value in seen:
            return position
        seen.add(value)
    return None


def check_kinds_required(kinds: Sequence[DocumentKind], required: Collection[DocumentKind]) -> None:
    """Only documents the round asks for are issued or handed in."""
    for position, kind in enumerate(kinds):
        if kind not in required:
            raise DomainError(
                "document_not_required", f"本批次不要求{kind.label}", field=f"documents.{position}"
            )


def check_submission(
    status: CheckinStatus,
    deadline: date,
    today: date,
    required: Collection[DocumentKind],
    handed_in: Sequence[DocumentKind],
) -> CheckinStatus:
    """The member hands in every required document except the receipt, which comes back later."""
    after = apply(status, A.SUBMIT)
    if is_overdue(status, deadline, today):
        raise DeadlinePassed(deadline)
    check_kinds_required(handed_in, required)
    for kind in DocumentKind:  # enum order: a stable first missing document
        if kind in required and kind is not DocumentKind.RECEIPT and kind not in handed_in:
            raise DomainError("documents_missing", f"缺少{kind.label}", field="documents")
    return after


def return_receipt(status: CheckinStatus, already_returned: bool) -> CheckinStatus:
    """The 回执联 goes back to the branch once; claiming a post first does not stop it coming back."""
    after = apply(status, A.RETURN_RECEIPT)
    if already_returned:
        raise InvalidTransition("回执已返回", field="status")
    return after


def reissue_card(status: CheckinStatus, issued: Collection[DocumentKind]) -> CheckinStatus:
    """Only the sending branch reissues, and only a card it issued (full or lost: 补发)."""
    after = apply(status, A.REISSUE_CARD)
    if not CARDS.intersection(issued):
        raise DomainError("no_card_issued", "尚未发放报到卡或活动证，无需补发", field="reason")
    return after


def checkin_rate(confirmed: int, invited: int) -> float | None:
    """报到率: confirmed over invited; None for a round nobody was invited to."""
    return round(confirmed / invited, 4) if invited else None
