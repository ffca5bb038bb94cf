"""Reading responses, with Chinese labels beside codes. Logs and progress name learners by id only."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_education.domain.reading import Progress, ReadingAgeBand, ReadingListStatus
from qingchun_plumbing.mongo import Document


class BookOut(BaseModel):
    id: str
    title: str
    author: str
    publisher: str | None
    isbn: str | None
    age_bands: list[str]
    age_band_labels: list[str]
    tags: list[str]
    created_at: datetime


class ReadingListOut(BaseModel):
    id: str
    name: str
    curator_organization_id: str
    curator_name: str
    curator_role: str | None
    description: str | None
    age_bands: list[str]
    age_band_labels: list[str]
    book_ids: list[str] = Field(description="In reading order; read the books with GET /v1/books?ids=…")
    status: str
    status_label: str
    reviewed_at: datetime | None = Field(description="When the 健康向上 review was recorded.")
    published_at: datetime | None
    version: int
    created_at: datetime


class ReadingLogOut(BaseModel):
    id: str
    learner_id: str
    book_id: str | None
    title: str
    minutes: int
    pages: int | None
    read_on: date
    logged_by: str = Field(description="The account that wrote the log: the learner or a guardian.")
    logged_at: datetime


class ReadingTotalsOut(BaseModel):
    learner_id: str
    books: int = Field(description="Distinct books (catalogue entries or free titles).")
    minutes: int


class GoalOut(BaseModel):
    books: int | None
    minutes: int | None


class ChallengeOut(BaseModel):
    id: str
    owner_organization_id: str
    title: str
    starts_on: date
    ends_on: date
    goal: GoalOut
    age_bands: list[str]
    age_band_labels: list[str]
    reading_list_id: str | None
    created_at: datetime


class ProgressOut(BaseModel):
    learner_id: str
    books: int
    minutes: int
    goal: GoalOut
    percent: int = Field(description="Of the goal furthest from done, 0–100.")
    completed: bool


def _bands(codes: list[str]) -> list[str]:
    return [ReadingAgeBand(c).label for c in codes]


def book_out(doc: Document) -> BookOut:
    return BookOut(
        id=doc["_id"],
        title=doc["title"],
        author=doc["author"],
        publisher=doc.get("publisher"),
        isbn=doc.get("isbn"),
        age_bands=doc["age_bands"],
        age_band_labels=_bands(doc["age_bands"]),
        tags=doc["tags"],
        created_at=doc["created_at"],
    )


def reading_list_out(doc: Document) -> ReadingListOut:
    status = ReadingListStatus(doc["status"])
    return ReadingListOut(
        id=doc["_id"],
        name=doc["name"],
        curator_organization_id=doc["curator_organization_id"],
        curator_name=doc["curator_name"],
        curator_role=doc.get("curator_role"),
        description=doc.get("description"),
        age_bands=doc["age_bands"],
        age_band_labels=_bands(doc["age_bands"]),
        book_ids=doc["book_ids"],
        status=status.value,
        status_label=status.label,
        reviewed_at=doc.get("reviewed_at"),
        published_at=doc.get("published_at"),
        version=doc["version"],
        created_at=doc["created_at"],
    )


def log_out(doc: Document) -> ReadingLogOut:
    return ReadingLogOut(
        id=doc["_id"],
        learner_id=doc["learner_id"],
        book_id=doc["book_id"],
        title=doc["title"],
        minutes=doc["minutes"],
        pages=doc["pages"],
        read_on=doc["read_on"],
        logged_by=doc["logged_by"],
        logged_at=doc["logged_at"],
    )


def totals_out(learner_id: str, books: int, minutes: int) -> ReadingTotalsOut:
    return ReadingTotalsOut(learner_id=learner_id, books=books, minutes=minutes)


def challenge_out(doc: Document) -> ChallengeOut:
    return ChallengeOut(
        id=doc["_id"],
        owner_organization_id=doc["owner_organization_id"],
        title=doc["title"],
        starts_on=doc["starts_on"],
        ends_on=doc["ends_on"],
        goal=GoalOut(**doc["goal"]),
        age_bands=doc["age_bands"],
        age_band_labels=_bands(doc["age_bands"]),
        reading_list_id=doc.get("reading_list_id"),
        created_at=doc["created_at"],
    )


def progress_out(learner_id: str, progress: Progress) -> ProgressOut:
    return ProgressOut(
        learner_id=learner_id,
        books=progress.books,
        minutes=progress.minutes,
        goal=GoalOut(books=progress.goal_books, minutes=progress.goal_minutes),
        percent=progress.percent,
        completed=progress.completed,
    )
