"""Service-record certificates: issued by an organisation's organisers from verified hours,
verifiable by anyone at a URL, revocable by the issuer, readable in full by holder, guardian
and issuer."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, NotFound
from qingchun_plumbing.signing import RANDOM_BITS, CertificateStatus, is_authentic, verification_url
from qingchun_plumbing.signing_keys import signing_key
from qingchun_volunteering.app.certificate_commands import CertificateIssue, CertificateRevoke
from qingchun_volunteering.app.context import ORGANIZER_ROLES, VolunteeringContext
from qingchun_volunteering.domain.certificates import (
    Issue,
    ServedEntry,
    certificate_number,
    check_period,
    check_served,
    compose,
    parse_number,
)
from qingchun_volunteering.domain.errors import DomainError

NUMBER_ATTEMPTS = 3


# issuing ----------------------------------------------------------------------------------------
def _local_today(ctx: VolunteeringContext) -> date:
    return ctx.now().astimezone(ZoneInfo(ctx.settings.local_timezone)).date()


async def _served_under(
    ctx: VolunteeringContext, command: CertificateIssue
) -> tuple[list[ServedEntry], list[str]]:
    """Verified entries in the period hosted by the issuer or an organisation under it (an
    organisation certifies only service it is answerable for), and the issuer's chain upward."""
    entries = await ctx.certificates.verified_entries(
        command.volunteer_id, command.period_from, command.period_to
    )
    issuer = command.issuer_organization_id
    hosts = {e["host_organization_id"] for e in entries}
    covered = {h for h in hosts if h == issuer or issuer in await ctx.orgs.ancestor_ids(h)}
    served = [
        ServedEntry(e["activity_title"], date.fromisoformat(e["served_on"]), e["credited_minutes"])
        for e in entries
        if e["host_organization_id"] in covered
    ]
    return served, [issuer, *await ctx.orgs.ancestor_ids(issuer)]


async def issue(ctx: VolunteeringContext, caller: Caller, command: CertificateIssue) -> Document:
    today = _local_today(ctx)
    check_period(command.period_from, command.period_to, today)
    organization = await ctx.active_organization(command.issuer_organization_id, "issuer_organization_id")
    await ctx.require_organizer(caller, command.issuer_organization_id, field="issuer_organization_id")
    volunteer = await ctx.volunteer(command.volunteer_id)
    served, issuer_chain = await _served_under(ctx, command)
    check_served(served)  # before the key: a refusal writes nothing, not even a first key
    key = await signing_key(ctx)
    now = ctx.now()
    for _ in range(NUMBER_ATTEMPTS):
        number = certificate_number(today.year, secrets.randbits(RANDOM_BITS))
        attestation, record = compose(
            Issue(
                number=number,
                kid=key.public.kid,
                holder_volunteer_id=volunteer["_id"],
                holder_name=volunteer["display_name"],
                issuer_organization_id=command.issuer_organization_id,
                issuer_name=organization.get("name", ""),
                period_from=command.period_from,
                period_to=command.period_to,
                star_level=volunteer.get("star_level", 0),
                issued_at=now,
                issued_on=today,
                verification_url=verification_url(ctx.settings.public_base_url, number),
                salt=secrets.token_bytes(16),
            ),
            served,
        )
        document: Document = {
            "_id": new_id("cer"),
            "number": number,
            "status": CertificateStatus.VALID.value,
            "attestation": attestation,
            "record": record,
            "signature": key.sign(attestation),
            "kid": key.public.kid,
            "holder_volunteer_id": volunteer["_id"],
            "issuer_organization_id": command.issuer_organization_id,
            "issuer_chain": issuer_chain,
            "issued_by": caller.subject,
            "issued_at": now,
            "version": 1,
        }
        if await ctx.certificates.insert(document):
            return document
    raise Conflict("no free certificate number was drawn; try again", code="number_exhausted")


