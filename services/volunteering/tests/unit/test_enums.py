"""Every enum member carries a Chinese label; staff and volunteers never read the English codes."""

from __future__ import annotations

import pytest

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.testing.quality import label_problems
from qingchun_plumbing.waitlist import WaitlistPolicy
from qingchun_volunteering.domain.activities import ActivityAction, ActivityCategory, ActivityStatus
from qingchun_volunteering.domain.signups import SignupStatus
from qingchun_volunteering.domain.volunteers import AgeBand, VolunteerType
from qingchun_volunteering.service import LABELLED_ENUMS

ENUMS: list[type[LabelledEnum]] = [
    VolunteerType,
    AgeBand,
    ActivityCategory,
    ActivityStatus,
    ActivityAction,
    WaitlistPolicy,
    SignupStatus,
]


@pytest.mark.parametrize("enum", sorted(set(LABELLED_ENUMS.values()), key=str), ids=lambda e: e.__name__)
def test_every_published_enum_has_distinct_chinese_labels(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


def test_the_core_enums_are_published_at_v1_labels() -> None:
    assert set(ENUMS) <= set(LABELLED_ENUMS.values())


def test_enum_sizes_match_the_domain_reference() -> None:
    sizes = {enum.__name__: len(enum) for enum in ENUMS}
    assert sizes == {
        "VolunteerType": 12,
        "AgeBand": 3,
        "ActivityCategory": 25,
        "ActivityStatus": 7,
        "ActivityAction": 6,
        "WaitlistPolicy": 3,
        "SignupStatus": 6,
    }


def test_volunteer_types_are_the_seed_list() -> None:
    assert set(VolunteerType.labels().values()) == {
        "青年志愿者",
        "团员志愿者",
        "返乡大学生",
        "青年业主",
        "在职党员/机关党员",
        "五老",
        "社区教育志愿者",
        "健康教育志愿者",
        "法制宣传志愿者",
        "廉政文化宣传志愿者",
        "城管义工",
        "大学生",
    }


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("nucleic_acid_order", "核酸采集秩序维护"),
        ("hometown_practice", "“大学生返家乡”主题实践"),
        ("learn_from_leifeng", "“3·5”学雷锋"),
        ("gas_safety", "燃气安全隐患排查"),
        ("science_outreach", "科普宣传"),
        ("other", "其他"),
    ],
)
def test_category_codes_and_labels(code: str, label: str) -> None:
    assert ActivityCategory(code).label == label


def test_unknown_code_is_rejected() -> None:
    with pytest.raises(ValueError, match="not_a_category"):
        ActivityCategory("not_a_category")
