"""Chinese labels of every monthly figure, for the graph's answers and the spreadsheet headers.

The services name their figures in English (``sessions``); league staff read 场次. A figure a
service adds later without a label here is still shown, under its code.
"""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "registry": "组织建设",
    "volunteering": "志愿服务",
    "education": "社区教育",
    "employment": "就业创业",
}

FIGURES: dict[str, str] = {
    # registry
    "as_of": "统计截止日",
    "communities": "社区数",
    "communities_by_stage": "创建进度",
    "branches": "团支部/团总支数",
    "communities_with_branch": "已建团支部社区数",
    "terms_by_status": "换届情况",
    "youth_centers": "青年中心数",
    "youth_centers_compliant": "达标青年中心",
    "youth_centers_registered": "民政登记青年中心",
    "youth_centers_by_status": "青年中心状态",
    "unmet_requirements": "未达标要求",
    "agreements_active": "履行中协议",
    "agreements_signed_in_month": "本月签订协议",
    "agreements_by_type": "协议类型",
    # volunteering
    "activities": "开展活动数",
    "sessions": "场次",
    "participants": "人次",
    "verified_minutes": "核验服务时长（分钟）",
    "sessions_by_category": "各类别场次",
    "participants_by_category": "各类别人次",
    "sessions_by_brand": "各品牌场次",
    "participants_by_brand": "各品牌人次",
    "registered_volunteers": "注册志愿者",
    "new_volunteers": "本月新注册志愿者",
    "members_invited": "应报到党团员",
    "members_checked_in": "已报到党团员",
    "members_overdue": "逾期未报到",
    "pairings_active": "帮扶中结对",
    "post_claims": "认领服务岗位",
    "wish_claims": "认领微心愿",
    # education
    "attendances": "人次",
    "sessions_by_programme": "各项目课次",
    "attendances_by_programme": "各项目人次",
    "sessions_by_kind": "各类项目课次",
    "enrolments": "本月报名",
    "completions": "本月结业",
    "badges_awarded": "本月颁发奖章",
    "citizen_schools": "市民学校数",
    "citizen_schools_by_compliance": "市民学校达标情况",
    "care_visible": "帮教统计可见",
    "care_small_cell_threshold": "小格抑制阈值",
    "care_by_status": "帮教档案（按状态）",
    "care_figures": "帮教统计",
    "care_rates": "帮教比率",
    # employment
    "postings_published": "发布用工信息",
    "postings_filled": "招满用工信息",
    "applications": "求职申请",
    "hires": "实现就业",
    "seekers": "登记求职者",
    "seekers_registered": "本月新登记求职者",
    "seekers_by_category": "求职者类别",
    "loans_applied": "本月申请贷款",
    "loans_by_status": "贷款状态",
    "ventures_started": "本月新创业项目",
    "ventures_by_kind": "创业类型",
}
"""Figure code → Chinese label (education's 场次 of sessions reads 课次 in its own breakdowns)."""

EDUCATION_OVERRIDES = {"sessions": "课次"}


def figure_label(section: str, key: str) -> str:
    if section == "education" and key in EDUCATION_OVERRIDES:
        return EDUCATION_OVERRIDES[key]
    return FIGURES.get(key, key)
