"""Every list the partner service serves is cursor-paginated, every operation says what it is for,
and every code has a Chinese label."""

from __future__ import annotations

from qingchun_partners.service import LABELLED_ENUMS, create_app
from qingchun_plumbing.testing.quality import label_problems, unpaged_lists, unsummarised


def test_every_list_takes_cursor_and_limit() -> None:
    assert unpaged_lists(create_app().openapi()) == []


def test_every_operation_says_what_it_is_for() -> None:
    assert unsummarised(create_app().openapi()) == []


def test_every_code_has_a_chinese_label() -> None:
    assert [p for enum in LABELLED_ENUMS.values() for p in label_problems(enum)] == []
