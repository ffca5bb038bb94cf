"""Programmes (计划/项目): what a league body or community runs over a season, with its partners.

A programme groups the courses and activities of one kind (读书计划, 七彩假期, 法制教育…) so
city reports can count them by kind, season and year (DOMAIN.md §2.3, §4).
"""

from __future__ import annotations

from collections.abc import Sequence

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

MIN_YEAR = 2000
MAX_YEAR = 2100


class ProgrammeKind(LabelledEnum):
    """Every kind of programme the seeds run (DOMAIN.md §2.3)."""

    READING = ("reading", "读书计划")
    CLASSICS_FAMILY_READING = ("classics_family_reading", "国学经典亲子诵读")
    LAW_EDUCATION = ("law_education", "法制教育")
    MENTAL_HEALTH = ("mental_health", "心理健康")
    SELF_PROTECTION = ("self_protection", "自护教育")
    SKILLS_TRAINING = ("skills_training", "技能培训")
    CULTURE_SPORTS = ("culture_sports", "文体活动")
    YOUNG_EAGLE = ("young_eagle", "雏鹰争章")
    COLOURFUL_HOLIDAY = ("colourful_holiday", "七彩假期")
    SUMMER_CAMP = ("summer_camp", "夏令营")
    SAFETY_EDUCATION = ("safety_education", "安全教育")
    POLITICAL_STUDY = ("political_study", "青年大学习/政治学习")
    MILITARY_CIVIL = ("military_civil", "军营一日游/国防教育")
    ETIQUETTE = ("etiquette", "文明礼仪")
    HEALTH_EDUCATION = ("health_education", "卫生保健/生殖健康教育")
    CITIZEN_SCHOOL = ("citizen_school", "市民学校")
    OTHER = ("other", "其他")


class TargetGroup(LabelledEnum):
    """Who a programme or course is for (DOMAIN.md §2.3 Course.target_group, plus 亲子家庭)."""

    CHILDREN = ("children", "少儿")
    YOUTH = ("youth", "青少年")
    ELDERLY = ("elderly", "老年")
    EXPECTANT = ("expectant", "孕期")
    UNEMPLOYED = ("unemployed", "下岗失业")
    ALL_RESIDENTS = ("all_residents", "全体居民")
    FAMILIES = ("families", "亲子家庭")


class Season(LabelledEnum):
    WINTER_HOLIDAY = ("winter_holiday", "寒假")
    SUMMER_HOLIDAY = ("summer_holiday", "暑假")
    SPRING = ("spring", "春季")
    AUTUMN = ("autumn", "秋季")
    YEAR_ROUND = ("year_round", "全年")


def check_partners(owner: str, partners: Sequence[str]) -> None:
    """Partners are other organisations, each named once: the owner is not its own partner."""
    seen: set[str] = set()
    for position, partner in enumerate(partners):
        field = f"partner_organization_ids.{position}"
        if partner == owner:
            raise DomainError("partner_is_owner", "主办单位不能同时是合作单位", field=field)
        if partner in seen:
            raise DomainError("partner_repeated", "合作单位重复", field=field)
        seen.add(partner)
