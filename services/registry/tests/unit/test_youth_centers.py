"""青年中心: the five requirements and the centre's life cycle."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from qingchun_registry.domain.errors import DomainError, InvalidTransition
from qingchun_registry.domain.youth_centers import (
    UNIFIED_NAME_SUFFIX,
    BuildMode,
    CenterProfile,
    CenterStatus,
    OperatingModel,
    OrgForm,
    Registration,
    Requirement,
    advance_center,
    register,
    settle,
    unmet_requirements,
)

C = CenterStatus
R = Requirement
TODAY = date(2024, 6, 1)
MIN_AREA = 100.0
GOOD = CenterProfile(
    build_mode=BuildMode.CONVERSION,
    indoor_area_m2=150.0,
    full_time_staff_count=2,
    org_form=OrgForm.MEMBERSHIP,
    projects=("青少年事务协管",),
    operating_models=frozenset({OperatingModel.PROJECT_BASED}),
    plaque_installed=True,
)
CERT = Registration("孝南区民政局", "民证字001号", date(2024, 5, 1))
MANUAL = {(C.PROPOSED, C.PILOT), (C.PROPOSED, C.ROLLOUT), (C.PILOT, C.BUILT), (C.ROLLOUT, C.BUILT)}

names = st.sampled_from(
    ["广场街道社区青年中心", "社区青年中心", " 新华社区青年中心 ", "青年之家", "  社区青年中心"]
)
profiles = st.builds(
    CenterProfile,
    build_mode=st.none() | st.sampled_from(BuildMode),
    indoor_area_m2=st.none() | st.floats(0, 300),
    full_time_staff_count=st.integers(0, 3),
    org_form=st.none() | st.sampled_from(OrgForm),
    projects=st.lists(st.sampled_from(["", " ", "助学", "就业见习"]), max_size=3).map(tuple),
)


def test_a_good_centre_meets_every_requirement() -> None:
    GOOD.validate()
    assert unmet_requirements("广场街道社区青年中心", GOOD, MIN_AREA) == []


def test_an_empty_profile_misses_everything_in_order() -> None:
    assert unmet_requirements("青年之家", CenterProfile(), MIN_AREA) == list(Requirement)


@pytest.mark.parametrize(
    ("name", "profile", "unmet"),
    [
        (UNIFIED_NAME_SUFFIX, GOOD, [R.UNIFIED_NAME]),
        ("  " + UNIFIED_NAME_SUFFIX, GOOD, [R.UNIFIED_NAME]),
        ("广场街道青年中心", GOOD, [R.UNIFIED_NAME]),
        (
            "甲社区青年中心",
            CenterProfile(indoor_area_m2=99.9, full_time_staff_count=1),
            [R.FIXED_SITE, R.ORG_FORM, R.WORK_PROJECTS],
        ),
        (
            "甲社区青年中心",
            CenterProfile(indoor_area_m2=100.0, org_form=OrgForm.COUNCIL, projects=(" ",)),
            [R.FULL_TIME_STAFF, R.WORK_PROJECTS],
        ),
    ],
)
def test_unmet_requirement_examples(name: str, profile: CenterProfile, unmet: list[Requirement]) -> None:
    assert unmet_requirements(name, profile, MIN_AREA) == unmet


@given(names, profiles, st.floats(0, 300))
def test_unmet_requirements_match_their_definitions(
    name: str, profile: CenterProfile, min_area: float
) -> None:
    unmet = unmet_requirements(name, profile, min_area)
    assert unmet == [r for r in Requirement if r in unmet], "in enum order"
    prefix = name.strip().removesuffix(UNIFIED_NAME_SUFFIX)
    assert (R.UNIFIED_NAME in unmet) == (not name.strip().endswith(UNIFIED_NAME_SUFFIX) or not prefix.strip())
    area = profile.indoor_area_m2
    assert (R.FIXED_SITE in unmet) == (area is None or area < min_area)
    assert (R.FULL_TIME_STAFF in unmet) == (profile.full_time_staff_count == 0)
    assert (R.ORG_FORM in unmet) == (profile.org_form is None)
    assert (R.WORK_PROJECTS in unmet) == all(not p.strip() for p in profile.projects)


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        (CenterProfile(indoor_area_m2=-1.0), "indoor_area_m2"),
        (CenterProfile(indoor_area_m2=float("nan")), "indoor_area_m2"),
        (CenterProfile(full_time_staff_count=-1), "full_time_staff_count"),
    ],
)
def test_profile_rejects_negative_values(profile: CenterProfile, field: str) -> None:
    with pytest.raises(DomainError) as excinfo:
        profile.validate()
    assert (excinfo.value.code, excinfo.value.field) == ("negative_value", field)


def test_settle() -> None:
    assert settle(C.BUILT, []) is C.COMPLIANT
    assert settle(C.COMPLIANT, [R.FIXED_SITE]) is C.BUILT
    assert settle(C.BUILT, [R.FIXED_SITE]) is C.BUILT
    assert settle(C.COMPLIANT, []) is C.COMPLIANT
    assert settle(C.REGISTERED, [R.ORG_FORM]) is C.REGISTERED
    assert settle(C.PILOT, []) is C.PILOT


def test_advance_center() -> None:
    assert advance_center(C.PROPOSED, C.PILOT, []) is C.PILOT
    assert advance_center(C.ROLLOUT, C.BUILT, [R.ORG_FORM]) is C.BUILT
    assert advance_center(C.PILOT, C.BUILT, []) is C.COMPLIANT
    for status, to in [
        (C.PROPOSED, C.BUILT),
        (C.BUILT, C.COMPLIANT),
        (C.COMPLIANT, C.REGISTERED),
        (C.BUILT, C.PILOT),
    ]:
        with pytest.raises(InvalidTransition) as excinfo:
            advance_center(status, to, [])
        assert excinfo.value.field == "to_status"


def test_register() -> None:
    assert register(C.COMPLIANT, [], CERT, TODAY) is C.REGISTERED
    with pytest.raises(DomainError) as excinfo:
        register(C.BUILT, [R.FIXED_SITE, R.ORG_FORM], CERT, TODAY)
    assert (excinfo.value.code, excinfo.value.field) == ("not_compliant", "status")
    assert "一个固定场所" in excinfo.value.message
    assert "一个组织形态" in excinfo.value.message
    with pytest.raises(DomainError, match="未达标"):
        register(C.PILOT, [], CERT, TODAY)
    future = Registration(CERT.authority, CERT.number, TODAY + timedelta(days=1))
    with pytest.raises(DomainError) as excinfo:
        register(C.COMPLIANT, [], future, TODAY)
    assert (excinfo.value.code, excinfo.value.field) == ("registration_in_future", "registered_on")
    for blank in (Registration(" ", "1", TODAY), Registration("民政局", "", TODAY)):
        with pytest.raises(DomainError) as excinfo:
            register(C.COMPLIANT, [], blank, TODAY)
        assert excinfo.value.code == "registration_incomplete"


class CenterMachine(RuleBasedStateMachine):
    """Random edits and staff moves keep compliance derived and registration gated."""

    def __init__(self) -> None:
        super().__init__()
        self.status = C.PROPOSED
        self.name = "广场街道社区青年中心"
        self.profile = CenterProfile()
        self.registered = False

    @property
    def unmet(self) -> list[Requirement]:
        return unmet_requirements(self.name, self.profile, MIN_AREA)

    @rule(name=names, profile=st.just(GOOD) | profiles)
    def edit_profile(self, name: str, profile: CenterProfile) -> None:
        self.name, self.profile = name, profile
        self.status = settle(self.status, self.unmet)

    @rule(to=st.sampled_from(CenterStatus))
    def move(self, to: CenterStatus) -> None:
        try:
            after = advance_center(self.status, to, self.unmet)
        except InvalidTransition:
            assert (self.status, to) not in MANUAL
            return
        assert (self.status, to) in MANUAL
        assert after is settle(to, self.unmet)
        self.status = after

    @rule(registered_on=st.sampled_from([TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=1)]))
    def try_register(self, registered_on: date) -> None:
        was = self.status
        try:
            self.status = register(was, self.unmet, Registration("民政局", "001", registered_on), TODAY)
        except DomainError:
            assert was is not C.COMPLIANT or self.unmet or registered_on > TODAY
            return
        assert was is C.COMPLIANT
        assert not self.unmet
        self.registered = True

    @invariant()
    def compliant_iff_built_and_nothing_unmet(self) -> None:
        if self.status in (C.BUILT, C.COMPLIANT):
            assert (self.status is C.COMPLIANT) == (not self.unmet)

    @invariant()
    def registered_only_through_register_and_for_good(self) -> None:
        assert (self.status is C.REGISTERED) == self.registered


TestCenterMachine = CenterMachine.TestCase
