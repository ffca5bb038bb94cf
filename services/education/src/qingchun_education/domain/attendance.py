"""Attendance (签到) at a session: who may be marked present, and what a recording adds.

Each learner present at a session counts once toward its 人次, however often staff record them;
the course's unique learners are counted apart (DOMAIN.md §2.3: count both).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from qingchun_plumbing.rules import DomainError


def check_held(starts_at: datetime, now: datetime) -> None:
    """Nobody can have attended a session that has not begun."""
    if starts_at > now:
        raise DomainError("session_not_held", "该课次尚未开始,不能登记出勤", field="session_id")


def check_enrolled(learner_ids: Sequence[str], attending: Collection[str]) -> None:
    """Only learners enrolled in the session's course are marked present; the first stranger is named."""
    for index, learner_id in enumerate(learner_ids):
        if learner_id not in attending:
            raise DomainError("not_enrolled", "该学员未报名此课程", field=f"learner_ids[{index}]")


def newly_present(already: Collection[str], marked: Sequence[str]) -> list[str]:
    """The learners this recording adds, in the order given, each once: recording twice counts once."""
    seen = set(already)
    added: list[str] = []
    for learner_id in marked:
        if learner_id not in seen:
            seen.add(learner_id)
            added.append(learner_id)
    return added


def check_room(present: int, added: int, capacity: int | None) -> None:
    """A session holds no more learners than its room takes (``None``: no limit)."""
    if capacity is not None and present + added > capacity:
        raise DomainError("session_full", f"该课次限{capacity}人,出勤人数超出", field="learner_ids")
