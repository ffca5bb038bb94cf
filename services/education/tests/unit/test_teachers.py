"""Teacher-pool rules: the candidate → active ⇄ inactive moves and the five required trainings."""

from __future__ import annotations

from datetime import date

import pytest

from qingchun_education.domain.teachers import (
    TeacherStatus,
    TrainingTopic,
    check_training_date,
    is_qualified,
    missing_trainings,
    next_status,
)
from qingchun_plumbing.rules import DomainError, InvalidTransition

S = TeacherStatus


@pytest.mark.parametrize(
    ("current", "action", "target"),
    [
        (S.CANDIDATE, "confirm", S.ACTIVE),
        (S.ACTIVE, "deactivate", S.INACTIVE),
        (S.INACTIVE, "reactivate", S.ACTIVE),
    ],
)
def test_allowed_moves(current: TeacherStatus, action: str, target: TeacherStatus) -> None:
    assert next_status(current, action) is target


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (S.ACTIVE, "confirm"),
        (S.INACTIVE, "confirm"),
        (S.CANDIDATE, "deactivate"),
        (S.INACTIVE, "deactivate"),
        (S.CANDIDATE, "reactivate"),
        (S.ACTIVE, "reactivate"),
    ],
)
def test_refused_moves(current: TeacherStatus, action: str) -> None:
    with pytest.raises(InvalidTransition):
        next_status(current, action)


def test_qualified_only_with_all_five_trainings() -> None:
    four = [t.value for t in TrainingTopic][:4]
    assert not is_qualified(four)
    assert missing_trainings(four) == [TrainingTopic.SOCIAL_WORK]
    assert is_qualified([*four, "social_work"])
    assert missing_trainings([]) == list(TrainingTopic)


def test_a_training_date_ahead_of_today_is_refused() -> None:
    check_training_date(date(2026, 3, 1), today=date(2026, 3, 1))
    with pytest.raises(DomainError) as refused:
        check_training_date(date(2026, 3, 2), today=date(2026, 3, 1))
    assert (refused.value.code, refused.value.field) == ("training_in_future", "completed_on")
