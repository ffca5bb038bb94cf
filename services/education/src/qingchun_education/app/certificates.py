"""Completion certificates (结业证书): issued by the course owner's staff for a completed enrolment,
verifiable by anyone at a URL, revocable by the issuer, readable in full by the learner, their
guardians and the issuer's staff."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.education import CertificateIssued
from qingchun_education.app.certificate_commands import CertificateRevoke
from qingchun_education.app.context import STAFF_ROLES, EducationContext
from qingchun_education.domain.certificates import NUMBERS, Completion, compose, is_completed
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.outbox import with_outbox
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, NotFound
from qingchun_plumbing.signing import RANDOM_BITS, CertificateStatus, is_authentic, verification_url
from qingchun_plumbing.signing_keys import signing_key

NUMBER_ATTEMPTS = 3


# issuing ----------------------------------------------------------------------------------------
async def _completed_enrolment(
    ctx: EducationContext, caller: Caller, enrolment_id: str
) -> tuple[Document, Document]:
    """The enrolment and its course, once the caller is known to be the owner's staff and the
    learner finished the course without a valid certificate for it yet."""
    enrolment = await ctx.enrolments.enrolment(enrolment_id)
    course = await ctx.learning.course(enrolment["course_id"]) if enrolment is not None else None
    if enrolment is None or course is None:
        raise NotFound("no enrolment has this id", field="enrolment_id")
    await ctx.require_staff(caller, course["owner_organization_id"], "enrolment_id")
    if not is_completed(enrolment["status"]):
        raise Conflict(
            "the learner has not completed this course", field="enrolment_id", code="not_completed"
        )
    await _not_yet_issued(ctx, enrolment_id)
    return enrolment, course


async def _not_yet_issued(ctx: EducationContext, enrolment_id: str) -> None:
    if await ctx.certificates.valid_for(enrolment_id) is not None:
        raise Conflict(
            "this enrolment already has a valid certificate; revoke it to issue another",
            field="enrolment_id",
            code="already_issued",
        )


async def issue(ctx: EducationContext, caller: Caller, enrolment_id: str) -> Document:
    enrolment, course = await _completed_enrolment(ctx, caller, enrolment_id)
    issuer_id = course["owner_organization_id"]
    organization = await ctx.active_organization(issuer_id, "enrolment_id")
    learner = await ctx.learner(enrolment["learner_id"])
    issuer_chain = [issuer_id, *await ctx.orgs.ancestor_ids(issuer_id)]
    key = await signing_key(ctx)
    now = ctx.now()
    today = ctx.local_date(now)
    for _ in range(NUMBER_ATTEMPTS):
        number = NUMBERS.number(today.year, secrets.randbits(RANDOM_BITS))
        attestation, record = compose(
            Completion(
                number=number,
                kid=key.public.kid,
                enrolment_id=enrolment_id,
                course_id=course["_id"],
                learner_id=learner["_id"],
                learner_name=learner["display_name"],
                course_title=course["title"],
                issuer_organization_id=issuer_id,
                issuer_name=organization.get("name", ""),
                completed_on=date.fromisoformat(enrolment["completed_on"]),
                passed_exam=enrolment.get("passed_exam"),
                issued_at=now,
                issued_on=today,
                verification_url=verification_url(ctx.settings.public_base_url, number),
                salt=secrets.token_bytes(16),
            )
        )
        document: Document = {
            "_id": new_id("cer"),
            "number": number,
            "status": CertificateStatus.VALID.value,
            "attestation": attestation,
            "record": record,
            "signature": key.sign(attestation),
            "kid": key.public.kid,
            "enrolment_id": enrolment_id,
            "course_id": course["_id"],
            "learner_id": learner["_id"],
            "subject_id": learner.get("subject_id"),
            "category": course["category"],
            "issuer_organization_id": issuer_id,
            "issuer_chain": issuer_chain,
            "issued_by": caller.subject,
            "issued_at": now,
            "version": 1,
        }
        if await ctx.certificates.insert(with_outbox(document, [_issued(ctx, document)])):
            ctx.notify()
            return document
        await _not_yet_issued(ctx, enrolment_id)  # another staff member issued it at the same moment
    raise Conflict("no free certificate number was drawn; try again", code="number_exhausted")


def _issued(ctx: EducationContext, document: Document) -> Envelope:
    """The event: ids and the URL only, never the learner's name."""
    event = CertificateIssued(
        certificate_number=document["number"],
        enrolment_id=document["enrolment_id"],
        course_id=document["course_id"],
        learner_id=document["learner_id"],
        issuer_organization_id=document["issuer_organization_id"],
        verification_url=document["attestation"]["verification_url"],
        subject_id=document["subject_id"],
        category=document["category"],
    )
    return ctx.events.envelope(event, subject=document["number"])


# verifying and reading ----------------------------------------------------------------------------
async def existing(ctx: EducationContext, typed_number: str) -> Document:
    """The certificate for a typed number: 422 when malformed or mistyped, 404 when unknown."""
    found = await ctx.certificates.by_number(NUMBERS.parse(typed_number))
    if found is None:
        raise NotFound("no certificate has this number", field="number", code="unknown_certificate")
    return found


async def authentic(ctx: EducationContext, document: Document) -> bool:
    """Signed by the key it names, its record unchanged, and stored under what it states."""
    attestation, record = document["attestation"], document["record"]
    public = await ctx.certificates.keys.public_key(document["kid"])
    return (
        attestation.get("number") == document["number"]
        and attestation.get("issuer_organization_id") == document["issuer_organization_id"]
        and attestation.get("course_id") == document["course_id"]
        and record.get("learner_id") == document["learner_id"]
        and record.get("enrolment_id") == document["enrolment_id"]
        and is_authentic(public, attestation, record, document["signature"])
    )


async def checked(ctx: EducationContext, document: Document) -> tuple[bool, bool]:
    """(valid, authentic): valid is authentic and not revoked."""
    signed = await authentic(ctx, document)
    return signed and document["status"] == CertificateStatus.VALID.value, signed


async def may_read(ctx: EducationContext, caller: Caller, document: Document) -> bool:
    """The learner, their guardians, and staff over the issuer (DESIGN.md §4)."""
    learner = await ctx.learning.learner(document["learner_id"])
    return (learner is not None and ctx.acts_for(caller, learner)) or await ctx.manages(
        caller, document["issuer_organization_id"]
    )


async def read(ctx: EducationContext, caller: Caller, typed_number: str) -> Document:
    document = await existing(ctx, typed_number)
    if not await may_read(ctx, caller, document):
        raise Forbidden(
            "only the learner, their guardians and the issuer's staff may read a certificate in full",
            code="not_visible",
        )
    return document


async def page(
    ctx: EducationContext, caller: Caller, *, learner_id: str, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """A learner's certificates: all of them for the learner and guardians, those issued in their
    scope for staff (by the issuer's chain as it stood at issue)."""
    learner = await ctx.learner(learner_id)
    query: dict[str, Any] = {"learner_id": learner_id}
    if not ctx.acts_for(caller, learner):
        caller.require_any(*STAFF_ROLES)
        query["issuer_chain"] = {"$in": sorted(caller.scope)}
    return split_page(await ctx.certificates.find(query, cursor_after(cursor), limit + 1), limit)


# revoking -------------------------------------------------------------------------------------------
async def revoke(
    ctx: EducationContext, caller: Caller, typed_number: str, command: CertificateRevoke
) -> Document:
    document = await existing(ctx, typed_number)
    await ctx.require_staff(caller, document["issuer_organization_id"], "number")
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
