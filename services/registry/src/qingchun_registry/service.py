"""The registry's composition root: wires store, events and use cases into the service app.

Run with ``uvicorn --factory qingchun_registry.service:create_app``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI

from qingchun_plumbing.reference import labels_router
from qingchun_plumbing.service import PeriodicJob, Runtime, ServiceSpec, Wiring, create_service_app
from qingchun_registry import __version__
from qingchun_registry.adapters import monthly_reports
from qingchun_registry.adapters.store import INDEXES, OUTBOX_COLLECTIONS, RegistryStore
from qingchun_registry.app.branches import check_terms
from qingchun_registry.app.context import RegistryContext
from qingchun_registry.ports import monthly_reports_api, statistics_api
from qingchun_registry.ports.api import router
from qingchun_registry.ports.schemas import LABELLED_ENUMS
from qingchun_registry.settings import RegistrySettings

DESCRIPTION = """
登记 (registry) of Qingchun: league organisations and their tree (团市委 → 团区委/团工委 → 街道团工委 →
社区团支部/总支, school, college and enterprise league organisations, partner units, clubs,
facilities and practice bases); communities and their 创建青年文明社区 stage; league branches' terms
(按期换届); youth centres (青年中心) and their five basic requirements; designations; agreements.

Every request needs `Authorization: Bearer <JWT>`. Errors are RFC 9457 `application/problem+json`
with a stable `code` and the offending `field`. Lists are cursor-paginated (`cursor`, `limit`,
`next_cursor`); `GET ...?ids=a,b,c` batch-reads for DataLoaders.
"""


def wire(runtime: Runtime, app: FastAPI) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, RegistrySettings)
    context = RegistryContext(
        store=RegistryStore(runtime.db),
        events=runtime.events,
        notify=runtime.relay.notify,
        settings=settings,
        today=lambda: datetime.now(UTC).date(),
    )
    app.state.registry = context
    app.state.monthly_reports = monthly_reports.MonthlyReportStore(runtime.db)

    async def term_check() -> int:
        return await check_terms(context)

    return Wiring(jobs=[PeriodicJob("term-check", settings.term_check_interval_seconds, term_check)])


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="registry",
            title="Qingchun registry (组织登记)",
            description=DESCRIPTION,
            version=__version__,
            settings=settings or RegistrySettings(),
            indexes=[*INDEXES, *monthly_reports.INDEXES],
            outbox_collections=(*OUTBOX_COLLECTIONS, *monthly_reports.OUTBOX_COLLECTIONS),
            routers=[
                router,
                monthly_reports_api.router,
                statistics_api.router,
                labels_router(LABELLED_ENUMS),
            ],
            wire=wire,
        )
    )
