"""A small service built exactly as the real ones are (``create_service_app``), for the tests of what
plumbing gives every service: metrics, logs, traces and the operations commands.

It keeps notes (a name and a phone: personal data the tests look for where it must not be) and
announces each with an event it consumes itself; the handler fails for the outcomes in ``failing``,
with the note's name and phone in its exception message, as a careless handler might.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

import httpx
from fastapi import APIRouter, FastAPI, Request
from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationDeactivated
from qingchun_plumbing.inbox import apply_once
from qingchun_plumbing.outbox import with_outbox
from qingchun_plumbing.problems import NotFound
from qingchun_plumbing.service import Runtime, ServiceSpec, Wiring, create_service_app
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.testing.fixtures import Isolation

PROBE = "probe"
NOTES = "notes"


class NoteIn(BaseModel):
    name: str
    phone: str
    outcome: Literal["merged", "dissolved"] = "merged"


def probe_app(settings: ServiceSettings, failing: set[str]) -> FastAPI:
    router = APIRouter(prefix="/v1")

    @router.post("/notes", status_code=201)
    async def write(body: NoteIn, request: Request) -> dict[str, str]:
        runtime: Runtime = request.app.state.runtime
        note_id = f"note_{uuid.uuid4().hex[:10]}"
        event = runtime.events.envelope(
            OrganizationDeactivated(organization_id=note_id, reason_code=body.outcome), subject=note_id
        )
        document = {"_id": note_id, "name": body.name, "phone": body.phone, "applied": 0}
        await runtime.db[NOTES].insert_one(with_outbox(document, [event]))
        runtime.relay.notify()
        return {"id": note_id, "event_id": event.id}

    @router.get("/notes/{note_id}")
    async def read(note_id: str, request: Request) -> dict[str, int]:
        found = await request.app.state.runtime.db[NOTES].find_one({"_id": note_id})
        if found is None:
            raise NotFound("no note has this id", code="note_not_found")
        return {"applied": found["applied"]}

    def wire(runtime: Runtime, _: FastAPI) -> Wiring:
        async def apply(envelope: Envelope) -> None:
            data = OrganizationDeactivated.model_validate(envelope.data)
            note = await runtime.db[NOTES].find_one({"_id": data.organization_id})
            assert note is not None
            if data.reason_code in failing:
                raise ValueError(f"cannot apply the note of {note['name']} ({note['phone']})")
            await runtime.db[NOTES].update_one(
                *apply_once({"_id": note["_id"]}, {"$inc": {"applied": 1}}, envelope.id)
            )

        return Wiring(handlers={OrganizationDeactivated.event_type: apply})

    return create_service_app(
        ServiceSpec(
            name=PROBE,
            title="probe",
            description="A service for plumbing's own tests.",
            version="0",
            settings=settings,
            indexes=[],
            outbox_collections=[NOTES],
            routers=[router],
            wire=wire,
        )
    )


def figure(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels`` (0 when none)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


async def eventually(
    check: Callable[[], Awaitable[bool]], within: float = 15, what: str = "condition"
) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"{what} not reached within {within} s"
        await asyncio.sleep(0.1)


@dataclass
class Probe:
    client: httpx.AsyncClient
    app: FastAPI
    isolation: Isolation
    failing: set[str] = field(default_factory=set)

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def note(
        self, outcome: str = "merged", name: str = "王小明", phone: str = "13912345678", **headers: str
    ) -> dict[str, str]:
        body = {"name": name, "phone": phone, "outcome": outcome}
        response = await self.client.post("/v1/notes", json=body, headers=headers)
        assert response.status_code == 201, response.text
        created: dict[str, str] = response.json()
        return created

    async def applied(self, note_id: str) -> int:
        response = await self.client.get(f"/v1/notes/{note_id}")
        assert response.status_code == 200, response.text
        count: int = response.json()["applied"]
        return count

    async def metrics(self) -> str:
        response = await self.client.get("/metrics")
        assert response.status_code == 200, response.text
        return response.text

    async def figure(self, name: str, **labels: str) -> float:
        return figure(await self.metrics(), name, **({"service": PROBE} | labels))
