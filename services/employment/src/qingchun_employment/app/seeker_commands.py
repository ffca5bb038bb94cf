"""Validated input of job-seeker writes (青年求职者): registration, edits, intake and services.

No field takes a national ID number: 实名制 here is the real name and a mainland mobile, with at most
the ID card's last four characters to tell two people of one name apart at the service window.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_employment.domain.seekers import MAX_OWN_SKILLS, SeekerCategory, ServiceType, WantedKind
from qingchun_plumbing.fields import Command, OrgId, Text

RealName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=20)]
MobilePhone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^1[3-9]\d{9}$")]
IdLast4 = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^\d{3}[\dXx]$")]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_\-]{0,29}$")]
"""A short lower-case code (skill, job category): ``sewing``, ``e-commerce``, ``food_service``."""
ConsentVersion = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]
BirthYear = Annotated[int, Field(ge=1900, le=2200, description="Only the year is kept (no birth date).")]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ConsentIn(Command):
    """The seeker's consent to the use of their personal data for employment services."""

    accepted: bool
    version: ConsentVersion = Field(description="The version of the text agreed to, e.g. 2026-01.")


class SeekerCreate(Command):
    """Register yourself as a job seeker (the token's subject owns the profile)."""

    real_name: RealName = Field(description="实名: the name on the ID card.")
    phone: MobilePhone = Field(description="Mainland mobile number.")
    id_last4: IdLast4 | None = Field(default=None, description="Last four characters of the ID card only.")
    birth_year: BirthYear
    consent: ConsentIn | None = Field(default=None, description="Required, with accepted = true.")
    residence_community_id: OrgId
    category: SeekerCategory
    skills: list[Code] = Field(default_factory=list, max_length=MAX_OWN_SKILLS)
    wanted_categories: list[Code] = Field(
        default_factory=list, max_length=10, description="Job category codes, as postings use them."
    )
    wanted_kinds: list[WantedKind] = Field(default_factory=list, max_length=len(WantedKind))
    available_from: date | None = None
    entrepreneurial_intent: bool = Field(default=False, description="创业意愿")
    employment_intent: Text | None = Field(default=None, description="就业意向, in the seeker's words")


class SeekerUpdate(Command):
    """Change your own profile; fields left out stay as they are, ``null`` clears an optional one."""

    real_name: RealName | None = None
    phone: MobilePhone | None = None
    id_last4: IdLast4 | None = None
    birth_year: BirthYear | None = None
    residence_community_id: OrgId | None = None
    category: SeekerCategory | None = None
    skills: list[Code] | None = Field(
        default=None, max_length=MAX_OWN_SKILLS, description="Your own skills; certified ones stay."
    )
    wanted_categories: list[Code] | None = Field(default=None, max_length=10)
    wanted_kinds: list[WantedKind] | None = Field(default=None, max_length=len(WantedKind))
    available_from: date | None = None
    entrepreneurial_intent: bool | None = None
    employment_intent: Text | None = None


REQUIRED_ON_UPDATE = (
    "real_name",
    "phone",
    "birth_year",
    "residence_community_id",
    "category",
    "skills",
    "wanted_categories",
    "wanted_kinds",
    "entrepreneurial_intent",
)
"""Fields a profile always has: an update may change them, not clear them."""


class AssessmentIn(Command):
    notes: Notes = Field(description="Intake notes (四知四清四掌握).")


class ServiceIn(Command):
    type: ServiceType
    date: date
    note: Text | None = None
