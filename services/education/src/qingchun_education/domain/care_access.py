"""Who may do what with a care file (DESIGN.md §4, DOMAIN.md §1.2 rule 3): one decision, all in one place.

Three capacities open a file, and only they: the helpers assigned to it (read it, log visits), the
community care staff of its jurisdiction (run it), and the supervising 关工委/league staff above
it (read, assign helpers, escalate, see aggregates and the audit trail). Holding a role is not
enough: community and supervising staff act only where their scope covers the jurisdiction. Roles
arrive as their codes, so this stays free of the token machinery.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from qingchun_plumbing.labels import LabelledEnum

COMMUNITY_STAFF = "community_staff"
SUPERVISING_ROLES = frozenset({"district_admin", "city_admin"})


class CareAction(LabelledEnum):
    CREATE = ("create", "建档登记")
    READ = ("read", "查阅档案")
    LIST = ("list", "查看档案列表")
    UPDATE = ("update", "修改档案")
    TRANSITION = ("transition", "变更帮教状态")
    ASSIGN_HELPER = ("assign_helper", "落实帮教人")
    LOG_VISIT = ("log_visit", "记录走访")
    ESCALATE = ("escalate", "移送公检法司")
    STATISTICS = ("statistics", "查看统计")
    READ_AUDIT = ("read_audit", "查看访问记录")


class Capacity(LabelledEnum):
    HELPER = ("helper", "帮教人")
    CARE_STAFF = ("care_staff", "社区帮教工作人员")
    SUPERVISOR = ("supervisor", "上级关工委/团委")


_HELPER = frozenset({CareAction.READ, CareAction.LIST, CareAction.LOG_VISIT})
_CARE_STAFF = frozenset(
    {
        CareAction.CREATE,
        CareAction.READ,
        CareAction.LIST,
        CareAction.UPDATE,
        CareAction.TRANSITION,
        CareAction.ASSIGN_HELPER,
        CareAction.LOG_VISIT,
        CareAction.ESCALATE,
    }
)
_SUPERVISOR = frozenset(
    {
        CareAction.READ,
        CareAction.LIST,
        CareAction.ASSIGN_HELPER,
        CareAction.ESCALATE,
        CareAction.STATISTICS,
        CareAction.READ_AUDIT,
    }
)
PERMISSIONS: dict[Capacity, frozenset[CareAction]] = {
    Capacity.HELPER: _HELPER,
    Capacity.CARE_STAFF: _CARE_STAFF,
    Capacity.SUPERVISOR: _SUPERVISOR,
}


@dataclass(frozen=True)
class Relation:
    """The caller's standing towards one case (or jurisdiction, for create, list and statistics).

    ``in_jurisdiction``: the caller's scope holds the jurisdiction or an organisation above it.
    ``helper``: the caller is among the case's assigned helpers (for lists: of any case).
    """

    in_jurisdiction: bool = False
    helper: bool = False


def capacities(roles: Set[str], relation: Relation) -> frozenset[Capacity]:
    held: set[Capacity] = set()
    if relation.helper:
        held.add(Capacity.HELPER)
    if relation.in_jurisdiction and COMMUNITY_STAFF in roles:
        held.add(Capacity.CARE_STAFF)
    if relation.in_jurisdiction and roles & SUPERVISING_ROLES:
        held.add(Capacity.SUPERVISOR)
    return frozenset(held)


def decide(roles: Set[str], relation: Relation, action: CareAction) -> bool:
    """Whether any capacity the caller holds towards the case permits ``action``."""
    return any(action in PERMISSIONS[c] for c in capacities(roles, relation))