# verifying and reading ----------------------------------------------------------------------------
async def existing(ctx: VolunteeringContext, typed_number: str) -> Document:
    """The certificate for a typed number: 422 when malformed or mistyped, 404 when unknown."""
    found = await ctx.certificates.by_number(parse_number(typed_number))
    if found is None:
        raise NotFound("no certificate has this number", field="number", code="unknown_certificate")
    return found


async def authentic(ctx: VolunteeringContext, document: Document) -> bool:
    """Signed by the key it names, its record unchanged, and stored under the number it states."""
    attestation, record = document["attestation"], document["record"]
    return (
        attestation.get("number") == document["number"]
        and attestation.get("issuer_organization_id") == document["issuer_organization_id"]
        and record.get("holder_volunteer_id") == document["holder_volunteer_id"]
        and is_authentic(
            await ctx.certificates.keys.public_key(document["kid"]),
            attestation,
            record,
            document["signature"],
        )
    )


async def checked(ctx: VolunteeringContext, document: Document) -> tuple[bool, bool]:
    """(valid, authentic): valid is authentic and not revoked."""
    signed = await authentic(ctx, document)
    return signed and document["status"] == CertificateStatus.VALID.value, signed


def _holder_or_guardian(caller: Caller, holder: Document | None) -> bool:
    return holder is not None and caller.subject in {holder["subject_id"], holder.get("guardian_subject_id")}


async def may_read(ctx: VolunteeringContext, caller: Caller, document: Document) -> bool:
    """The holder, their guardian, and organisers over the issuer (DESIGN.md §4)."""
    holder = await ctx.store.volunteer(document["holder_volunteer_id"])
    return _holder_or_guardian(caller, holder) or await ctx.organizes(
        caller, document["issuer_organization_id"]
    )


async def read(ctx: VolunteeringContext, caller: Caller, typed_number: str) -> Document:
    document = await existing(ctx, typed_number)
    if not await may_read(ctx, caller, document):
        raise Forbidden(
            "only the holder, their guardian and the issuer's organisers may read a certificate in full",
            code="not_visible",
        )
    return document


async def page(
    ctx: VolunteeringContext, caller: Caller, *, volunteer_id: str, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """A volunteer's certificates: all of them for holder and guardian, those issued in their scope
    for organisers (by the issuer's chain as it stood at issue)."""
    holder = await ctx.volunteer(volunteer_id)
    query: dict[str, Any] = {"holder_volunteer_id": volunteer_id}
    if not _holder_or_guardian(caller, holder):
        caller.require_any(*ORGANIZER_ROLES)
        query["issuer_chain"] = {"$in": sorted(caller.scope)}
    return split_page(await ctx.certificates.find(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: VolunteeringContext, caller: Caller, typed_numbers: list[str]) -> list[Document]:
    """Certificates by number for DataLoaders; those the caller may not read are left out."""
    try:
        numbers = [parse_number(n) for n in typed_numbers]
    except DomainError as error:
        raise DomainError(error.code, error.message, field="ids") from None
    found = {d["number"]: d for d in await ctx.certificates.by_numbers(numbers)}
    return [found[n] for n in numbers if n in found and await may_read(ctx, caller, found[n])]


# revoking -------------------------------------------------------------------------------------------
async def revoke(
    ctx: VolunteeringContext, caller: Caller, typed_number: str, command: CertificateRevoke
) -> Document:
    document = await existing(ctx, typed_number)
    await ctx.require_organizer(caller, document["issuer_organization_id"], field="number")
    changes = {
        "status": CertificateStatus.REVOKED.value,
        "revoked_at": ctx.now(),
        "revoke_reason": command.reason.value,
        "revoke_note": command.note,
        "revoked_by": caller.subject,
    }
    revoked = await ctx.certificates.revoke(document["number"], changes)
    if revoked is None:
        raise Conflict("the certificate is already revoked", field="number", code="already_revoked")
    return revoked
