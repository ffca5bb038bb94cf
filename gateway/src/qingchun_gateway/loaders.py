"""One DataLoader per request per entity: every ``load(id)`` made while a level of the query
resolves becomes one ``GET /v1/<nouns>?ids=…`` call per service (in chunks of the services' batch
limit), so a list of 100 activities with their organisations costs one registry call, not 100."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from qingchun_gateway.services import ServiceClient, ServiceError

MAX_BATCH = 200
"""The services' ``?ids=`` limit (plumbing.pagination.MAX_BATCH)."""

Document = dict[str, Any]

ENTITIES: dict[str, tuple[str, str]] = {
    "organization": ("registry", "/v1/organizations"),
    "agreement": ("registry", "/v1/agreements"),
    "volunteer": ("volunteering", "/v1/volunteers"),
    "activity": ("volunteering", "/v1/activities"),
    "shift": ("volunteering", "/v1/shifts"),
    "team": ("volunteering", "/v1/teams"),
    "pairing": ("volunteering", "/v1/pairings"),
    "programme": ("education", "/v1/programmes"),
    "course": ("education", "/v1/courses"),
    "enrolment": ("education", "/v1/enrolments"),
    "badge": ("education", "/v1/badges"),
    "reading_challenge": ("education", "/v1/reading-challenges"),
    "posting": ("employment", "/v1/postings"),
    "seeker": ("employment", "/v1/seekers"),
    "application": ("employment", "/v1/applications"),
    "venture": ("employment", "/v1/ventures"),
    "loan": ("employment", "/v1/loans"),
}
"""Entity → (service, batch path)."""


ONE_BY_ONE = frozenset({"role_required"})
"""Codes with which a service refuses this caller its batch read while it may still allow some
single reads (an employer reads a live applicant's profile, never the seeker list)."""


def batch_loader(client: ServiceClient, path: str) -> DataLoader[str, Document | None]:
    """A loader reading ``path?ids=…``; an id the service does not return (absent, or not the
    caller's to see) loads as None, and a refused batch fails every load in it with that error —
    unless the refusal is of the batch read itself, when each id is read on its own and each one
    the service refuses loads as None."""

    async def one(entity_id: str) -> Document | None:
        try:
            found: Document = await client.get(f"{path}/{entity_id}")
        except ServiceError as refused:
            if (refused.extensions or {}).get("status") in (403, 404):
                return None
            raise
        return found

    async def load(ids: Sequence[str]) -> Sequence[Document | None]:
        chunks = [ids[i : i + MAX_BATCH] for i in range(0, len(ids), MAX_BATCH)]
        try:
            pages = await asyncio.gather(
                *(client.get(path, {"ids": ",".join(chunk), "limit": len(chunk)}) for chunk in chunks)
            )
        except ServiceError as refused:
            if (refused.extensions or {}).get("code") not in ONE_BY_ONE:
                raise
            return await asyncio.gather(*(one(i) for i in ids))
        found = {item["id"]: item for page in pages for item in page["items"]}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


class Loaders:
    """The request's loaders, made on first use."""

    def __init__(self, clients: dict[str, ServiceClient]) -> None:
        self._clients = clients
        self._made: dict[str, DataLoader[str, Document | None]] = {}

    def __getitem__(self, entity: str) -> DataLoader[str, Document | None]:
        if entity not in self._made:
            service, path = ENTITIES[entity]
            self._made[entity] = batch_loader(self._clients[service], path)
        return self._made[entity]

    async def one(self, entity: str, entity_id: str | None) -> Document | None:
        return None if entity_id is None else await self[entity].load(entity_id)

    async def many(self, entity: str, ids: Sequence[str]) -> list[Document]:
        loaded = await self[entity].load_many(list(ids))
        return [d for d in loaded if d is not None]

    def prime(self, entity: str, documents: Sequence[Document]) -> None:
        """What a list call already returned needs no second read."""
        for document in documents:
            self[entity].prime(document["id"], document)
