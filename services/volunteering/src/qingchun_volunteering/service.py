"""The volunteering service's composition root.

Run with ``uvicorn --factory qingchun_volunteering.service:create_app``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_plumbing.derived import backfill
from qingchun_plumbing.directory import INDEXES as DIRECTORY_INDEXES
from qingchun_plumbing.directory import OrganizationDirectory, directory_handlers
from qingchun_plumbing.reference import labels_router
from qingchun_plumbing.service import PeriodicJob, Runtime, ServiceSpec, Wiring, bind, create_service_app
from qingchun_volunteering import __version__
from qingchun_volunteering.adapters import (
    certificates,
    community_checkins,
    hours,
    matching,
    pairings,
    store,
    teams,
)
from qingchun_volunteering.app import (
    activities,
    community_checkin_jobs,
    organizations,
    recognition,
    signups,
    volunteers,
)
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.ports import (
    api,
    certificates_api,
    community_checkins_api,
    hours_api,
    matching_api,
    pairings_api,
    statistics_api,
    teams_api,
)
from qingchun_volunteering.settings import VolunteeringSettings

DESCRIPTION = """
志愿服务 (volunteering) of Qingchun. Volunteers with age bands, guardian consent for minors and
weekly availability (服务时间); teams (志愿服务队); activities with shifts under registry
organisations; sign-ups whose capacity is enforced atomically, with a waitlist policy per activity;
check-in by rotating code (QR) or by the organiser; service minutes credited by per-organisation
rules, verified by the host, 补录 with evidence and a second approver; star levels and signed,
revocable certificates; 社区报到 rounds with deadlines, the overdue list, service posts and
micro-wishes; pairings (结对) with pseudonymous beneficiaries; matching both ways with reasons.

Every request needs `Authorization: Bearer <JWT>`, except the two public certificate routes
(`/v1/certificates/{number}/verification`, `/v1/certificates/signing-keys`) that anyone may use to
verify a certificate. Errors are `application/problem+json` with `code` and `field`. Lists are
cursor-paginated; `?ids=a,b,c` batch-reads for DataLoaders. The registry's organisations are known
from its events (no calls to the registry).
"""


ADAPTERS = (store, hours, community_checkins, pairings, teams, matching, certificates)
PORTS = (
    api,
    hours_api,
    community_checkins_api,
    pairings_api,
    teams_api,
    matching_api,
    certificates_api,
    statistics_api,
)
INDEXES = [*DIRECTORY_INDEXES, *(spec for adapter in ADAPTERS for spec in adapter.INDEXES)]
OUTBOX_COLLECTIONS = [name for adapter in ADAPTERS for name in adapter.OUTBOX_COLLECTIONS]
LABELLED_ENUMS = {name: enum for port in PORTS for name, enum in port.LABELLED_ENUMS.items()}


def wire(runtime: Runtime, app: FastAPI) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, VolunteeringSettings)
    context = VolunteeringContext(
        store=store.VolunteeringStore(runtime.db),
        orgs=OrganizationDirectory(runtime.db),
        hours=hours.HoursStore(runtime.db),
        community_checkins=community_checkins.CommunityCheckinStore(runtime.db),
        pairings=pairings.PairingStore(runtime.db),
        teams=teams.TeamStore(runtime.db),
        matching=matching.MatchingStore(runtime.db),
        certificates=certificates.CertificateStore(runtime.db),
        events=runtime.events,
        notify=runtime.relay.notify,
        settings=settings,
        now=lambda: datetime.now(UTC),
    )
    app.state.volunteering = context

    async def on_deactivated(org_id: str, envelope: Envelope) -> None:
        await organizations.cancel_hosted_activities(context, org_id, envelope)

    return Wiring(
        handlers=bind(recognition.HANDLERS, context) | directory_handlers(context.orgs, on_deactivated),
        jobs=[
            *community_checkin_jobs.jobs(context),
            # Shifts written before the matching fields existed get them; later runs find nothing.
            PeriodicJob("shift-listing-backfill", 3600, lambda: activities.backfill_listings(context)),
            # Volunteers registered before their match slots existed get them; later runs read one mark.
            PeriodicJob(
                "volunteer-match-fields-backfill", 3600, lambda: backfill(runtime.db, volunteers.MATCH_FIELDS)
            ),
            # Offered places not accepted in time go to the next in line (idempotent).
            PeriodicJob("signup-offer-expiry", 60, lambda: signups.lapse_offers(context)),
        ],
    )


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
            routers=[*(port.router for port in PORTS), labels_router(LABELLED_ENUMS)],
            wire=wire,
        )
    )
