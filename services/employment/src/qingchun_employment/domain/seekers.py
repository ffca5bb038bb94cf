"""Real-name job seekers (青年求职者): who may register, how a profile moves on, who sees what.

The 青年创业者行动 keeps seekers 实名制 so services, subsidies and loans reach a known person, but a
real name and phone are exactly what must not leak: the seeker and the league staff of their
community see the whole profile, an employer sees it only while the seeker's application there is live.
The status follows the community's own method: 登记 → 评估 (四知四清四掌握) → 服务 → 就业/创业.
Care cases reach employment only as referral tasks, by case id and need codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition

MIN_WORKING_AGE = 16
"""劳动法第十五条: no one under 16 may be employed, so no one under 16 is registered to seek work."""
MAX_PLAUSIBLE_AGE = 100
"""Anyone older is almost surely a typing mistake in the birth year."""
MAX_OWN_SKILLS = 30
MAX_SERVICES = 1000
"""Services live in the profile (one write records a service and moves the status); this bounds it."""
CERTIFIED_PREFIX = "cert:"
"""Skills proven by an education certificate; only the certificate handler adds them."""
_CODE = re.compile(r"^[a-z][a-z0-9_\-]{0,29}$")


class SeekerCategory(LabelledEnum):
    """The kinds of seeker the seeds name (DOMAIN.md §2.4 JobSeekerProfile)."""

    LAID_OFF = ("laid_off", "下岗失业人员")
    HARD_TO_EMPLOY = ("hard_to_employ", "就业困难人员")
    GRADUATE = ("graduate", "大中专毕业生")
    MIGRANT_WORKER = ("migrant_worker", "外出务工青年")
    RETURNEE = ("returnee", "返乡青年")
    RETURNING_STUDENT = ("returning_student", "返乡大学生")
    EXAM_FAILED = ("exam_failed", "落榜生")
    RURAL_YOUTH = ("rural_youth", "农村青年")
    OTHER = ("other", "其他")


class WantedKind(LabelledEnum):
    """The kinds of work a seeker looks for; the same codes as a posting's ``kind``."""

    FULL_TIME = ("full_time", "全职")
    PART_TIME = ("part_time", "兼职")
    PUBLIC_WELFARE = ("public_welfare", "公益性岗位")
    FLEXIBLE = ("flexible", "灵活就业")
    TRAINEESHIP = ("traineeship", "就业见习")
    HOMECOMING_INTERNSHIP = ("homecoming_internship", "大学生返家乡实习")


class SeekerStatus(LabelledEnum):
    REGISTERED = ("registered", "已登记")
    ASSESSED = ("assessed", "已评估")
    SERVICED = ("serviced", "已服务")
    EMPLOYED = ("employed", "已就业")
    STARTED_BUSINESS = ("started_business", "已创业")
    INACTIVE = ("inactive", "不活跃")


class ServiceType(LabelledEnum):
    """Services a seeker receives (DOMAIN.md §2.4 Service record), the 五送 outreach included."""

    SKILLS_TRAINING = ("skills_training", "技能培训")
    JOB_REFERRAL = ("job_referral", "职业介绍")
    INFORMATION = ("information", "信息咨询")
    POLICY_CONSULTING = ("policy_consulting", "政策咨询")
    PROJECT_RECOMMENDATION = ("project_recommendation", "项目推荐")
    POLICY_ASSISTANCE = ("policy_assistance", "政策帮扶")
    STARTUP_FOLLOW_UP = ("startup_follow_up", "创业跟踪指导")
    OUTREACH_POLICY = ("outreach_policy", "送政策")
    OUTREACH_JOBS = ("outreach_jobs", "送岗位")
    OUTREACH_SERVICES = ("outreach_services", "送服务")
    OUTREACH_SKILLS = ("outreach_skills", "送技能")
    OUTREACH_WARMTH = ("outreach_warmth", "送温暖")


class ReferralNeed(LabelledEnum):
    """The care-case needs employment acts on; education's measure codes, plus the generic one."""

    SKILLS_TRAINING = ("skills_training", "技能培训")
    CAREER_GUIDANCE = ("career_guidance", "职业指导")
    JOB_GUIDANCE = ("job_guidance", "就业指导")


class ReferralStatus(LabelledEnum):
    OPEN = ("open", "待处理")
    DONE = ("done", "已处理")


# registration -----------------------------------------------------------------------------------
RESIDENCE_TYPES = frozenset(
    {"community", "village_committee", "residential_compound", "functional_community"}
)
"""Where a seeker can live: the units whose league staff serve residents (社区, 村, 小区)."""


def check_residence(org_type: str | None) -> None:
    if org_type not in RESIDENCE_TYPES:
        raise DomainError("not_a_community", "居住地须为社区、村或小区", field="residence_community_id")


