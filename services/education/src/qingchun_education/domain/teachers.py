"""The teacher pool (社区教育师资库): who may teach, and what training makes them qualified.

Teachers come from schools, colleges and the retired (教师、在校学生、离退休人员), or volunteer
through the volunteering service; those are candidates until staff confirm them. A teacher is
qualified once all five required trainings are recorded, and rotation (轮换) takes teachers out of
and back into service without losing their record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition


class TeacherSource(LabelledEnum):
    VOLUNTEER = ("volunteer", "社区教育志愿者")
    TEACHER = ("teacher", "教师")
    STUDENT = ("student", "在校学生")
    RETIREE = ("retiree", "离退休人员")


class Engagement(LabelledEnum):
    FULL_TIME = ("full_time", "专职")
    PART_TIME = ("part_time", "兼职")
    VOLUNTEER = ("volunteer", "志愿")


class TeacherStatus(LabelledEnum):
    CANDIDATE = ("candidate", "候选")
    ACTIVE = ("active", "在岗")
    INACTIVE = ("inactive", "轮换停用")


class TrainingTopic(LabelledEnum):
    """The five trainings every community-education teacher takes (DOMAIN.md §2.3 TeacherPool)."""

    POLICY_AND_LAW = ("policy_and_law", "政策法规")
    PROFESSIONAL_ETHICS = ("professional_ethics", "职业道德")
    LIFELONG_LEARNING_THEORY = ("lifelong_learning_theory", "社区教育和终身教育理论")
    SUBJECT_KNOWLEDGE = ("subject_knowledge", "专业知识")
    SOCIAL_WORK = ("social_work", "社会工作知识")


# Which status each action moves from, and to.
_MOVES = {
    "confirm": (TeacherStatus.CANDIDATE, TeacherStatus.ACTIVE),
    "deactivate": (TeacherStatus.ACTIVE, TeacherStatus.INACTIVE),
    "reactivate": (TeacherStatus.INACTIVE, TeacherStatus.ACTIVE),
}
_REFUSALS = {
    "confirm": "只有候选教师需要确认",
    "deactivate": "只有在岗教师可以轮换停用",
    "reactivate": "只有已停用的教师可以重新启用",
}


def next_status(current: TeacherStatus, action: str) -> TeacherStatus:
    source, target = _MOVES[action]
    if current is not source:
        raise InvalidTransition(_REFUSALS[action], field="status")
    return target


def missing_trainings(done: Iterable[str]) -> list[TrainingTopic]:
    recorded = set(done)
    return [topic for topic in TrainingTopic if topic.value not in recorded]


def is_qualified(done: Iterable[str]) -> bool:
    return not missing_trainings(done)


def check_training_date(completed_on: date, today: date) -> None:
    """A training is recorded once it happened: a date ahead of today is a typing error."""
    if completed_on > today:
        raise DomainError("training_in_future", "培训完成日期不能晚于今天", field="completed_on")
