"""Match responses: an id, a score and its reasons. A seeker's match carries the seeker's id only:
no name, phone or address (employers see contact details once the seeker applies)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from qingchun_employment.app.matching import PostingMatch
from qingchun_employment.domain.matching import Match, Reason

SCORE_DIGITS = 4


class ReasonOut(BaseModel):
    factor: str
    factor_label: str
    code: str = Field(description="What the factor found, e.g. skills_some, same_street")
    label: str
    score: float = Field(ge=0, le=1)
    weight: float = Field(ge=0, le=1)
    detail: str
    facts: dict[str, Any] = Field(description="What the factor was judged on (skill codes, a day count…)")


class PostingMatchOut(BaseModel):
    id: str = Field(description="The posting's id")
    title: str
    employer_organization_id: str
    place_organization_id: str | None
    category: str
    kind: str
    pay_min: int | None
    pay_max: int | None
    expires_at: datetime
    score: float = Field(ge=0, le=1)
    reasons: list[ReasonOut]


class SeekerMatchOut(BaseModel):
    id: str = Field(description="The seeker's id")
    score: float = Field(ge=0, le=1)
    reasons: list[ReasonOut]


def reason_out(reason: Reason) -> ReasonOut:
    return ReasonOut(
        factor=reason.factor.value,
        factor_label=reason.factor.label,
        code=reason.code.value,
        label=reason.code.label,
        score=round(reason.score, SCORE_DIGITS),
        weight=reason.weight,
        detail=reason.detail,
        facts=dict(reason.facts),
    )


def _reasons(match: Match) -> list[ReasonOut]:
    return [reason_out(r) for r in match.reasons]


def posting_match_out(found: PostingMatch) -> PostingMatchOut:
    posting = found.posting
    return PostingMatchOut(
        id=found.match.id,
        title=posting.get("title", ""),
        employer_organization_id=posting["employer_organization_id"],
        place_organization_id=posting.get("place_organization_id"),
        category=posting.get("category", ""),
        kind=posting.get("kind", ""),
        pay_min=posting.get("pay_min"),
        pay_max=posting.get("pay_max"),
        expires_at=posting["expires_at"],
        score=round(found.match.score, SCORE_DIGITS),
        reasons=_reasons(found.match),
    )


def seeker_match_out(match: Match) -> SeekerMatchOut:
    return SeekerMatchOut(id=match.id, score=round(match.score, SCORE_DIGITS), reasons=_reasons(match))
