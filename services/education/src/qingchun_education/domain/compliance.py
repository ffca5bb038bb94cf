"""Whether a citizen school kept its monthly duties: 每月至少一次活动或讲座, 每周都有教学.

Counted on local calendar days (the configured time zone), over sessions that have started by
``now`` (sessions are scheduled ahead; a planned one is not yet held).

Weeks are ISO weeks (Monday to Sunday). A week that straddles two months is decided so that every
week is owed to exactly one month and no teaching goes uncredited:
- the week is *owed* by the month holding its Thursday (its larger part, as ISO does for years);
  the owing month is met by teaching anywhere in that week, even on the days in the other month;
- the other month counts the week only when teaching falls in its own part of the week (it is
  then taught there too, never missing there).
A week owed is judged once it is over; until then it is pending (neither taught nor missing). A
month is final once it is over and no week it owes is pending; before that its status is in
progress, unless a failure is already certain (a week missed, or the month over without any
activity or lecture).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

TEACHING = "teaching"
EVENT_KINDS = frozenset({"lecture", "activity"})
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_WEEK = timedelta(days=7)


class ComplianceStatus(LabelledEnum):
    COMPLIANT = ("compliant", "达标")
    NON_COMPLIANT = ("non_compliant", "未达标")
    IN_PROGRESS = ("in_progress", "进行中")


class ComplianceReason(LabelledEnum):
    MISSING_TEACHING_WEEK = ("missing_teaching_week", "有周次未开展教学")
    NO_ACTIVITY_OR_LECTURE = ("no_activity_or_lecture", "本月未开展活动或讲座")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def after(self) -> date:
        """The first day of the next month."""
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def mondays(self) -> list[date]:
        """The Mondays of the ISO weeks that overlap the month."""
        monday = self.first - timedelta(days=self.first.weekday())
        found = []
        while monday < self.after:
            found.append(monday)
            monday += _WEEK
        return found

    def owes(self, monday: date) -> bool:
        return self.first <= monday + timedelta(days=3) < self.after


@dataclass(frozen=True)
class Compliance:
    month: str
    status: ComplianceStatus
    activities_or_lectures: int
    teaching_weeks: int
    weeks_required: int
    missing_weeks: list[str]
    reasons: list[ComplianceReason]


def parse_month(text: str) -> Month:
    found = _MONTH.match(text)
    if found is None or not 2000 <= int(found.group(1)) <= 2100:
        raise DomainError("invalid_month", "月份格式应为 YYYY-MM, 如 2026-09", field="month")
    return Month(int(found.group(1)), int(found.group(2)))


def session_window(month: Month, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants whose sessions the judgement needs: every day of every week overlapping the month."""
    mondays = month.mondays()
    return _midnight(mondays[0], zone), _midnight(mondays[-1] + _WEEK, zone)


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _held_days(
    sessions: Sequence[tuple[datetime, str]], now: datetime, zone: tzinfo
) -> tuple[set[date], list[date]]:
    """Local days with teaching, and the local days of each activity or lecture, of held sessions."""
    held = [(starts_at.astimezone(zone).date(), kind) for starts_at, kind in sessions if starts_at <= now]
    return {day for day, kind in held if kind == TEACHING}, [day for day, kind in held if kind in EVENT_KINDS]


@dataclass(frozen=True)
class _Weeks:
    taught: list[str]
    missing: list[str]
    pending: int  # owed, not yet taught, not yet over


def _weeks(month: Month, teaching: set[date], today: date) -> _Weeks:
    """Taught, missing and pending weeks under the straddling-week rule of the module docstring."""
    taught, missing, pending = [], [], 0
    for monday in month.mondays():
        days = [monday + timedelta(days=i) for i in range(7)]
        here = any(month.first <= d < month.after and d in teaching for d in days)
        owed = month.owes(monday)
        if here or (owed and teaching.intersection(days)):
            taught.append(week_label(monday))
        elif owed and today >= monday + _WEEK:
            missing.append(week_label(monday))
        elif owed:
            pending += 1
    return _Weeks(taught, missing, pending)


def judge(month: Month, sessions: Sequence[tuple[datetime, str]], now: datetime, zone: tzinfo) -> Compliance:
    """The month's compliance from its sessions' ``(starts_at, kind)`` over ``session_window``."""
    today = now.astimezone(zone).date()
    teaching, event_days = _held_days(sessions, now, zone)
    events = sum(month.first <= day < month.after for day in event_days)
    weeks = _weeks(month, teaching, today)
    month_over = today >= month.after
    reasons = [ComplianceReason.MISSING_TEACHING_WEEK] if weeks.missing else []
    if month_over and events == 0:
        reasons.append(ComplianceReason.NO_ACTIVITY_OR_LECTURE)
    if reasons:
        status = ComplianceStatus.NON_COMPLIANT
    elif month_over and not weeks.pending:
        status = ComplianceStatus.COMPLIANT
    else:
        status = ComplianceStatus.IN_PROGRESS
    return Compliance(
        month=month.label,
        status=status,
        activities_or_lectures=events,
        teaching_weeks=len(weeks.taught),
        weeks_required=len(weeks.taught) + len(weeks.missing),
        missing_weeks=weeks.missing,
        reasons=reasons,
    )
