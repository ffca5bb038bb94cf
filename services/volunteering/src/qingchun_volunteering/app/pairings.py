"""Pairings (结对): need, helpers, the signed agreement, visits, periodic reviews and the close.

Who may know a pairing exists is narrow (DESIGN.md §4, care data): its helpers and the
organisers over its host. Everyone else is told there is no such pairing, so a care case
cannot be discovered by probing ids. Visit notes and review summaries stay in this service:
events carry the pseudonymous reference, dates and codes only, and nothing here logs them.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import PairingClosed, PairingReviewed, PairingSigned, PairingVisitLogged
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Forbidden, InvalidInput, NotFound
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.pairing_commands import (
    AgreementIn,
    CloseIn,
    HelpersIn,
    PairingCreate,
    ReviewIn,
    VisitIn,
)
from qingchun_volunteering.app.teams import indexed
from qingchun_volunteering.domain.pairings import (
    SERVING,
    BeneficiaryKind,
    PairingAction,
    PairingStatus,
    PairingType,
    apply_action,
    check_accepts_visits,
    check_beneficiary_ref,
    check_distinct_helpers,
    check_end_reason,
    check_helper_count,
    check_signed_on,
    check_visit_date,
    next_review_due,
)


def local_today(ctx: VolunteeringContext) -> date:
    return ctx.now().astimezone(ZoneInfo(ctx.settings.local_timezone)).date()


async def may_read(ctx: VolunteeringContext, caller: Caller, pairing: Document) -> bool:
    """Its helpers and the organisers over its host (community care and supervising league staff)."""
    return caller.subject in pairing["helper_subject_ids"] or await ctx.organizes(
        caller, pairing["host_organization_id"]
    )


async def opened(
    ctx: VolunteeringContext,
    caller: Caller,
    pairing_id: str,
    action: str,
    *,
    organizers_only: bool = False,
    with_log: bool = False,
) -> Document:
    """The pairing for ``action``: 404 alike for a missing pairing and one the caller may not know of,
    403 for a helper attempting an organiser's step. A care case's every access is audited."""
    pairing = await ctx.pairings.pairing(pairing_id, with_log=with_log)
    if pairing is None:
        raise NotFound("no pairing has this id", field="pairing_id")
    organizer = await ctx.organizes(caller, pairing["host_organization_id"])
    knows = organizer or caller.subject in pairing["helper_subject_ids"]
    allowed = organizer or (knows and not organizers_only)
    if pairing["beneficiary"]["kind"] == BeneficiaryKind.CARE_CASE.value:
        await ctx.pairings.audit(
            {
                "pairing_id": pairing_id,
                "subject": caller.subject,
                "action": action,
                "allowed": allowed,
                "at": ctx.now(),
            }
        )
    if not knows:
        raise NotFound("no pairing has this id", field="pairing_id")
    if not allowed:
        raise Forbidden("only the organisers over the pairing's host take this step", code="organizer_only")
    return pairing


async def _helpers(
    ctx: VolunteeringContext, type_: PairingType, command: HelpersIn | PairingCreate
) -> Document:
    """Validated helper fields of a pairing: people who are registered volunteers, a unit that is active."""
    ids = command.helper_volunteer_ids
    check_distinct_helpers(ids)
    check_helper_count(type_, len(ids))
    await ctx.require_volunteers(indexed("helper_volunteer_ids", ids), "helper_not_volunteer")
    if command.helper_organization_id is not None:
        await ctx.active_organization(command.helper_organization_id, "helper_organization_id")
    found = {d["_id"]: d["subject_id"] for d in await ctx.store.volunteers(ids)}
    return {
        "helper_volunteer_ids": list(ids),
        "helper_subject_ids": [found[i] for i in ids],
        "helper_organization_id": command.helper_organization_id,
    }


async def create(ctx: VolunteeringContext, caller: Caller, command: PairingCreate) -> Document:
    await ctx.active_organization(command.host_organization_id, "host_organization_id")
    await ctx.require_organizer(caller, command.host_organization_id, field="host_organization_id")
    check_beneficiary_ref(command.beneficiary.kind, command.beneficiary.ref)
    matched = bool(command.helper_volunteer_ids)
    helpers: Document = {"helper_volunteer_ids": [], "helper_subject_ids": [], "helper_organization_id": None}
    if matched or command.helper_organization_id is not None:
        helpers = await _helpers(ctx, command.type, command)
    now = ctx.now()
    document: Document = {
        "_id": new_id("par"),
        "type": command.type.value,
        "status": (PairingStatus.MATCHED if matched else PairingStatus.NEED_IDENTIFIED).value,
        "host_organization_id": command.host_organization_id,
        "beneficiary": command.beneficiary.model_dump(mode="json"),
        **helpers,
        "agreement": None,
        "started_on": None,
        "next_review_due": None,
        "visit_count": 0,
        "last_visited_on": None,
        "last_review": None,
        "end_reason": None,
        "closed_on": None,
        "visits": [],
        "reviews": [],
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.pairings.insert(document)
    return {k: v for k, v in document.items() if k not in ("visits", "reviews")} | {"version": 1}


def _event(ctx: VolunteeringContext, pairing: Document, model: type[Any], **fields: Any) -> Envelope:
    fact = {
        "pairing_id": pairing["_id"],
        "pairing_type": pairing["type"],
        "host_organization_id": pairing["host_organization_id"],
        "beneficiary_kind": pairing["beneficiary"]["kind"],
        "beneficiary_ref": pairing["beneficiary"]["ref"],
    }
    return ctx.events.envelope(model(**fact, **fields), subject=pairing["_id"])


async def match(ctx: VolunteeringContext, caller: Caller, pairing_id: str, command: HelpersIn) -> Document:
    """逐人落实帮扶人: a pairing whose need was identified gets its helpers."""
    pairing = await opened(ctx, caller, pairing_id, "match", organizers_only=True)
    after = apply_action(PairingStatus(pairing["status"]), PairingAction.MATCH)
    helpers = await _helpers(ctx, PairingType(pairing["type"]), command)
    return await ctx.pairings.update(pairing, helpers | {"status": after.value}, [])


async def sign(ctx: VolunteeringContext, caller: Caller, pairing_id: str, command: AgreementIn) -> Document:
    """签订结对工作协议: the agreement is recorded and the helpers start serving from its date."""
    pairing = await opened(ctx, caller, pairing_id, "sign", organizers_only=True)
    signed = apply_action(PairingStatus(pairing["status"]), PairingAction.SIGN)
    serving = apply_action(signed, PairingAction.ACTIVATE)
    check_signed_on(command.signed_on, local_today(ctx))
    due = next_review_due(command.signed_on, command.review_interval_months)
    event = _event(
        ctx,
        pairing,
        PairingSigned,
        helper_volunteer_ids=pairing["helper_volunteer_ids"],
        helper_subject_ids=pairing["helper_subject_ids"],
        signed_on=command.signed_on.isoformat(),
    )
    changes = {
        "status": serving.value,
        "agreement": command.model_dump(mode="json"),
        "started_on": command.signed_on.isoformat(),
        "next_review_due": due.isoformat(),
    }
    result = await ctx.pairings.update(pairing, changes, [event])
    ctx.notify()
    return result


async def log_visit(ctx: VolunteeringContext, caller: Caller, pairing_id: str, command: VisitIn) -> Document:
    """走访: a helper (or an organiser) records a visit; the notes never leave this service."""
    pairing = await opened(ctx, caller, pairing_id, "log_visit")
    check_accepts_visits(PairingStatus(pairing["status"]))
    started = date.fromisoformat(pairing["started_on"]) if pairing["started_on"] else None
    check_visit_date(command.visited_on, local_today(ctx), started)
    visit_id = new_id("vis")
    visited_on = command.visited_on.isoformat()
    entry = command.model_dump(mode="json") | {
        "_id": visit_id,
        "logged_by": caller.subject,
        "logged_at": ctx.now(),
    }
    changes = {
        "visit_count": pairing["visit_count"] + 1,
        "last_visited_on": max(visited_on, pairing["last_visited_on"] or visited_on),
        "updated_at": ctx.now(),
    }
    event = _event(ctx, pairing, PairingVisitLogged, visit_id=visit_id, visited_on=visited_on)
    result = await ctx.pairings.append(pairing, "visits", entry, changes, [event])
    ctx.notify()
    return result


async def review(ctx: VolunteeringContext, caller: Caller, pairing_id: str, command: ReviewIn) -> Document:
    """定期总结: the organiser reviews; the next review falls one agreed interval later."""
    pairing = await opened(ctx, caller, pairing_id, "review", organizers_only=True)
    after = apply_action(PairingStatus(pairing["status"]), PairingAction.REVIEW)
    today = local_today(ctx)
    entry = command.model_dump(mode="json") | {
        "_id": new_id("rev"),
        "reviewed_on": today.isoformat(),
        "reviewed_by": caller.subject,
    }
    interval = pairing["agreement"]["review_interval_months"]
    changes = {
        "status": after.value,
        "last_review": entry,
        "next_review_due": next_review_due(today, interval).isoformat(),
        "updated_at": ctx.now(),
    }
    event = _event(
        ctx, pairing, PairingReviewed, reviewed_on=today.isoformat(), outcome_code=command.outcome.value
    )
    result = await ctx.pairings.append(pairing, "reviews", entry, changes, [event])
    ctx.notify()
    return result


async def close(ctx: VolunteeringContext, caller: Caller, pairing_id: str, command: CloseIn) -> Document:
    pairing = await opened(ctx, caller, pairing_id, "close", organizers_only=True)
    status = PairingStatus(pairing["status"])
    after = apply_action(status, PairingAction.CLOSE)
    check_end_reason(status, command.end_reason)
    closed_on = local_today(ctx).isoformat()
    changes = {
        "status": after.value,
        "end_reason": command.end_reason.value,
        "closed_on": closed_on,
        "next_review_due": None,
    }
    event = _event(ctx, pairing, PairingClosed, end_reason_code=command.end_reason.value, closed_on=closed_on)
    result = await ctx.pairings.update(pairing, changes, [event])
    ctx.notify()
    return result


async def log_page(
    ctx: VolunteeringContext, caller: Caller, pairing_id: str, array: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """Visits or reviews of one pairing, in the order they were logged."""
    pairing = await opened(ctx, caller, pairing_id, f"read_{array}", with_log=True)
    after = cursor_after(cursor)
    rows = [e for e in pairing[array] if after is None or e["_id"] > after]
    return split_page(rows[: limit + 1], limit)


async def page(
    ctx: VolunteeringContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    host_organization_id: str | None,
    mine: bool,
    due_for_review: bool,
    types: list[PairingType],
    statuses: list[PairingStatus],
    beneficiary_kinds: list[BeneficiaryKind],
) -> tuple[list[Document], str | None]:
    """A host's pairings for its organisers, or the caller's own as a helper; optionally those due."""
    query: dict[str, Any] = {}
    if mine:
        query["helper_subject_ids"] = caller.subject
    if host_organization_id is not None:
        if not mine:
            await ctx.require_organizer(caller, host_organization_id, field="host_organization_id")
        query["host_organization_id"] = host_organization_id
    if not query:
        raise InvalidInput(
            "name the host organisation, or ask for mine=true (or ids=…)",
            field="host_organization_id",
            code="missing",
        )
    if due_for_review:
        query["next_review_due"] = {"$ne": None, "$lte": local_today(ctx).isoformat()}
        query["status"] = {"$in": [s.value for s in SERVING]}
    if statuses:
        query.setdefault("$and", []).append({"status": {"$in": [s.value for s in statuses]}})
    if types:
        query["type"] = {"$in": [t.value for t in types]}
    if beneficiary_kinds:
        query["beneficiary.kind"] = {"$in": [k.value for k in beneficiary_kinds]}
    return split_page(await ctx.pairings.find(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: VolunteeringContext, caller: Caller, ids: list[str]) -> list[Document]:
    """For DataLoaders: the pairings among ``ids`` the caller may know of, silently without the rest."""
    found = {d["_id"]: d for d in await ctx.pairings.pairings(ids)}
    return [found[i] for i in ids if i in found and await may_read(ctx, caller, found[i])]
