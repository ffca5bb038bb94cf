"""Validated input of every volunteering write."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import Field

from qingchun_plumbing.fields import Command, Name, OrgId, Phone, SubjectId, Tag, Text, Title
from qingchun_plumbing.waitlist import MAX_OFFER_WINDOW_HOURS, WaitlistPolicy
from qingchun_volunteering.domain.activities import ActivityAction, ActivityCategory
from qingchun_volunteering.domain.volunteers import VolunteerType


class AvailabilityIn(Command):
    """A weekly window (服务时间) in the service's local time zone."""

    weekday: int = Field(ge=1, le=7, description="1 = Monday … 7 = Sunday")
    starts: time
    ends: time


class VolunteerCreate(Command):
    """Register yourself as a volunteer (the token's subject becomes the profile's owner)."""

    display_name: Name
    birth_date: date
    volunteer_type: VolunteerType
    home_community_id: OrgId | None = None
    specialties: list[Tag] = Field(default_factory=list, max_length=20, description="特点特长")
    interests: list[Tag] = Field(default_factory=list, max_length=20, description="兴趣爱好")
    talent_pool: bool = Field(default=False, description="Join the community's 青年人才库.")
    teaching_opt_in: bool = Field(default=False, description="Offer to teach in the 社区教育师资库.")
    availability: list[AvailabilityIn] = Field(default_factory=list, max_length=21, description="服务时间")
    service_intent: Text | None = Field(default=None, description="服务意愿, in the volunteer's words")
    phone: Phone | None = None
    guardian_subject_id: SubjectId | None = Field(default=None, description="Required under the adult age.")


class ShiftIn(Command):
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(ge=1, le=10_000)
    place: Text | None = None
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    family_only: bool = Field(
        default=False, description="For families: children take part with a guardian present."
    )
    required_skills: list[Tag] = Field(default_factory=list, max_length=10)


class ActivityCreate(Command):
    title: Title
    host_organization_id: OrgId
    category: ActivityCategory
    brand: Name | None = Field(default=None, description="e.g. 七彩假期, 福娃福地书香国学")
    description: Text | None = None
    waitlist_policy: WaitlistPolicy = WaitlistPolicy.AUTO_PROMOTE
    offer_window_hours: int | None = Field(
        default=None,
        ge=1,
        le=MAX_OFFER_WINDOW_HOURS,
        description="With auto_promote only: a volunteer moved up from the waitlist is offered the place "
        "and must accept within this many hours (never past the shift's start), else it goes to the next.",
    )
    shifts: list[ShiftIn] = Field(min_length=1, max_length=50)


class ActivityActionIn(Command):
    action: ActivityAction


class SignupIn(Command):
    guardian_present: bool = Field(
        default=False, description="A guardian takes part too (family activities)."
    )


class VolunteerUpdate(Command):
    """Change your own profile; fields left out stay as they are."""

    home_community_id: OrgId | None = None
    specialties: list[Tag] | None = Field(default=None, max_length=20)
    interests: list[Tag] | None = Field(default=None, max_length=20)
    availability: list[AvailabilityIn] | None = Field(default=None, max_length=21)
    service_intent: Text | None = None
    talent_pool: bool | None = None
    teaching_opt_in: bool | None = None
    phone: Phone | None = None
