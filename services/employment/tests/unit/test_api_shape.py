"""Every list employment serves is cursor-paginated, except the ones a rule keeps short."""

from __future__ import annotations

from qingchun_employment.service import create_app
from qingchun_plumbing.testing.quality import unpaged_lists, unsummarised

# Lists kept short by a rule instead of a cursor; each line says which rule.
BOUNDED: list[str] = []


def test_every_list_takes_cursor_and_limit() -> None:
    assert unpaged_lists(create_app().openapi(), bounded=BOUNDED) == []


def test_every_operation_says_what_it_is_for() -> None:
    assert unsummarised(create_app().openapi()) == []
