"""Every list education serves is cursor-paginated, except the ones a rule keeps short."""

from __future__ import annotations

from qingchun_education.service import create_app
from qingchun_plumbing.testing.quality import unpaged_lists, unsummarised

# Lists kept short by a rule instead of a cursor; each line says which rule.
BOUNDED: list[str] = [
    "GET /v1/learners",  # batch read only (ids required): at most MAX_BATCH ids, one page
    "GET /v1/certificates/signing-keys",  # the current key and the few rotated before it
]


def test_every_list_takes_cursor_and_limit() -> None:
    assert unpaged_lists(create_app().openapi(), bounded=BOUNDED) == []


def test_every_operation_says_what_it_is_for() -> None:
    assert unsummarised(create_app().openapi()) == []
