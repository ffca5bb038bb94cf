"""Every list volunteering serves is cursor-paginated, except the ones a rule keeps short."""

from __future__ import annotations

from qingchun_plumbing.testing.quality import unpaged_lists, unsummarised
from qingchun_volunteering.service import create_app

# An activity has at most 50 shifts (ActivityCreate); signing keys are one per rotation.
BOUNDED = [
    "GET /v1/activities/{activity_id}/shifts",
    "GET /v1/certificates/signing-keys",  # the current key and the few rotated before it
    "GET /v1/shifts",  # a batch read: ids= is required and holds at most 200 ids
]


def test_every_list_takes_cursor_and_limit() -> None:
    assert unpaged_lists(create_app().openapi(), bounded=BOUNDED) == []


def test_every_operation_says_what_it_is_for() -> None:
    assert unsummarised(create_app().openapi()) == []
