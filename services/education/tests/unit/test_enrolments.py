"""Enrolment rules: eligibility, the waitlist (promotion with and without a window, lapse), completion."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_education.domain.enrolments import (
    LIVE,
    Applicant,
    Audience,
    EnrolmentStatus,
    Entry,
    Exam,
    Terms,
    check_cancellable,
    check_completion,
    check_eligibility,
    check_offered,
    counts,
    lapsed,
    offer_lapsed,
    promote,
    promote_by_hand,
)
from qingchun_education.ports.enrolments_api import LABELLED_ENUMS
from qingchun_plumbing.ages import AgeBand
from qingchun_plumbing.rules import DomainError, InvalidTransition
from qingchun_plumbing.testing.quality import label_problems
from qingchun_plumbing.waitlist import WaitlistPolicy

S = EnrolmentStatus
NOW = datetime(2024, 7, 13, 9, 0, tzinfo=UTC)
ADULT = Applicant(30, AgeBand.ADULT, has_consent=False, by_guardian=False, guardian_present=False)
TEEN = Applicant(15, AgeBand.MINOR, has_consent=True, by_guardian=False, guardian_present=False)
CHILD = Applicant(8, AgeBand.CHILD, has_consent=True, by_guardian=True, guardian_present=False)
OPEN = Audience()
KIDS = Audience(min_age=6, max_age=12)
FAMILY = Audience(family=True)
AUTO = Terms(capacity=2, policy=WaitlistPolicy.AUTO_PROMOTE)
WINDOW = replace(AUTO, offer_window_hours=24)


def refusal(applicant: Applicant, audience: Audience) -> tuple[str, str | None] | None:
    try:
        check_eligibility(applicant, audience)
    except DomainError as error:
        return error.code, error.field
    return None


@pytest.mark.parametrize(
    ("applicant", "audience", "expected"),
    [
        (ADULT, OPEN, None),
        (TEEN, OPEN, None),
        (CHILD, OPEN, None),
        (replace(CHILD, age=5), KIDS, ("age_below_minimum", "learner_id")),
        (replace(CHILD, age=6), KIDS, None),
        (replace(CHILD, age=12), KIDS, None),
        (TEEN, KIDS, ("age_above_maximum", "learner_id")),
        (replace(TEEN, has_consent=False), OPEN, ("consent_required", "learner_id")),
        (replace(CHILD, has_consent=False), OPEN, ("consent_required", "learner_id")),
        (replace(CHILD, by_guardian=False), OPEN, ("guardian_required", "learner_id")),
        (CHILD, FAMILY, ("guardian_required", "guardian_present")),
        (replace(CHILD, guardian_present=True), FAMILY, None),
        (TEEN, FAMILY, None),
        (ADULT, FAMILY, None),
    ],
)
def test_eligibility(applicant: Applicant, audience: Audience, expected: tuple[str, str] | None) -> None:
    assert refusal(applicant, audience) == expected


def test_age_limits_are_checked_before_consent() -> None:
    """The first reason named is the one no consent can cure."""
    assert refusal(replace(TEEN, has_consent=False), KIDS) == ("age_above_maximum", "learner_id")


def entries(*statuses: EnrolmentStatus, expires: datetime | None = None) -> list[Entry]:
    return [Entry(f"enr_{i}", s, i, expires if s is S.OFFERED else None) for i, s in enumerate(statuses)]


def test_counts_take_offers_and_completions_as_places() -> None:
    roster = entries(S.ENROLLED, S.COMPLETED, S.OFFERED, S.WAITLISTED, S.WAITLISTED, S.CANCELLED)
    assert counts(roster) == (3, 2)


def test_auto_promote_without_window_enrols_the_earliest_waiting() -> None:
    roster = entries(S.ENROLLED, S.CANCELLED, S.WAITLISTED, S.WAITLISTED)
    moved = promote(roster, AUTO, NOW)
    assert [(p.enrolment_id, p.status, p.confirm_by) for p in moved] == [("enr_2", S.ENROLLED, None)]


def test_auto_promote_with_window_offers_the_place_until_the_deadline() -> None:
    roster = entries(S.ENROLLED, S.CANCELLED, S.WAITLISTED, S.WAITLISTED)
    moved = promote(roster, WINDOW, NOW)
    assert [(p.enrolment_id, p.status, p.confirm_by) for p in moved] == [
        ("enr_2", S.OFFERED, NOW + timedelta(hours=24))
    ]


@pytest.mark.parametrize("policy", [WaitlistPolicy.NOTIFY_ALL, WaitlistPolicy.MANUAL])
def test_other_policies_move_nobody(policy: WaitlistPolicy) -> None:
    roster = entries(S.CANCELLED, S.CANCELLED, S.WAITLISTED)
    assert promote(roster, replace(AUTO, policy=policy), NOW) == []


def test_an_open_offer_holds_its_place_and_a_lapsed_one_does_not() -> None:
    later = NOW + timedelta(hours=1)
    assert promote(entries(S.ENROLLED, S.OFFERED, S.WAITLISTED, expires=later), AUTO, NOW) == []
    moved = promote(entries(S.ENROLLED, S.OFFERED, S.WAITLISTED, expires=NOW), AUTO, NOW)
    assert [p.enrolment_id for p in moved] == ["enr_2"]


def test_lapsed_offers_are_those_past_their_deadline() -> None:
    roster = [
        Entry("enr_a", S.OFFERED, 0, NOW - timedelta(seconds=1)),
        Entry("enr_b", S.OFFERED, 1, NOW),
        Entry("enr_c", S.OFFERED, 2, NOW + timedelta(seconds=1)),
        Entry("enr_d", S.WAITLISTED, 3),
    ]
    assert lapsed(roster, NOW) == ["enr_a", "enr_b"]
    assert offer_lapsed(roster[0], NOW)
    assert not offer_lapsed(roster[2], NOW)


def test_staff_promote_a_chosen_waitlisted_learner_into_a_free_place() -> None:
    manual = replace(AUTO, policy=WaitlistPolicy.MANUAL)
    roster = entries(S.ENROLLED, S.WAITLISTED, S.WAITLISTED)
    chosen = promote_by_hand(roster, "enr_2", manual, NOW)
    assert (chosen.enrolment_id, chosen.status, chosen.confirm_by) == ("enr_2", S.ENROLLED, None)
    windowed = promote_by_hand(roster, "enr_2", replace(manual, offer_window_hours=2), NOW)
    assert (windowed.status, windowed.confirm_by) == (S.OFFERED, NOW + timedelta(hours=2))


def test_staff_cannot_promote_into_a_full_course_or_move_a_non_waitlisted_one() -> None:
    full = entries(S.ENROLLED, S.ENROLLED, S.WAITLISTED)
    with pytest.raises(DomainError) as error:
        promote_by_hand(full, "enr_2", AUTO, NOW)
    assert error.value.code == "no_place_free"
    with pytest.raises(InvalidTransition):
        promote_by_hand(entries(S.ENROLLED, S.CANCELLED), "enr_1", AUTO, NOW)


@given(
    st.lists(st.sampled_from(list(S)), max_size=12),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([None, 1, 48]),
)
def test_promotion_never_overbooks_and_follows_arrival(
    statuses: list[EnrolmentStatus], capacity: int, window: int | None
) -> None:
    roster = entries(*statuses, expires=NOW + timedelta(hours=1))
    terms = Terms(capacity, WaitlistPolicy.AUTO_PROMOTE, window)
    moved = promote(roster, terms, NOW)
    taken, waiting = counts(roster)
    assert len(moved) == max(0, min(waiting, capacity - taken))
    waiting_ids = [e.enrolment_id for e in roster if e.status is S.WAITLISTED]
    assert [p.enrolment_id for p in moved] == waiting_ids[: len(moved)]
    assert all(p.status is (S.ENROLLED if window is None else S.OFFERED) for p in moved)


@pytest.mark.parametrize("status", [S.ENROLLED, S.OFFERED, S.WAITLISTED])
def test_live_enrolments_can_be_cancelled(status: EnrolmentStatus) -> None:
    check_cancellable(status)


@pytest.mark.parametrize("status", [S.CANCELLED, S.COMPLETED])
def test_ended_enrolments_cannot_be_cancelled(status: EnrolmentStatus) -> None:
    with pytest.raises(InvalidTransition):
        check_cancellable(status)


def test_only_an_offer_can_be_answered() -> None:
    check_offered(S.OFFERED)
    for status in set(S) - {S.OFFERED}:
        with pytest.raises(InvalidTransition):
            check_offered(status)


def test_a_cancelled_enrolment_does_not_block_enrolling_again() -> None:
    assert S.CANCELLED not in LIVE
    assert {S.ENROLLED, S.OFFERED, S.WAITLISTED, S.COMPLETED} <= LIVE


def completion(status: EnrolmentStatus, exam: Exam, score: float | None) -> bool | str | None:
    try:
        return check_completion(status, exam, score)
    except DomainError as error:
        return error.code


@pytest.mark.parametrize(
    ("exam", "score", "expected"),
    [
        (Exam(False), None, None),
        (Exam(False), 80, "course_has_no_exam"),
        (Exam(True, 60), None, "exam_score_required"),
        (Exam(True, 60), 59.5, "exam_not_passed"),
        (Exam(True, 60), 60, True),
        (Exam(True, 60), 95, True),
        (Exam(True), 0, True),
    ],
)
def test_completion_needs_a_passing_score_only_where_there_is_an_exam(
    exam: Exam, score: float | None, expected: bool | str | None
) -> None:
    assert completion(S.ENROLLED, exam, score) == expected


@pytest.mark.parametrize("status", [S.WAITLISTED, S.OFFERED, S.CANCELLED, S.COMPLETED])
def test_only_an_enrolled_learner_completes(status: EnrolmentStatus) -> None:
    assert completion(status, Exam(False), None) == "invalid_transition"


@pytest.mark.parametrize("name", sorted(LABELLED_ENUMS))
def test_labels_are_chinese_and_codes_are_member_names(name: str) -> None:
    assert label_problems(LABELLED_ENUMS[name]) == []
