"""Activities (志愿服务活动) and their shifts: what is done, when, and for how many volunteers.

An activity is planned (月月有主题), published to the WeChat group, run, completed, then verified
by its host and reported upward with photos. Each step rests on the one before, so the report
that leaves the community describes something that really happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition

MAX_SHIFT_HOURS = 24
MAX_CAPACITY = 10_000
MAX_AGE_LIMIT = 120


class ActivityCategory(LabelledEnum):
    """What an activity is about, as the seeds' monthly reports name it."""

    NUCLEIC_ACID_ORDER = ("nucleic_acid_order", "核酸采集秩序维护")
    EPIDEMIC_PUBLICITY = ("epidemic_publicity", "防疫宣传")
    EPIDEMIC_SCREENING = ("epidemic_screening", "疫情防控社区信息筛查")
    ENVIRONMENT = ("environment", "社区环境卫生")
    SAFETY_QUALITY = ("safety_quality", "安全生产品质提升")
    EXAM_SUPPORT = ("exam_support", "爱心助考暖心护考")
    HOMETOWN_PRACTICE = ("hometown_practice", "“大学生返家乡”主题实践")
    COLOURFUL_HOLIDAY = ("colourful_holiday", "七彩假期志愿服务")
    CIVILISED_CITY = ("civilised_city", "创建文明城市")
    WASTE_SORTING = ("waste_sorting", "垃圾分类")
    LEARN_FROM_LEIFENG = ("learn_from_leifeng", "“3·5”学雷锋")
    ANTI_FRAUD = ("anti_fraud", "反诈宣传进社区")
    GAS_SAFETY = ("gas_safety", "燃气安全隐患排查")
    MEDIATION = ("mediation", "邻里矛盾纠纷调解")
    ANTI_DRUG = ("anti_drug", "禁毒反邪宣传")
    GRID_GOVERNANCE = ("grid_governance", "网格化治理")
    SANITATION = ("sanitation", "环境卫生整治")
    DONATION = ("donation", "爱心捐助")
    POVERTY_RELIEF = ("poverty_relief", "扶贫助困")
    POLICY_OUTREACH = ("policy_outreach", "政策宣讲")
    LEGAL_AID = ("legal_aid", "法律维权")
    INFORMATION = ("information", "信息咨询")
    SCIENCE_OUTREACH = ("science_outreach", "科普宣传")
    CULTURE_EDUCATION = ("culture_education", "文化教育")
    OTHER = ("other", "其他")


class ActivityStatus(LabelledEnum):
    """Where an activity stands between planning and the report sent upward."""

    PLANNED = ("planned", "计划中")
    PUBLISHED = ("published", "已发布")
    IN_PROGRESS = ("in_progress", "进行中")
    COMPLETED = ("completed", "已完成")
    VERIFIED = ("verified", "已认定")
    REPORTED = ("reported", "已报送")
    CANCELLED = ("cancelled", "已取消")


class ActivityAction(LabelledEnum):
    """What organisers can do to an activity."""

    PUBLISH = ("publish", "发布")
    START = ("start", "开始")
    COMPLETE = ("complete", "完成")
    VERIFY = ("verify", "认定")
    REPORT = ("report", "报送")
    CANCEL = ("cancel", "取消")


_TRANSITIONS: dict[tuple[ActivityStatus, ActivityAction], ActivityStatus] = {
    (ActivityStatus.PLANNED, ActivityAction.PUBLISH): ActivityStatus.PUBLISHED,
    (ActivityStatus.PUBLISHED, ActivityAction.START): ActivityStatus.IN_PROGRESS,
    (ActivityStatus.IN_PROGRESS, ActivityAction.COMPLETE): ActivityStatus.COMPLETED,
    (ActivityStatus.COMPLETED, ActivityAction.VERIFY): ActivityStatus.VERIFIED,
    (ActivityStatus.VERIFIED, ActivityAction.REPORT): ActivityStatus.REPORTED,
    (ActivityStatus.PLANNED, ActivityAction.CANCEL): ActivityStatus.CANCELLED,
    (ActivityStatus.PUBLISHED, ActivityAction.CANCEL): ActivityStatus.CANCELLED,
}


def apply_action(status: ActivityStatus, action: ActivityAction) -> ActivityStatus:
    """The status after ``action``; once running, an activity can no longer be cancelled, only finished."""
    try:
        return _TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(f"“{status.label}”的活动不能执行“{action.label}”", field="action") from None


def accepts_signups(status: ActivityStatus) -> bool:
    """Volunteers may join once the activity is published and until it is over (late joiners help too)."""
    return status in (ActivityStatus.PUBLISHED, ActivityStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Shift:
    """One session (场次) of an activity with its own places and limits; datetimes are timezone-aware."""

    starts_at: datetime
    ends_at: datetime
    capacity: int
    min_age: int | None = None
    max_age: int | None = None
    family_only: bool = False
    required_skills: tuple[str, ...] = ()


def _is_naive(moment: datetime) -> bool:
    return moment.tzinfo is None or moment.utcoffset() is None


def _age_ok(age: int | None) -> bool:
    return age is None or 0 <= age <= MAX_AGE_LIMIT


def validate_shift(shift: Shift) -> None:
    """Reject shifts that cannot be real; durations are measured in UTC so a DST change cannot hide hours."""
    if _is_naive(shift.starts_at) or _is_naive(shift.ends_at):
        raise DomainError("naive_datetime", "开始和结束时间须带时区", field="starts_at")
    length = shift.ends_at.astimezone(UTC) - shift.starts_at.astimezone(UTC)
    if length <= timedelta(0):
        raise DomainError("shift_times", "结束时间须晚于开始时间", field="ends_at")
    if length > timedelta(hours=MAX_SHIFT_HOURS):
        raise DomainError("shift_too_long", f"单个场次不能超过{MAX_SHIFT_HOURS}小时", field="ends_at")
    if not 1 <= shift.capacity <= MAX_CAPACITY:
        raise DomainError("capacity_out_of_range", f"名额须在1至{MAX_CAPACITY}之间", field="capacity")
    if not (_age_ok(shift.min_age) and _age_ok(shift.max_age)) or (
        shift.min_age is not None and shift.max_age is not None and shift.min_age > shift.max_age
    ):
        raise DomainError(
            "age_limits_invalid", f"年龄限制须在0至{MAX_AGE_LIMIT}岁之间且下限不高于上限", field="min_age"
        )
