"""Citizen schools (市民学校 / 社区教育中心): their kinds, who leads them, and how far their setup is.

The seeds give a school a fixed leadership (名誉校长, 督学长, 校长, 副校长, a 管理委员会) and a
plaque ceremony (挂牌成立) due by a deadline the district sets; the rules below keep the roster
coherent (one 校长, nobody listed twice in one role) and say whether setup is late.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

MAX_ROLE_HOLDERS = 50


class SchoolKind(LabelledEnum):
    CITIZEN_SCHOOL = ("citizen_school", "市民学校")
    EDUCATION_CENTRE = ("education_centre", "社区教育中心")
    SENIOR_SCHOOL = ("senior_school", "老年学校")
    PARENT_SCHOOL = ("parent_school", "家长学校")


class FundingSource(LabelledEnum):
    """Mainly the community; the district subsidises hardship cases (DOMAIN.md §2.3)."""

    COMMUNITY = ("community", "社区")
    DISTRICT_SUBSIDY = ("district_subsidy", "区补贴")
    CO_BUILDING = ("co_building", "共建单位")
    OTHER = ("other", "其他")


class Eligibility(LabelledEnum):
    """Who may attend; the seeds open citizen schools to every resident of the community."""

    ALL_RESIDENTS = ("all_residents", "社区全体居民")
    YOUTH = ("youth", "青少年")
    SENIORS = ("seniors", "老年居民")
    PARENTS = ("parents", "家长")


class SchoolRole(LabelledEnum):
    HONORARY_PRINCIPAL = ("honorary_principal", "名誉校长")
    SUPERINTENDENT = ("superintendent", "督学长")
    PRINCIPAL = ("principal", "校长")
    VICE_PRINCIPAL = ("vice_principal", "副校长")
    COMMITTEE_MEMBER = ("committee_member", "管理委员会成员")


class SetupStatus(LabelledEnum):
    ESTABLISHED = ("established", "已挂牌")
    PENDING = ("pending", "筹建中")
    OVERDUE = ("overdue", "逾期未挂牌")


def name_key(organization_id: str, name: str) -> str:
    """Two schools of one organisation may not share a name (spacing and case do not differ)."""
    return f"{organization_id}|{' '.join(name.split()).casefold()}"


def check_roles(holders: Sequence[tuple[SchoolRole, str]]) -> None:
    """At most one 校长, and a person holds each role once; ``holders`` are (role, subject_id)."""
    seen: set[tuple[SchoolRole, str]] = set()
    principals = 0
    for position, holder in enumerate(holders):
        if holder in seen:
            raise DomainError(
                "duplicate_role_holder", "同一人不能重复担任同一职务", field=f"roles.{position}"
            )
        seen.add(holder)
        principals += holder[0] is SchoolRole.PRINCIPAL
        if principals > 1:
            raise DomainError("two_principals", "一所市民学校只能有一名校长", field=f"roles.{position}")


def check_plaque_date(plaque_date: date, today: date) -> None:
    """The ceremony is recorded once held: a date ahead of today is a typing error."""
    if plaque_date > today:
        raise DomainError("plaque_in_future", "挂牌日期不能晚于今天", field="plaque_date")


def setup_status(plaque_date: date | None, deadline: date | None, today: date) -> SetupStatus:
    """Established once the plaque is up; overdue when the deadline passed without it."""
    if plaque_date is not None:
        return SetupStatus.ESTABLISHED
    if deadline is not None and today > deadline:
        return SetupStatus.OVERDUE
    return SetupStatus.PENDING
