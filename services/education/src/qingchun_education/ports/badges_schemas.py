"""Badge responses (雏鹰争章), with Chinese labels beside codes; awards name learners by id only."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_education.domain.badges import AwardSource, BadgeCategory, RuleKind
from qingchun_plumbing.mongo import Document


class RuleOut(BaseModel):
    kind: str
    kind_label: str
    threshold: int = Field(description="Minutes that earn the badge.")


class BadgeOut(BaseModel):
    id: str
    code: str
    name: str
    category: str
    category_label: str
    criteria: str
    owner_organization_id: str
    rule: RuleOut | None = Field(description="Set when the badge is also earned automatically.")
    created_at: datetime


class AwardOut(BaseModel):
    id: str
    badge_id: str
    badge_code: str
    learner_id: str
    source: str
    source_label: str
    awarded_by: str | None = Field(description="The counsellor's account; null when earned automatically.")
    note: str | None
    awarded_on: date


class BadgeProgressOut(BaseModel):
    learner_id: str
    verified_service_minutes: int
    reading_minutes: int


def _rule_out(rule: Document) -> RuleOut:
    kind = RuleKind(rule["kind"])
    return RuleOut(kind=kind.value, kind_label=kind.label, threshold=rule["threshold"])


def badge_out(doc: Document) -> BadgeOut:
    category, rule = BadgeCategory(doc["category"]), doc.get("rule")
    return BadgeOut(
        id=doc["_id"],
        code=doc["code"],
        name=doc["name"],
        category=category.value,
        category_label=category.label,
        criteria=doc["criteria"],
        owner_organization_id=doc["owner_organization_id"],
        rule=_rule_out(rule) if rule else None,
        created_at=doc["created_at"],
    )


def award_out(doc: Document) -> AwardOut:
    source = AwardSource(doc["source"])
    return AwardOut(
        id=doc["_id"],
        badge_id=doc["badge_id"],
        badge_code=doc["badge_code"],
        learner_id=doc["learner_id"],
        source=source.value,
        source_label=source.label,
        awarded_by=doc.get("awarded_by"),
        note=doc.get("note"),
        awarded_on=doc["awarded_on"],
    )


def progress_out(learner_id: str, service_minutes: int, reading_minutes: int) -> BadgeProgressOut:
    return BadgeProgressOut(
        learner_id=learner_id, verified_service_minutes=service_minutes, reading_minutes=reading_minutes
    )
