"""Response bodies, with Chinese labels beside codes; personal fields only for those allowed."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_plumbing.mongo import Document
from qingchun_plumbing.waitlist import WaitlistPolicy
from qingchun_volunteering.domain.activities import ActivityCategory, ActivityStatus
from qingchun_volunteering.domain.signups import SignupStatus
from qingchun_volunteering.domain.stars import star_label
from qingchun_volunteering.domain.volunteers import AgeBand, VolunteerType


class AvailabilityOut(BaseModel):
    weekday: int
    starts: str
    ends: str


class VolunteerOut(BaseModel):
    id: str
    display_name: str
    volunteer_type: str
    volunteer_type_label: str
    age_band: str
    age_band_label: str
    home_community_id: str | None
    specialties: list[str]
    interests: list[str]
    talent_pool: bool
    teaching_opt_in: bool
    consent_recorded: bool
    availability: list[AvailabilityOut]
    service_intent: str | None = None
    verified_minutes: int
    star_level: int
    star_level_label: str
    phone: str | None = None
    birth_date: date | None = None


class ActivityOut(BaseModel):
    id: str
    title: str
    host_organization_id: str
    category: str
    category_label: str
    brand: str | None
    description: str | None
    status: str
    status_label: str
    waitlist_policy: str
    waitlist_policy_label: str
    offer_window_hours: int | None = None
    shift_ids: list[str]
    version: int
    created_at: datetime


class SignupOut(BaseModel):
    volunteer_id: str
    status: str
    status_label: str
    guardian_present: bool
    signed_up_at: datetime
    offer_expires_at: datetime | None = None


class ShiftOut(BaseModel):
    id: str
    activity_id: str
    host_organization_id: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    capacity: int
    free: int
    waitlisted: int
    min_age: int | None
    max_age: int | None
    family_only: bool
    required_skills: list[str]
    offer_window_hours: int | None = None
    my_status: str | None = None
    my_offer_expires_at: datetime | None = Field(
        default=None, description="Your offered place (待确认) is held until then; accept before it."
    )
    signups: list[SignupOut] | None = None


def volunteer_out(doc: Document, band: AgeBand, contact: bool, personal: bool) -> VolunteerOut:
    kind = VolunteerType(doc["volunteer_type"])
    stars = star_label(doc.get("star_level", 0))
    return VolunteerOut(
        id=doc["_id"],
        display_name=doc["display_name"],
        volunteer_type=kind.value,
        volunteer_type_label=kind.label,
        age_band=band.value,
        age_band_label=band.label,
        home_community_id=doc.get("home_community_id"),
        specialties=doc["specialties"],
        interests=doc["interests"],
        talent_pool=doc["talent_pool"],
        teaching_opt_in=doc["teaching_opt_in"],
        consent_recorded=doc.get("consent") is not None,
        availability=[AvailabilityOut(**w) for w in doc.get("availability", [])],
        service_intent=doc.get("service_intent"),
        verified_minutes=doc.get("verified_minutes", 0),
        star_level=doc.get("star_level", 0),
        star_level_label=stars.label,
        phone=doc.get("phone") if contact else None,
        birth_date=doc["birth_date"] if personal else None,
    )


def activity_out(doc: Document) -> ActivityOut:
    category, status = ActivityCategory(doc["category"]), ActivityStatus(doc["status"])
    policy = WaitlistPolicy(doc["waitlist_policy"])
    return ActivityOut(
        id=doc["_id"],
        title=doc["title"],
        host_organization_id=doc["host_organization_id"],
        category=category.value,
        category_label=category.label,
        brand=doc.get("brand"),
        description=doc.get("description"),
        status=status.value,
        status_label=status.label,
        waitlist_policy=policy.value,
        waitlist_policy_label=policy.label,
        offer_window_hours=doc.get("offer_window_hours"),
        shift_ids=doc["shift_ids"],
        version=doc["version"],
        created_at=doc["created_at"],
    )


def shift_out(doc: Document, my_volunteer_id: str | None, organizer: bool) -> ShiftOut:
    mine: Document = next((e for e in doc["signups"] if e["volunteer_id"] == my_volunteer_id), {})
    signups = (
        [
            SignupOut(
                volunteer_id=e["volunteer_id"],
                status=e["status"],
                status_label=SignupStatus(e["status"]).label,
                guardian_present=e.get("guardian_present", False),
                signed_up_at=e["signed_up_at"],
                offer_expires_at=e.get("offer_expires_at"),
            )
            for e in doc["signups"]
        ]
        if organizer
        else None
    )
    fields = {
        k: doc.get(k)
        for k in (
            "activity_id",
            "host_organization_id",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "free",
            "waitlisted",
            "min_age",
            "max_age",
            "offer_window_hours",
        )
    }
    return ShiftOut(
        id=doc["_id"],
        family_only=doc.get("family_only", False),
        required_skills=doc.get("required_skills", []),
        my_status=mine.get("status"),
        my_offer_expires_at=mine.get("offer_expires_at"),
        signups=signups,
        **fields,
    )
