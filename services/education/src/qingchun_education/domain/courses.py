"""Courses (课程/班) and their sessions (课次): what is taught, how, to whom, when and where.

A course belongs to a programme and is run by the programme's owner or an organisation under it
(a street's programme, a community's class). It is planned as a draft, scheduled (opened for
enrolment, announced to partners), then completed or cancelled; nothing moves back, so what
was announced stays what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition
from qingchun_plumbing.waitlist import WaitlistPolicy

MAX_CAPACITY = 500
MAX_SESSION_CAPACITY = 5000
MAX_SESSIONS = 400
"""A course meeting weekly for years stays under this; more is a typing mistake."""


class CourseCategory(LabelledEnum):
    """The course catalogue of DOMAIN.md §2.3 and the 市民学校 curriculum, grouped by area."""

    # civic (公民素养)
    PATRIOTISM = ("patriotism", "爱国主义教育")
    LAW = ("law", "法律法规/普法")
    POLICY_CURRENT_AFFAIRS = ("policy_current_affairs", "政策/时事政治")
    CIVILITY = ("civility", "文明礼仪/社会公德")
    FAMILY_ETHICS = ("family_ethics", "家庭伦理道德")
    SCIENCE_DEFENCE = ("science_defence", "科技国防")
    COMMUNITY_BUILDING = ("community_building", "社区建设")
    # health and safety (健康与安全)
    PUBLIC_HEALTH = ("public_health", "公共卫生/环境保护")
    HEALTH_CARE = ("health_care", "卫生保健/医疗保健")
    SAFETY = ("safety", "安全教育")
    TRAFFIC_SAFETY = ("traffic_safety", "交通安全")
    FAMILY_PLANNING = ("family_planning", "计划生育/生殖保健")
    PRENATAL = ("prenatal", "孕期教育")
    MENTAL_HEALTH = ("mental_health", "心理健康")
    MINOR_PROTECTION = ("minor_protection", "未成年人保护/自护")
    # knowledge and skills (知识技能)
    POPULAR_SCIENCE = ("popular_science", "科普知识")
    COMPUTER = ("computer", "计算机/微机")
    FOREIGN_LANGUAGE = ("foreign_language", "外语")
    LIFE_SKILLS = ("life_skills", "生活常识")
    CRAFTS = ("crafts", "手工/编织")
    VOCATIONAL = ("vocational", "实用技能/职业技能")
    HOMEWORK_HELP = ("homework_help", "课业辅导")
    # culture and sport (文体)
    CLASSICS_READING = ("classics_reading", "国学诵读/文学欣赏")
    CALLIGRAPHY_PAINTING = ("calligraphy_painting", "书法绘画")
    MUSIC_DANCE = ("music_dance", "声乐舞蹈")
    PHOTOGRAPHY = ("photography", "摄影/现代通讯")
    SPORTS = ("sports", "体育健身")
    CHESS = ("chess", "棋类")
    # employment (就业)
    REEMPLOYMENT = ("reemployment", "下岗再就业/转岗就业")
    OTHER = ("other", "其他")


class CourseMode(LabelledEnum):
    """How a course is taught (the eight modes of 001 L344)."""

    EXPERT_LECTURE = ("expert_lecture", "专家课堂讲授")
    TOPICAL_TUTORING = ("topical_tutoring", "专题辅导")
    DISCUSSION = ("discussion", "座谈讨论")
    VIDEO = ("video", "播放教学光盘")
    PERFORMANCE = ("performance", "文艺汇演")
    PRACTICE = ("practice", "实践活动")
    GATHERING = ("gathering", "联欢")
    SPEECH_CONTEST = ("speech_contest", "演讲竞赛")


class CourseStatus(LabelledEnum):
    DRAFT = ("draft", "草稿")
    SCHEDULED = ("scheduled", "已排课")
    COMPLETED = ("completed", "已结束")
    CANCELLED = ("cancelled", "已取消")


class CourseAction(LabelledEnum):
    SCHEDULE = ("schedule", "排课发布")
    COMPLETE = ("complete", "结束")
    CANCEL = ("cancel", "取消")


class SessionKind(LabelledEnum):
    TEACHING = ("teaching", "授课")
    LECTURE = ("lecture", "讲座")
    ACTIVITY = ("activity", "活动")


_MOVES: dict[CourseAction, tuple[frozenset[CourseStatus], CourseStatus]] = {
    CourseAction.SCHEDULE: (frozenset({CourseStatus.DRAFT}), CourseStatus.SCHEDULED),
    CourseAction.COMPLETE: (frozenset({CourseStatus.SCHEDULED}), CourseStatus.COMPLETED),
    CourseAction.CANCEL: (frozenset({CourseStatus.DRAFT, CourseStatus.SCHEDULED}), CourseStatus.CANCELLED),
}


def next_status(current: CourseStatus, action: CourseAction) -> CourseStatus:
    """The status ``action`` leads to; a finished course (已结束/已取消) no longer moves."""
    allowed, target = _MOVES[action]
    if current not in allowed:
        raise InvalidTransition(f"{current.label}的课程不能{action.label}", field="status")
    return target


def check_open_for_sessions(status: CourseStatus) -> None:
    """Sessions are added while a course is planned or running, not once it is over."""
    if status not in (CourseStatus.DRAFT, CourseStatus.SCHEDULED):
        raise InvalidTransition(f"{status.label}的课程不能再加课次", field="status")


@dataclass(frozen=True)
class CourseRules:
    """The options of a course that must agree with each other."""

    waitlist_policy: WaitlistPolicy
    offer_window_hours: int | None
    min_age: int | None
    max_age: int | None
    has_exam: bool
    pass_mark: int | None


def check_course(rules: CourseRules) -> None:
    if rules.offer_window_hours is not None and rules.waitlist_policy is not WaitlistPolicy.AUTO_PROMOTE:
        raise DomainError(
            "offer_window_without_auto_promote", "只有自动递补才能设置确认时限", field="offer_window_hours"
        )
    if rules.min_age is not None and rules.max_age is not None and rules.min_age > rules.max_age:
        raise DomainError("age_range_invalid", "最低年龄不能高于最高年龄", field="max_age")
    if rules.has_exam and rules.pass_mark is None:
        raise DomainError("pass_mark_required", "有考试的课程须设及格分", field="pass_mark")
    if not rules.has_exam and rules.pass_mark is not None:
        raise DomainError("pass_mark_without_exam", "没有考试的课程不设及格分", field="pass_mark")


def check_owner_in_programme(programme_owner: str, owner_chain: Sequence[str]) -> None:
    """A course is run by the programme's owner or an organisation under it (``owner_chain``: the
    course owner and its ancestors)."""
    if programme_owner not in owner_chain:
        raise DomainError(
            "owner_outside_programme", "开课单位须是计划主办单位或其下级组织", field="owner_organization_id"
        )


@dataclass(frozen=True)
class SessionTimes:
    starts_at: datetime
    ends_at: datetime


def check_sessions(sessions: Sequence[SessionTimes], existing: int = 0) -> None:
    """Each session ends after it starts, in a known time zone; a course has at most MAX_SESSIONS."""
    if existing + len(sessions) > MAX_SESSIONS:
        raise DomainError("too_many_sessions", f"一门课程最多{MAX_SESSIONS}个课次", field="sessions")
    for position, times in enumerate(sessions):
        if times.starts_at.tzinfo is None or times.ends_at.tzinfo is None:
            raise DomainError("timezone_required", "时间须带时区", field=f"sessions.{position}.starts_at")
        if times.starts_at >= times.ends_at:
            raise DomainError("session_times", "课次的结束须晚于开始", field=f"sessions.{position}.ends_at")
