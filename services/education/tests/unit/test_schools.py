"""Citizen-school rules: one 校长, nobody twice in a role, and whether the plaque is up in time."""

from __future__ import annotations

from datetime import date

import pytest

from qingchun_education.domain.schools import (
    SchoolRole,
    SetupStatus,
    check_plaque_date,
    check_roles,
    name_key,
    setup_status,
)
from qingchun_plumbing.rules import DomainError

R = SchoolRole


def test_a_full_leadership_is_accepted() -> None:
    check_roles(
        [
            (R.HONORARY_PRINCIPAL, "a"),
            (R.SUPERINTENDENT, "b"),
            (R.PRINCIPAL, "c"),
            (R.VICE_PRINCIPAL, "d"),
            (R.VICE_PRINCIPAL, "e"),
            (R.COMMITTEE_MEMBER, "c"),
        ]
    )


def test_a_second_principal_is_refused_where_it_is_listed() -> None:
    with pytest.raises(DomainError) as refused:
        check_roles([(R.PRINCIPAL, "a"), (R.VICE_PRINCIPAL, "b"), (R.PRINCIPAL, "c")])
    assert (refused.value.code, refused.value.field) == ("two_principals", "roles.2")


def test_a_person_holds_a_role_once() -> None:
    with pytest.raises(DomainError) as refused:
        check_roles([(R.COMMITTEE_MEMBER, "a"), (R.COMMITTEE_MEMBER, "a")])
    assert (refused.value.code, refused.value.field) == ("duplicate_role_holder", "roles.1")


def test_no_roles_is_a_valid_roster() -> None:
    check_roles([])


@pytest.mark.parametrize(
    ("plaque", "deadline", "status"),
    [
        (date(2026, 7, 20), date(2026, 7, 30), SetupStatus.ESTABLISHED),
        (date(2026, 8, 20), date(2026, 7, 30), SetupStatus.ESTABLISHED),
        (None, date(2026, 7, 31), SetupStatus.PENDING),
        (None, date(2026, 7, 30), SetupStatus.OVERDUE),
        (None, None, SetupStatus.PENDING),
    ],
)
def test_setup_status(plaque: date | None, deadline: date | None, status: SetupStatus) -> None:
    assert setup_status(plaque, deadline, today=date(2026, 7, 31)) is status


def test_names_differ_only_by_more_than_spacing_and_case() -> None:
    assert name_key("org_1", "和平社区 市民学校") == name_key("org_1", " 和平社区  市民学校 ")
    assert name_key("org_1", "Heping School") == name_key("org_1", "heping school")
    assert name_key("org_1", "和平社区市民学校") != name_key("org_2", "和平社区市民学校")


def test_a_plaque_date_ahead_of_today_is_refused() -> None:
    check_plaque_date(date(2026, 7, 31), today=date(2026, 7, 31))
    with pytest.raises(DomainError) as refused:
        check_plaque_date(date(2026, 8, 1), today=date(2026, 7, 31))
    assert (refused.value.code, refused.value.field) == ("plaque_in_future", "plaque_date")
