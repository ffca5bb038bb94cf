"""Validated input of every registry write: the API's request bodies and the use cases' commands.

Limits are explicit (lengths, list sizes, ranges) so oversize or malformed input is refused
with the field and the reason before any rule runs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from qingchun_plumbing.fields import AreaName, Command, Count, Name, OrgId, Phone, SubjectId, Tag, Text, Title
from qingchun_registry.domain.agreements import AgreementType
from qingchun_registry.domain.creation import CreationStage, SurveyItem
from qingchun_registry.domain.designations import DesignationKind
from qingchun_registry.domain.organizations import OrgType
from qingchun_registry.domain.youth_centers import BuildMode, CenterStatus, OperatingModel, OrgForm


class AreaIn(Command):
    """行政区划: city → district/zone → street → community (public names)."""

    city: AreaName | None = None
    district: AreaName | None = None
    street: AreaName | None = None
    community: AreaName | None = None


class OrganizationCreate(Command):
    """登记组织. ``area`` levels not given are inherited from the parent."""

    name: Name
    type: OrgType
    parent_id: OrgId | None = None
    area: AreaIn = AreaIn()
    address: Text | None = None
    office_phone: Phone | None = Field(default=None, description="Public office telephone, never a person's.")
    founded_on: date | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class OrganizationPatch(Command):
    """Change public attributes; only the fields sent are changed. The type never changes."""

    name: Name | None = None
    parent_id: OrgId | None = None
    area: AreaIn | None = None
    address: Text | None = None
    office_phone: Phone | None = None
    founded_on: date | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)


class Deactivation(Command):
    reason_code: Literal["merged", "dissolved", "duplicate", "other"]


class SurveyIn(Command):
    """调查摸底: the six "…清" clauses checked so far, and the aggregate counts."""

    checked: list[SurveyItem] = Field(default_factory=list, max_length=len(SurveyItem))
    youth_count: Count = 0
    hardship_household_count: Count = 0
    dropout_youth_count: Count = 0
    unemployed_youth_count: Count = 0
    juvenile_offence_count: Count = 0
    volunteer_project_count: Count = 0

    @field_validator("checked")
    @classmethod
    def _unique(cls, value: list[SurveyItem]) -> list[SurveyItem]:
        if len(set(value)) != len(value):
            raise ValueError("each clause may be checked once")
        return value


class PlanIn(Command):
    plan_title: Title
    batch: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class StageChange(Command):
    to_stage: CreationStage


class TermIn(Command):
    """Register the current term of a league branch (换届 cycle)."""

    term_start: date
    term_years: int = Field(ge=1, le=5)
    member_count: Count | None = None
    resident_member_count: Count | None = None


class ElectionIn(Command):
    """A democratic election (民主选举): starts a new term on ``held_on``."""

    held_on: date
    term_years: int = Field(default=3, ge=1, le=5)
    secretary_subject_id: SubjectId | None = None
    committee_size: int | None = Field(default=None, ge=1, le=100)


class YouthCenterProfileIn(Command):
    build_mode: BuildMode | None = None
    indoor_area_m2: float | None = Field(default=None, ge=0, le=100_000)
    full_time_staff_count: int = Field(default=0, ge=0, le=1_000)
    org_form: OrgForm | None = None
    projects: list[Title] = Field(default_factory=list, max_length=50)
    operating_models: list[OperatingModel] = Field(default_factory=list, max_length=len(OperatingModel))
    plaque_installed: bool = False


class CenterStatusChange(Command):
    to_status: CenterStatus


class RegistrationIn(Command):
    """民政登记 of a youth centre."""

    authority: Name
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    registered_on: date


class DesignationIn(Command):
    kind: DesignationKind
    issuer_organization_id: OrgId | None = None
    granted_on: date
    valid_until: date | None = None


class AgreementCreate(Command):
    type: AgreementType
    title: Title
    party_ids: list[OrgId] = Field(min_length=2, max_length=20)
    site_ids: list[OrgId] = Field(default_factory=list, max_length=50)
    commitments: list[Text] = Field(default_factory=list, max_length=50)
    meeting_schedule: list[Text] = Field(default_factory=list, max_length=24)
    funding_split: Text | None = None


class AgreementSign(Command):
    signed_on: date


class AgreementActivate(Command):
    plaque_on: date | None = None


class AgreementEnd(Command):
    ends_on: date | None = None
