"""Events published by the volunteering service.

Volunteers are named by platform ids only (``volunteer_id``, the token ``subject_id``); no name,
birth date or contact ever travels. Events about sign-ups are internal: who joined what is
personal. Partner-audience events describe activities (public titles, hosts, counts).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from qingchun_contracts.base import Audience, EventData, event_contract


@event_contract(
    "qingchun.volunteering.volunteer.registered.v1",
    Audience.INTERNAL,
    "A volunteer registered (ids, type, home community and age band only).",
)
class VolunteerRegistered(EventData):
    volunteer_id: str
    subject_id: str
    volunteer_type: str
    home_community_id: str | None = None
    age_band: str = Field(description="child, minor or adult; never the birth date.")
    talent_pool: bool = False
    teaching_opt_in: bool = Field(default=False, description="Agreed to join the 社区教育师资库.")


@event_contract(
    "qingchun.volunteering.activity.published.v1",
    Audience.PARTNER,
    "A volunteer activity was published and opened for sign-up.",
)
class ActivityPublished(EventData):
    activity_id: str
    title: str = Field(description="Public title of the activity.")
    host_organization_id: str
    category: str
    brand: str | None = None
    first_shift_starts_at: datetime | None = None
    shift_count: int
    total_capacity: int


@event_contract(
    "qingchun.volunteering.activity.cancelled.v1",
    Audience.INTERNAL,
    "An activity was cancelled; its signed-up volunteers are to be told.",
)
class ActivityCancelled(EventData):
    activity_id: str
    host_organization_id: str
    reason_code: str = Field(description="organizer or organization_deactivated")
    volunteer_ids: list[str]


class _SignupFact(EventData):
    activity_id: str
    shift_id: str
    volunteer_id: str
    subject_id: str


@event_contract(
    "qingchun.volunteering.signup.confirmed.v1", Audience.INTERNAL, "A sign-up got a place on a shift."
)
class SignupConfirmed(_SignupFact):
    pass


@event_contract(
    "qingchun.volunteering.signup.waitlisted.v1",
    Audience.INTERNAL,
    "A sign-up joined a full shift's waitlist.",
)
class SignupWaitlisted(_SignupFact):
    """The position is read from the shift; it is not known inside the atomic write."""


@event_contract(
    "qingchun.volunteering.signup.promoted.v1",
    Audience.INTERNAL,
    "A waitlisted volunteer got a place because another cancelled.",
)
class SignupPromoted(_SignupFact):
    pass


@event_contract("qingchun.volunteering.signup.cancelled.v1", Audience.INTERNAL, "A sign-up was cancelled.")
class SignupCancelled(_SignupFact):
    by_organizer: bool = False
