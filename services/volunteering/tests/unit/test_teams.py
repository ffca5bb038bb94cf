"""Teams: the roster stays coherent (leader is a member, nobody twice, bounded, frozen once dissolved)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.domain.errors import DomainError, InvalidTransition
from qingchun_volunteering.domain.teams import (
    MAX_MEMBERS,
    TeamRole,
    TeamStatus,
    TeamType,
    check_active,
    check_new_leader,
    founding_roster,
    name_key,
    role_of,
    with_members,
    without_member,
)


def refusal(call: object, *args: object) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as raised:
        call(*args)  # type: ignore[operator]
    return raised.value.code, raised.value.field


@pytest.mark.parametrize(
    ("leader", "members", "roster"),
    [
        ("v1", [], ["v1"]),
        ("v1", ["v2", "v3"], ["v1", "v2", "v3"]),
        ("v2", ["v1", "v2"], ["v2", "v1"]),  # a listed leader is not counted twice
    ],
)
def test_founding_roster_puts_the_leader_first_and_once(
    leader: str, members: list[str], roster: list[str]
) -> None:
    assert founding_roster(leader, members) == roster


@pytest.mark.parametrize(
    ("leader", "members", "expected"),
    [
        ("v1", ["v2", "v3", "v2"], ("duplicate_member", "member_volunteer_ids.2")),
        ("v0", [f"v{i}" for i in range(1, MAX_MEMBERS + 1)], ("team_full", "member_volunteer_ids")),
    ],
)
def test_founding_roster_refusals(leader: str, members: list[str], expected: tuple[str, str]) -> None:
    assert refusal(founding_roster, leader, members) == expected


def test_a_full_roster_of_exactly_the_cap_is_allowed() -> None:
    assert len(founding_roster("v0", [f"v{i}" for i in range(1, MAX_MEMBERS)])) == MAX_MEMBERS


def test_adding_members_is_idempotent_and_bounded() -> None:
    assert with_members(["a", "b"], ["b", "c"]) == ["a", "b", "c"]
    assert with_members(["a"], ["a"]) == ["a"]
    assert refusal(with_members, ["a"], ["b", "b"]) == ("duplicate_member", "volunteer_ids.1")
    full = [f"v{i}" for i in range(MAX_MEMBERS)]
    assert refusal(with_members, full, ["new"]) == ("team_full", "member_volunteer_ids")


@pytest.mark.parametrize(
    ("roster", "leader", "leaving", "expected"),
    [
        (["a", "b"], "a", "b", ["a"]),
        (["a", "b"], "a", "c", ("not_a_member", "volunteer_id")),
        (["a", "b"], "a", "a", ("leader_cannot_leave", "volunteer_id")),
    ],
)
def test_removing_a_member(roster: list[str], leader: str, leaving: str, expected: object) -> None:
    if isinstance(expected, list):
        assert without_member(roster, leader, leaving) == expected
    else:
        assert refusal(without_member, roster, leader, leaving) == expected


def test_the_new_leader_must_be_a_member() -> None:
    check_new_leader(["a", "b"], "b")
    assert refusal(check_new_leader, ["a", "b"], "c") == ("leader_not_member", "volunteer_id")


def test_a_dissolved_team_no_longer_changes() -> None:
    check_active(TeamStatus.ACTIVE)
    with pytest.raises(InvalidTransition):
        check_active(TeamStatus.DISSOLVED)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("福娃福地书香国学志愿服务队", " 福娃福地书香国学志愿服务队 ", True),
        ("Youth  Team", "youth team", True),
        ("青少年志愿服务队", "党员志愿者服务队", False),
    ],
)
def test_names_compare_without_case_or_spacing(a: str, b: str, same: bool) -> None:
    assert (name_key(a) == name_key(b)) is same


def test_roles_and_types() -> None:
    assert role_of("a", "a") is TeamRole.LEADER
    assert role_of("b", "a") is TeamRole.MEMBER
    assert len(TeamType) == 8
    assert TeamType("party_members").label == "党员志愿者服务队"


@given(
    st.lists(st.sampled_from([f"v{i}" for i in range(30)]), max_size=30),
    st.lists(st.sampled_from([f"v{i}" for i in range(30)]), max_size=30, unique=True),
)
def test_adding_keeps_everyone_once(current: list[str], joining: list[str]) -> None:
    start = list(dict.fromkeys(current))
    after = with_members(start, joining)
    assert len(after) == len(set(after))
    assert set(after) == set(start) | set(joining)
    assert after[: len(start)] == start
