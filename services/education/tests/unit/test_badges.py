"""Badge rules (雏鹰争章): which automatic badges are due, and what a definition may say."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from qingchun_education.app.badge_commands import AutomaticRule, BadgeCreate
from qingchun_education.domain.badges import AutomaticBadge, AwardSource, BadgeCategory, RuleKind, due_badges
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.testing.quality import label_problems

ORG = "org_" + "b" * 24


@pytest.mark.parametrize("enum", [BadgeCategory, RuleKind, AwardSource])
def test_every_code_has_a_distinct_chinese_label(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


def test_due_badges_are_those_reached_and_not_held() -> None:
    bronze, silver, gold = (
        AutomaticBadge("bdg_1", 60),
        AutomaticBadge("bdg_2", 600),
        AutomaticBadge("bdg_3", 6000),
    )
    assert due_badges([bronze, silver, gold], held=set(), total=59) == []
    assert due_badges([bronze, silver, gold], held=set(), total=60) == [bronze]
    assert due_badges([bronze, silver, gold], held={"bdg_1"}, total=600) == [silver]
    assert due_badges([bronze, silver, gold], held={"bdg_1", "bdg_2", "bdg_3"}, total=10_000) == []


def _badge(**overrides: object) -> BadgeCreate:
    fields: dict[str, object] = {
        "code": "community_service",
        "name": "社区服务章",
        "category": "community_service",
        "criteria": "参加社区志愿服务满10小时",
        "owner_organization_id": ORG,
    }
    return BadgeCreate.model_validate(fields | overrides)


def test_a_definition_may_carry_an_automatic_rule() -> None:
    assert _badge().rule is None
    rule = _badge(rule={"kind": "verified_service_minutes", "threshold": 600}).rule
    assert rule == AutomaticRule(kind=RuleKind.VERIFIED_SERVICE_MINUTES, threshold=600)


@pytest.mark.parametrize(
    "overrides",
    [
        {"code": "社区服务"},
        {"code": "Community"},
        {"rule": {"kind": "verified_service_minutes", "threshold": 0}},
        {"rule": {"kind": "attendance", "threshold": 10}},
        {"category": "sport"},
    ],
)
def test_malformed_definitions_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        _badge(**overrides)
