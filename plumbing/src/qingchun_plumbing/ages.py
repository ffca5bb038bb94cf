"""Age bands (儿童, 未成年人, 成年人): what a person's age lets them do on their own.

Volunteering and education apply one rule: below the consent age a guardian acts for the child,
below the adult age a guardian's recorded consent is needed, from it a person decides alone. The
thresholds are policy (settings), so a district can set its own; the rule lives here once. Pure
Python, so domain modules may use it.
"""

from __future__ import annotations

from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError


class AgeBand(LabelledEnum):
    CHILD = ("child", "儿童")
    MINOR = ("minor", "未成年人")
    ADULT = ("adult", "成年人")


def age_on(birth: date, day: date) -> int:
    """Full years on ``day``; a 29 Feb birthday counts on 1 Mar in common years, never a day early."""
    if day < birth:
        raise DomainError("birth_date_in_future", "出生日期晚于计算日期", field="birth_date")
    not_yet = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - not_yet


def band(age: int, consent_from_age: int, adult_from_age: int) -> AgeBand:
    """Below ``consent_from_age`` a child, below ``adult_from_age`` a minor, else an adult."""
    if not 0 < consent_from_age < adult_from_age:
        raise DomainError(
            "age_policy_invalid", "年龄阈值须满足 0 < 需同意年龄 < 成年年龄", field="consent_from_age"
        )
    if age < consent_from_age:
        return AgeBand.CHILD
    if age < adult_from_age:
        return AgeBand.MINOR
    return AgeBand.ADULT
