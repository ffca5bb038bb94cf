"""``python -m qingchun_plumbing.ops <service> <command> ...``: the operations commands.

Connections come from the service's usual settings (``QINGCHUN_MONGO_URL``, ``QINGCHUN_AMQP_URL``,
``QINGCHUN_DB_PREFIX``, ``QINGCHUN_BUS_PREFIX``). Results are JSON lines on stdout; a refusal is
one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from qingchun_plumbing.bus import Bus, Topology
from qingchun_plumbing.mongo import connect, database
from qingchun_plumbing.ops import Refused
from qingchun_plumbing.ops.backup import backup, restore
from qingchun_plumbing.ops.dead_letters import DEFAULT_LIMIT, list_dead_letters, replay_dead_letters
from qingchun_plumbing.ops.outbox import drain_outbox, show_outbox
from qingchun_plumbing.ops.rebuild import rebuild_directory
from qingchun_plumbing.settings import ServiceSettings

REGISTRY = "registry"  # owns the organisations: it has no read model of them to rebuild


def service_name(value: str) -> str:
    """A service's name as its database and queues are named (``volunteering``, ``partners``…)."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a service name")
    return value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m qingchun_plumbing.ops", description=__doc__)
    root.add_argument("service", type=service_name, help="the service whose database and queues to act on")
    commands = root.add_subparsers(dest="command", required=True)

    dead = commands.add_parser("dead-letters", help="inspect or replay the service's dead letters")
    dead_action = dead.add_subparsers(dest="action", required=True)
    listing = dead_action.add_parser("list", help="list dead letters (metadata only), consuming none")
    listing.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
    replay = dead_action.add_parser("replay", help="move dead letters back onto the service's own queue")
    replay.add_argument("--id", dest="event_id", help="only the dead letter of this event id")
    replay.add_argument("--limit", type=int, default=DEFAULT_LIMIT)

    outbox = commands.add_parser("outbox", help="show or drain the service's outbox")
    outbox_action = outbox.add_subparsers(dest="action", required=True)
    show = outbox_action.add_parser("show", help="list the events waiting to be published")
    show.add_argument("--limit", type=int, default=1000)
    outbox_action.add_parser("drain", help="publish every pending event now")

    for name, what in (("backup", "write"), ("restore", "read")):
        command = commands.add_parser(name, help=f"{what} one service's database as BSON files")
        command.add_argument("directory", type=Path)

    rebuild = commands.add_parser(
        "rebuild-read-model", help="rebuild the service's directory of organisations from the registry"
    )
    rebuild.add_argument(
        "--registry-url", default=os.environ.get("QINGCHUN_REGISTRY_URL", "http://127.0.0.1:8101")
    )
    rebuild.add_argument(
        "--token", default=os.environ.get("QINGCHUN_OPS_TOKEN"), help="bearer token (or $QINGCHUN_OPS_TOKEN)"
    )
    rebuild.add_argument("--wipe", action="store_true", help="drop the read model first (lost or corrupt)")
    return root


async def run(args: argparse.Namespace, settings: ServiceSettings) -> list[dict[str, Any]]:
    """Carry out one parsed command; returns the JSON lines to print."""
    topology = Topology(settings.bus_prefix)
    if args.command == "dead-letters":
        if args.action == "list":
            letters = await list_dead_letters(settings.amqp_url, topology, args.service, args.limit)
        else:
            letters = await replay_dead_letters(
                settings.amqp_url, topology, args.service, args.event_id, args.limit
            )
        return [letter.as_json() | {"replayed": args.action == "replay"} for letter in letters]
    client = connect(settings.mongo_url)
    try:
        db = database(client, settings.db_prefix, args.service)
        if args.command == "outbox" and args.action == "show":
            return [pending.as_json() for pending in await show_outbox(db, args.limit)]
        if args.command == "outbox":
            bus = Bus(settings.amqp_url, topology)
            await bus.connect()
            try:
                return [{"published": await drain_outbox(db, bus, args.service)}]
            finally:
                await bus.close()
        if args.command == "backup":
            return [await backup(db, args.service, args.directory)]
        if args.command == "restore":
            return [{"restored": await restore(db, args.service, args.directory), "database": db.name}]
        if args.service == REGISTRY:
            raise Refused("the registry owns the organisations; it has no read model of them to rebuild")
        if not args.token:
            raise Refused("the registry's API needs a token: pass --token or set QINGCHUN_OPS_TOKEN")
        headers = {"Authorization": f"Bearer {args.token}"}
        async with httpx.AsyncClient(base_url=args.registry_url, timeout=30) as registry:
            replayed = await rebuild_directory(db, registry, headers, wipe=args.wipe)
        return [{"replayed": replayed, "wiped": args.wipe}]
    finally:
        await client.close()


def main(argv: Sequence[str] | None = None, settings: ServiceSettings | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        lines = asyncio.run(run(args, settings or ServiceSettings()))
    except Refused as refused:
        print(json.dumps({"refused": str(refused)}, ensure_ascii=False), file=sys.stderr)
        return 1
    for line in lines:
        print(json.dumps(line, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
