"""Job postings (用工信息): who may offer work, what a posting must say, and how it moves.

Community league organisations collect local job information and send it up to the city platform
(孝感青年创业网). A posting is drafted for an employer, sent up (报送) by the community league
organisation, moderated by league staff, published, and closed when filled, expired or withdrawn.
These rules keep what reaches young job seekers honest: a real employer, a sane pay range, the
allowance and insurance of a traineeship (就业见习) stated, and no step skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition

MIN_HEADCOUNT = 1
MAX_HEADCOUNT = 500
MAX_SKILLS = 20
REPORTS_TO_HOLD = 3
"""Distinct reports that take a published posting back to moderation."""


class JobCategory(LabelledEnum):
    """The trade of a posting, as community employment stations sort local job information."""

    MANUFACTURING = ("manufacturing", "制造/普工")
    CATERING = ("catering", "餐饮服务")
    RETAIL = ("retail", "商贸零售")
    HOUSEKEEPING = ("housekeeping", "家政服务")
    LOGISTICS = ("logistics", "物流快递")
    CONSTRUCTION = ("construction", "建筑")
    AGRICULTURE = ("agriculture", "农业种植养殖")
    INFORMATION_TECHNOLOGY = ("information_technology", "信息技术")
    EDUCATION_TRAINING = ("education_training", "教育培训")
    HEALTHCARE = ("healthcare", "医疗护理")
    COMMUNITY_SERVICE = ("community_service", "社区服务/公益")
    CLERICAL = ("clerical", "文员行政")
    SALES = ("sales", "销售")
    SKILLED_TRADES = ("skilled_trades", "技工/维修")
    OTHER = ("other", "其他")


class PostingKind(LabelledEnum):
    """The kind of post; the seeds name public-welfare and flexible jobs, traineeships, 返家乡 internships."""

    FULL_TIME = ("full_time", "全职")
    PART_TIME = ("part_time", "兼职")
    PUBLIC_WELFARE = ("public_welfare", "公益性岗位")
    FLEXIBLE = ("flexible", "灵活就业")
    TRAINEESHIP = ("traineeship", "就业见习")
    HOMECOMING_INTERNSHIP = ("homecoming_internship", "“大学生返家乡”实习")


class PostingStatus(LabelledEnum):
    DRAFT = ("draft", "草稿")
    SUBMITTED = ("submitted", "已报送")
    HELD = ("held", "已暂扣待审核")
    PUBLISHED = ("published", "已发布")
    REJECTED = ("rejected", "未通过审核")
    FILLED = ("filled", "已招满")
    EXPIRED = ("expired", "已过期")
    WITHDRAWN = ("withdrawn", "已撤回")


class PostingAction(LabelledEnum):
    """What staff (or the platform itself) can do to a posting."""

    SUBMIT = ("submit", "报送")
    HOLD = ("hold", "暂扣")
    RELEASE = ("release", "解除暂扣")
    PUBLISH = ("publish", "发布")
    REJECT = ("reject", "驳回")
    FILL = ("fill", "招满")
    EXPIRE = ("expire", "到期")
    WITHDRAW = ("withdraw", "撤回")


class ClosingReason(LabelledEnum):
    """Why a posting stopped taking applicants (``PostingClosed.reason_code``)."""

    FILLED = ("filled", "已招满")
    EXPIRED = ("expired", "已过期")
    WITHDRAWN = ("withdrawn", "撤回")
    EMPLOYER_DEACTIVATED = ("employer_deactivated", "用人单位已撤销")


class ReportReason(LabelledEnum):
    """Why a reader reports a published posting."""

    FEE_DEMANDED = ("fee_demanded", "收取费用")
    FALSE_INFORMATION = ("false_information", "虚假信息")
    DISCRIMINATION = ("discrimination", "歧视")
    OTHER = ("other", "其他")


# Registry organisation types that can hire: bodies with staff and a payroll of their own
# (enterprises, partner units, agencies, schools, street offices and their workstations, youth
# centres, and the start-up bases and bookshops that take on young people). League committees and
# branches, communities and residents' compounds, young pioneers, clubs, sites (阵地) and
# leadership groups are not employers: they collect and pass on job information, they do not hire.
EMPLOYER_TYPES = frozenset(
    {
        "enterprise",
        "resident_unit",
        "government_agency",
        "school",
        "street_office",
        "community_workstation",
        "youth_center",
        "incubator",
        "entrepreneurship_demo_base",
        "bookstore",
    }
)
# Where work is: an administrative area or the league body that covers one.
PLACE_TYPES = frozenset(
    {
        "community",
        "functional_community",
        "village_committee",
        "street_office",
        "league_working_committee",
        "league_district_committee",
        "league_city_committee",
        "league_region_committee",
    }
)
# Whose league organisation collects the posting: a community (or its village counterpart).
COMMUNITY_TYPES = frozenset({"community", "functional_community", "village_committee"})

_TRANSITIONS: dict[tuple[PostingStatus, PostingAction], PostingStatus] = {
    (PostingStatus.DRAFT, PostingAction.SUBMIT): PostingStatus.SUBMITTED,
    (PostingStatus.SUBMITTED, PostingAction.HOLD): PostingStatus.HELD,
    (PostingStatus.SUBMITTED, PostingAction.PUBLISH): PostingStatus.PUBLISHED,
    (PostingStatus.SUBMITTED, PostingAction.REJECT): PostingStatus.REJECTED,
    (PostingStatus.HELD, PostingAction.RELEASE): PostingStatus.SUBMITTED,
    (PostingStatus.HELD, PostingAction.REJECT): PostingStatus.REJECTED,
    (PostingStatus.PUBLISHED, PostingAction.HOLD): PostingStatus.HELD,
    (PostingStatus.PUBLISHED, PostingAction.FILL): PostingStatus.FILLED,
    (PostingStatus.PUBLISHED, PostingAction.EXPIRE): PostingStatus.EXPIRED,
    **{
        (status, PostingAction.WITHDRAW): PostingStatus.WITHDRAWN
        for status in (
            PostingStatus.DRAFT,
            PostingStatus.SUBMITTED,
            PostingStatus.HELD,
            PostingStatus.PUBLISHED,
        )
    },
}

PUBLIC_STATUSES = frozenset({PostingStatus.PUBLISHED, PostingStatus.FILLED, PostingStatus.EXPIRED})
"""What any reader may see: the platform's published postings and how they ended."""
OPEN_STATUSES = frozenset({PostingStatus.SUBMITTED, PostingStatus.HELD, PostingStatus.PUBLISHED})
"""On their way to, or on, the platform: what an employer's deactivation closes."""


