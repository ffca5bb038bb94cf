"""青年中心: the five basic requirements and the centre's life cycle.

The seed builds first and standardises later (先建设、后规范): a centre may operate once built,
becomes compliant when all five requirements hold, and only a compliant centre registers with
the civil-affairs authority (民政登记). Compliance is derived from the profile, never set by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition

UNIFIED_NAME_SUFFIX = "社区青年中心"


class BuildMode(LabelledEnum):
    """How the site came about."""

    NEW_BUILD = ("new_build", "新建")
    CONVERSION = ("conversion", "改建")
    PLAQUE = ("plaque", "挂建")


class OrgForm(LabelledEnum):
    """How youth join and govern the centre (requirement ④)."""

    MEMBERSHIP = ("membership", "会员制")
    COUNCIL = ("council", "理事会制")


class OperatingModel(LabelledEnum):
    """Operating styles the seed names; a centre may combine several."""

    PROJECT_BASED = ("project_based", "项目化服务")
    BRAND_BASED = ("brand_based", "品牌化经营")
    ENTERPRISE_STYLE = ("enterprise_style", "企业化管理")


class Requirement(LabelledEnum):
    """The five basic requirements (五个一) a compliant centre meets."""

    UNIFIED_NAME = ("unified_name", "一个统一名称")
    FIXED_SITE = ("fixed_site", "一个固定场所")
    FULL_TIME_STAFF = ("full_time_staff", "一名以上专职人员")
    ORG_FORM = ("org_form", "一个组织形态")
    WORK_PROJECTS = ("work_projects", "一套工作项目")


class CenterStatus(LabelledEnum):
    """先试点后推广, 先建设后规范: the steps from plan to registration."""

    PROPOSED = ("proposed", "筹建")
    PILOT = ("pilot", "试点")
    ROLLOUT = ("rollout", "推广")
    BUILT = ("built", "已建成")
    COMPLIANT = ("compliant", "达标")
    REGISTERED = ("registered", "已登记")


@dataclass(frozen=True)
class CenterProfile:
    """What the centre has; the requirements are judged from this alone."""

    build_mode: BuildMode | None = None
    indoor_area_m2: float | None = None
    full_time_staff_count: int = 0
    org_form: OrgForm | None = None
    projects: tuple[str, ...] = ()
    operating_models: frozenset[OperatingModel] = frozenset()
    plaque_installed: bool = False

    def validate(self) -> None:
        """Areas and head counts cannot be negative (or not a number); such input is a mistake."""
        if self.indoor_area_m2 is not None and (math.isnan(self.indoor_area_m2) or self.indoor_area_m2 < 0):
            raise DomainError("negative_value", "室内面积不能为负数", field="indoor_area_m2")
        if self.full_time_staff_count < 0:
            raise DomainError("negative_value", "专职人员人数不能为负数", field="full_time_staff_count")


@dataclass(frozen=True)
class Registration:
    """The civil-affairs registration certificate."""

    authority: str
    number: str
    registered_on: date


def unmet_requirements(name: str, profile: CenterProfile, min_area_m2: float) -> list[Requirement]:
    """Requirements not yet met, in order; the minimum area is lost in the seed, so it is a parameter."""
    unmet: list[Requirement] = []
    stripped = name.strip()
    if not (stripped.endswith(UNIFIED_NAME_SUFFIX) and stripped.removesuffix(UNIFIED_NAME_SUFFIX).strip()):
        unmet.append(Requirement.UNIFIED_NAME)
    if profile.indoor_area_m2 is None or not profile.indoor_area_m2 >= min_area_m2:
        unmet.append(Requirement.FIXED_SITE)
    if profile.full_time_staff_count < 1:
        unmet.append(Requirement.FULL_TIME_STAFF)
    if profile.org_form is None:
        unmet.append(Requirement.ORG_FORM)
    if not any(project.strip() for project in profile.projects):
        unmet.append(Requirement.WORK_PROJECTS)
    return unmet


def settle(status: CenterStatus, unmet: Sequence[Requirement]) -> CenterStatus:
    """Re-derive compliance after the profile changed; a registered centre keeps its registration."""
    if status is CenterStatus.BUILT and not unmet:
        return CenterStatus.COMPLIANT
    if status is CenterStatus.COMPLIANT and unmet:
        return CenterStatus.BUILT
    return status


_MANUAL_NEXT: dict[CenterStatus, frozenset[CenterStatus]] = {
    CenterStatus.PROPOSED: frozenset({CenterStatus.PILOT, CenterStatus.ROLLOUT}),
    CenterStatus.PILOT: frozenset({CenterStatus.BUILT}),
    CenterStatus.ROLLOUT: frozenset({CenterStatus.BUILT}),
}


def advance_center(status: CenterStatus, to: CenterStatus, unmet: Sequence[Requirement]) -> CenterStatus:
    """A staff-driven step; reaching BUILT immediately settles into COMPLIANT if all requirements hold."""
    if to in (CenterStatus.COMPLIANT, CenterStatus.REGISTERED):
        raise InvalidTransition(
            f"“{to.label}”不能手工设置：达标由五项基本要求自动判定，登记须办理民政登记", field="to_status"
        )
    if to not in _MANUAL_NEXT.get(status, frozenset()):
        raise InvalidTransition(f"青年中心不能从“{status.label}”转为“{to.label}”", field="to_status")
    return settle(to, unmet)


def register(
    status: CenterStatus, unmet: Sequence[Requirement], registration: Registration, today: date
) -> CenterStatus:
    """民政登记 is open only to a centre that meets all five requirements."""
    if status is not CenterStatus.COMPLIANT or unmet:
        detail = "、".join(requirement.label for requirement in unmet) or f"当前状态为“{status.label}”"
        raise DomainError("not_compliant", f"青年中心未达标，不能登记：{detail}", field="status")
    if registration.registered_on > today:
        raise DomainError("registration_in_future", "登记日期不能晚于今天", field="registered_on")
    if not registration.authority.strip():
        raise DomainError("registration_incomplete", "须填写登记机关", field="authority")
    if not registration.number.strip():
        raise DomainError("registration_incomplete", "须填写登记证号", field="number")
    return CenterStatus.REGISTERED
