"""The employment service's composition root.

Run with ``uvicorn --factory qingchun_employment.service:create_app``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationUpdated
from qingchun_employment import __version__
from qingchun_employment.adapters import applications, area_chains, matching, postings, seekers, ventures
from qingchun_employment.app import applications as application_cases
from qingchun_employment.app import area_chains as area_chain_cases
from qingchun_employment.app import care_referrals, credentials
from qingchun_employment.app import postings as posting_cases
from qingchun_employment.app import ventures as venture_cases
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.ports import (
    applications_api,
    matching_api,
    postings_api,
    seekers_api,
    statistics_api,
    ventures_api,
)
from qingchun_employment.settings import EmploymentSettings
from qingchun_plumbing.directory import INDEXES as DIRECTORY_INDEXES
from qingchun_plumbing.directory import OrganizationDirectory, directory_handlers
from qingchun_plumbing.reference import labels_router
from qingchun_plumbing.service import PeriodicJob, Runtime, ServiceSpec, Wiring, bind, create_service_app

DESCRIPTION = """
就业创业 (employment) of Qingchun: the 青年创业者行动. Job postings (用工信息) from employer
organisations, submitted by the community league organisation, moderated by league staff (postings
that ask applicants for fees or deposits are held; anyone may report one) and expiring on their own;
real-name job-seeker profiles (实名制) with recorded consent, services received and skills, including
those certified by education; applications and staff referrals (职业介绍); matching both ways with
the reasons for each score; ventures (创业项目), entrepreneur-star nominations, microloans
(小额担保贷款) and the 创业报表 per street and month.

Every request needs `Authorization: Bearer <JWT>`. Errors are `application/problem+json` with `code`
and `field`. Lists are cursor-paginated; `?ids=a,b,c` batch-reads for DataLoaders. The registry's
organisations are known from its events; a seeker's contact details reach an employer only after
the seeker applies or accepts a referral.
"""

ADAPTERS = (postings, seekers, applications, matching, ventures)
PORTS = (postings_api, seekers_api, applications_api, matching_api, ventures_api, statistics_api)
INDEXES = [*DIRECTORY_INDEXES, *(spec for adapter in ADAPTERS for spec in adapter.INDEXES)]
OUTBOX_COLLECTIONS = [name for adapter in ADAPTERS for name in adapter.OUTBOX_COLLECTIONS]
LABELLED_ENUMS = {name: enum for port in PORTS for name, enum in port.LABELLED_ENUMS.items()}
HANDLERS = credentials.HANDLERS | care_referrals.HANDLERS


def wire(runtime: Runtime, app: FastAPI) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, EmploymentSettings)
    context = EmploymentContext(
        orgs=OrganizationDirectory(runtime.db),
        postings=postings.PostingStore(runtime.db),
        seekers=seekers.SeekerStore(runtime.db),
        applications=applications.ApplicationStore(runtime.db),
        matching=matching.MatchingStore(runtime.db),
        ventures=ventures.VentureStore(runtime.db),
        events=runtime.events,
        notify=runtime.relay.notify,
        settings=settings,
        now=lambda: datetime.now(UTC),
    )
    app.state.employment = context

    async def on_deactivated(org_id: str, envelope: Envelope) -> None:
        await posting_cases.close_postings_of(context, org_id, envelope)

    directory = directory_handlers(context.orgs, on_deactivated)
    remember_update = directory[OrganizationUpdated.event_type]
    chains = area_chains.AreaChainStore(runtime.db)

    async def on_updated(envelope: Envelope) -> None:
        """Keep the read model, then let the stored area chains follow a move."""
        await remember_update(envelope)
        data = OrganizationUpdated.model_validate(envelope.data)
        if "parent_id" in data.changed_fields:
            await area_chain_cases.follow_move(chains, context.orgs, data.organization_id)

    return Wiring(
        handlers=bind(HANDLERS, context) | directory | {OrganizationUpdated.event_type: on_updated},
        jobs=[
            *posting_cases.jobs(context),
            *application_cases.jobs(context),
            *venture_cases.jobs(context),
            # Postings and seekers stored before match keys existed get them; later runs read one mark.
            PeriodicJob("match-keys-backfill", 3600, lambda: matching.backfill_match_keys(runtime.db)),
        ],
    )


def create_app(settings: EmploymentSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="employment",
            title="Qingchun employment (就业创业)",
            description=DESCRIPTION,
            version=__version__,
            settings=settings or EmploymentSettings(),
            indexes=INDEXES,
            outbox_collections=OUTBOX_COLLECTIONS,
            routers=[*(port.router for port in PORTS), labels_router(LABELLED_ENUMS)],
            wire=wire,
        )
    )
