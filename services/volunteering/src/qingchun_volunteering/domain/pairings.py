"""Pairings (结对): helpers paired with one beneficiary under a signed agreement, visited and reviewed.

The seeds pair 团员青年, 五老 and units with households and youths in care (一助一, 一帮一 …
"直至完成学业"). The beneficiary is known here only by a pseudonymous reference: this service
never holds who they are, so neither a leak nor an event can name them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition

MAX_HELPERS = 10
DEFAULT_REVIEW_INTERVAL_MONTHS = 3
MAX_REVIEW_INTERVAL_MONTHS = 12


class PairingType(LabelledEnum):
    """The kinds of pairing the seeds name (DOMAIN.md §2.2 Pairing)."""

    ONE_HELPS_ONE = ("one_helps_one", "一助一")
    MANY_HELP_ONE = ("many_help_one", "多助一")
    ONE_MENTORS_ONE = ("one_mentors_one", "一帮一")
    TWO_MENTOR_ONE = ("two_mentor_one", "二帮一")
    MANY_MENTOR_ONE = ("many_mentor_one", "多帮一")
    CARE_PAIR = ("care_pair", "帮教对子")
    BIG_HAND_SMALL_HAND = ("big_hand_small_hand", "大手拉小手")
    HAND_IN_HAND = ("hand_in_hand", "手拉手")
    SOLDIER_KINSHIP = ("soldier_kinship", "战士“认亲”")
    SURROGATE_PARENT = ("surrogate_parent", "聘请家长")


_EXACT = {
    PairingType.ONE_HELPS_ONE: 1,
    PairingType.ONE_MENTORS_ONE: 1,
    PairingType.CARE_PAIR: 1,
    PairingType.TWO_MENTOR_ONE: 2,
}
_AT_LEAST_TWO = {PairingType.MANY_HELP_ONE, PairingType.MANY_MENTOR_ONE}


def helper_bounds(kind: PairingType) -> tuple[int, int]:
    """How many helpers the type's name promises: 一助一 one, 二帮一 two, 多助一 at least two."""
    if kind in _EXACT:
        return _EXACT[kind], _EXACT[kind]
    return (2 if kind in _AT_LEAST_TWO else 1), MAX_HELPERS


def check_helper_count(kind: PairingType, count: int) -> None:
    low, high = helper_bounds(kind)
    if not low <= count <= high:
        wanted = f"{low}名" if low == high else f"{low}至{high}名"
        raise DomainError("helper_count", f"“{kind.label}”须有{wanted}帮扶人", field="helper_volunteer_ids")


def check_distinct_helpers(helpers: list[str]) -> None:
    seen: set[str] = set()
    for position, helper in enumerate(helpers):
        if helper in seen:
            raise DomainError(
                "duplicate_helper", "同一帮扶人不能重复列出", field=f"helper_volunteer_ids.{position}"
            )
        seen.add(helper)


class BeneficiaryKind(LabelledEnum):
    """A household (户) or an education care case (帮教档案), each kept by its own owner."""

    HOUSEHOLD = ("household", "家庭户")
    CARE_CASE = ("care_case", "帮教对象")


_REF_PATTERNS = {
    BeneficiaryKind.HOUSEHOLD: re.compile(r"hh_[A-Za-z0-9]{6,40}"),
    BeneficiaryKind.CARE_CASE: re.compile(r"case_[A-Za-z0-9]{6,40}"),
}


def check_beneficiary_ref(kind: BeneficiaryKind, ref: str) -> None:
    """Only an opaque id of the right kind: a name, phone or ID number typed here is refused unechoed."""
    if _REF_PATTERNS[kind].fullmatch(ref) is None:
        raise DomainError(
            "beneficiary_ref_invalid",
            f"受助方只能用{kind.label}的化名编号表示,不能填写姓名、电话、住址或身份证号",
            field="beneficiary.ref",
        )


class PairingStatus(LabelledEnum):
    """DOMAIN.md workflow 3: need found, helpers matched, agreement signed, serving, reviewed, closed."""

    NEED_IDENTIFIED = ("need_identified", "需求已确认")
    MATCHED = ("matched", "已匹配")
    AGREEMENT_SIGNED = ("agreement_signed", "已签协议")
    ACTIVE = ("active", "帮扶中")
    REVIEWED = ("reviewed", "已总结")
    CLOSED = ("closed", "已结束")


