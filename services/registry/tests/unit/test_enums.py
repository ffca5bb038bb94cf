"""Every enum member carries a Chinese label; staff never read the English codes."""

from __future__ import annotations

import pytest

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.testing.quality import label_problems
from qingchun_registry.domain.agreements import AgreementAction, AgreementStatus, AgreementType
from qingchun_registry.domain.creation import CreationStage, SurveyItem
from qingchun_registry.domain.designations import DesignationKind
from qingchun_registry.domain.organizations import OrgCategory, OrgType
from qingchun_registry.domain.terms import TermStatus
from qingchun_registry.domain.youth_centers import (
    BuildMode,
    CenterStatus,
    OperatingModel,
    OrgForm,
    Requirement,
)

ENUMS: list[type[LabelledEnum]] = [
    OrgCategory,
    OrgType,
    CreationStage,
    SurveyItem,
    TermStatus,
    BuildMode,
    OrgForm,
    OperatingModel,
    Requirement,
    CenterStatus,
    AgreementType,
    AgreementStatus,
    AgreementAction,
    DesignationKind,
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_a_distinct_chinese_label(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


def test_enum_sizes_match_the_domain_reference() -> None:
    sizes = {enum.__name__: len(enum) for enum in ENUMS}
    assert sizes == {
        "OrgCategory": 11,
        "OrgType": 49,
        "CreationStage": 7,
        "SurveyItem": 6,
        "TermStatus": 4,
        "BuildMode": 3,
        "OrgForm": 2,
        "OperatingModel": 3,
        "Requirement": 5,
        "CenterStatus": 6,
        "AgreementType": 8,
        "AgreementStatus": 5,
        "AgreementAction": 5,
        "DesignationKind": 16,
    }


def test_codes_parse_back_to_members() -> None:
    assert OrgType("league_branch") is OrgType.LEAGUE_BRANCH
    assert OrgType.LEAGUE_BRANCH.label == "团支部"
    assert CreationStage.ACHIEVED.label == "建成青年文明社区"
    assert DesignationKind.labels()["five_good_party_branch"] == "“五好”党支部"
