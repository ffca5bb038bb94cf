"""The education service's composition root.

Run with ``uvicorn --factory qingchun_education.service:create_app``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI

from qingchun_education import __version__
from qingchun_education.adapters import badges, care, certificates, learning, reading, schools
from qingchun_education.adapters import enrolments as enrolment_store
from qingchun_education.app import badges as badge_handlers
from qingchun_education.app import care_helpers, enrolments, teachers
from qingchun_education.app.context import EducationContext
from qingchun_education.ports import (
    badges_api,
    care_api,
    certificates_api,
    enrolments_api,
    learning_api,
    reading_api,
    schools_api,
    statistics_api,
)
from qingchun_education.settings import EducationSettings
from qingchun_plumbing.directory import INDEXES as DIRECTORY_INDEXES
from qingchun_plumbing.directory import OrganizationDirectory, directory_handlers
from qingchun_plumbing.reference import labels_router
from qingchun_plumbing.service import Runtime, ServiceSpec, Wiring, bind, create_service_app

DESCRIPTION = """
教育 (education) of Qingchun. Programmes and courses of every kind the seeds run (读书计划,
国学经典亲子诵读, 法制/心理/自护 education, skills courses, 七彩假期, 夏令营, 市民学校 courses) with
sessions, enrolment with waitlists and guardian consent, attendance counted in 人次 and in unique
learners, completion with an optional exam and verifiable completion certificates; citizen schools
with their monthly compliance; the teacher pool (社区教育师资库); reading (recommended books, logs,
challenges, family accounts); badges (雏鹰争章), awarded by counsellors or earned from verified
community service; and the restricted care files (帮教档案), readable only by their helpers, the
community's care staff and the supervising staff of the jurisdiction, every access audited.

Every request needs `Authorization: Bearer <JWT>`, except the public certificate verification
routes. Errors are `application/problem+json` with `code` and `field`. Lists are cursor-paginated;
`?ids=a,b,c` batch-reads for DataLoaders. The registry's organisations are known from its events.
"""

ADAPTERS = (learning, enrolment_store, schools, certificates, reading, badges, care)
PORTS = (
    learning_api,
    enrolments_api,
    schools_api,
    certificates_api,
    reading_api,
    badges_api,
    care_api,
    statistics_api,
)
INDEXES = [*DIRECTORY_INDEXES, *(spec for adapter in ADAPTERS for spec in adapter.INDEXES)]
OUTBOX_COLLECTIONS = [name for adapter in ADAPTERS for name in adapter.OUTBOX_COLLECTIONS]
LABELLED_ENUMS = {name: enum for port in PORTS for name, enum in port.LABELLED_ENUMS.items()}
HANDLERS = teachers.HANDLERS | badge_handlers.HANDLERS | care_helpers.HANDLERS


def wire(runtime: Runtime, app: FastAPI) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, EducationSettings)
    context = EducationContext(
        orgs=OrganizationDirectory(runtime.db),
        learning=learning.LearningStore(runtime.db),
        enrolments=enrolment_store.EnrolmentStore(runtime.db),
        schools=schools.SchoolStore(runtime.db),
        certificates=certificates.CertificateStore(runtime.db),
        reading=reading.ReadingStore(runtime.db),
        badges=badges.BadgeStore(runtime.db),
        care=care.CareStore(runtime.db),
        events=runtime.events,
        notify=runtime.relay.notify,
        settings=settings,
        now=lambda: datetime.now(UTC),
    )
    app.state.education = context
    return Wiring(
        handlers=bind(HANDLERS, context) | directory_handlers(context.orgs),
        jobs=enrolments.jobs(context),
    )


def create_app(settings: EducationSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="education",
            title="Qingchun education (教育)",
            description=DESCRIPTION,
            version=__version__,
            settings=settings or EducationSettings(),
            indexes=INDEXES,
            outbox_collections=OUTBOX_COLLECTIONS,
            routers=[*(port.router for port in PORTS), labels_router(LABELLED_ENUMS)],
            wire=wire,
        )
    )
