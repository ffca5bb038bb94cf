"""Star levels (星级志愿者) from verified service hours, on the national registered-volunteer scale.

Only verified minutes count: a star is a public recognition, so it must rest on hours a host
has certified, never on what a volunteer or the rules alone claim.
"""

from __future__ import annotations

from qingchun_plumbing.labels import LabelledEnum

STAR_THRESHOLD_HOURS = (100, 300, 600, 1000, 1500)
"""Verified hours for one to five stars (全国志愿服务信息系统 星级认定)."""


class StarLevel(LabelledEnum):
    """A volunteer's star level; the label is what a certificate and a team roster print."""

    NONE = ("none", "未评星")
    ONE = ("one", "一星级志愿者")
    TWO = ("two", "二星级志愿者")
    THREE = ("three", "三星级志愿者")
    FOUR = ("four", "四星级志愿者")
    FIVE = ("five", "五星级志愿者")


def star_label(level: int) -> StarLevel:
    """The labelled member for a level number (0–5) as stored on the volunteer."""
    return tuple(StarLevel)[level]


def star_level(verified_minutes: int) -> int:
    """The highest level whose threshold the minutes reach (0 below 100 hours)."""
    return sum(verified_minutes >= hours * 60 for hours in STAR_THRESHOLD_HOURS)


def levels_reached(before_minutes: int, after_minutes: int) -> list[int]:
    """Levels newly crossed by going from ``before`` to ``after``; a big 补录 may cross several."""
    return list(range(star_level(before_minutes) + 1, star_level(after_minutes) + 1))
