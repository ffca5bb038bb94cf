"""Badges (雏鹰争章): what a badge is for, and which automatic badges a child has earned.

A counsellor (少先队辅导员) awards most badges by hand; some are earned by a measured effort
instead: verified community service or reading time. A child holds each badge once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from qingchun_plumbing.labels import LabelledEnum


class BadgeCategory(LabelledEnum):
    """What the 雏鹰假日小队 do (DOMAIN.md §2.3): 科普宣传, 兴趣小组, 艺术培训, 素质拓展, service."""

    COMMUNITY_SERVICE = ("community_service", "社区服务")
    READING = ("reading", "读书")
    SCIENCE = ("science", "科普")
    ARTS = ("arts", "艺术")
    SELF_PROTECTION = ("self_protection", "自护")
    INTEREST_GROUP = ("interest_group", "兴趣小组")
    QUALITY_DEVELOPMENT = ("quality_development", "素质拓展")
    OTHER = ("other", "其他")


class RuleKind(LabelledEnum):
    """What an automatic badge measures, in minutes."""

    VERIFIED_SERVICE_MINUTES = ("verified_service_minutes", "经核实的志愿服务时长")
    READING_MINUTES = ("reading_minutes", "阅读时长")


class AwardSource(LabelledEnum):
    COUNSELLOR = ("counsellor", "辅导员颁发")
    AUTOMATIC = ("automatic", "自动获得")


@dataclass(frozen=True)
class AutomaticBadge:
    badge_id: str
    threshold: int


def due_badges(badges: Sequence[AutomaticBadge], held: Collection[str], total: int) -> list[AutomaticBadge]:
    """The badges whose threshold ``total`` reaches and that the child does not hold yet."""
    return [b for b in badges if b.threshold <= total and b.badge_id not in held]
