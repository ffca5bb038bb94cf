"""Backup and restore of one service's database without ``mongodump``: each collection as a file
of concatenated BSON documents (``<collection>.bson``, the layout mongodump writes) and a
``manifest.json`` naming the service and counting the documents.

Documents are copied as raw BSON, byte for byte, so every type (dates, ids, decimals, binary)
survives. Indexes are not copied: every service declares its indexes in code and creates them at
start-up. A restore goes only into an empty database, so it can never mix two states.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import bson
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from pymongo.asynchronous.collection import AsyncCollection

from qingchun_plumbing.mongo import Database
from qingchun_plumbing.ops import Refused

MANIFEST = "manifest.json"
FORMAT = "qingchun-bson-1"
BATCH = 500
RAW: CodecOptions[RawBSONDocument] = CodecOptions(document_class=RawBSONDocument, tz_aware=True)


async def _collections(db: Database) -> list[str]:
    return sorted(n for n in await db.list_collection_names() if not n.startswith("system."))


def _raw(db: Database, name: str) -> AsyncCollection[RawBSONDocument]:
    """The collection read and written as undecoded BSON."""
    return cast("AsyncCollection[RawBSONDocument]", db.get_collection(name, codec_options=RAW))


def _empty_directory(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise Refused(f"{directory} is not empty; back up into a new directory")


async def backup(db: Database, service: str, directory: Path) -> dict[str, Any]:
    """Write every collection of ``db`` under ``directory`` (created; must be empty); returns the manifest."""
    _empty_directory(directory)
    counts: dict[str, int] = {}
    for name in await _collections(db):
        count = 0
        with (directory / f"{name}.bson").open("wb") as out:
            async for document in _raw(db, name).find({}, sort=[("_id", 1)]):
                out.write(document.raw)
                count += 1
        counts[name] = count
    manifest = {
        "format": FORMAT,
        "service": service,
        "database": db.name,
        "created_at": datetime.now(UTC).isoformat(),
        "collections": counts,
    }
    _write_manifest(directory, manifest)
    return manifest


def _write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def read_manifest(directory: Path, service: str) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise Refused(f"{directory} holds no {MANIFEST}: not a backup")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise Refused(f"unknown backup format {manifest.get('format')!r}")
    if manifest.get("service") != service:
        raise Refused(f"this is a backup of {manifest.get('service')!r}, not of {service!r}")
    return manifest


async def restore(db: Database, service: str, directory: Path) -> dict[str, int]:
    """Load a backup of ``service`` into ``db``, which must hold no documents; returns the counts."""
    manifest = read_manifest(directory, service)
    for name in await _collections(db):
        if await db[name].find_one({}, {"_id": 1}) is not None:
            raise Refused(
                f"database {db.name} is not empty ({name} has documents); restore into an empty one"
            )
    restored: dict[str, int] = {}
    for name, expected in manifest["collections"].items():
        collection = _raw(db, name)
        count, batch = 0, []
        with (directory / f"{name}.bson").open("rb") as source:
            for document in bson.decode_file_iter(source, codec_options=RAW):
                batch.append(document)
                if len(batch) == BATCH:
                    await collection.insert_many(batch, ordered=True)
                    count, batch = count + len(batch), []
        if batch:
            await collection.insert_many(batch, ordered=True)
            count += len(batch)
        if count != expected:
            raise Refused(f"{name}: {count} documents in the file, the manifest says {expected}")
        restored[name] = count
    return restored
