"""The job-seeker rules: who may register, how a profile moves on, who sees what, which care needs refer."""

from __future__ import annotations

from datetime import date

import pytest

from qingchun_employment.domain.seekers import (
    MAX_OWN_SKILLS,
    MAX_SERVICES,
    ReferralNeed,
    ReferralStatus,
    SeekerStatus,
    Visibility,
    after_service,
    assessed,
    certified_skill,
    check_birth_year,
    check_residence,
    check_service,
    check_task_open,
    deactivated,
    distinct,
    own_skills,
    reactivated,
    referral_needs,
    visibility,
    with_own_skills,
)
from qingchun_plumbing.rules import DomainError, InvalidTransition

S = SeekerStatus


# registration -----------------------------------------------------------------------------------
@pytest.mark.parametrize("birth_year", [2010, 1926])
def test_working_age_is_reached_in_the_calendar_year(birth_year: int) -> None:
    check_birth_year(birth_year, 2026)  # 16 this year, and 100 this year, both register


@pytest.mark.parametrize(
    ("birth_year", "code"),
    [
        (2011, "under_working_age"),
        (2026, "under_working_age"),
        (2027, "birth_year_in_future"),
        (1925, "birth_year_implausible"),
    ],
)
def test_birth_years_refused(birth_year: int, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_birth_year(birth_year, 2026)
    assert (refused.value.code, refused.value.field) == (code, "birth_year")


@pytest.mark.parametrize("org_type", ["community", "village_committee", "residential_compound"])
def test_people_live_in_communities_villages_and_compounds(org_type: str) -> None:
    check_residence(org_type)


@pytest.mark.parametrize("org_type", ["enterprise", "league_city_committee", "school", None])
def test_a_residence_is_not_an_employer_or_a_committee(org_type: str | None) -> None:
    with pytest.raises(DomainError) as refused:
        check_residence(org_type)
    assert (refused.value.code, refused.value.field) == ("not_a_community", "residence_community_id")


def test_codes_are_kept_once_in_the_order_given() -> None:
    assert distinct(["sewing", "driving", "sewing", "cooking"]) == ["sewing", "driving", "cooking"]


def test_own_skills_are_deduplicated() -> None:
    assert own_skills(["sewing", "e-commerce", "sewing"]) == ["sewing", "e-commerce"]


@pytest.mark.parametrize("skill", ["cert:vocational_skills", "Sewing", "缝纫", "1st_aid"])
def test_a_seeker_cannot_claim_a_certified_or_malformed_skill(skill: str) -> None:
    with pytest.raises(DomainError) as refused:
        own_skills(["cooking", skill])
    assert (refused.value.code, refused.value.field) == ("skill_code_invalid", "skills.1")


def test_at_most_thirty_own_skills() -> None:
    own_skills([f"skill_{i}" for i in range(MAX_OWN_SKILLS)])
    with pytest.raises(DomainError) as refused:
        own_skills([f"skill_{i}" for i in range(MAX_OWN_SKILLS + 1)])
    assert refused.value.code == "too_many_skills"


def test_editing_skills_keeps_the_certified_ones() -> None:
    current = ["sewing", "cert:vocational_skills", "cooking"]
    assert with_own_skills(current, ["driving"]) == ["driving", "cert:vocational_skills"]


def test_a_certificate_proves_the_skill_of_its_course_category() -> None:
    assert certified_skill("vocational_skills") == "cert:vocational_skills"
    assert certified_skill(None) is None
    assert certified_skill("Not A Code") is None


# status -----------------------------------------------------------------------------------------
def test_the_intake_assesses_a_registered_seeker_once() -> None:
    assert assessed(S.REGISTERED) is S.ASSESSED
    for status in set(S) - {S.REGISTERED}:
        with pytest.raises(InvalidTransition):
            assessed(status)


def test_the_first_service_after_the_intake_makes_a_seeker_serviced() -> None:
    assert after_service(S.ASSESSED) is S.SERVICED


@pytest.mark.parametrize("status", [S.SERVICED, S.EMPLOYED, S.STARTED_BUSINESS])
def test_later_services_and_follow_up_keep_the_status(status: SeekerStatus) -> None:
    assert after_service(status) is status


@pytest.mark.parametrize("status", [S.REGISTERED, S.INACTIVE])
def test_no_service_before_the_intake_or_while_inactive(status: SeekerStatus) -> None:
    with pytest.raises(InvalidTransition) as refused:
        after_service(status)
    assert refused.value.code == "invalid_transition"


def test_only_a_serviced_seeker_goes_inactive_and_comes_back_serviced() -> None:
    assert deactivated(S.SERVICED) is S.INACTIVE
    assert reactivated(S.INACTIVE) is S.SERVICED
    for status in set(S) - {S.SERVICED}:
        with pytest.raises(InvalidTransition):
            deactivated(status)
    for status in set(S) - {S.INACTIVE}:
        with pytest.raises(InvalidTransition):
            reactivated(status)


def test_a_service_is_dated_today_or_before() -> None:
    check_service(date(2026, 3, 1), date(2026, 3, 1), 0)
    with pytest.raises(DomainError) as refused:
        check_service(date(2026, 3, 2), date(2026, 3, 1), 0)
    assert (refused.value.code, refused.value.field) == ("service_date_in_future", "date")


def test_the_service_history_is_bounded() -> None:
    check_service(date(2026, 3, 1), date(2026, 3, 1), MAX_SERVICES - 1)
    with pytest.raises(DomainError) as refused:
        check_service(date(2026, 3, 1), date(2026, 3, 1), MAX_SERVICES)
    assert refused.value.code == "service_history_full"


# who sees what ----------------------------------------------------------------------------------
def _seen(**given: bool) -> Visibility | None:
    facts = {"own": False, "league_over_residence": False, "live_with_employer": False}
    return visibility(**(facts | given))


def test_the_seeker_and_their_league_staff_see_everything() -> None:
    assert _seen(own=True) == Visibility(full=True, contact=True)
    assert _seen(league_over_residence=True) == Visibility(full=True, contact=True)


def test_an_employer_sees_the_candidate_and_contact_only_while_an_application_there_is_live() -> None:
    assert _seen(live_with_employer=True) == Visibility(full=False, contact=True)


def test_anyone_else_sees_nothing() -> None:
    assert _seen() is None


# referral tasks ---------------------------------------------------------------------------------
def test_consented_skills_and_job_needs_refer_and_nothing_else_is_kept() -> None:
    needs = referral_needs(True, ["pairing", "skills_training", "career_guidance", "skills_training"])
    assert needs == [ReferralNeed.SKILLS_TRAINING, ReferralNeed.CAREER_GUIDANCE]
    assert referral_needs(True, ["job_guidance"]) == [ReferralNeed.JOB_GUIDANCE]


def test_no_referral_without_consent_or_an_employment_need() -> None:
    assert referral_needs(False, ["skills_training"]) == []
    assert referral_needs(True, ["pairing", "school_aid"]) == []


def test_a_task_is_done_once() -> None:
    check_task_open(ReferralStatus.OPEN)
    with pytest.raises(InvalidTransition):
        check_task_open(ReferralStatus.DONE)
