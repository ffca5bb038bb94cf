"""The volunteering service's composition root.

Run with ``uvicorn --factory qingchun_volunteering.service:create_app``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_plumbing.consumer import Handler
from qingchun_plumbing.reference import labels_router
from qingchun_plumbing.service import Runtime, ServiceSpec, Wiring, create_service_app
from qingchun_volunteering import __version__
from qingchun_volunteering.adapters.store import INDEXES, OUTBOX_COLLECTIONS, VolunteeringStore
from qingchun_volunteering.app import organizations
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.ports.api import LABELLED_ENUMS, router
from qingchun_volunteering.settings import VolunteeringSettings

DESCRIPTION = """
志愿服务 (volunteering) of Qingchun: volunteer profiles with age bands and guardian consent for
minors; activities under registry organisations with shifts; sign-ups whose capacity is enforced
atomically, with a waitlist policy per activity (auto-promote, notify-all, manual).

Every request needs `Authorization: Bearer <JWT>`. Errors are `application/problem+json` with
`code` and `field`. Lists are cursor-paginated; `?ids=a,b,c` batch-reads for DataLoaders. The
registry's organisations are known from its events (no calls to the registry).
"""


def _bound(
    handler: Callable[[VolunteeringContext, Envelope], Awaitable[None]], context: VolunteeringContext
) -> Handler:
    async def handle(envelope: Envelope) -> None:
        await handler(context, envelope)

    return handle


def wire(runtime: Runtime, app: FastAPI) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, VolunteeringSettings)
    context = VolunteeringContext(
        store=VolunteeringStore(runtime.db),
        events=runtime.events,
        notify=runtime.relay.notify,
        settings=settings,
        now=lambda: datetime.now(UTC),
    )
    app.state.volunteering = context
    return Wiring(handlers={t: _bound(h, context) for t, h in organizations.HANDLERS.items()})


def create_app(settings: VolunteeringSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="volunteering",
            title="Qingchun volunteering (志愿服务)",
            description=DESCRIPTION,
            version=__version__,
            settings=settings or VolunteeringSettings(),
            indexes=INDEXES,
            outbox_collections=OUTBOX_COLLECTIONS,
            routers=[router, labels_router(LABELLED_ENUMS)],
            wire=wire,
        )
    )
