"""Every list the registry serves is cursor-paginated, except the ones a rule keeps short."""

from __future__ import annotations

from qingchun_plumbing.testing.quality import unpaged_lists, unsummarised
from qingchun_registry.service import create_app

# An organisation's ancestors are bounded by the tree's depth limit.
BOUNDED = ["GET /v1/organizations/{organization_id}/ancestors"]


def test_every_list_takes_cursor_and_limit() -> None:
    assert unpaged_lists(create_app().openapi(), bounded=BOUNDED) == []


def test_every_operation_says_what_it_is_for() -> None:
    assert unsummarised(create_app().openapi()) == []
