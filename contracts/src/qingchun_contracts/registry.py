"""Events published by the registry service.

Partner-audience events carry only public facts about organisations (ids, public names,
types, administrative areas, stages, designations); no field may hold personal data.
Code values (organisation types, stages, agreement types) are strings so that adding a
value to the registry's lists never breaks a consumer.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from qingchun_contracts.base import Audience, EventData, event_contract


class AreaRef(EventData):
    """Administrative area of an organisation, from city down to community (public names)."""

    city: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None


@event_contract(
    "qingchun.registry.organization.registered.v1",
    Audience.PARTNER,
    "An organisation (league body, community, school, unit, facility, club) was registered.",
)
class OrganizationRegistered(EventData):
    organization_id: str
    name: str = Field(description="Public name of the organisation.")
    type: str = Field(description="Organisation type code, e.g. league_city_committee, community.")
    parent_id: str | None = None
    area: AreaRef


@event_contract(
    "qingchun.registry.organization.updated.v1",
    Audience.PARTNER,
    "An organisation's public attributes (name, parent, area, tags) changed.",
)
class OrganizationUpdated(EventData):
    organization_id: str
    name: str
    type: str
    parent_id: str | None = None
    area: AreaRef
    changed_fields: list[str]


@event_contract(
    "qingchun.registry.organization.deactivated.v1",
    Audience.PARTNER,
    "An organisation stopped operating; consumers close what hangs on it.",
)
class OrganizationDeactivated(EventData):
    organization_id: str
    reason_code: str = Field(description="merged, dissolved, duplicate or other.")


@event_contract(
    "qingchun.registry.community.stage_changed.v1",
    Audience.PARTNER,
    "A community moved to another stage of creating a 青年文明社区.",
)
class CreationStageChanged(EventData):
    organization_id: str
    from_stage: str
    to_stage: str
    batch: str | None = None
    is_demonstration: bool = False


@event_contract(
    "qingchun.registry.community.survey_completed.v1",
    Audience.INTERNAL,
    "A community's baseline survey (调查摸底) was completed; aggregate counts only.",
)
class CommunitySurveyCompleted(EventData):
    organization_id: str
    youth_count: int
    hardship_household_count: int
    dropout_youth_count: int
    unemployed_youth_count: int
    volunteer_project_count: int


@event_contract(
    "qingchun.registry.league_branch.term_due_soon.v1",
    Audience.INTERNAL,
    "A league branch's term ends soon and an election (换届) is due.",
)
class LeagueBranchTermDueSoon(EventData):
    organization_id: str
    term_end: date
    days_left: int


@event_contract(
    "qingchun.registry.league_branch.term_expired.v1",
    Audience.INTERNAL,
    "A league branch's term has ended without a recorded election (换届 overdue).",
)
class LeagueBranchTermExpired(EventData):
    organization_id: str
    term_end: date
    days_overdue: int


@event_contract(
    "qingchun.registry.league_branch.election_recorded.v1",
    Audience.INTERNAL,
    "A league branch held its democratic election (民主选举) and began a new term.",
)
class LeagueBranchElectionRecorded(EventData):
    organization_id: str
    held_on: date
    term_start: date
    term_end: date
    secretary_subject_id: str | None = Field(
        default=None, description="Platform subject id of the elected secretary (no name)."
    )


@event_contract(
    "qingchun.registry.youth_center.compliance_changed.v1",
    Audience.PARTNER,
    "A youth centre (青年中心) met or stopped meeting the five basic requirements, or was registered.",
)
class YouthCenterComplianceChanged(EventData):
    organization_id: str
    compliant: bool
    unmet_requirements: list[str]
    status: str
    civil_affairs_registered: bool


@event_contract(
    "qingchun.registry.designation.granted.v1",
    Audience.PARTNER,
    "An organisation received a designation (示范点, 首批, 试点, 青年文明号 …).",
)
class DesignationGranted(EventData):
    organization_id: str
    designation_id: str
    kind: str
    issuer_organization_id: str | None = None
    granted_on: date
    valid_until: date | None = None


@event_contract(
    "qingchun.registry.designation.revoked.v1",
    Audience.PARTNER,
    "A designation was withdrawn from an organisation.",
)
class DesignationRevoked(EventData):
    organization_id: str
    designation_id: str
    kind: str


@event_contract(
    "qingchun.registry.agreement.signed.v1",
    Audience.PARTNER,
    "A pairing or co-building agreement (结对/共建/阵地共建/基地挂牌) was signed.",
)
class AgreementSigned(EventData):
    agreement_id: str
    type: str
    title: str
    party_ids: list[str]
    site_ids: list[str]
    signed_on: date


@event_contract(
    "qingchun.registry.agreement.status_changed.v1",
    Audience.PARTNER,
    "An agreement became active, was suspended, resumed or ended.",
)
class AgreementStatusChanged(EventData):
    agreement_id: str
    type: str
    from_status: str
    to_status: str


@event_contract(
    "qingchun.registry.monthly_report.submitted.v1",
    Audience.PARTNER,
    "A community submitted its monthly report (月报); its figures are frozen. Counts only.",
)
class MonthlyReportSubmitted(EventData):
    report_id: str
    community_id: str
    area_ids: list[str] = Field(description="The community and the organisations above it, nearest first.")
    month_starts_on: date = Field(description="First day of the reported month (月份).")
    submitted_at: datetime
    counts: dict[str, int] = Field(
        description="The report's whole-number figures by '<service>.<figure>', e.g. volunteering.sessions."
    )
