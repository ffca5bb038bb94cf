"""Registering, editing, rotating and removing partners (a city admin's work).

A partner's rights are the registering admin's scope: its filters must lie inside that scope, and a
partner without filters follows exactly the admin's scope (never the whole platform). Registration
provisions before it records: the webhook's ownership is proven, the queue, stream and read-only
user are created, and only then is the partner stored; a failure on the way removes what was made.
Credentials are returned once; the store keeps no AMQP password.

An edit (name, event types, filters, webhook address) is one versioned write of the record and
nothing else: the broker objects do not depend on what the partner subscribes to (the fan-out reads
the stored subscription for every event), so there is no broker step to fail half-way.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

from qingchun_partners.adapters.management import BrokerAdminError
from qingchun_partners.app.commands import Filters, PartnerCreate, PartnerUpdate
from qingchun_partners.app.context import PartnersContext
from qingchun_partners.domain.names import PartnerNames
from qingchun_partners.domain.subscriptions import (
    DISTRICT_TYPES,
    Delivery,
    PartnerStatus,
    check_event_types,
)
from qingchun_partners.domain.webhooks import check_addresses, webhook_host
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, Problem, StaleWrite

ADMINS = (Role.CITY_ADMIN,)
_log = logging.getLogger("qingchun.partners")
Credentials = dict[str, Any]


class BrokerUnavailable(Problem):
    status, code, title = 503, "broker_unavailable", "Broker administration unavailable"


async def _in_scope(ctx: PartnersContext, caller: Caller, org_id: str, field: str) -> list[str]:
    """The organisation's chain, once it is known, active and inside the caller's scope."""
    await ctx.orgs.active(org_id, field)
    chain = await ctx.chain(org_id)
    caller.require_scope(chain, ADMINS, field)
    return chain


async def filter_roots(ctx: PartnersContext, caller: Caller, filters: Filters) -> tuple[list[str], list[str]]:
    """The subtree roots the partner follows, and every organisation above them (who may see it)."""
    roots: list[str] = []
    visible: set[str] = set()
    if filters.district_id is not None:
        field = "filters.district_id"
        chain = await _in_scope(ctx, caller, filters.district_id, field)
        district = await ctx.orgs.organization(filters.district_id)
        if district is None or district.get("type") not in DISTRICT_TYPES:
            raise InvalidInput(
                "a district filter names a 团区委 or 团工委", field=field, code="not_a_district"
            )
        roots.append(filters.district_id)
        visible.update(chain)
    for index, org_id in enumerate(filters.organization_ids):
        chain = await _in_scope(ctx, caller, org_id, f"filters.organization_ids.{index}")
        if org_id not in roots:
            roots.append(org_id)
        visible.update(chain)
    if not roots:  # no filter: exactly the admin's own scope
        caller.require_any(*ADMINS)
        if not caller.scope:
            raise Forbidden(
                "a partner follows the registering admin's scope; this token has none",
                field="filters",
                code="out_of_scope",
            )
        roots = sorted(caller.scope)
        visible.update(roots)
    return roots, sorted(visible)


async def prove_ownership(ctx: PartnersContext, url: str) -> None:
    """The endpoint must be public HTTPS and echo a fresh challenge: proof the partner runs it."""
    allow = ctx.settings.allow_private_webhook_hosts
    host = webhook_host(url, allow)
    check_addresses(await ctx.webhooks.resolve(host), allow)
    token = secrets.token_urlsafe(24)
    answer = await ctx.webhooks.post(
        url, ctx.webhooks.challenge_body(token), {"Content-Type": "application/json"}
    )
    echoed = None
    if answer.ok:
        with contextlib.suppress(ValueError, AttributeError):
            echoed = json.loads(answer.body).get("challenge")
    if echoed != token:
        said = f"answered HTTP {answer.status}" if answer.status is not None else f"failed ({answer.error})"
        raise InvalidInput(
            f'the endpoint did not echo the challenge (it {said}); answer {{"challenge": <token>}}',
            field="webhook_url",
            code="webhook_not_verified",
        )


def amqp_credentials(ctx: PartnersContext, names: PartnerNames, password: str) -> Credentials:
    settings = ctx.settings
    broker = urlsplit(settings.amqp_url)
    host = settings.partner_amqp_host or broker.hostname or "127.0.0.1"
    port = settings.partner_amqp_port or broker.port or 5672
    vhost = quote(settings.rabbitmq_vhost, safe="")
    return {
        "url": f"amqp://{quote(names.username, safe='')}:{quote(password, safe='')}@{host}:{port}/{vhost}",
        "host": host,
        "port": port,
        "vhost": settings.rabbitmq_vhost,
        "username": names.username,
        "password": password,
        "queue": names.queue,
        "stream": names.stream,
    }


async def _provision(ctx: PartnersContext, names: PartnerNames, password: str) -> None:
    try:
        await ctx.feeds.declare(names)
        await ctx.admin.put_user(names, password)
    except BrokerAdminError as exc:
        await _unprovision(ctx, names)
        raise BrokerUnavailable(str(exc)) from None


async def _unprovision(ctx: PartnersContext, names: PartnerNames, *, strict: bool = False) -> None:
    """Remove the user (closing its connections), the queue and the stream; each step is idempotent.
    ``strict``: a management API that fails is the caller's 503 (else: a rollback doing its best)."""
    try:
        await ctx.admin.delete_user(names)
        await ctx.admin.close_connections(names)
    except BrokerAdminError as exc:
        if strict:
            raise BrokerUnavailable(str(exc)) from None
    await ctx.feeds.delete(names)


