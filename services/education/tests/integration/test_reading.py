"""Reading on the real store: family-account logs, the 健康向上 review, and challenge progress edges."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from education_harness import Stack


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


async def child(stack: Stack, guardian: str, home: str | None, born: str = "2015-05-01") -> str:
    """A young child on the guardian's family account (no account of their own)."""
    body = {"display_name": "小明", "birth_date": born, "home_community_id": home, "for_child": True}
    response = await stack.education.post(
        "/v1/learners", json=body, headers=stack.person(guardian, "guardian")
    )
    assert response.status_code == 201, response.text
    learner_id: str = response.json()["id"]
    return learner_id


async def book(stack: Stack, title: str, bands: list[str], **fields: Any) -> str:
    body = {"title": title, "author": "吴承恩", "age_bands": bands} | fields
    response = await stack.education.post("/v1/books", json=body, headers=stack.admin())
    assert response.status_code == 201, response.text
    book_id: str = response.json()["id"]
    return book_id


async def log(stack: Stack, who: str, learner_id: str, read_on: date, minutes: int, **book_ref: str) -> Any:
    body = {"learner_id": learner_id, "minutes": minutes, "read_on": read_on.isoformat()} | book_ref
    return await stack.education.post("/v1/reading-logs", json=body, headers=stack.person(who, "guardian"))


@contextlib.contextmanager
def on_day(stack: Stack, day: date) -> Iterator[None]:
    """Serve requests as if it were noon (Beijing time) on ``day``; the service's clock, nothing else."""
    app_state = stack.education_app.state
    real = app_state.education
    noon = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
    app_state.education = dataclasses.replace(real, now=lambda: noon)
    try:
        yield
    finally:
        app_state.education = real


async def test_a_guardian_logs_for_their_child_and_a_stranger_is_refused(stack: Stack) -> None:
    community = await stack.community()
    learner = await child(stack, "mum-1", community)
    written = await log(stack, "mum-1", learner, today(), 25, title="西游记（少儿版）")
    assert written.status_code == 201, written.text
    assert (written.json()["logged_by"], written.json()["minutes"]) == ("mum-1", 25)

    refused = await log(stack, "stranger-1", learner, today(), 25, title="西游记（少儿版）")
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "not_your_learner"
    peek = await stack.education.get(
        f"/v1/learners/{learner}/reading-logs", headers=stack.person("stranger-1")
    )
    assert (peek.status_code, peek.json()["code"]) == (403, "not_your_learner")

    staff_view = await stack.education.get(
        f"/v1/learners/{learner}/reading-logs", headers=stack.staff(community)
    )
    assert staff_view.status_code == 200, staff_view.text
    assert [i["logged_by"] for i in staff_view.json()["items"]] == ["mum-1"]  # the stranger wrote nothing
    tomorrow = await log(stack, "mum-1", learner, today() + timedelta(days=1), 10, title="西游记（少儿版）")
    assert (tomorrow.status_code, tomorrow.json()["code"]) == (422, "read_on_in_future")
    again = await log(stack, "mum-1", learner, today(), 15, title="  西游记（少儿版） ")
    assert again.status_code == 201, again.text
    totals = await stack.education.get(
        f"/v1/learners/{learner}/reading-totals", headers=stack.person("mum-1", "guardian")
    )
    assert (totals.json()["books"], totals.json()["minutes"]) == (1, 40)


async def test_a_list_is_published_only_after_another_staff_member_reviewed_it(stack: Stack) -> None:
    community = await stack.community()
    first = await book(stack, "西游记", ["primary_upper"], isbn="978-7-02-000220-7")
    second = await book(stack, "小王子", ["primary_lower", "primary_upper"])
    duplicate = await stack.education.post(
        "/v1/books",
        json={"title": "西游记", "author": "吴承恩", "age_bands": ["adult"], "isbn": "9787020002207"},
        headers=stack.admin(),
    )
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "isbn_taken")
    wrong = await stack.education.post(
        "/v1/books",
        json={"title": "红楼梦", "author": "曹雪芹", "age_bands": ["adult"], "isbn": "978-7-02-000220-8"},
        headers=stack.admin(),
    )
    assert (wrong.status_code, wrong.json()["field"], wrong.json()["code"]) == (422, "isbn", "invalid_isbn")

    creator, reviewer = stack.staff(community, subject="s-1"), stack.staff(community, subject="s-2")
    body = {
        "name": "中国青少年新世纪读书计划推荐书目",
        "curator_organization_id": community,
        "curator_name": "灵武市图书馆",
        "curator_role": "图书馆",
        "age_bands": ["primary_upper"],
        "book_ids": [second, first],
    }
    created = await stack.education.post("/v1/reading-lists", json=body, headers=creator)
    assert created.status_code == 201, created.text
    list_id = created.json()["id"]
    assert created.json()["book_ids"] == [second, first]
    reader = stack.person("reader-1")
    hidden = await stack.education.get(f"/v1/reading-lists/{list_id}", headers=reader)
    assert hidden.status_code == 404

    early = await stack.education.post(f"/v1/reading-lists/{list_id}:publish", headers=creator)
    assert (early.status_code, early.json()["code"]) == (409, "invalid_transition")
    own = await stack.education.post(f"/v1/reading-lists/{list_id}:review", headers=creator)
    assert (own.status_code, own.json()["code"]) == (403, "reviewer_is_creator")
    reviewed = await stack.education.post(f"/v1/reading-lists/{list_id}:review", headers=reviewer)
    assert reviewed.json()["status"] == "reviewed", reviewed.text
    done = await stack.education.post(f"/v1/reading-lists/{list_id}:publish", headers=creator)
    assert done.json()["status"] == "published", done.text

    found = await stack.education.get(
        "/v1/reading-lists", params={"age_band": "primary_upper"}, headers=reader
    )
    assert [i["id"] for i in found.json()["items"]] == [list_id]
    other_band = await stack.education.get("/v1/reading-lists", params={"age_band": "adult"}, headers=reader)
    assert other_band.json()["items"] == []


