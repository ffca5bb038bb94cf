"""结对/共建协议: pairing and co-building agreements between communities, schools and units.

An agreement is drafted, signed (often with a plaque, 挂牌), carried out, possibly paused, and
ended; ending is final so the record of what was promised stays intact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition


class AgreementType(LabelledEnum):
    """Kinds of agreement found in the seeds."""

    SCHOOL_COMMUNITY_BASE = ("school_community_base", "学校红领巾社会实践教育基地")
    STREET_UNIVERSITY_BASE = ("street_university_base", "大学生社会实践教育基地")
    VENUE_CO_BUILDING = ("venue_co_building", "阵地共建协议")
    PARTY_POST_COMMUNITY = ("party_post_community", "岗村结对互助")
    ASSISTANCE_PAIRING = ("assistance_pairing", "结对帮扶")
    MILITARY_CIVIL = ("military_civil", "双拥共建")
    SCHOOL_VILLAGE = ("school_village", "学校与村委结对")
    CLASS_ELDER = ("class_elder", "班级结对孤寡老人")


class AgreementStatus(LabelledEnum):
    """Life cycle of an agreement."""

    DRAFT = ("draft", "草拟")
    SIGNED = ("signed", "已签订")
    ACTIVE = ("active", "履行中")
    SUSPENDED = ("suspended", "暂停")
    ENDED = ("ended", "已终止")


class AgreementAction(LabelledEnum):
    """What staff can do to an agreement."""

    SIGN = ("sign", "签订")
    ACTIVATE = ("activate", "启动履行")
    SUSPEND = ("suspend", "暂停")
    RESUME = ("resume", "恢复")
    END = ("end", "终止")


_TRANSITIONS: dict[tuple[AgreementStatus, AgreementAction], AgreementStatus] = {
    (AgreementStatus.DRAFT, AgreementAction.SIGN): AgreementStatus.SIGNED,
    (AgreementStatus.SIGNED, AgreementAction.ACTIVATE): AgreementStatus.ACTIVE,
    (AgreementStatus.ACTIVE, AgreementAction.SUSPEND): AgreementStatus.SUSPENDED,
    (AgreementStatus.SUSPENDED, AgreementAction.RESUME): AgreementStatus.ACTIVE,
    **{
        (status, AgreementAction.END): AgreementStatus.ENDED
        for status in AgreementStatus
        if status is not AgreementStatus.ENDED
    },
}


def apply_action(status: AgreementStatus, action: AgreementAction) -> AgreementStatus:
    """The status after ``action``; an ended agreement accepts nothing further."""
    try:
        return _TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(f"“{status.label}”的协议不能执行“{action.label}”", field="action") from None


def check_parties(party_ids: Sequence[str]) -> None:
    """A pairing needs at least two different organisations; pairing one with itself is a mistake."""
    if len(party_ids) < 2 or len(set(party_ids)) != len(party_ids):
        raise DomainError("parties_invalid", "协议须有至少两个互不相同的协议方", field="party_ids")


def check_dates(signed_on: date | None, plaque_on: date | None, ends_on: date | None) -> None:
    """Plaque and end date follow signing; checked only when the signing date is known."""
    if signed_on is None:
        return
    for field, value in (("plaque_on", plaque_on), ("ends_on", ends_on)):
        if value is not None and value < signed_on:
            raise DomainError("date_order", f"{field}不能早于签订日期", field=field)
