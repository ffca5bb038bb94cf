"""``python -m qingchun_partners register|list|update|rotate|remove``: a city admin's command line over the
service's REST API (the same calls the gateway's registerPartner makes), with the admin's token.

The token comes from ``--token`` or ``$QINGCHUN_TOKEN`` (e.g. ``make -s token``); the service from
``--url`` or ``$QINGCHUN_PARTNERS_URL``. Answers are printed as JSON; credentials appear only in the
answers of ``register`` and ``rotate``, once, so keep them then (``update`` leaves them as they
are). A refusal prints the problem and exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

import httpx

DEFAULT_URL = "http://127.0.0.1:8105"
Request = tuple[str, str, dict[str, Any] | None, dict[str, str | int]]


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m qingchun_partners", description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("QINGCHUN_PARTNERS_URL", DEFAULT_URL))
    parser.add_argument("--token", default=os.environ.get("QINGCHUN_TOKEN"))
    commands = parser.add_subparsers(dest="command", required=True)
    register = commands.add_parser("register", help="register a partner; prints its credentials once")
    register.add_argument("--name", required=True)
    register.add_argument("--event-type", action="append", required=True, dest="event_types")
    register.add_argument("--delivery", action="append", choices=["amqp", "webhook"])
    register.add_argument("--district", help="a 团区委/团工委 id: the partner's district")
    register.add_argument(
        "--organization", action="append", default=[], help="the partner's own organisation"
    )
    register.add_argument("--webhook-url")
    update = commands.add_parser("update", help="change event types, filters, name or webhook address")
    update.add_argument("partner_id")
    update.add_argument("--name")
    update.add_argument("--event-type", action="append", dest="event_types", help="replaces the list")
    update.add_argument("--district", help="replaces the filters (with --organization)")
    update.add_argument("--organization", action="append", help="replaces the filters (with --district)")
    update.add_argument("--clear-filters", action="store_true", help="follow your own scope")
    update.add_argument("--webhook-url")
    update.add_argument("--version", type=int, help="refuse if the partner changed since this version")
    listing = commands.add_parser("list", help="partners in your scope, one page")
    listing.add_argument("--status", choices=["active", "deregistered"])
    listing.add_argument("--cursor")
    listing.add_argument("--limit", type=int, default=50)
    for name, what in (("rotate", "new credentials, printed once"), ("remove", "deregister")):
        commands.add_parser(name, help=what).add_argument("partner_id")
    return parser.parse_args(argv)


def request_for(args: argparse.Namespace) -> Request:
    """The REST call a command makes: method, path, JSON body and query."""
    if args.command == "register":
        body: dict[str, Any] = {
            "name": args.name,
            "event_types": args.event_types,
            "delivery": args.delivery or (["webhook"] if args.webhook_url else ["amqp"]),
            "filters": {"district_id": args.district, "organization_ids": args.organization},
        }
        if args.webhook_url:
            body["webhook_url"] = args.webhook_url
        return "POST", "/v1/partners", body, {}
    if args.command == "list":
        query: dict[str, str | int] = {"limit": args.limit}
        query |= {k: v for k, v in (("status", args.status), ("cursor", args.cursor)) if v}
        return "GET", "/v1/partners", None, query
    if args.command == "update":
        return "PATCH", f"/v1/partners/{args.partner_id}", update_body(args), {}
    if args.command == "rotate":
        return "POST", f"/v1/partners/{args.partner_id}:rotate-credentials", None, {}
    return "DELETE", f"/v1/partners/{args.partner_id}", None, {}


def update_body(args: argparse.Namespace) -> dict[str, Any]:
    """Only what was given: an option left out leaves that part of the partner as it is."""
    body: dict[str, Any] = {
        k: v
        for k, v in (
            ("name", args.name),
            ("event_types", args.event_types),
            ("webhook_url", args.webhook_url),
            ("version", args.version),
        )
        if v is not None
    }
    if args.clear_filters or args.district or args.organization:
        body["filters"] = {"district_id": args.district, "organization_ids": args.organization or []}
    return body


def main(argv: Sequence[str] | None = None, transport: httpx.BaseTransport | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if not args.token:
        print("give --token or set QINGCHUN_TOKEN (make -s token ROLE=city_admin)", file=sys.stderr)
        return 2
    method, path, body, query = request_for(args)
    with httpx.Client(base_url=args.url, transport=transport, timeout=30) as client:
        try:
            response = client.request(
                method, path, json=body, params=query, headers={"Authorization": f"Bearer {args.token}"}
            )
        except httpx.HTTPError as error:
            print(f"{args.url} does not answer: {type(error).__name__}", file=sys.stderr)
            return 1
    print(json.dumps(response.json(), ensure_ascii=False, indent=2))
    return 0 if response.is_success else 1
