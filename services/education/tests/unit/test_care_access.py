"""Who may do what with a care file: every role, in and out of the jurisdiction, helper or not,
against every action. The expected table is written out by hand from DESIGN.md §4."""

from __future__ import annotations

import pytest

from qingchun_education.domain.care_access import CareAction, Relation, decide
from qingchun_plumbing.auth import Role

C = CareAction
ALL = frozenset(CareAction)
HELPER = {C.READ, C.LIST, C.LOG_VISIT}
CARE_STAFF = {C.CREATE, C.READ, C.LIST, C.UPDATE, C.TRANSITION, C.ASSIGN_HELPER, C.LOG_VISIT, C.ESCALATE}
SUPERVISOR = {C.READ, C.LIST, C.ASSIGN_HELPER, C.ESCALATE, C.STATISTICS, C.READ_AUDIT}
IN_SCOPE = {Role.COMMUNITY_STAFF: CARE_STAFF, Role.DISTRICT_ADMIN: SUPERVISOR, Role.CITY_ADMIN: SUPERVISOR}

RELATIONS = {
    "stranger": Relation(),
    "in_jurisdiction": Relation(in_jurisdiction=True),
    "helper": Relation(helper=True),
    "helper_in_jurisdiction": Relation(in_jurisdiction=True, helper=True),
}


def expected(role: Role, relation: str) -> set[CareAction]:
    allowed: set[CareAction] = set()
    if "helper" in relation:
        allowed |= HELPER
    if "in_jurisdiction" in relation:
        allowed |= IN_SCOPE.get(role, set())
    return allowed


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("relation", list(RELATIONS))
@pytest.mark.parametrize("action", list(CareAction))
def test_every_role_in_every_relation_for_every_action(role: Role, relation: str, action: CareAction) -> None:
    assert decide(frozenset({role}), RELATIONS[relation], action) is (action in expected(role, relation))


@pytest.mark.parametrize(
    "role", [Role.ORG_ADMIN, Role.SCHOOL_STAFF, Role.MENTOR, Role.VOLUNTEER, Role.GUARDIAN, Role.PARTNER]
)
def test_roles_outside_care_work_get_nothing_even_inside_the_jurisdiction(role: Role) -> None:
    assert [a for a in ALL if decide(frozenset({role}), Relation(in_jurisdiction=True), a)] == []


def test_several_roles_add_up_and_no_role_is_nothing() -> None:
    both = frozenset({Role.COMMUNITY_STAFF, Role.DISTRICT_ADMIN})
    assert {a for a in ALL if decide(both, Relation(in_jurisdiction=True), a)} == CARE_STAFF | SUPERVISOR
    assert [a for a in ALL if decide(frozenset(), Relation(in_jurisdiction=True), a)] == []


def test_a_helper_reads_and_logs_visits_but_never_runs_the_case() -> None:
    mentor = frozenset({Role.MENTOR})
    assert {a for a in ALL if decide(mentor, Relation(helper=True), a)} == HELPER