def check_birth_year(birth_year: int, this_year: int) -> None:
    """Only the year is kept, so the age is the one reached this year: 16 this year may register."""
    age = this_year - birth_year
    if age < 0:
        raise DomainError("birth_year_in_future", "出生年份不能晚于今年", field="birth_year")
    if age < MIN_WORKING_AGE:
        raise DomainError(
            "under_working_age",
            f"未满{MIN_WORKING_AGE}周岁（法定最低就业年龄）不能登记求职",
            field="birth_year",
        )
    if age > MAX_PLAUSIBLE_AGE:
        raise DomainError(
            "birth_year_implausible", f"出生年份不合理：年龄超过{MAX_PLAUSIBLE_AGE}岁", field="birth_year"
        )


def distinct(codes: Iterable[str]) -> list[str]:
    """Codes in the order given, each once: listing a skill twice does not make it count twice."""
    return list(dict.fromkeys(codes))


def own_skills(given: Sequence[str]) -> list[str]:
    """Skills the seeker states; the certified ones are not theirs to claim."""
    for position, skill in enumerate(given):
        if skill.startswith(CERTIFIED_PREFIX) or not _CODE.match(skill):
            raise DomainError(
                "skill_code_invalid", "技能须为小写代码（证书技能由系统添加）", field=f"skills.{position}"
            )
    skills = distinct(given)
    if len(skills) > MAX_OWN_SKILLS:
        raise DomainError("too_many_skills", f"最多填写{MAX_OWN_SKILLS}项技能", field="skills")
    return skills


def with_own_skills(current: Iterable[str], given: Sequence[str]) -> list[str]:
    """The seeker's new own skills, with every certified skill kept: editing cannot drop a certificate."""
    certified = [s for s in current if s.startswith(CERTIFIED_PREFIX)]
    return distinct([*own_skills(given), *certified])


def certified_skill(category: str | None) -> str | None:
    """The skill a certificate of this course category proves, if the category is a code at all."""
    if category is None or not _CODE.match(category):
        return None
    return f"{CERTIFIED_PREFIX}{category}"


# status -----------------------------------------------------------------------------------------
def assessed(status: SeekerStatus) -> SeekerStatus:
    """The intake (四知四清四掌握) happens once, on a newly registered seeker."""
    if status is not SeekerStatus.REGISTERED:
        raise InvalidTransition("只有已登记（未评估）的求职者可以评估", field="status")
    return SeekerStatus.ASSESSED


_KEEPS_STATUS_ON_SERVICE = frozenset(
    {SeekerStatus.SERVICED, SeekerStatus.EMPLOYED, SeekerStatus.STARTED_BUSINESS}
)


def after_service(status: SeekerStatus) -> SeekerStatus:
    """The first service after the intake makes a seeker serviced; follow-up after a job or a start-up
    (创业跟踪指导) is still service and changes nothing."""
    if status is SeekerStatus.ASSESSED:
        return SeekerStatus.SERVICED
    if status in _KEEPS_STATUS_ON_SERVICE:
        return status
    if status is SeekerStatus.REGISTERED:
        raise InvalidTransition("须先评估（四知四清四掌握）再记录服务", field="status")
    raise InvalidTransition("不活跃的求职者须先恢复再记录服务", field="status")


def deactivated(status: SeekerStatus) -> SeekerStatus:
    if status is not SeekerStatus.SERVICED:
        raise InvalidTransition("只有已服务的求职者可以设为不活跃", field="status")
    return SeekerStatus.INACTIVE


def reactivated(status: SeekerStatus) -> SeekerStatus:
    if status is not SeekerStatus.INACTIVE:
        raise InvalidTransition("只有不活跃的求职者可以恢复", field="status")
    return SeekerStatus.SERVICED


def check_service(day: date, today: date, recorded: int) -> None:
    if day > today:
        raise DomainError("service_date_in_future", "服务日期不能晚于今天", field="date")
    if recorded >= MAX_SERVICES:
        raise DomainError("service_history_full", f"每位求职者最多记录{MAX_SERVICES}条服务", field="type")


# who sees what ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Visibility:
    """``full``: the whole profile (category, consent, intake, services); ``contact``: name and phone."""

    full: bool
    contact: bool


def visibility(*, own: bool, league_over_residence: bool, live_with_employer: bool) -> Visibility | None:
    """The seeker and their community's league staff see all. An employer's admin sees the candidate
    facts and the contact only while the seeker has a live application there (made by the seeker or
    an accepted referral: the seeker's own choice to share), and nothing once it was withdrawn or
    turned down. Anyone else, another employer and another seeker included, sees nothing."""
    if own or league_over_residence:
        return Visibility(full=True, contact=True)
    if live_with_employer:
        return Visibility(full=False, contact=True)
    return None


# referral tasks from care cases -----------------------------------------------------------------
def referral_needs(consented: bool, need_codes: Iterable[str]) -> list[ReferralNeed]:
    """The needs employment takes up: none unless the youth agreed to a referral (only those codes are
    kept, so nothing else about the case is copied here)."""
    if not consented:
        return []
    known = {need.value: need for need in ReferralNeed}
    return [known[code] for code in distinct(need_codes) if code in known]


def check_task_open(status: ReferralStatus) -> None:
    if status is not ReferralStatus.OPEN:
        raise InvalidTransition("该转介任务已处理", field="status")