async def register(
    ctx: PartnersContext, caller: Caller, command: PartnerCreate
) -> tuple[Document, Credentials]:
    caller.require_any(*ADMINS)
    event_types = check_event_types(command.event_types)
    roots, visible = await filter_roots(ctx, caller, command.filters)
    delivery = [d.value for d in Delivery if d in command.delivery]
    webhook = Delivery.WEBHOOK.value in delivery
    check_webhook_choice(delivery, command.webhook_url, not_chosen_field="delivery")
    if command.webhook_url is not None:
        await prove_ownership(ctx, command.webhook_url)
    now, partner_id = ctx.now(), new_id("ptn")
    names = ctx.names(partner_id)
    credentials: Credentials = {}
    document: Document = {
        "_id": partner_id,
        "name": command.name,
        "event_types": event_types,
        "filters": command.filters.model_dump(),
        "roots": roots,
        "visible_to": visible,
        "delivery": delivery,
        "status": PartnerStatus.ACTIVE.value,
        "created_by": caller.subject,
        "created_at": now,
        "credentials_rotated_at": now,
    }
    if webhook:
        secret = _secret()
        document |= {"webhook": {"url": command.webhook_url, "verified_at": now}, "webhook_secret": secret}
        credentials["webhook"] = {"secret": secret}
    if Delivery.AMQP.value in delivery:
        password = secrets.token_urlsafe(24)
        await _provision(ctx, names, password)
        document["amqp"] = {"username": names.username, "queue": names.queue, "stream": names.stream}
        credentials["amqp"] = amqp_credentials(ctx, names, password)
    try:
        await ctx.partners.insert(document)
    except Exception:  # re-raised: whatever stopped the insert, the broker user must not outlive it
        await _unprovision(ctx, names)
        raise
    _log.info("partner registered", extra={"partner_id": partner_id, "event_types": len(event_types)})
    document.pop("webhook_secret", None)
    return document | {"version": 1}, credentials


def check_webhook_choice(delivery: list[str], webhook_url: str | None, *, not_chosen_field: str) -> None:
    """A webhook_url exactly when webhook delivery is chosen; ``not_chosen_field`` is the field a
    stray URL is blamed on (the delivery at registration, the URL itself in an edit)."""
    webhook = Delivery.WEBHOOK.value in delivery
    if webhook and webhook_url is None:
        raise InvalidInput("webhook delivery needs a webhook_url", field="webhook_url", code="missing")
    if not webhook and webhook_url is not None:
        raise InvalidInput(
            "a webhook_url needs webhook delivery", field=not_chosen_field, code="webhook_not_chosen"
        )


NOT_NULL = ("name", "event_types", "filters")
"""Fields an edit may change but not clear."""