class PairingAction(LabelledEnum):
    MATCH = ("match", "落实帮扶人")
    SIGN = ("sign", "签订协议")
    ACTIVATE = ("activate", "开始帮扶")
    REVIEW = ("review", "定期总结")
    CLOSE = ("close", "结束结对")


S = PairingStatus
SERVING = (S.ACTIVE, S.REVIEWED)
_TRANSITIONS: dict[tuple[PairingStatus, PairingAction], PairingStatus] = {
    (S.NEED_IDENTIFIED, PairingAction.MATCH): S.MATCHED,
    (S.MATCHED, PairingAction.SIGN): S.AGREEMENT_SIGNED,
    (S.AGREEMENT_SIGNED, PairingAction.ACTIVATE): S.ACTIVE,
    (S.ACTIVE, PairingAction.REVIEW): S.REVIEWED,
    (S.REVIEWED, PairingAction.REVIEW): S.REVIEWED,
    **{(status, PairingAction.CLOSE): S.CLOSED for status in PairingStatus if status is not S.CLOSED},
}


def apply_action(status: PairingStatus, action: PairingAction) -> PairingStatus:
    try:
        return _TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(f"“{status.label}”的结对不能“{action.label}”", field="status") from None


def accepts_visits(status: PairingStatus) -> bool:
    """Visits are logged while the helpers serve: after signing, before closing."""
    return status in SERVING


def check_accepts_visits(status: PairingStatus) -> None:
    if not accepts_visits(status):
        raise InvalidTransition(f"“{status.label}”的结对不能记录走访", field="status")


class VisitKind(LabelledEnum):
    HOME_VISIT = ("home_visit", "到户走访")
    PHONE_CALL = ("phone_call", "电话联系")
    TUTORING = ("tutoring", "学业辅导")
    LIVING_SUPPORT = ("living_support", "生活帮扶")
    OTHER = ("other", "其他")


def check_visit_date(visited_on: date, today: date, started_on: date | None) -> None:
    if visited_on > today:
        raise DomainError("visit_in_future", "走访日期不能晚于今天", field="visited_on")
    if started_on is not None and visited_on < started_on:
        raise DomainError("visit_before_start", "走访日期不能早于结对开始日期", field="visited_on")


def check_signed_on(signed_on: date, today: date) -> None:
    if signed_on > today:
        raise DomainError("signed_in_future", "签订日期不能晚于今天", field="signed_on")


class ReviewOutcome(LabelledEnum):
    CONTINUE = ("continue", "继续帮扶")
    ADJUST = ("adjust", "调整帮扶")
    CLOSE_RECOMMENDED = ("close_recommended", "建议结束")


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (1/31 + 1 → 2/28)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def next_review_due(last: date, interval_months: int) -> date:
    """定期总结: the next review falls one interval after the start or the last review."""
    if not 1 <= interval_months <= MAX_REVIEW_INTERVAL_MONTHS:
        raise DomainError(
            "review_interval",
            f"总结周期须在1至{MAX_REVIEW_INTERVAL_MONTHS}个月之间",
            field="review_interval_months",
        )
    return add_months(last, interval_months)


def is_review_due(status: PairingStatus, due: date | None, today: date) -> bool:
    return status in SERVING and due is not None and due <= today


class EndReason(LabelledEnum):
    """Why a pairing ended (DOMAIN.md workflow 3)."""

    COMPLETED_STUDIES = ("completed_studies", "完成学业")
    REFORMED = ("reformed", "改好")
    EMPLOYED = ("employed", "就业")
    MOVED_AWAY = ("moved_away", "迁出")
    TERMINATED = ("terminated", "终止")


_ANY_TIME = (EndReason.MOVED_AWAY, EndReason.TERMINATED)


def check_end_reason(status: PairingStatus, reason: EndReason) -> None:
    """A pairing that never served cannot end in an outcome of serving (完成学业, 改好, 就业)."""
    if status not in SERVING and reason not in _ANY_TIME:
        raise DomainError(
            "end_reason_invalid", "尚未开始帮扶的结对只能以“迁出”或“终止”结束", field="end_reason"
        )
