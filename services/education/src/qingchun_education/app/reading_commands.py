"""Validated input of reading writes: books, curated lists, reading logs and challenges."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_education.domain.reading import ReadingAgeBand
from qingchun_plumbing.fields import Command, EntityId, Name, OrgId, Tag, Text, Title

MAX_LIST_BOOKS = 300
Isbn = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9Xx\- ]{10,17}$")]
AgeBands = Annotated[list[ReadingAgeBand], Field(min_length=1, max_length=len(ReadingAgeBand))]


class BookCreate(Command):
    title: Title
    author: Name
    publisher: Name | None = None
    isbn: Isbn | None = Field(default=None, description="ISBN-10 or ISBN-13; the check digit is verified.")
    age_bands: AgeBands
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class ReadingListCreate(Command):
    name: Title = Field(description="e.g. 中国青少年新世纪读书计划推荐书目")
    curator_organization_id: OrgId
    curator_name: Name = Field(description="Who recommends it, e.g. 灵武市图书馆, 新华书店")
    curator_role: Name | None = Field(default=None, description="e.g. 图书馆, 书店, 学校")
    description: Text | None = None
    age_bands: AgeBands
    book_ids: list[EntityId] = Field(
        min_length=1, max_length=MAX_LIST_BOOKS, description="Catalogue books, in reading order."
    )


class ReadingLogCreate(Command):
    learner_id: EntityId
    book_id: EntityId | None = Field(default=None, description="A catalogue book; or give a free title.")
    title: Title | None = Field(default=None, description="A book outside the catalogue.")
    minutes: int = Field(ge=1, le=600)
    read_on: date = Field(description="Local date of the reading; not in the future.")
    pages: int | None = Field(default=None, ge=1, le=5000)


class ChallengeGoal(Command):
    books: int | None = Field(default=None, ge=1, le=1000, description="Distinct books read in the period.")
    minutes: int | None = Field(default=None, ge=1, le=100_000, description="Minutes read in the period.")


class ChallengeCreate(Command):
    owner_organization_id: OrgId
    title: Title = Field(description="e.g. 暑期阅读挑战")
    starts_on: date
    ends_on: date = Field(description="Inclusive: reading on this day still counts.")
    goal: ChallengeGoal
    age_bands: AgeBands
    reading_list_id: EntityId | None = Field(default=None, description="A published reading list.")


class ParticipantJoin(Command):
    learner_id: EntityId