async def update(ctx: PartnersContext, caller: Caller, partner_id: str, command: PartnerUpdate) -> Document:
    """Change name, event types, filters or webhook address; credentials and broker objects stay.
    Every rule of registration applies to what is sent; the next event is routed by the result."""
    document = await partner(ctx, caller, partner_id)
    _require_active(document)
    if command.version is not None and command.version != document["version"]:
        raise StaleWrite(
            f"the partner is at version {document['version']}, not {command.version}; read it and retry",
            field="version",
        )
    given = command.model_fields_set - {"version"}
    if not given:
        raise InvalidInput("send at least one field to change", field="body", code="empty_patch")
    for field in NOT_NULL:
        if field in given and getattr(command, field) is None:
            raise InvalidInput(f"{field} cannot be cleared", field=field, code="missing")
    changes: dict[str, Any] = {}
    if command.name is not None:
        changes["name"] = command.name
    if command.event_types is not None:
        changes["event_types"] = check_event_types(command.event_types)
    if command.filters is not None:
        roots, visible = await filter_roots(ctx, caller, command.filters)
        changes |= {"filters": command.filters.model_dump(), "roots": roots, "visible_to": visible}
    if "webhook_url" in given:
        url = command.webhook_url
        check_webhook_choice(document["delivery"], url, not_chosen_field="webhook_url")
        if url is not None and url != document["webhook"]["url"]:  # a new address is proven again
            await prove_ownership(ctx, url)
            changes["webhook"] = {"url": url, "verified_at": ctx.now()}
    updated = await ctx.partners.update(document, changes)
    _log.info(
        "partner updated",
        extra={
            "partner_id": partner_id,
            "changed": sorted(changes),
            "event_types": len(updated["event_types"]),
            "version": updated["version"],
        },
    )
    return updated


def _secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def require_admin_of(caller: Caller, partner: Document) -> None:
    """A city admin whose scope covers the partner's (the organisations it follows, or above)."""
    caller.require_scope(partner.get("visible_to", []), ADMINS, "partner_id")


async def partner(ctx: PartnersContext, caller: Caller, partner_id: str) -> Document:
    document = await ctx.partner(partner_id)
    require_admin_of(caller, document)
    return document


async def page(
    ctx: PartnersContext, caller: Caller, status: PartnerStatus | None, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    caller.require_any(*ADMINS)
    query: dict[str, Any] = {"visible_to": {"$in": sorted(caller.scope)}}
    if status is not None:
        query["status"] = status.value
    return split_page(await ctx.partners.find(query, cursor_after(cursor), limit + 1), limit)


async def rotate(ctx: PartnersContext, caller: Caller, partner_id: str) -> tuple[Document, Credentials]:
    """New AMQP password and webhook secret; the old ones stop working now (open connections closed)."""
    document = await partner(ctx, caller, partner_id)
    _require_active(document)
    credentials: Credentials = {}
    changes: dict[str, Any] = {"credentials_rotated_at": ctx.now()}
    if "amqp" in document:
        names = ctx.names(partner_id)
        password = secrets.token_urlsafe(24)
        try:
            await ctx.admin.put_user(names, password)
            await ctx.admin.close_connections(names)
        except BrokerAdminError as exc:
            raise BrokerUnavailable(str(exc)) from None
        credentials["amqp"] = amqp_credentials(ctx, names, password)
    if "webhook" in document:
        changes["webhook_secret"] = _secret()
        credentials["webhook"] = {"secret": changes["webhook_secret"]}
    updated = await ctx.partners.update(document, changes)
    _log.info("partner credentials rotated", extra={"partner_id": partner_id})
    return updated, credentials


async def deregister(ctx: PartnersContext, caller: Caller, partner_id: str) -> Document:
    """Remove the user, queue and stream, stop webhook deliveries; the record and its log stay.
    Idempotent: removing a removed partner changes nothing and answers the same."""
    document = await partner(ctx, caller, partner_id)
    await _unprovision(ctx, ctx.names(partner_id), strict=True)
    if document["status"] == PartnerStatus.DEREGISTERED.value:
        return document
    changes = {"status": PartnerStatus.DEREGISTERED.value, "deregistered_at": ctx.now()}
    updated = await ctx.partners.update(document, changes)
    _log.info("partner deregistered", extra={"partner_id": partner_id})
    return updated


def _require_active(document: Document) -> None:
    if document["status"] != PartnerStatus.ACTIVE.value:
        raise Conflict("the partner is deregistered", field="partner_id", code="partner_deregistered")
