"""The keys that sign a service's certificates, kept in its own database.

A configured key (from settings) signs when there is one; otherwise the service generates a key
once and keeps it as one document with a fixed id, written by whichever replica gets there first:
every other replica (and every restart) reads that winner, so all of them sign with, and verify
against, the same key. Public keys are kept by key id for as long as certificates name them, so a
rotated key still verifies what it signed, and anyone can fetch them to verify offline.

Every issuing service's context reaches its keys the same way (:class:`IssuingContext`), so
:func:`signing_key` and :func:`published_keys` serve all of them.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from pydantic import SecretStr
from pymongo.errors import DuplicateKeyError

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.signing import (
    ALGORITHM,
    PublicKey,
    SigningKey,
    generate_signing_key,
    load_signing_key,
)

SIGNING_KEYS = "signing_keys"
GENERATED_KEY = "generated"
"""The fixed ``_id`` of the key the service generated for itself (no key configured)."""
INDEXES: list[IndexSpec] = [IndexSpec(SIGNING_KEYS, [("kid", 1)], name="one_kid", unique=True)]
_PUBLIC_KEY_FIELDS = {"private_pem": 0}


def _key_document(key: SigningKey, source: str, now: datetime) -> Document:
    public = key.public
    return {
        "kid": public.kid,
        "algorithm": ALGORITHM,
        "public_raw": public.raw_base64,
        "public_pem": public.pem,
        "source": source,
        "created_at": now,
    }


class SigningKeyStore:
    def __init__(self, db: Database) -> None:
        self._keys = db[SIGNING_KEYS]
        self._known_keys: dict[str, Document] = {}  # key documents never change once written

    async def current(self, configured: SecretStr | None, now: datetime) -> SigningKey:
        """The configured key (PEM) if there is one, else the one the service generated once and stored."""
        if configured is not None:
            key = load_signing_key(configured.get_secret_value())
            await self._remember_public_key(_key_document(key, "configured", now))
            return key

        def generate() -> Document:
            key = generate_signing_key()
            return _key_document(key, "generated", now) | {"private_pem": key.pem}

        return load_signing_key((await self._generated_key(generate))["private_pem"])

    async def _generated_key(self, make: Callable[[], Document]) -> Document:
        """The service's own key: the stored one, or ``make()``'s if this call stores it first."""
        found = await self._keys.find_one({"_id": GENERATED_KEY})
        if found is not None:
            return found
        candidate = make() | {"_id": GENERATED_KEY}
        try:
            await self._keys.insert_one(candidate)
        except DuplicateKeyError:  # another replica won the race: use its key
            winner = await self._keys.find_one({"_id": GENERATED_KEY})
            assert winner is not None  # a duplicate key means it is there
            return winner
        return candidate

    async def _remember_public_key(self, document: Document) -> None:
        """Keep a configured key's public half, so it still verifies after the key is rotated."""
        if document["kid"] in self._known_keys:
            return
        with contextlib.suppress(DuplicateKeyError):  # a concurrent upsert stored it
            await self._keys.update_one(
                {"_id": f"configured:{document['kid']}"}, {"$setOnInsert": document}, upsert=True
            )
        self._known_keys[document["kid"]] = document

    async def public_key(self, kid: str) -> PublicKey | None:
        """The stored public key a certificate names; its id is recomputed, never taken on trust."""
        if kid not in self._known_keys:
            found = await self._keys.find_one({"kid": kid}, _PUBLIC_KEY_FIELDS)
            if found is None:
                return None
            self._known_keys[kid] = found
        return PublicKey.from_raw(base64.b64decode(self._known_keys[kid]["public_raw"]))

    async def public_keys(self) -> list[Document]:
        """Every key that signed or signs certificates (a handful: the current one and those before)."""
        return await self._keys.find({}, _PUBLIC_KEY_FIELDS).sort("created_at", 1).to_list()


# what an issuing service's context offers ---------------------------------------------------------
class _KeyedStore(Protocol):
    @property
    def keys(self) -> SigningKeyStore: ...


class _SigningSettings(Protocol):
    @property
    def certificate_signing_key(self) -> SecretStr | None: ...


class IssuingContext(Protocol):
    """A service context that issues certificates: its certificate store keeps the signing keys,
    its settings may name a configured key, and it has a clock."""

    @property
    def certificates(self) -> _KeyedStore: ...

    @property
    def settings(self) -> _SigningSettings: ...

    @property
    def now(self) -> Callable[[], datetime]: ...


async def signing_key(ctx: IssuingContext) -> SigningKey:
    """The configured key if there is one, else the one the service generated once and stored."""
    return await ctx.certificates.keys.current(ctx.settings.certificate_signing_key, ctx.now())


async def published_keys(ctx: IssuingContext) -> tuple[list[Document], str]:
    """Every key that signed or signs certificates, and the id of the one signing now."""
    current = (await signing_key(ctx)).public.kid
    return await ctx.certificates.keys.public_keys(), current
