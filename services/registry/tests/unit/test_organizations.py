"""Organisation tree rules: parents, cycles, names and areas."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qingchun_registry.domain.errors import DomainError
from qingchun_registry.domain.organizations import (
    AreaPath,
    OrgCategory,
    OrgType,
    check_no_cycle,
    check_parent,
    name_key,
)

T = OrgType
LEAGUE = [t for t in OrgType if t.category is OrgCategory.LEAGUE]
RANK = {t: t.league_rank for t in LEAGUE if t.league_rank is not None}


def refusal(child: OrgType, parent: OrgType | None) -> str | None:
    """The refusal code, or None when the parent is accepted; every refusal points at parent_id."""
    error: DomainError | None = None
    try:
        check_parent(child, parent)
    except DomainError as caught:
        error = caught
    if error is None:
        return None
    assert error.field == "parent_id"
    return error.code


def test_categories_and_ranks() -> None:
    assert T.LEAGUE_WORKING_COMMITTEE.category is OrgCategory.LEAGUE
    assert T.EAGLE_HOLIDAY_TEAM.category is OrgCategory.YOUNG_PIONEERS
    assert T.FUNCTIONAL_COMMUNITY.category is OrgCategory.ADMINISTRATIVE
    assert T.RESIDENT_UNIT.category is OrgCategory.UNIT
    assert T.BOOKSTORE.category is OrgCategory.FACILITY
    assert T.COLLEGE_PRACTICE_BASE.category is OrgCategory.PRACTICE_BASE
    assert T.ASSOCIATION.category is OrgCategory.CLUB
    assert T.INCUBATOR.category is OrgCategory.EMPLOYMENT
    assert T.SELF_PROTECTION_SCHOOL.category is OrgCategory.EDUCATION
    assert T.RIGHTS_PROTECTION_POST.category is OrgCategory.CARE
    assert T.LEADERSHIP_GROUP.category is OrgCategory.GOVERNANCE
    assert {t: t.league_rank for t in LEAGUE} == {
        T.LEAGUE_REGION_COMMITTEE: 0,
        T.LEAGUE_CITY_COMMITTEE: 1,
        T.LEAGUE_DISTRICT_COMMITTEE: 2,
        T.LEAGUE_WORKING_COMMITTEE: 3,
        T.LEAGUE_SCHOOL_COMMITTEE: 3,
        T.LEAGUE_GENERAL_BRANCH: 4,
        T.LEAGUE_BRANCH: 5,
    }
    assert all(t.league_rank is None for t in OrgType if t not in LEAGUE)
    assert {t for t in OrgType if t.can_be_root} == {T.LEAGUE_REGION_COMMITTEE, T.LEAGUE_CITY_COMMITTEE}
    assert {t for t in OrgType if t.has_branch_term} == {T.LEAGUE_GENERAL_BRANCH, T.LEAGUE_BRANCH}
    assert {t for t in OrgType if t.is_facility} == {
        t for t in OrgType if t.category in (OrgCategory.FACILITY, OrgCategory.PRACTICE_BASE)
    }
    assert T.EAGLE_HOLIDAY_TEAM.is_leaf
    assert not T.YOUNG_PIONEERS.is_leaf
    assert T.YOUTH_CENTER.is_leaf
    assert T.LABOUR_EMPLOYMENT_STATION.is_leaf
    assert T.CARE_COMMITTEE.is_leaf
    assert T.LEADERSHIP_GROUP.is_leaf
    assert T.RED_SCARF_PRACTICE_BASE.is_leaf
    assert not (T.COMMUNITY.is_leaf)
    assert not (T.SCHOOL.is_leaf)
    assert not (T.YOUTH_CLUB.is_leaf)
    assert not (T.CITIZEN_SCHOOL.is_leaf)


@pytest.mark.parametrize(
    ("child", "parent", "code"),
    [
        (T.LEAGUE_REGION_COMMITTEE, None, None),
        (T.LEAGUE_CITY_COMMITTEE, None, None),
        (T.LEAGUE_CITY_COMMITTEE, T.LEAGUE_REGION_COMMITTEE, None),
        (T.LEAGUE_DISTRICT_COMMITTEE, T.LEAGUE_CITY_COMMITTEE, None),
        (T.LEAGUE_WORKING_COMMITTEE, T.LEAGUE_DISTRICT_COMMITTEE, None),
        (T.LEAGUE_WORKING_COMMITTEE, T.STREET_OFFICE, None),
        (T.LEAGUE_BRANCH, T.LEAGUE_GENERAL_BRANCH, None),
        (T.LEAGUE_BRANCH, T.ENTERPRISE, None),
        (T.LEAGUE_BRANCH, T.FUNCTIONAL_COMMUNITY, None),
        (T.YOUTH_CENTER, T.STREET_OFFICE, None),
        (T.EAGLE_HOLIDAY_TEAM, T.YOUNG_PIONEERS, None),
        (T.COMMUNITY, None, "parent_required"),
        (T.LEAGUE_BRANCH, None, "parent_required"),
        (T.YOUTH_CLUB, T.YOUTH_CENTER, "parent_is_leaf"),
        (T.YOUNG_PIONEERS, T.EAGLE_HOLIDAY_TEAM, "parent_is_leaf"),
        (T.LEAGUE_CITY_COMMITTEE, T.LEADERSHIP_GROUP, "parent_is_leaf"),
        (T.LEAGUE_CITY_COMMITTEE, T.COMMUNITY, "invalid_parent"),
        (T.LEAGUE_REGION_COMMITTEE, T.LEAGUE_REGION_COMMITTEE, "invalid_parent"),
        (T.LEAGUE_CITY_COMMITTEE, T.LEAGUE_CITY_COMMITTEE, "invalid_parent"),
        (T.LEAGUE_DISTRICT_COMMITTEE, T.LEAGUE_BRANCH, "invalid_parent"),
        (T.LEAGUE_SCHOOL_COMMITTEE, T.LEAGUE_WORKING_COMMITTEE, "invalid_parent"),
    ],
)
def test_check_parent_examples(child: OrgType, parent: OrgType | None, code: str | None) -> None:
    assert refusal(child, parent) == code


@given(st.sampled_from(OrgType), st.none() | st.sampled_from(OrgType))
def test_check_parent_invariants(child: OrgType, parent: OrgType | None) -> None:
    code = refusal(child, parent)
    if parent is None:
        assert (code is None) == child.can_be_root
    elif parent.is_leaf:
        assert code == "parent_is_leaf"
    elif child.league_rank is not None and parent.league_rank is not None:
        assert (code is None) == (parent.league_rank < child.league_rank)
    elif child.can_be_root:
        assert code == "invalid_parent"
    else:
        assert code is None


@given(st.lists(st.sampled_from(LEAGUE), min_size=2, max_size=8))
def test_accepted_league_chains_strictly_descend(chain: list[OrgType]) -> None:
    """Whatever chain the rule accepts, ranks strictly increase downwards, so it has no loop."""
    if all(refusal(child, parent) is None for parent, child in itertools.pairwise(chain)):
        ranks = [RANK[t] for t in chain]
        assert all(upper < lower for upper, lower in itertools.pairwise(ranks))


@given(st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=3), unique=True, max_size=6))
def test_check_no_cycle(ancestors: list[str]) -> None:
    assume("me" not in ancestors)
    check_no_cycle("me", "parent", ancestors)
    with pytest.raises(DomainError) as excinfo:
        check_no_cycle("me", "parent", [*ancestors, "me"])
    assert (excinfo.value.code, excinfo.value.field) == ("tree_cycle", "parent_id")
    with pytest.raises(DomainError, match="自身"):
        check_no_cycle("me", "me", ancestors)


def test_name_key_examples() -> None:
    assert name_key("  孝南　 团区委 ") == "孝南 团区委"
    assert name_key("ＡＢＣ社区") == name_key("abc社区") == "abc社区"
    assert name_key("Straße\tYouth\n") == "strasse youth"


@given(st.text())
def test_name_key_is_idempotent_and_trimmed(name: str) -> None:
    key = name_key(name)
    assert name_key(key) == key
    assert key == key.strip()
    assert "  " not in key


@given(st.text(alphabet="abc 社区青年中心ＡＢ\u3000\t", max_size=20))
def test_name_key_ignores_case_width_and_spacing(name: str) -> None:
    assert name_key(name.upper()) == name_key(name)
    assert name_key(f"  {name.replace(' ', '  ')}\u3000") == name_key(name)


def test_area_path_levels_and_gaps() -> None:
    area = AreaPath(city="孝感市", district="孝南区", street="广场街道", community=" ")
    area.validate()
    assert area.levels() == ["孝感市", "孝南区", "广场街道"]
    assert AreaPath().levels() == []
    with pytest.raises(DomainError) as excinfo:
        AreaPath(city="孝感市", street="广场街道").validate()
    assert (excinfo.value.code, excinfo.value.field) == ("area_gap", "area")


@given(st.lists(st.sampled_from([None, "", "名"]), min_size=4, max_size=4))
def test_area_gap_iff_a_level_follows_an_empty_one(values: list[str | None]) -> None:
    area = AreaPath(*values)
    filled = [bool(v) for v in values]
    has_gap = any(not filled[i] and filled[j] for i in range(4) for j in range(i + 1, 4))
    if has_gap:
        with pytest.raises(DomainError, match="缺少上级区划") as excinfo:
            area.validate()
        assert excinfo.value.code == "area_gap"
    else:
        area.validate()
        assert area.levels() == ["名"] * sum(filled)
