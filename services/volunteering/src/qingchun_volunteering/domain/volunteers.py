"""Volunteers: who they are (志愿者类型) and what their age allows them to do.

Age matters because communities put children and teenagers to work on holiday projects
(七彩假期, 雏鹰假日小队): a child serves only beside a guardian, a minor only with a guardian's
consent. The thresholds are a policy, not a constant, so a district can set its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError

MAX_PLAUSIBLE_AGE = 100
"""Anyone older is almost surely a typing mistake in the birth year."""


class VolunteerType(LabelledEnum):
    """The kinds of volunteer the seeds name; a volunteer's type decides which teams recruit them."""

    YOUTH = ("youth", "青年志愿者")
    LEAGUE_MEMBER = ("league_member", "团员志愿者")
    RETURNING_STUDENT = ("returning_student", "返乡大学生")
    YOUNG_OWNER = ("young_owner", "青年业主")
    PARTY_MEMBER = ("party_member", "在职党员/机关党员")
    FIVE_ELDERS = ("five_elders", "五老")
    COMMUNITY_EDUCATION = ("community_education", "社区教育志愿者")
    HEALTH_EDUCATION = ("health_education", "健康教育志愿者")
    LEGAL_PUBLICITY = ("legal_publicity", "法制宣传志愿者")
    CLEAN_GOVERNMENT = ("clean_government", "廉政文化宣传志愿者")
    CITY_MANAGEMENT = ("city_management", "城管义工")
    UNIVERSITY_STUDENT = ("university_student", "大学生")


class AgeBand(LabelledEnum):
    """What a volunteer's age permits; the label says the condition so staff need not look it up."""

    CHILD = ("child", "儿童(须监护人陪同)")
    MINOR = ("minor", "未成年人(须监护人同意)")
    ADULT = ("adult", "成年人")


@dataclass(frozen=True)
class AgePolicy:
    """Age thresholds: below ``consent_from`` a child, below ``adult_from`` a minor, else an adult."""

    consent_from: int = 14
    adult_from: int = 18

    def validate(self) -> None:
        """Both thresholds must be youth ages in order; anything else would misfile whole age groups."""
        if self.consent_from <= 0:
            raise DomainError("age_policy_invalid", "需监护人同意的起始年龄须大于0", field="consent_from")
        if not self.consent_from < self.adult_from <= 25:
            raise DomainError(
                "age_policy_invalid",
                f"成年年龄须大于{self.consent_from}且不超过25岁",
                field="adult_from",
            )


def age_on(birth: date, on: date) -> int:
    """Full years on ``on``; a 29 Feb birthday counts on 1 Mar in common years, never a day early."""
    if on < birth:
        raise DomainError("birth_date_in_future", "出生日期晚于计算日期", field="birth_date")
    not_yet = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - not_yet


def age_band(birth: date, on: date, policy: AgePolicy) -> AgeBand:
    """The band on the day of service, not the day of sign-up: a volunteer may come of age in between."""
    policy.validate()
    age = age_on(birth, on)
    if age < policy.consent_from:
        return AgeBand.CHILD
    if age < policy.adult_from:
        return AgeBand.MINOR
    return AgeBand.ADULT


def check_birth_date(birth: date, today: date) -> None:
    """Catch typing mistakes in the birth date before they decide what a volunteer may do."""
    if birth > today:
        raise DomainError("birth_date_in_future", "出生日期不能晚于今天", field="birth_date")
    if age_on(birth, today) > MAX_PLAUSIBLE_AGE:
        raise DomainError(
            "birth_date_implausible", f"出生日期不合理：年龄超过{MAX_PLAUSIBLE_AGE}岁", field="birth_date"
        )


@dataclass(frozen=True)
class Consent:
    """A guardian's recorded consent (监护人同意); who gave it and when, so it can be shown on request."""

    guardian_subject_id: str
    recorded_on: date


def needs_consent(band: AgeBand) -> bool:
    """Children and minors serve only with a guardian's consent on record."""
    return band in (AgeBand.CHILD, AgeBand.MINOR)


@dataclass(frozen=True)
class Availability:
    """A weekly window the volunteer offers (服务时间), in local time; weekday 1 is Monday, 7 Sunday."""

    weekday: int
    starts: time
    ends: time


def check_availability(windows: list[Availability]) -> None:
    """Windows must be real and must not repeat; matching compares them with shift times."""
    seen: set[Availability] = set()
    for position, window in enumerate(windows):
        if not 1 <= window.weekday <= 7:
            raise DomainError(
                "weekday_invalid", "星期须在1（周一）至7（周日）之间", field=f"availability.{position}"
            )
        if window.starts >= window.ends:
            raise DomainError(
                "availability_times", "服务时间的结束须晚于开始", field=f"availability.{position}.ends"
            )
        if window in seen:
            raise DomainError("availability_repeated", "服务时间重复", field=f"availability.{position}")
        seen.add(window)
