"""Organisation types, where each may sit in the tree, and how names and areas are normalised.

The seeds describe one tree: league committees on top, then the administrative units, schools,
enterprises, facilities and bodies that the league works through. These rules keep that tree sane
(no orphans, no cycles, no committee under its own branch) without touching storage.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError


class OrgCategory(LabelledEnum):
    """Coarse grouping of organisation types; drives the tree rules and the filters staff use."""

    LEAGUE = ("league", "团组织")
    YOUNG_PIONEERS = ("young_pioneers", "少先队")
    ADMINISTRATIVE = ("administrative", "行政区划/基层自治组织")
    UNIT = ("unit", "单位")
    FACILITY = ("facility", "阵地/设施")
    PRACTICE_BASE = ("practice_base", "实践基地")
    CLUB = ("club", "社团/协会")
    EMPLOYMENT = ("employment", "就业创业机构")
    EDUCATION = ("education", "教育机构")
    CARE = ("care", "关爱机构")
    GOVERNANCE = ("governance", "领导小组")


class OrgType(LabelledEnum):
    """Every organisation type found in the seeds (DOMAIN.md §2.1)."""

    LEAGUE_REGION_COMMITTEE = ("league_region_committee", "区团委")
    LEAGUE_CITY_COMMITTEE = ("league_city_committee", "团市委")
    LEAGUE_DISTRICT_COMMITTEE = ("league_district_committee", "团区委")
    LEAGUE_WORKING_COMMITTEE = ("league_working_committee", "团工委")
    LEAGUE_SCHOOL_COMMITTEE = ("league_school_committee", "学校团委")
    LEAGUE_GENERAL_BRANCH = ("league_general_branch", "团总支")
    LEAGUE_BRANCH = ("league_branch", "团支部")
    YOUNG_PIONEERS = ("young_pioneers", "社区少先队")
    EAGLE_HOLIDAY_TEAM = ("eagle_holiday_team", "雏鹰假日小队")
    STREET_OFFICE = ("street_office", "街道办事处")
    COMMUNITY = ("community", "社区/居委会")
    RESIDENTIAL_COMPOUND = ("residential_compound", "居民小区")
    FUNCTIONAL_COMMUNITY = ("functional_community", "功能社区")
    COMMUNITY_WORKSTATION = ("community_workstation", "社区工作站")
    VILLAGE_COMMITTEE = ("village_committee", "村委会")
    SCHOOL = ("school", "学校")
    ENTERPRISE = ("enterprise", "企业")
    GOVERNMENT_AGENCY = ("government_agency", "机关")
    RESIDENT_UNIT = ("resident_unit", "驻区单位/共建单位")
    YOUTH_CENTER = ("youth_center", "青年中心")
    YOUTH_HOME = ("youth_home", "青年之家")
    CHILDREN_HOME = ("children_home", "儿童之家")
    NEIGHBOURHOOD_STATION = ("neighbourhood_station", "邻里驿家")
    RECREATION_ROOM = ("recreation_room", "文娱活动室")
    PARTY_SERVICE_CENTER = ("party_service_center", "党群服务中心")
    CIVILIZATION_PRACTICE_STATION = ("civilization_practice_station", "新时代文明实践站")
    LIBRARY = ("library", "图书馆")
    BOOKSTORE = ("bookstore", "书店")
    RED_SCARF_PRACTICE_BASE = ("red_scarf_practice_base", "红领巾社会实践教育基地")
    COLLEGE_PRACTICE_BASE = ("college_practice_base", "大学生社会实践教育基地")
    YOUTH_CLUB = ("youth_club", "青少年社团")
    ASSOCIATION = ("association", "协会")
    LABOUR_EMPLOYMENT_STATION = ("labour_employment_station", "社区劳动就业服务站")
    LABOUR_SECURITY_STATION = ("labour_security_station", "社区劳动保障工作站")
    ENTREPRENEURSHIP_GUIDANCE_STATION = ("entrepreneurship_guidance_station", "街道创业指导服务站")
    ENTREPRENEURSHIP_WINDOW = ("entrepreneurship_window", "社区创业指导服务窗口")
    INCUBATOR = ("incubator", "创业孵化基地")
    ENTREPRENEURSHIP_DEMO_BASE = ("entrepreneurship_demo_base", "创业示范基地")
    COMMUNITY_EDUCATION_CENTER = ("community_education_center", "社区教育中心")
    CITIZEN_SCHOOL = ("citizen_school", "市民学校")
    ELDERLY_SCHOOL = ("elderly_school", "老年学校")
    PARENT_SCHOOL = ("parent_school", "家长学校")
    COMMUNITY_PARTY_SCHOOL = ("community_party_school", "社区党校")
    SELF_PROTECTION_SCHOOL = ("self_protection_school", "自护学校")
    CARE_COMMITTEE = ("care_committee", "关工委")
    CARE_WORKING_GROUP = ("care_working_group", "关心下一代工作小组")
    ASSISTANCE_GROUP = ("assistance_group", "帮教小组")
    RIGHTS_PROTECTION_POST = ("rights_protection_post", "青少年维权岗")
    LEADERSHIP_GROUP = ("leadership_group", "领导小组")

    @property
    def category(self) -> OrgCategory:
        """The coarse group this type belongs to."""
        return _CATEGORY[self]

    @property
    def league_rank(self) -> int | None:
        """Depth in the league hierarchy (0 = region); a league child must rank below its parent."""
        return _LEAGUE_RANK.get(self)

    @property
    def is_leaf(self) -> bool:
        """Sites, bases and single-purpose bodies hold no sub-organisations of their own."""
        return self is OrgType.EAGLE_HOLIDAY_TEAM or self.category in _LEAF_CATEGORIES

    @property
    def can_be_root(self) -> bool:
        """Only a region or city league committee may head a tree; everything else hangs below one."""
        return self in _ROOT_TYPES

    @property
    def has_branch_term(self) -> bool:
        """Branches and general branches must hold elections on schedule (按期换届)."""
        return self in _BRANCH_TERM_TYPES

    @property
    def is_facility(self) -> bool:
        """Places (阵地) rather than bodies: they have sites and opening, not members."""
        return self.category in _FACILITY_CATEGORIES


def _types(category: OrgCategory, *types: OrgType) -> dict[OrgType, OrgCategory]:
    return dict.fromkeys(types, category)


_CATEGORY: dict[OrgType, OrgCategory] = {
    **_types(
        OrgCategory.LEAGUE,
        OrgType.LEAGUE_REGION_COMMITTEE,
        OrgType.LEAGUE_CITY_COMMITTEE,
        OrgType.LEAGUE_DISTRICT_COMMITTEE,
        OrgType.LEAGUE_WORKING_COMMITTEE,
        OrgType.LEAGUE_SCHOOL_COMMITTEE,
        OrgType.LEAGUE_GENERAL_BRANCH,
        OrgType.LEAGUE_BRANCH,
    ),
    **_types(OrgCategory.YOUNG_PIONEERS, OrgType.YOUNG_PIONEERS, OrgType.EAGLE_HOLIDAY_TEAM),
    **_types(
        OrgCategory.ADMINISTRATIVE,
        OrgType.STREET_OFFICE,
        OrgType.COMMUNITY,
        OrgType.RESIDENTIAL_COMPOUND,
        OrgType.FUNCTIONAL_COMMUNITY,
        OrgType.COMMUNITY_WORKSTATION,
        OrgType.VILLAGE_COMMITTEE,
    ),
    **_types(
        OrgCategory.UNIT, OrgType.SCHOOL, OrgType.ENTERPRISE, OrgType.GOVERNMENT_AGENCY, OrgType.RESIDENT_UNIT
    ),
    **_types(
        OrgCategory.FACILITY,
        OrgType.YOUTH_CENTER,
        OrgType.YOUTH_HOME,
        OrgType.CHILDREN_HOME,
        OrgType.NEIGHBOURHOOD_STATION,
        OrgType.RECREATION_ROOM,
        OrgType.PARTY_SERVICE_CENTER,
        OrgType.CIVILIZATION_PRACTICE_STATION,
        OrgType.LIBRARY,
        OrgType.BOOKSTORE,
    ),
    **_types(OrgCategory.PRACTICE_BASE, OrgType.RED_SCARF_PRACTICE_BASE, OrgType.COLLEGE_PRACTICE_BASE),
    **_types(OrgCategory.CLUB, OrgType.YOUTH_CLUB, OrgType.ASSOCIATION),
    **_types(
        OrgCategory.EMPLOYMENT,
        OrgType.LABOUR_EMPLOYMENT_STATION,
        OrgType.LABOUR_SECURITY_STATION,
        OrgType.ENTREPRENEURSHIP_GUIDANCE_STATION,
        OrgType.ENTREPRENEURSHIP_WINDOW,
        OrgType.INCUBATOR,
        OrgType.ENTREPRENEURSHIP_DEMO_BASE,
    ),
    **_types(
        OrgCategory.EDUCATION,
        OrgType.COMMUNITY_EDUCATION_CENTER,
        OrgType.CITIZEN_SCHOOL,
        OrgType.ELDERLY_SCHOOL,
        OrgType.PARENT_SCHOOL,
        OrgType.COMMUNITY_PARTY_SCHOOL,
        OrgType.SELF_PROTECTION_SCHOOL,
    ),
    **_types(
        OrgCategory.CARE,
        OrgType.CARE_COMMITTEE,
        OrgType.CARE_WORKING_GROUP,
        OrgType.ASSISTANCE_GROUP,
        OrgType.RIGHTS_PROTECTION_POST,
    ),
    **_types(OrgCategory.GOVERNANCE, OrgType.LEADERSHIP_GROUP),
}

_LEAGUE_RANK: dict[OrgType, int] = {
    OrgType.LEAGUE_REGION_COMMITTEE: 0,
    OrgType.LEAGUE_CITY_COMMITTEE: 1,
    OrgType.LEAGUE_DISTRICT_COMMITTEE: 2,
    OrgType.LEAGUE_WORKING_COMMITTEE: 3,
    OrgType.LEAGUE_SCHOOL_COMMITTEE: 3,
    OrgType.LEAGUE_GENERAL_BRANCH: 4,
    OrgType.LEAGUE_BRANCH: 5,
}

_LEAF_CATEGORIES = frozenset(
    {
        OrgCategory.FACILITY,
        OrgCategory.PRACTICE_BASE,
        OrgCategory.EMPLOYMENT,
        OrgCategory.CARE,
        OrgCategory.GOVERNANCE,
    }
)
_FACILITY_CATEGORIES = frozenset({OrgCategory.FACILITY, OrgCategory.PRACTICE_BASE})
_ROOT_TYPES = frozenset({OrgType.LEAGUE_REGION_COMMITTEE, OrgType.LEAGUE_CITY_COMMITTEE})
_BRANCH_TERM_TYPES = frozenset({OrgType.LEAGUE_GENERAL_BRANCH, OrgType.LEAGUE_BRANCH})


def check_parent(child: OrgType, parent: OrgType | None) -> None:
    """Refuse a parent that would put ``child`` in an impossible place in the tree."""
    if parent is None:
        if not child.can_be_root:
            raise DomainError("parent_required", f"{child.label}必须隶属于上级组织", field="parent_id")
        return
    if parent.is_leaf:
        raise DomainError(
            "parent_is_leaf", f"{parent.label}不能设下级组织（{child.label}）", field="parent_id"
        )
    if child.can_be_root and parent.category is not OrgCategory.LEAGUE:
        raise DomainError(
            "invalid_parent",
            f"{child.label}只能隶属于上级团组织，不能隶属于{parent.label}",
            field="parent_id",
        )
    child_rank, parent_rank = child.league_rank, parent.league_rank
    if child_rank is not None and parent_rank is not None and parent_rank >= child_rank:
        raise DomainError(
            "invalid_parent", f"{child.label}不能隶属于同级或下级团组织{parent.label}", field="parent_id"
        )


def check_no_cycle(org_id: str, new_parent_id: str, new_parent_ancestor_ids: Sequence[str]) -> None:
    """Refuse a move that would make an organisation its own ancestor (the tree must stay a tree)."""
    if new_parent_id == org_id or org_id in new_parent_ancestor_ids:
        raise DomainError("tree_cycle", "不能把组织移到其自身或其下级组织之下", field="parent_id")


def name_key(name: str) -> str:
    """Fold width, spacing and case so "孝南 团区委" and "孝南　团区委" count as the same name."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


@dataclass(frozen=True)
class AreaPath:
    """Administrative area, city → district → street (街道) → community (社区), top-down."""

    city: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None

    def _named(self) -> list[tuple[str, str | None]]:
        return [("市", self.city), ("区/县", self.district), ("街道", self.street), ("社区", self.community)]

    def levels(self) -> list[str]:
        """The filled-in names, top-down, for breadcrumbs and area filters."""
        return [value.strip() for _, value in self._named() if value and value.strip()]

    def validate(self) -> None:
        """A community without its street (etc.) cannot be placed, so gaps are refused."""
        gap: str | None = None
        for level, value in self._named():
            if not (value and value.strip()):
                gap = gap or level
            elif gap is not None:
                raise DomainError("area_gap", f"已填写{level}但缺少上级区划（{gap}）", field="area")
