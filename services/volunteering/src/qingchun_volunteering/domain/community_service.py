"""双认领: a reported member claims a community service post (服务岗位) and a resident's micro-wish
(微心愿). Posts hold several members up to their capacity; a wish has exactly one claimer."""

from __future__ import annotations

from qingchun_plumbing.labels import LabelledEnum

from .errors import InvalidTransition


class ServicePostType(LabelledEnum):
    """The nine posts of the seeds' 县机关 report."""

    CULTURE_SPORTS = ("culture_sports", "文体活动服务岗")
    CIVILITY = ("civility", "文明新风践行岗")
    SANITATION = ("sanitation", "环境卫生保洁岗")
    SCIENCE = ("science", "科普知识宣传岗")
    PARTY_BUILDING = ("party_building", "党建工作指导岗")
    STUDENT_CARE = ("student_care", "学生关怀服务岗")
    FAMILY_PLANNING = ("family_planning", "计划生育服务岗")
    POLICY_LAW = ("policy_law", "政策法规宣传岗")
    MIGRANT = ("migrant", "流动人口服务岗")


class WishStatus(LabelledEnum):
    OPEN = ("open", "待认领")
    CLAIMED = ("claimed", "已认领")
    FULFILLED = ("fulfilled", "已实现")


def claim_wish(status: WishStatus) -> WishStatus:
    if status is not WishStatus.OPEN:
        raise InvalidTransition(f"该微心愿{status.label}，不能再认领", field="wish_id")
    return WishStatus.CLAIMED


def fulfil_wish(status: WishStatus) -> WishStatus:
    if status is not WishStatus.CLAIMED:
        raise InvalidTransition(f"该微心愿{status.label}，不能标记为已实现", field="wish_id")
    return WishStatus.FULFILLED
