"""What every service's statistics route takes from plumbing: the monthly-figures request with the
head of its answer, and a store built on the service's own database per request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, FastAPI

from qingchun_plumbing.mongo import Database
from qingchun_plumbing.service import Runtime, ServiceSpec, Wiring, create_service_app, runtime_store
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.statistics import MonthlyAsk
from qingchun_plumbing.testing.fixtures import Isolation, serve

TALLY = "tally"
NOTES = "notes"


class NoteCount:
    """A statistics store in miniature: collection handles only."""

    def __init__(self, db: Database) -> None:
        self._notes = db[NOTES]

    async def count(self) -> int:
        return await self._notes.count_documents({})


Store = Annotated[NoteCount, Depends(runtime_store(NoteCount))]


def tally_app(settings: ServiceSettings) -> FastAPI:
    router = APIRouter(prefix="/v1")

    @router.get("/statistics/monthly", summary="Notes counted for the month")
    async def monthly(store: Store, asked: MonthlyAsk) -> dict[str, Any]:
        return {**asked.head(), "notes": await store.count()}

    def wire(_runtime: Runtime, _app: FastAPI) -> Wiring:
        return Wiring()

    return create_service_app(
        ServiceSpec(
            name=TALLY,
            title="tally",
            description="A service for plumbing's statistics tests.",
            version="0",
            settings=settings,
            indexes=[],
            outbox_collections=[],
            routers=[router],
            wire=wire,
        )
    )


async def test_the_answer_heads_what_was_asked_and_counts_in_the_services_own_database(
    isolation: Isolation,
) -> None:
    app = tally_app(isolation.settings(ServiceSettings, TALLY))
    async with serve(app) as client:
        runtime: Runtime = app.state.runtime
        await runtime.db[NOTES].insert_many([{"_id": "n1"}, {"_id": "n2"}])
        before = datetime.now(UTC)
        answer = await client.get(
            "/v1/statistics/monthly", params={"organization_id": "org_1", "month": "2026-11"}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert (body["organization_id"], body["month"], body["notes"]) == ("org_1", "2026-11", 2)
        assert before <= datetime.fromisoformat(body["generated_at"]) <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"organization_id": "org_1", "month": "2026-13"}, "month"),
        ({"organization_id": "org_1", "month": "2026-1"}, "month"),
        ({"organization_id": "o" * 41, "month": "2026-11"}, "organization_id"),
        ({"month": "2026-11"}, "organization_id"),
    ],
    ids=["month-13", "short-month", "long-organisation", "no-organisation"],
)
async def test_a_bad_question_names_its_field(
    isolation: Isolation, params: dict[str, str], field: str
) -> None:
    async with serve(tally_app(isolation.settings(ServiceSettings, TALLY))) as client:
        refused = await client.get("/v1/statistics/monthly", params=params)
    assert (refused.status_code, refused.headers["content-type"]) == (422, "application/problem+json")
    assert refused.json()["field"] == field
