"""Every list volunteering serves is cursor-paginated, except the ones a rule keeps short."""

from __future__ import annotations

from qingchun_plumbing.testing.quality import unpaged_lists
from qingchun_volunteering.service import create_app

# An activity has at most 50 shifts (ActivityCreate), so its shifts come in one page.
BOUNDED = ["GET /v1/activities/{activity_id}/shifts"]


def test_every_list_takes_cursor_and_limit() -> None:
    assert unpaged_lists(create_app().openapi(), bounded=BOUNDED) == []
