"""Care files (帮教档案): the status machine, move by move, and the rules on a file's content."""

from __future__ import annotations

from datetime import date

import pytest

from qingchun_education.domain.care import (
    MAX_ESCALATIONS,
    MAX_HELPERS,
    OUTCOMES,
    PUBLISHING,
    CareCategory,
    CaseAction,
    CaseStatus,
    check_birth_date,
    check_escalation_room,
    check_helper_room,
    check_not_future,
    check_open,
    check_preconditions,
    check_unique,
    next_status,
    outcome_after,
)
from qingchun_plumbing.rules import DomainError, InvalidTransition
from qingchun_plumbing.testing.quality import label_problems

S, A = CaseStatus, CaseAction
HELPED = [S.UNDER_HELP, *sorted(OUTCOMES)]
OUTCOME_OF = {
    A.IMPROVE: S.IMPROVED,
    A.RETURN_TO_SCHOOL: S.RETURNED_TO_SCHOOL,
    A.COMPLETE_STUDIES: S.COMPLETED_STUDIES,
    A.EMPLOY: S.EMPLOYED,
}

# Every move the machine allows, written out by hand: anything not here must be refused.
ALLOWED: dict[tuple[CaseStatus, CaseAction], CaseStatus] = {
    (S.IDENTIFIED, A.FILE): S.FILED,
    (S.FILED, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.START_HELP): S.UNDER_HELP,
    **{(s, a): o for s in HELPED for a, o in OUTCOME_OF.items() if s is not o},
    **{(s, A.REOFFEND): S.UNDER_HELP for s in HELPED},
    **{(s, A.CLOSE): S.CLOSED for s in OUTCOMES},
}


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("action", list(CaseAction))
def test_every_move_of_every_status(status: CaseStatus, action: CaseAction) -> None:
    if (status, action) in ALLOWED:
        assert next_status(status, action) is ALLOWED[(status, action)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            next_status(status, action)
        assert (refused.value.code, refused.value.field) == ("invalid_transition", "action")


def test_a_case_runs_from_survey_to_closing() -> None:
    status = S.IDENTIFIED
    for action in (A.FILE, A.ASSIGN, A.START_HELP, A.RETURN_TO_SCHOOL, A.COMPLETE_STUDIES, A.CLOSE):
        status = next_status(status, action)
    assert status is S.CLOSED


def test_outcomes_reoffending_and_closing_are_what_other_services_hear() -> None:
    assert {*OUTCOME_OF, A.REOFFEND, A.CLOSE} == PUBLISHING


@pytest.mark.parametrize(
    ("status", "previous", "kept"),
    [
        (S.IMPROVED, None, "improved"),
        (S.EMPLOYED, "improved", "employed"),
        (S.CLOSED, "returned_to_school", "returned_to_school"),
        (S.UNDER_HELP, "improved", None),  # reoffended: the outcome no longer holds
        (S.FILED, None, None),
    ],
)
def test_the_outcome_is_set_kept_through_closing_and_cleared_by_a_reoffence(
    status: CaseStatus, previous: str | None, kept: str | None
) -> None:
    assert outcome_after(status, previous) == kept


def test_assigning_needs_the_responsible_person_and_helping_needs_a_helper() -> None:
    with pytest.raises(InvalidTransition) as no_person:
        check_preconditions(A.ASSIGN, None, 3)
    assert no_person.value.field == "responsible_person_subject_id"
    with pytest.raises(InvalidTransition) as no_helper:
        check_preconditions(A.START_HELP, "s1", 0)
    assert no_helper.value.field == "helpers"
    check_preconditions(A.ASSIGN, "s1", 0)
    check_preconditions(A.START_HELP, None, 1)
    check_preconditions(A.FILE, None, 0)


def test_a_closed_case_changes_no_more() -> None:
    with pytest.raises(InvalidTransition):
        check_open(S.CLOSED)
    for status in set(CaseStatus) - {S.CLOSED}:
        check_open(status)


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        (date(2010, 3, 1), True),
        (date(2024, 6, 2), False),  # tomorrow
        (date(2024, 6, 1), True),  # today
        (date(1989, 1, 1), True),  # 35
        (date(1988, 12, 31), False),  # 36
    ],
)
def test_birth_dates_in_the_future_or_beyond_youth_are_refused(born: date, ok: bool) -> None:
    if ok:
        check_birth_date(born, date(2024, 6, 1))
    else:
        with pytest.raises(DomainError) as refused:
            check_birth_date(born, date(2024, 6, 1))
        assert (refused.value.code, refused.value.field) == ("birth_date_out_of_range", "youth.birth_date")
        assert str(born.year) not in refused.value.message


def test_dates_in_the_future_and_duplicates_are_refused_at_their_field() -> None:
    check_not_future(date(2024, 6, 1), date(2024, 6, 1), "visited_on")
    with pytest.raises(DomainError) as future:
        check_not_future(date(2024, 6, 2), date(2024, 6, 1), "visited_on")
    assert (future.value.code, future.value.field) == ("date_in_future", "visited_on")
    with pytest.raises(DomainError) as twice:
        check_unique(["poor", "idle", "poor"], "categories")
    assert (twice.value.code, twice.value.field) == ("duplicate_value", "categories.2")


def test_helpers_and_escalations_are_bounded() -> None:
    check_helper_room(MAX_HELPERS - 2, 2)
    with pytest.raises(DomainError):
        check_helper_room(MAX_HELPERS - 1, 2)
    check_escalation_room(MAX_ESCALATIONS - 1)
    with pytest.raises(DomainError):
        check_escalation_room(MAX_ESCALATIONS)


def test_the_seventeen_categories_of_the_seeds_each_have_a_chinese_label() -> None:
    assert len(CareCategory) == 17
    assert {c.label for c in CareCategory} >= {"单亲", "释解", "两放", "严重不良行为", "离异家庭"}


def test_every_care_enum_shows_staff_a_chinese_label() -> None:
    from qingchun_education.ports.care_api import LABELLED_ENUMS

    assert [p for enum in LABELLED_ENUMS.values() for p in label_problems(enum)] == []
