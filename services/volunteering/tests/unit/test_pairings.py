"""Pairings: helper counts per type, the lifecycle, review due dates and the pseudonymous beneficiary."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.domain.errors import DomainError, InvalidTransition
from qingchun_volunteering.domain.pairings import (
    MAX_HELPERS,
    BeneficiaryKind,
    EndReason,
    PairingAction,
    PairingStatus,
    PairingType,
    accepts_visits,
    add_months,
    apply_action,
    check_beneficiary_ref,
    check_distinct_helpers,
    check_end_reason,
    check_helper_count,
    check_visit_date,
    helper_bounds,
    is_review_due,
    next_review_due,
)

T, S, A = PairingType, PairingStatus, PairingAction


def code_of(call: object, *args: object) -> str | None:
    try:
        call(*args)  # type: ignore[operator]
    except DomainError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    ("kind", "bounds"),
    [
        (T.ONE_HELPS_ONE, (1, 1)),
        (T.ONE_MENTORS_ONE, (1, 1)),
        (T.CARE_PAIR, (1, 1)),
        (T.TWO_MENTOR_ONE, (2, 2)),
        (T.MANY_HELP_ONE, (2, MAX_HELPERS)),
        (T.MANY_MENTOR_ONE, (2, MAX_HELPERS)),
        (T.BIG_HAND_SMALL_HAND, (1, MAX_HELPERS)),
        (T.HAND_IN_HAND, (1, MAX_HELPERS)),
        (T.SOLDIER_KINSHIP, (1, MAX_HELPERS)),
        (T.SURROGATE_PARENT, (1, MAX_HELPERS)),
    ],
)
def test_helper_bounds_per_type(kind: PairingType, bounds: tuple[int, int]) -> None:
    assert helper_bounds(kind) == bounds
    low, high = bounds
    for count in range(0, MAX_HELPERS + 2):
        expected = None if low <= count <= high else "helper_count"
        assert code_of(check_helper_count, kind, count) == expected, (kind, count)


def test_every_type_has_bounds_and_the_type_list_matches_the_domain() -> None:
    assert len(PairingType) == 10
    assert {k: helper_bounds(k)[0] >= 1 for k in PairingType} == dict.fromkeys(PairingType, True)


def test_helper_count_error_names_the_field() -> None:
    with pytest.raises(DomainError) as raised:
        check_helper_count(T.TWO_MENTOR_ONE, 1)
    assert (raised.value.field, "二帮一" in raised.value.message) == ("helper_volunteer_ids", True)


def test_duplicate_helpers_are_named_by_position() -> None:
    check_distinct_helpers(["a", "b"])
    with pytest.raises(DomainError) as raised:
        check_distinct_helpers(["a", "b", "a"])
    assert (raised.value.code, raised.value.field) == ("duplicate_helper", "helper_volunteer_ids.2")


@pytest.mark.parametrize(
    ("kind", "ref", "ok"),
    [
        (BeneficiaryKind.HOUSEHOLD, "hh_a1B2c3", True),
        (BeneficiaryKind.CARE_CASE, "case_9f8e7d6c5b4a", True),
        (BeneficiaryKind.HOUSEHOLD, "case_9f8e7d6c5b4a", False),  # the kind must match
        (BeneficiaryKind.CARE_CASE, "hh_a1B2c3", False),
        (BeneficiaryKind.HOUSEHOLD, "hh_abc", False),  # too short
        (BeneficiaryKind.HOUSEHOLD, "hh_" + "a" * 41, False),  # too long
        (BeneficiaryKind.CARE_CASE, "张三", False),  # a name
        (BeneficiaryKind.CARE_CASE, "13900001111", False),  # a phone number
        (BeneficiaryKind.CARE_CASE, "640181200801011234", False),  # an ID number
        (BeneficiaryKind.HOUSEHOLD, "宁夏灵武市育才街3号", False),  # an address
        (BeneficiaryKind.HOUSEHOLD, "hh_abc123\n", False),  # no trailing newline sneaks through
        (BeneficiaryKind.HOUSEHOLD, "hh_abc-123", False),
    ],
)
def test_beneficiary_ref_is_an_opaque_id_of_its_kind(kind: BeneficiaryKind, ref: str, ok: bool) -> None:
    if ok:
        check_beneficiary_ref(kind, ref)
        return
    with pytest.raises(DomainError) as raised:
        check_beneficiary_ref(kind, ref)
    assert (raised.value.code, raised.value.field) == ("beneficiary_ref_invalid", "beneficiary.ref")
    assert ref.strip() not in raised.value.message


LIFECYCLE = [
    (S.NEED_IDENTIFIED, A.MATCH, S.MATCHED),
    (S.MATCHED, A.SIGN, S.AGREEMENT_SIGNED),
    (S.AGREEMENT_SIGNED, A.ACTIVATE, S.ACTIVE),
    (S.ACTIVE, A.REVIEW, S.REVIEWED),
    (S.REVIEWED, A.REVIEW, S.REVIEWED),
    *[(s, A.CLOSE, S.CLOSED) for s in PairingStatus if s is not S.CLOSED],
]


@pytest.mark.parametrize("status", list(PairingStatus))
@pytest.mark.parametrize("action", list(PairingAction))
def test_transitions(status: PairingStatus, action: PairingAction) -> None:
    allowed = {(s, a): after for s, a, after in LIFECYCLE}
    if (status, action) in allowed:
        assert apply_action(status, action) is allowed[(status, action)]
    else:
        with pytest.raises(InvalidTransition):
            apply_action(status, action)


@pytest.mark.parametrize("status", list(PairingStatus))
def test_visits_only_while_serving(status: PairingStatus) -> None:
    assert accepts_visits(status) is (status in (S.ACTIVE, S.REVIEWED))


@pytest.mark.parametrize(
    ("status", "reason", "ok"),
    [
        (S.ACTIVE, EndReason.COMPLETED_STUDIES, True),
        (S.REVIEWED, EndReason.REFORMED, True),
        (S.REVIEWED, EndReason.EMPLOYED, True),
        (S.MATCHED, EndReason.TERMINATED, True),
        (S.NEED_IDENTIFIED, EndReason.MOVED_AWAY, True),
        (S.MATCHED, EndReason.COMPLETED_STUDIES, False),
        (S.AGREEMENT_SIGNED, EndReason.EMPLOYED, False),
        (S.NEED_IDENTIFIED, EndReason.REFORMED, False),
    ],
)
def test_end_reasons_of_serving_need_a_pairing_that_served(
    status: PairingStatus, reason: EndReason, ok: bool
) -> None:
    assert code_of(check_end_reason, status, reason) == (None if ok else "end_reason_invalid")


TODAY = date(2024, 7, 15)


@pytest.mark.parametrize(
    ("visited", "started", "expected"),
    [
        (TODAY, date(2024, 7, 1), None),
        (date(2024, 7, 1), date(2024, 7, 1), None),
        (date(2024, 7, 16), date(2024, 7, 1), "visit_in_future"),
        (date(2024, 6, 30), date(2024, 7, 1), "visit_before_start"),
        (date(2020, 1, 1), None, None),
    ],
)
def test_visit_dates(visited: date, started: date | None, expected: str | None) -> None:
    assert code_of(check_visit_date, visited, TODAY, started) == expected


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2024, 1, 15), 3, date(2024, 4, 15)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),  # clamps to the shorter month
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 12, 31), 12, date(2025, 12, 31)),
        (date(2024, 5, 10), 6, date(2024, 11, 10)),
    ],
)
def test_next_review_due(start: date, months: int, due: date) -> None:
    assert next_review_due(start, months) == due


@pytest.mark.parametrize("months", [0, -1, 13])
def test_review_interval_is_bounded(months: int) -> None:
    assert code_of(next_review_due, TODAY, months) == "review_interval"


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (S.ACTIVE, date(2024, 7, 15), True),
        (S.REVIEWED, date(2024, 7, 1), True),
        (S.ACTIVE, date(2024, 7, 16), False),
        (S.ACTIVE, None, False),
        (S.CLOSED, date(2024, 1, 1), False),
        (S.MATCHED, date(2024, 1, 1), False),
    ],
)
def test_review_due(status: PairingStatus, due: date | None, expected: bool) -> None:
    assert is_review_due(status, due, TODAY) is expected


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(min_value=1, max_value=12)
)
def test_add_months_moves_forward_by_about_the_months(start: date, months: int) -> None:
    after = add_months(start, months)
    assert (after.year * 12 + after.month) - (start.year * 12 + start.month) == months
    assert after.day <= start.day
    assert 28 * months <= (after - start).days <= 31 * months