async def test_books_by_age_band_come_page_by_page(stack: Stack) -> None:
    ids = [await book(stack, f"绘本{n}", ["preschool"]) for n in range(3)]
    await book(stack, "平凡的世界", ["adult"])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"age_band": "preschool", "limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = (await stack.education.get("/v1/books", params=params, headers=stack.person("p-1"))).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


async def test_challenge_progress_counts_only_reading_inside_the_period(stack: Stack) -> None:
    community = await stack.community()
    learner = await child(stack, "dad-1", community)
    first_day, last_day = today() - timedelta(days=20), today() - timedelta(days=10)
    body = {
        "owner_organization_id": community,
        "title": "暑期阅读挑战",
        "starts_on": first_day.isoformat(),
        "ends_on": last_day.isoformat(),
        "goal": {"books": 3, "minutes": 100},
        "age_bands": ["primary_lower", "primary_upper"],
    }
    created = await stack.education.post("/v1/reading-challenges", json=body, headers=stack.staff(community))
    assert created.status_code == 201, created.text
    challenge = created.json()["id"]
    join = {"learner_id": learner}
    late = await stack.education.post(
        f"/v1/reading-challenges/{challenge}/participants", json=join, headers=stack.person("dad-1")
    )
    assert (late.status_code, late.json()["code"]) == (409, "invalid_transition")
    with on_day(stack, first_day + timedelta(days=2)):
        joined = await stack.education.post(
            f"/v1/reading-challenges/{challenge}/participants", json=join, headers=stack.person("dad-1")
        )
    assert joined.status_code == 201, joined.text
    assert (joined.json()["books"], joined.json()["percent"]) == (0, 0)

    a_book = await book(stack, "西游记", ["primary_upper"])
    other = await book(stack, "小王子", ["primary_upper"])
    for day, minutes, ref in (
        (first_day - timedelta(days=1), 50, {"book_id": a_book}),  # the day before: does not count
        (first_day, 30, {"book_id": a_book}),  # the first day counts
        (first_day, 10, {"book_id": a_book}),  # the same book again: minutes yes, a book no
        (last_day, 20, {"title": "三国演义"}),  # the last day counts
        (last_day + timedelta(days=1), 40, {"book_id": other}),  # the day after: does not count
    ):
        assert (await log(stack, "dad-1", learner, day, minutes, **ref)).status_code == 201

    url = f"/v1/reading-challenges/{challenge}/participants/{learner}"
    progress = (await stack.education.get(url, headers=stack.person("dad-1"))).json()
    assert {k: progress[k] for k in ("books", "minutes", "percent", "completed")} == {
        "books": 2,
        "minutes": 60,
        "percent": 60,
        "completed": False,
    }
    assert (await log(stack, "dad-1", learner, last_day, 40, book_id=other)).status_code == 201
    progress = (await stack.education.get(url, headers=stack.person("dad-1"))).json()
    assert (progress["books"], progress["minutes"], progress["completed"]) == (3, 100, True)

    stranger = await stack.education.get(url, headers=stack.person("nosy-1"))
    assert stranger.status_code == 403
    roster = await stack.education.get(
        f"/v1/reading-challenges/{challenge}/participants", headers=stack.staff(community)
    )
    assert roster.status_code == 200, roster.text
    assert [(i["learner_id"], i["percent"]) for i in roster.json()["items"]] == [(learner, 100)]
    assert "display_name" not in roster.text
    refused = await stack.education.get(
        f"/v1/reading-challenges/{challenge}/participants", headers=stack.person("dad-1")
    )
    assert refused.status_code == 403
