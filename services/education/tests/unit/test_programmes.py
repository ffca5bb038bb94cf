"""Programme rules: the kinds, groups and seasons staff choose from, and partners."""

from __future__ import annotations

import pytest

from qingchun_education.domain.programmes import ProgrammeKind, Season, TargetGroup, check_partners
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.testing.quality import label_problems


@pytest.mark.parametrize("enum", [ProgrammeKind, TargetGroup, Season])
def test_every_code_has_its_own_chinese_label(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


def test_the_programme_kinds_cover_what_the_seeds_run() -> None:
    wanted = {"读书计划", "国学经典亲子诵读", "法制教育", "心理健康", "自护教育", "技能培训", "文体活动"}
    wanted |= {"雏鹰争章", "七彩假期", "夏令营", "安全教育", "青年大学习/政治学习", "市民学校", "其他"}
    assert wanted <= set(ProgrammeKind.labels().values())


def test_target_groups_include_families() -> None:
    assert TargetGroup("families").label == "亲子家庭"
    assert len(TargetGroup) == 7


def test_partners_are_accepted_when_distinct_from_the_owner() -> None:
    check_partners("org_a", ["org_b", "org_c"])
    check_partners("org_a", [])


@pytest.mark.parametrize(
    ("partners", "field", "code"),
    [
        (["org_b", "org_a"], "partner_organization_ids.1", "partner_is_owner"),
        (["org_b", "org_c", "org_b"], "partner_organization_ids.2", "partner_repeated"),
    ],
)
def test_bad_partner_lists_are_refused_at_the_entry(partners: list[str], field: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_partners("org_a", partners)
    assert (refused.value.field, refused.value.code) == (field, code)
