"""Care files (帮教档案): who a case is about, what help it gets, and how it moves to its outcome.

The seeds run at-risk work as 调查摸底 → 建档建册 → 逐人落实到救助单位和救助人 → 帮教 → 改好 /
重返校园 / 完成学业 / 就业 → 结案, and measure 改好率 and 重新犯罪率 (DOMAIN.md §1.2, §2.3). A
reoffence is a flag, not a terminal state: the case goes back to 帮教中 and keeps counting as
reoffended, so the reoffending rate cannot be washed out by a later good outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition

MAX_HELPERS = 20
MAX_ESCALATIONS = 50
MAX_AGE_YEARS = 35


class CareCategory(LabelledEnum):
    """The 17 kinds of youth needing special care the seeds list (DOMAIN.md §1.2); never in events."""

    SINGLE_PARENT = ("single_parent", "单亲")
    IDLE = ("idle", "闲散")
    POOR = ("poor", "贫困")
    MISCONDUCT_RECORD = ("misconduct_record", "有劣迹")
    RELEASED = ("released", "释解")
    DROPPED_OUT = ("dropped_out", "辍学")
    OUT_OF_SCHOOL = ("out_of_school", "失学")
    LEARNING_DIFFICULTY = ("learning_difficulty", "学习困难")
    EXTREMELY_POOR = ("extremely_poor", "特困")
    LEFT_SCHOOL = ("left_school", "流失")
    FAILED_ENTRANCE_EXAM = ("failed_entrance_exam", "落榜")
    ORPHANED = ("orphaned", "孤困")
    DIVORCED_PARENTS = ("divorced_parents", "离异家庭")
    LEFT_BEHIND = ("left_behind", "留守")
    DISABLED = ("disabled", "残疾")
    SERIOUS_MISBEHAVIOUR = ("serious_misbehaviour", "严重不良行为")
    RELEASED_FROM_REEDUCATION = ("released_from_reeducation", "两放")


DROPOUT_CATEGORIES = frozenset({CareCategory.DROPPED_OUT, CareCategory.OUT_OF_SCHOOL})
"""What the dropout share (辍学率 in the seeds' sense) counts."""


class SchoolingStatus(LabelledEnum):
    IN_SCHOOL = ("in_school", "在校")
    DROPPED_OUT = ("dropped_out", "辍学")
    SUSPENDED = ("suspended", "休学")
    GRADUATED = ("graduated", "已毕业")
    NOT_ENROLLED = ("not_enrolled", "未入学")


class EmploymentStatus(LabelledEnum):
    NOT_APPLICABLE = ("not_applicable", "未到就业年龄")
    STUDYING = ("studying", "在读")
    EMPLOYED = ("employed", "就业")
    UNEMPLOYED = ("unemployed", "失业/待业")
    IN_TRAINING = ("in_training", "参加培训")


class CareMeasure(LabelledEnum):
    """The help a case gets; its codes are the ``need_codes`` other services see (DOMAIN.md §2.3)."""

    SCHOOL_AID = ("school_aid", "助学")
    PAIRING = ("pairing", "一助一/多助一结对")
    PSYCHOLOGICAL_EDUCATION = ("psychological_education", "心理教育")
    LAW_EDUCATION = ("law_education", "法制教育")
    SKILLS_TRAINING = ("skills_training", "技能培训")
    CAREER_GUIDANCE = ("career_guidance", "职业指导")
    SURROGATE_PARENT = ("surrogate_parent", "聘请家长")
    PARENT_SCHOOL = ("parent_school", "家长学校")


class Gender(LabelledEnum):
    FEMALE = ("female", "女")
    MALE = ("male", "男")


class GuardianRelation(LabelledEnum):
    FATHER = ("father", "父亲")
    MOTHER = ("mother", "母亲")
    GRANDPARENT = ("grandparent", "祖父母/外祖父母")
    OTHER_RELATIVE = ("other_relative", "其他亲属")
    SURROGATE_PARENT = ("surrogate_parent", "聘请家长")
    OTHER = ("other", "其他监护人")


class VisitKind(LabelledEnum):
    HOME_VISIT = ("home_visit", "到户走访")
    TALK = ("talk", "谈心谈话")
    PHONE_CALL = ("phone_call", "电话联系")
    TUTORING = ("tutoring", "课业辅导")
    SCHOOL_VISIT = ("school_visit", "到校了解")
    PAIRING_VISIT = ("pairing_visit", "结对走访(志愿服务记录)")
    OTHER = ("other", "其他")


class EscalationTarget(LabelledEnum):
    """Whom a case is reported to (DOMAIN.md §1.2: 教唆、胁迫、引诱 and crimes are reported)."""

    POLICE = ("police", "公安机关")
    PROCURATORATE = ("procuratorate", "检察院")
    COURT = ("court", "法院")
    JUSTICE_BUREAU = ("justice_bureau", "司法局/司法所")


class EscalationReason(LabelledEnum):
    INCITEMENT = ("incitement", "教唆、胁迫、引诱未成年人违法犯罪")
    DELINQUENT_GANG = ("delinquent_gang", "不良团伙")
    CRIME_SUSPECTED = ("crime_suspected", "发现违法犯罪行为")
    GUARDIANSHIP_FAILURE = ("guardianship_failure", "监护缺失或侵害")
    SAFETY_RISK = ("safety_risk", "人身安全风险")
    OTHER = ("other", "其他")


class CaseStatus(LabelledEnum):
    IDENTIFIED = ("identified", "调查摸底")
    FILED = ("filed", "建档")
    ASSIGNED = ("assigned", "逐人落实")
    UNDER_HELP = ("under_help", "帮教中")
    IMPROVED = ("improved", "改好")
    RETURNED_TO_SCHOOL = ("returned_to_school", "重返校园")
    COMPLETED_STUDIES = ("completed_studies", "完成学业")
    EMPLOYED = ("employed", "就业")
    CLOSED = ("closed", "结案")


OUTCOMES = frozenset(
    {CaseStatus.IMPROVED, CaseStatus.RETURNED_TO_SCHOOL, CaseStatus.COMPLETED_STUDIES, CaseStatus.EMPLOYED}
)


class CaseAction(LabelledEnum):
    FILE = ("file", "建档")
    ASSIGN = ("assign", "逐人落实")
    START_HELP = ("start_help", "开始帮教")
    IMPROVE = ("improve", "认定改好")
    RETURN_TO_SCHOOL = ("return_to_school", "认定重返校园")
    COMPLETE_STUDIES = ("complete_studies", "认定完成学业")
    EMPLOY = ("employ", "认定就业")
    REOFFEND = ("reoffend", "登记重新犯罪")
    CLOSE = ("close", "结案")


_OUTCOME_OF = {
    CaseAction.IMPROVE: CaseStatus.IMPROVED,
    CaseAction.RETURN_TO_SCHOOL: CaseStatus.RETURNED_TO_SCHOOL,
    CaseAction.COMPLETE_STUDIES: CaseStatus.COMPLETED_STUDIES,
    CaseAction.EMPLOY: CaseStatus.EMPLOYED,
}
_STEPS = {
    (CaseStatus.IDENTIFIED, CaseAction.FILE): CaseStatus.FILED,
    (CaseStatus.FILED, CaseAction.ASSIGN): CaseStatus.ASSIGNED,
    (CaseStatus.ASSIGNED, CaseAction.START_HELP): CaseStatus.UNDER_HELP,
}
PUBLISHING = frozenset({*_OUTCOME_OF, CaseAction.REOFFEND, CaseAction.CLOSE})
"""Actions whose result other services hear of (``CareCaseOutcomeChanged``)."""


def next_status(status: CaseStatus, action: CaseAction) -> CaseStatus:
    """Where ``action`` takes a case in ``status``; an outcome may be revised to another outcome."""
    if (status, action) in _STEPS:
        return _STEPS[(status, action)]
    helped = status is CaseStatus.UNDER_HELP or status in OUTCOMES
    if action in _OUTCOME_OF and helped and _OUTCOME_OF[action] is not status:
        return _OUTCOME_OF[action]
    if action is CaseAction.REOFFEND and helped:
        return CaseStatus.UNDER_HELP
    if action is CaseAction.CLOSE and status in OUTCOMES:
        return CaseStatus.CLOSED
    raise InvalidTransition(f"“{status.label}”的档案不能“{action.label}”", field="action")


def check_preconditions(action: CaseAction, responsible_person: str | None, helper_count: int) -> None:
    """逐人落实 names the 专人 first; 帮教 starts only once someone helps."""
    if action is CaseAction.ASSIGN and responsible_person is None:
        raise InvalidTransition("逐人落实前须先指定专人负责", field="responsible_person_subject_id")
    if action is CaseAction.START_HELP and helper_count == 0:
        raise InvalidTransition("开始帮教前须至少落实一名帮教人", field="helpers")


def outcome_after(status: CaseStatus, previous: str | None) -> str | None:
    """The outcome a case keeps: set by an outcome, kept through closing, cleared by a reoffence."""
    if status in OUTCOMES:
        return status.value
    return previous if status is CaseStatus.CLOSED else None


def check_open(status: CaseStatus) -> None:
    """A closed case is history: no visits, helpers or edits change it."""
    if status is CaseStatus.CLOSED:
        raise InvalidTransition("已结案的档案不能再变更", field="status")


def check_birth_date(born: date, today: date) -> None:
    """A youth's birth date: not in the future, not beyond the age the league works with."""
    if born > today or (today.year - born.year) > MAX_AGE_YEARS:
        raise DomainError(
            "birth_date_out_of_range",
            f"出生日期须在今天之前且年龄不超过{MAX_AGE_YEARS}岁",
            "youth.birth_date",
        )


def check_not_future(day: date, today: date, field: str) -> None:
    if day > today:
        raise DomainError("date_in_future", "日期不能晚于今天", field)


def check_unique(values: Sequence[str], field: str) -> None:
    seen: set[str] = set()
    for position, value in enumerate(values):
        if value in seen:
            raise DomainError("duplicate_value", "同一项不能重复列出", f"{field}.{position}")
        seen.add(value)


def check_helper_room(current: int, adding: int) -> None:
    if current + adding > MAX_HELPERS:
        raise DomainError("too_many_helpers", f"一份档案最多落实{MAX_HELPERS}名帮教人", "subject_id")


def check_escalation_room(current: int) -> None:
    if current >= MAX_ESCALATIONS:
        raise DomainError("too_many_escalations", f"一份档案最多记录{MAX_ESCALATIONS}次移送", "to")
