"""Match responses: an id, a score and its reasons. A volunteer's match never carries a name,
contact or birth date: the front end resolves names through the batch read that applies the
visibility rules for minors."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from qingchun_volunteering.app.matching import ShiftMatch, VolunteerMatch
from qingchun_volunteering.domain.matching import Match, Reason

SCORE_DIGITS = 4


class ReasonOut(BaseModel):
    factor: str
    factor_label: str
    score: float = Field(ge=0, le=1)
    weight: float = Field(ge=0, le=1, description="0 for the eligibility gate")
    detail: str
    code: str | None = Field(default=None, description="The rule that makes the pair ineligible")


class ShiftMatchOut(BaseModel):
    id: str = Field(description="The shift's id")
    activity_id: str
    starts_at: datetime
    ends_at: datetime
    score: float = Field(ge=0, le=1)
    eligible: bool
    reasons: list[ReasonOut]


class VolunteerMatchOut(BaseModel):
    id: str = Field(description="The volunteer's id")
    age_band: str
    age_band_label: str
    score: float = Field(ge=0, le=1)
    eligible: bool
    reasons: list[ReasonOut]


def reason_out(reason: Reason) -> ReasonOut:
    return ReasonOut(
        factor=reason.factor.value,
        factor_label=reason.factor.label,
        score=round(reason.score, SCORE_DIGITS),
        weight=reason.weight,
        detail=reason.detail,
        code=reason.code,
    )


def _reasons(match: Match) -> list[ReasonOut]:
    return [reason_out(r) for r in match.reasons]


def shift_match_out(found: ShiftMatch) -> ShiftMatchOut:
    return ShiftMatchOut(
        id=found.match.id,
        activity_id=found.shift["activity_id"],
        starts_at=found.shift["starts_at"],
        ends_at=found.shift["ends_at"],
        score=round(found.match.score, SCORE_DIGITS),
        eligible=found.match.eligible,
        reasons=_reasons(found.match),
    )


def volunteer_match_out(found: VolunteerMatch) -> VolunteerMatchOut:
    return VolunteerMatchOut(
        id=found.match.id,
        age_band=found.age_band.value,
        age_band_label=found.age_band.label,
        score=round(found.match.score, SCORE_DIGITS),
        eligible=found.match.eligible,
        reasons=_reasons(found.match),
    )
