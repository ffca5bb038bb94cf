"""Events published by the employment service (青年创业者行动).

Job seekers are named by platform ids only (``seeker_id``, the token ``subject_id``); no name,
ID number, phone or address ever travels. Partner-audience events describe postings and ventures
(public titles, employers, places, counts), never who applied or who was hired.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from qingchun_contracts.base import Audience, EventData, event_contract


# postings (用工信息) --------------------------------------------------------------------------------
@event_contract(
    "qingchun.employment.posting.published.v1",
    Audience.PARTNER,
    "A job posting passed moderation and was published on the city platform (孝感青年创业网).",
)
class PostingPublished(EventData):
    posting_id: str
    title: str = Field(description="Public title of the posting.")
    employer_organization_id: str
    origin_community_id: str | None = None
    category: str
    kind: str = Field(
        description="full_time, part_time, public_welfare, flexible, traineeship, homecoming_internship"
    )
    headcount: int
    pay_min: int | None = Field(default=None, description="Monthly pay in yuan, lower bound.")
    pay_max: int | None = None
    expires_at: datetime


@event_contract(
    "qingchun.employment.posting.closed.v1",
    Audience.PARTNER,
    "A published posting closed: filled, expired, withdrawn or its employer deactivated.",
)
class PostingClosed(EventData):
    posting_id: str
    employer_organization_id: str
    reason_code: str = Field(description="filled, expired, withdrawn or employer_deactivated")
    hired: int = Field(default=0, description="Placements confirmed on the posting.")


# applications and placements --------------------------------------------------------------------
@event_contract(
    "qingchun.employment.application.submitted.v1",
    Audience.INTERNAL,
    "A job seeker applied to a posting (or accepted a staff referral to it).",
)
class ApplicationSubmitted(EventData):
    application_id: str
    posting_id: str
    seeker_id: str
    via_referral: bool = False


@event_contract(
    "qingchun.employment.application.status_changed.v1",
    Audience.INTERNAL,
    "An application moved on: reviewed, interview, offered, hired, rejected or withdrawn.",
)
class ApplicationStatusChanged(EventData):
    application_id: str
    posting_id: str
    seeker_id: str
    status: str


@event_contract(
    "qingchun.employment.placement.confirmed.v1",
    Audience.INTERNAL,
    "A seeker was hired through a posting (a placement): counts toward 就业 and closes linked care needs.",
)
class PlacementConfirmed(EventData):
    application_id: str
    posting_id: str
    seeker_id: str
    subject_id: str
    employer_organization_id: str
    posting_kind: str
    started_on: str = Field(description="ISO date.")


# ventures and microloans ----------------------------------------------------------------------
@event_contract(
    "qingchun.employment.venture.started.v1",
    Audience.PARTNER,
    "A venture (创业项目) was registered: its kind, place, incubator and the jobs it creates.",
)
class VentureStarted(EventData):
    venture_id: str
    name: str = Field(description="Public name of the business.")
    kind: str = Field(description="self_employed (自主创业) or homecoming (返乡创业)")
    street_organization_id: str | None = None
    incubator_organization_id: str | None = None
    jobs_created: int


@event_contract(
    "qingchun.employment.loan.status_changed.v1",
    Audience.INTERNAL,
    "A microloan (小额担保贷款) moved on: reviewed, approved, disbursed, repaying, closed or rejected.",
)
class LoanStatusChanged(EventData):
    loan_id: str
    venture_id: str | None = None
    applicant_seeker_id: str
    status: str
    amount_yuan: int
