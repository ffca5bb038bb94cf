"""Attendance rules: only held sessions, only enrolled learners, within the room, each learner once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_education.domain.attendance import check_enrolled, check_held, check_room, newly_present
from qingchun_plumbing.rules import DomainError

NOW = datetime(2024, 7, 13, 9, 0, tzinfo=UTC)


def test_a_session_that_has_begun_can_be_recorded() -> None:
    check_held(NOW, NOW)
    check_held(NOW - timedelta(days=3), NOW)


def test_a_future_session_cannot() -> None:
    with pytest.raises(DomainError) as error:
        check_held(NOW + timedelta(minutes=1), NOW)
    assert (error.value.code, error.value.field) == ("session_not_held", "session_id")


def test_the_first_learner_not_enrolled_is_named_by_position() -> None:
    check_enrolled(["lrn_a", "lrn_b"], {"lrn_a", "lrn_b", "lrn_c"})
    with pytest.raises(DomainError) as error:
        check_enrolled(["lrn_a", "lrn_x", "lrn_y"], {"lrn_a"})
    assert (error.value.code, error.value.field) == ("not_enrolled", "learner_ids[1]")


def test_recording_twice_adds_each_learner_once() -> None:
    assert newly_present([], ["lrn_a", "lrn_b", "lrn_a"]) == ["lrn_a", "lrn_b"]
    assert newly_present(["lrn_a"], ["lrn_a", "lrn_c"]) == ["lrn_c"]
    assert newly_present(["lrn_a", "lrn_c"], ["lrn_c", "lrn_a"]) == []


@given(st.lists(st.sampled_from("abcdef")), st.lists(st.sampled_from("abcdef")))
def test_present_after_a_recording_is_the_union(already: list[str], marked: list[str]) -> None:
    before = list(dict.fromkeys(already))
    added = newly_present(before, marked)
    assert set(before) | set(added) == set(before) | set(marked)
    assert len(before) + len(added) == len(set(before) | set(marked))


@pytest.mark.parametrize(
    ("present", "added", "capacity", "full"),
    [(0, 3, 3, False), (2, 1, 3, False), (2, 2, 3, True), (0, 4, 3, True), (100, 50, None, False)],
)
def test_a_session_holds_no_more_than_its_room(
    present: int, added: int, capacity: int | None, full: bool
) -> None:
    if full:
        with pytest.raises(DomainError) as error:
            check_room(present, added, capacity)
        assert (error.value.code, error.value.field) == ("session_full", "learner_ids")
    else:
        check_room(present, added, capacity)
