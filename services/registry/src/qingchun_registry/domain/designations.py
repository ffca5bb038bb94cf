"""Designations: honours and labels (荣誉/称号) granted to organisations, with validity dates."""

from __future__ import annotations

from datetime import date

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError


class DesignationKind(LabelledEnum):
    """Honours and labels found in the seeds."""

    YOUTH_CIVILIZATION_COMMUNITY = ("youth_civilization_community", "青年文明社区")
    FIRST_BATCH = ("first_batch", "首批创建社区")
    DEMONSTRATION_POINT = ("demonstration_point", "示范点")
    REGIONAL_PILOT = ("regional_pilot", "自治区试点")
    YOUTH_CIVILIZATION_POST = ("youth_civilization_post", "青年文明号")
    RIGHTS_PROTECTION_POST = ("rights_protection_post", "优秀青少年维权岗")
    PARTY_MEMBER_MODEL_POST = ("party_member_model_post", "共产党员示范岗")
    LEARNING_COMMUNITY = ("learning_community", "学习型社区")
    ENTREPRENEURIAL_COMMUNITY = ("entrepreneurial_community", "创业型街道/社区")
    FIVE_GOOD_PARTY_BRANCH = ("five_good_party_branch", "“五好”党支部")
    SIX_GOOD_CARE_COMMITTEE = ("six_good_care_committee", "“六好”关工委")
    MODEL_COMMUNITY = ("model_community", "模范社区")
    ADVANCED_COMMUNITY = ("advanced_community", "先进社区")
    CLEAN_GOVERNMENT_DEMO = ("clean_government_demo", "廉政文化示范社区")
    HEALTHY_COMMUNITY = ("healthy_community", "健康社区")
    SAFE_COMMUNITY = ("safe_community", "平安社区")


def check_validity(granted_on: date, valid_until: date | None, today: date) -> None:
    """An honour is recorded after it was granted, and cannot expire before it began."""
    if granted_on > today:
        raise DomainError("granted_in_future", "授予日期不能晚于今天", field="granted_on")
    if valid_until is not None and valid_until < granted_on:
        raise DomainError("date_order", "有效期截止日期不能早于授予日期", field="valid_until")
