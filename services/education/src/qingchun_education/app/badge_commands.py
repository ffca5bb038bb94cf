"""Validated input of badge writes (雏鹰争章): definitions and counsellors' awards."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_education.domain.badges import BadgeCategory, RuleKind
from qingchun_plumbing.fields import Command, EntityId, Name, OrgId, Text

BadgeCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{1,39}$")]


class AutomaticRule(Command):
    kind: RuleKind
    threshold: int = Field(ge=1, le=1_000_000, description="Minutes that earn the badge.")


class BadgeCreate(Command):
    code: BadgeCode = Field(description="Unique within the owner, e.g. community_service")
    name: Name = Field(description="e.g. 社区服务章, 读书章, 科普章, 艺术章, 自护章")
    category: BadgeCategory
    criteria: Text = Field(description="What earns it, in words for children and counsellors.")
    owner_organization_id: OrgId
    rule: AutomaticRule | None = Field(
        default=None, description="Set: the badge is also earned automatically."
    )


class AwardCreate(Command):
    learner_id: EntityId
    note: Text | None = Field(default=None, description="The counsellor's note; never published in events.")
