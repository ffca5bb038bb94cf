"""Recommended books, curated reading lists, reading logs and reading challenges in MongoDB.

Nothing here publishes events: reading is the learners' own record. Totals are summed from the
logs when asked (indexed by learner and date), so a correction of a log can never leave a stale
counter behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo.errors import DuplicateKeyError

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import versioned_update
from qingchun_plumbing.problems import Conflict

BOOKS = "books"
READING_LISTS = "reading_lists"
READING_LOGS = "reading_logs"
CHALLENGES = "reading_challenges"
PARTICIPANTS = "reading_challenge_participants"
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = [
    IndexSpec(
        BOOKS, [("isbn", 1)], name="unique_isbn", unique=True, sparse=True
    ),  # books without one: no isbn
    IndexSpec(BOOKS, [("age_bands", 1), ("_id", 1)], name="books_by_age_band"),
    IndexSpec(READING_LISTS, [("status", 1), ("age_bands", 1), ("_id", 1)], name="lists_by_status"),
    IndexSpec(READING_LISTS, [("curator_organization_id", 1), ("_id", 1)], name="lists_by_curator"),
    IndexSpec(READING_LOGS, [("learner_id", 1), ("_id", 1)], name="logs_by_learner"),
    IndexSpec(READING_LOGS, [("learner_id", 1), ("read_on", 1)], name="logs_by_learner_date"),
    IndexSpec(CHALLENGES, [("owner_organization_id", 1), ("_id", 1)], name="challenges_by_owner"),
    IndexSpec(CHALLENGES, [("age_bands", 1), ("_id", 1)], name="challenges_by_age_band"),
    IndexSpec(PARTICIPANTS, [("challenge_id", 1), ("learner_id", 1)], name="join_once", unique=True),
    IndexSpec(PARTICIPANTS, [("challenge_id", 1), ("_id", 1)], name="participants_by_challenge"),
]


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class ReadingStore:
    def __init__(self, db: Database) -> None:
        self._books = db[BOOKS]
        self._lists = db[READING_LISTS]
        self._logs = db[READING_LOGS]
        self._challenges = db[CHALLENGES]
        self._participants = db[PARTICIPANTS]

    # catalogue -----------------------------------------------------------------------------------
    async def insert_book(self, document: Document) -> None:
        try:
            await self._books.insert_one(document | {"version": 1})
        except DuplicateKeyError:
            raise Conflict(
                "a book with this ISBN is in the catalogue", field="isbn", code="isbn_taken"
            ) from None

    async def book(self, book_id: str) -> Document | None:
        return await self._books.find_one({"_id": book_id})

    async def books(self, ids: Sequence[str]) -> list[Document]:
        return await self._books.find({"_id": {"$in": list(ids)}}).to_list()

    async def find_books(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._books.find(_page(query, after)).sort("_id", 1).limit(limit).to_list()

    # curated lists -------------------------------------------------------------------------------
    async def insert_list(self, document: Document) -> None:
        await self._lists.insert_one(document | {"version": 1})

    async def reading_list(self, list_id: str) -> Document | None:
        return await self._lists.find_one({"_id": list_id})

    async def reading_lists(self, ids: Sequence[str]) -> list[Document]:
        return await self._lists.find({"_id": {"$in": list(ids)}}).to_list()

    async def find_lists(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._lists.find(_page(query, after)).sort("_id", 1).limit(limit).to_list()

    async def update_list(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._lists, document, changes, [], "reading list")

    # logs ----------------------------------------------------------------------------------------
    async def insert_log(self, document: Document) -> None:
        await self._logs.insert_one(document)

    async def find_logs(self, learner_id: str, after: str | None, limit: int) -> list[Document]:
        cursor = self._logs.find(_page({"learner_id": learner_id}, after)).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def totals(
        self, learner_ids: Sequence[str], starts_on: str | None = None, ends_on: str | None = None
    ) -> dict[str, tuple[int, int]]:
        """Learner id → (distinct books, minutes) of logs read within the inclusive ISO dates given."""
        match: dict[str, Any] = {"learner_id": {"$in": list(learner_ids)}}
        if starts_on is not None and ends_on is not None:
            match["read_on"] = {"$gte": starts_on, "$lte": ends_on}
        pipeline: list[dict[str, Any]] = [
            {"$match": match},
            {
                "$group": {
                    "_id": "$learner_id",
                    "minutes": {"$sum": "$minutes"},
                    "keys": {"$addToSet": "$book_key"},
                }
            },
        ]
        rows = await (await self._logs.aggregate(pipeline)).to_list()
        return {row["_id"]: (len(row["keys"]), int(row["minutes"])) for row in rows}

    # challenges ----------------------------------------------------------------------------------
    async def insert_challenge(self, document: Document) -> None:
        await self._challenges.insert_one(document | {"version": 1})

    async def challenge(self, challenge_id: str) -> Document | None:
        return await self._challenges.find_one({"_id": challenge_id})

    async def challenges(self, ids: Sequence[str]) -> list[Document]:
        return await self._challenges.find({"_id": {"$in": list(ids)}}).to_list()

    async def find_challenges(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._challenges.find(_page(query, after)).sort("_id", 1).limit(limit).to_list()

    async def insert_participant(self, document: Document) -> None:
        try:
            await self._participants.insert_one(document)
        except DuplicateKeyError:
            raise Conflict(
                "the learner already takes part in this challenge", field="learner_id", code="already_joined"
            ) from None

    async def participant(self, challenge_id: str, learner_id: str) -> Document | None:
        return await self._participants.find_one({"challenge_id": challenge_id, "learner_id": learner_id})

    async def find_participants(self, challenge_id: str, after: str | None, limit: int) -> list[Document]:
        query = _page({"challenge_id": challenge_id}, after)
        return await self._participants.find(query).sort("_id", 1).limit(limit).to_list()