def apply_action(status: PostingStatus, action: PostingAction) -> PostingStatus:
    """The status after ``action``; a held posting must be released before it can be published."""
    try:
        return _TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(
            f"“{status.label}”的用工信息不能执行“{action.label}”", field="status"
        ) from None


def check_editable(status: PostingStatus) -> None:
    """Only a draft changes: what was sent up is what the league organisation vouched for."""
    if status is not PostingStatus.DRAFT:
        raise InvalidTransition(f"“{status.label}”的用工信息不能再修改，请撤回后重新起草", field="status")


def check_employer(org_type: str) -> None:
    if org_type not in EMPLOYER_TYPES:
        raise DomainError(
            "not_an_employer", "该组织不是用人单位，不能发布用工信息", field="employer_organization_id"
        )


def check_place(org_type: str) -> None:
    if org_type not in PLACE_TYPES:
        raise DomainError(
            "not_a_place", "工作地点须为社区、街道或区（及其团组织）", field="place_organization_id"
        )


def check_origin(org_type: str) -> None:
    if org_type not in COMMUNITY_TYPES:
        raise DomainError("not_a_community", "报送社区须为社区或村", field="origin_community_id")


def check_pay(pay_min: int | None, pay_max: int | None) -> None:
    if pay_min is not None and pay_max is not None and pay_min > pay_max:
        raise DomainError("pay_range_inverted", "月薪上限不能低于下限", field="pay_max")


def check_kind_details(kind: PostingKind, has_traineeship_details: bool) -> None:
    """A traineeship (就业见习) states its allowance and insurance; no other kind carries them."""
    if kind is PostingKind.TRAINEESHIP and not has_traineeship_details:
        raise DomainError(
            "traineeship_details_required", "就业见习岗位须写明见习补贴和保险", field="traineeship"
        )
    if kind is not PostingKind.TRAINEESHIP and has_traineeship_details:
        raise DomainError(
            "traineeship_details_unexpected", "只有就业见习岗位填写见习补贴和保险", field="traineeship"
        )


def skill_codes(codes: Iterable[str]) -> list[str]:
    """Each skill once, in the order given; lower-case so matching compares like with like."""
    unique = list(dict.fromkeys(code.strip().lower() for code in codes))
    if len(unique) > MAX_SKILLS:
        raise DomainError("too_many_skills", f"技能标签最多{MAX_SKILLS}个", field="skills")
    return unique


def check_expires_on(expires_on: date | None, today: date, max_days: int) -> None:
    """A stated last day must be to come, and within the longest a posting may stay up."""
    if expires_on is None:
        return
    if expires_on < today:
        raise DomainError("expires_on_past", "截止日期不能早于今天", field="expires_on")
    if expires_on > today + timedelta(days=max_days):
        raise DomainError("expires_on_too_late", f"用工信息最长发布{max_days}天", field="expires_on")


def expiry(
    published_at: datetime, expires_on: date | None, zone: tzinfo, default_days: int, max_days: int
) -> datetime:
    """When a posting published now comes down: the end of its last day (local time), else the default.

    Never later than ``max_days`` after publication, however long ago the draft was written.
    """
    if expires_on is None:
        return published_at + timedelta(days=default_days)
    end_of_day = datetime.combine(expires_on + timedelta(days=1), time(), tzinfo=zone)
    if end_of_day <= published_at:
        raise DomainError("expires_on_past", "截止日期已过，请修改后再发布", field="expires_on")
    return min(end_of_day, published_at + timedelta(days=max_days))


def fills(hired: int, headcount: int) -> bool:
    return hired >= headcount


def reported_enough(distinct_reports: int) -> bool:
    return distinct_reports >= REPORTS_TO_HOLD
