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
    "A waitlisted volunteer got a place because another cancelled (or was offered it, with a deadline).",
)
class SignupPromoted(_SignupFact):
    confirm_by: datetime | None = Field(
        default=None,
        description="Set when the activity has a confirmation window: the place is held for the "
        "volunteer until then and goes to the next in line unless they accept.",
    )


@event_contract("qingchun.volunteering.signup.cancelled.v1", Audience.INTERNAL, "A sign-up was cancelled.")
class SignupCancelled(_SignupFact):
    by_organizer: bool = False


# activities: the figures sent upward (场次, 人次, minutes) -------------------------------------
@event_contract(
    "qingchun.volunteering.activity.completed.v1",
    Audience.PARTNER,
    "An activity was carried out: its sessions (场次), participants (人次) and minutes credited so far.",
)
class ActivityCompleted(EventData):
    activity_id: str
    host_organization_id: str
    category: str
    brand: str | None = None
    sessions: int = Field(description="Shifts held (场次).")
    participants: int = Field(description="Attendances counted per shift (人次).")
    credited_minutes: int = Field(description="Minutes credited by the rules, before the host verifies.")


@event_contract(
    "qingchun.volunteering.activity.verified.v1",
    Audience.PARTNER,
    "The host verified an activity's service records (认定): the minutes that now count.",
)
class ActivityVerified(EventData):
    activity_id: str
    host_organization_id: str
    sessions: int
    participants: int
    verified_minutes: int


# service hours and recognition -----------------------------------------------------------------
@event_contract(
    "qingchun.volunteering.hours.verified.v1",
    Audience.INTERNAL,
    "A service-hour entry was verified by a host (or a 补录 by its second approver); it now counts.",
)
class HoursVerified(EventData):
    entry_id: str
    volunteer_id: str
    subject_id: str
    host_organization_id: str
    activity_id: str | None = None
    shift_id: str | None = None
    minutes: int = Field(ge=0)
    method: str = Field(description="code, organizer or retroactive (补录)")
    served_on: str = Field(description="ISO date of the service.")


@event_contract(
    "qingchun.volunteering.volunteer.star_level_reached.v1",
    Audience.INTERNAL,
    "A volunteer's verified hours crossed a star threshold (100/300/600/1000/1500 hours).",
)
class StarLevelReached(EventData):
    volunteer_id: str
    subject_id: str
    star_level: int = Field(ge=1, le=5)
    verified_minutes: int


# teams ---------------------------------------------------------------------------------------
@event_contract(
    "qingchun.volunteering.team.formed.v1",
    Audience.PARTNER,
    "A volunteer service team (志愿服务队) was formed under an organisation.",
)
class TeamFormed(EventData):
    team_id: str
    name: str = Field(description="Public name of the team, e.g. 福娃福地书香国学志愿服务队.")
    host_organization_id: str
    team_type_code: str


# 社区报到: league and Party members reporting to their residential community -------------------
class _CommunityCheckinFact(EventData):
    checkin_id: str
    round_id: str
    subject_id: str
    community_id: str
    sending_organization_id: str


@event_contract(
    "qingchun.volunteering.community_checkin.submitted.v1",
    Audience.INTERNAL,
    "A member handed in their 报到 documents to their residential community.",
)
class CommunityCheckinSubmitted(_CommunityCheckinFact):
    pass


@event_contract(
    "qingchun.volunteering.community_checkin.confirmed.v1",
    Audience.INTERNAL,
    "The residential community confirmed a member's 报到.",
)
class CommunityCheckinConfirmed(_CommunityCheckinFact):
    pass


@event_contract(
    "qingchun.volunteering.community_checkin.overdue.v1",
    Audience.INTERNAL,
    "A member had not reported by the round's deadline; the sending branch is to follow up (督促).",
)
class CommunityCheckinOverdue(_CommunityCheckinFact):
    deadline: str = Field(description="ISO date the round's 报到 was due.")


@event_contract(
    "qingchun.volunteering.service_post.claimed.v1",
    Audience.INTERNAL,
    "A reported member claimed a community service post (服务岗位认领).",
)
class ServicePostClaimed(EventData):
    post_id: str
    community_id: str
    subject_id: str


@event_contract(
    "qingchun.volunteering.micro_wish.claimed.v1",
    Audience.INTERNAL,
    "A member claimed a resident's micro-wish (微心愿认领).",
)
class MicroWishClaimed(EventData):
    wish_id: str
    community_id: str
    subject_id: str


@event_contract(
    "qingchun.volunteering.micro_wish.fulfilled.v1",
    Audience.INTERNAL,
    "A claimed micro-wish was fulfilled and confirmed by the community.",
)
class MicroWishFulfilled(EventData):
    wish_id: str
    community_id: str
    subject_id: str


# pairings (结对) --------------------------------------------------------------------------------
class _PairingFact(EventData):
    pairing_id: str
    pairing_type: str
    host_organization_id: str
    beneficiary_kind: str = Field(description="household or care_case")
    beneficiary_ref: str = Field(description="Pseudonymous id; never a name.")


@event_contract(
    "qingchun.volunteering.pairing.signed.v1",
    Audience.INTERNAL,
    "A pairing's agreement (结对工作协议) was signed; its helpers now serve the beneficiary.",
)
class PairingSigned(_PairingFact):
    helper_volunteer_ids: list[str]
    signed_on: str = Field(description="ISO date.")
    helper_subject_ids: list[str] = Field(
        default_factory=list,
        description="The helpers' platform subject ids (token sub), in the order of helper_volunteer_ids, "
        "so a care case can grant them access; ids only, never a name.",
    )


@event_contract(
    "qingchun.volunteering.pairing.visit_logged.v1",
    Audience.INTERNAL,
    "A helper logged a visit (走访) to the paired beneficiary; notes stay in the service.",
)
class PairingVisitLogged(_PairingFact):
    visit_id: str
    visited_on: str


@event_contract(
    "qingchun.volunteering.pairing.reviewed.v1",
    Audience.INTERNAL,
    "A pairing had its periodic review (定期总结).",
)
class PairingReviewed(_PairingFact):
    reviewed_on: str
    outcome_code: str = Field(description="continue, adjust or close_recommended")


@event_contract(
    "qingchun.volunteering.pairing.closed.v1",
    Audience.INTERNAL,
    "A pairing ended, with its reason (完成学业, 改好, 就业, 迁出, 终止).",
)
class PairingClosed(_PairingFact):
    end_reason_code: str
    closed_on: str
