"""Learners (学员): a person who studies, on their own account or on a guardian's family account.

Young children (亲子诵读, 七彩假期) have no account of their own: a guardian registers them and acts
for them. What a learner may do alone depends on their age band on the day, so only the birth
date is kept and the band is worked out when needed.
"""

from __future__ import annotations

from datetime import date

from qingchun_plumbing.ages import AgeBand, age_on, band
from qingchun_plumbing.rules import DomainError

MAX_AGE = 120
"""Anyone older is a typing mistake in the birth year."""


def check_birth_date(birth: date, today: date) -> None:
    """Catch typing mistakes before they decide what a learner may do."""
    if birth > today:
        raise DomainError("birth_date_in_future", "出生日期不能晚于今天", field="birth_date")
    if age_on(birth, today) > MAX_AGE:
        raise DomainError(
            "birth_date_implausible", f"出生日期不合理：年龄超过{MAX_AGE}岁", field="birth_date"
        )


def learner_band(birth: date, today: date, consent_from_age: int, adult_from_age: int) -> AgeBand:
    return band(age_on(birth, today), consent_from_age, adult_from_age)


def needs_consent(age_band: AgeBand) -> bool:
    """Under the adult age, a guardian's recorded consent is needed before enrolling (DESIGN.md §4)."""
    return age_band is not AgeBand.ADULT


def holders(
    caller: str, for_child: bool, child_subject_id: str | None, guardian_subject_id: str | None
) -> tuple[str | None, list[str]]:
    """Whose account the learner is (``subject_id``) and who are their guardians.

    Registering yourself: the account is yours, a guardian optional (a teenager names one so they
    can consent). Registering a child: the child sits on your family account, their own account
    optional; you are the guardian.
    """
    if for_child:
        if guardian_subject_id is not None:
            raise DomainError("guardian_implied", "为孩子登记时登记人即监护人", field="guardian_subject_id")
        if child_subject_id == caller:
            raise DomainError(
                "guardian_invalid", "孩子的账号不能是监护人自己的账号", field="child_subject_id"
            )
        return child_subject_id, [caller]
    if child_subject_id is not None:
        raise DomainError(
            "child_account_unexpected", "仅为孩子登记时可填写孩子账号", field="child_subject_id"
        )
    if guardian_subject_id == caller:
        raise DomainError("guardian_invalid", "学员不能是自己的监护人", field="guardian_subject_id")
    return caller, [] if guardian_subject_id is None else [guardian_subject_id]
