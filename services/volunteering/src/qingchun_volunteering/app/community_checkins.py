"""社区报到 use cases: a branch opens a round, members report, communities confirm, the clock
finds the overdue, the branch follows up.

Each transition is authorised for the one party the domain assigns it to, checked against the
rules before anything is written, and saved in one versioned write with its event. Members'
display names stay on their check-in: events carry subject ids only, and nothing here logs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import (
    CommunityCheckinConfirmed,
    CommunityCheckinOverdue,
    CommunityCheckinSubmitted,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, NotFound
from qingchun_plumbing.rules import DomainError
from qingchun_volunteering.app.community_checkin_commands import (
    CardReissueIn,
    CheckinRoundCreate,
    DocumentsIn,
    FollowUpIn,
)
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.community_checkins import (
    ACTORS,
    AWAITING_REPORT,
    CONFIRMED_OR_LATER,
    LATE,
    REPORTED,
    TRANSITIONS,
    Actor,
    CheckinAction,
    CheckinStatus,
    DocumentKind,
    apply,
    check_kinds_required,
    check_reported_on,
    check_round_dates,
    check_submission,
    checkin_rate,
    first_repeat,
    reissue_card,
    return_receipt,
)

COMMUNITY_TYPE = "community"
SWEEP_BATCH = 200
Changes = tuple[CheckinStatus, dict[str, Any], list[Envelope]]


def local_today(ctx: VolunteeringContext) -> date:
    return ctx.now().astimezone(ZoneInfo(ctx.settings.local_timezone)).date()


async def residential_community(ctx: VolunteeringContext, org_id: str, field: str) -> Document:
    """An active registry organisation that is a residential community (社区/居委会)."""
    organization = await ctx.active_organization(org_id, field)
    if organization.get("type") != COMMUNITY_TYPE:
        raise InvalidInput(
            "the organisation is not a residential community", field=field, code="not_a_community"
        )
    return organization


# rounds ------------------------------------------------------------------------------------------
async def open_round(ctx: VolunteeringContext, caller: Caller, command: CheckinRoundCreate) -> Document:
    sender = command.sending_organization_id
    await ctx.active_organization(sender, "sending_organization_id")
    await ctx.require_organizer(caller, sender, field="sending_organization_id")
    today = local_today(ctx)
    check_round_dates(
        command.checkin_deadline,
        command.receipt_deadline,
        [m.due for m in command.milestones],
        today,
        command.backfill,
    )
    for position, member in enumerate(command.members):
        check_reported_on(member.reported_on, command.backfill, today, f"members.{position}.reported_on")
    repeat = first_repeat([m.subject_id for m in command.members])
    if repeat is not None:
        raise DomainError("duplicate_member", "同一成员在本批次中重复", field=f"members.{repeat}.subject_id")
    checked: set[str] = set()
    for position, member in enumerate(command.members):
        if member.community_id not in checked:
            await residential_community(ctx, member.community_id, f"members.{position}.community_id")
            checked.add(member.community_id)
    round_id, now = new_id("crd"), ctx.now()
    required = [k.value for k in dict.fromkeys(command.required_documents)]
    round_ = {
        "_id": round_id,
        "title": command.title,
        "sending_organization_id": sender,
        "required_documents": required,
        "checkin_deadline": command.checkin_deadline.isoformat(),
        "receipt_deadline": command.receipt_deadline.isoformat(),
        "milestones": [{"name": m.name, "due": m.due.isoformat()} for m in command.milestones],
        "invited": len(command.members),
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    shared = {k: round_[k] for k in ("sending_organization_id", "required_documents", "checkin_deadline")}
    checkins = [
        shared
        | {
            "_id": new_id("cck"),
            "round_id": round_id,
            "round_title": command.title,
            "receipt_deadline": round_["receipt_deadline"],
            "community_id": member.community_id,
            "subject_id": member.subject_id,
            "display_name": member.display_name,
            "status": CheckinStatus.INVITED.value,
            "issued_documents": [],
            "submitted_documents": [],
            "claimed_posts": [],
            "claimed_wishes": [],
            "follow_ups": [],
            "card_reissues": [],
            "history": [],
            "was_overdue": False,
            "invited_by": caller.subject,
            "created_at": now,
            "updated_at": now,
        }
        for member in command.members
    ]
    recorded = [
        _as_recorded(ctx, caller, c, m.reported_on) for c, m in zip(checkins, command.members, strict=True)
    ]
    await ctx.community_checkins.insert_round(round_, recorded)
    if command.backfill:
        await sweep_overdue(ctx)  # members the ledger shows unreported past the deadline are overdue now
    ctx.notify()
    return round_ | {"version": 1}


def _as_recorded(
    ctx: VolunteeringContext, caller: Caller, checkin: Document, reported_on: date | None
) -> tuple[Document, list[Envelope]]:
    """A member the ledger shows as reported comes in submitted (with the documents the round asks for)."""
    if reported_on is None:
        return checkin, []
    submitted = checkin | {
        "status": CheckinStatus.SUBMITTED.value,
        "submitted_documents": [k for k in checkin["required_documents"] if k != DocumentKind.RECEIPT.value],
        "submitted_at": datetime.combine(reported_on, time(12), ZoneInfo(ctx.settings.local_timezone)),
        "history": [step(ctx, caller.subject, checkin, CheckinAction.SUBMIT, CheckinStatus.SUBMITTED)],
    }
    return submitted, [
        ctx.events.envelope(CommunityCheckinSubmitted(**fact(checkin)), subject=checkin["_id"])
    ]


async def branch_round(ctx: VolunteeringContext, caller: Caller, round_id: str) -> Document:
    """A round, for the organisers of its sending branch (and those above it) only."""
    round_ = await ctx.community_checkins.round(round_id)
    if round_ is None:
        raise NotFound("no 报到 round has this id", field="round_id")
    await ctx.require_organizer(caller, round_["sending_organization_id"], field="round_id")
    return round_


async def page_rounds(
    ctx: VolunteeringContext, caller: Caller, *, sending_organization_id: str, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    await ctx.require_organizer(caller, sending_organization_id, field="sending_organization_id")
    found = await ctx.community_checkins.find_rounds(
        {"sending_organization_id": sending_organization_id}, cursor_after(cursor), limit + 1
    )
    return split_page(found, limit)


async def batch_rounds(ctx: VolunteeringContext, caller: Caller, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.community_checkins.rounds(ids)}
    return [
        found[i]
        for i in ids
        if i in found and await ctx.organizes(caller, found[i]["sending_organization_id"])
    ]


async def statistics(ctx: VolunteeringContext, caller: Caller, round_id: str) -> dict[str, Any]:
    """Aggregates only: how many were invited, reported, confirmed, are overdue, and the 报到率."""
    round_ = await branch_round(ctx, caller, round_id)
    counts = await ctx.community_checkins.status_counts(round_id)

    def among(statuses: frozenset[CheckinStatus]) -> int:
        return sum(counts.get(s.value, 0) for s in statuses)

    invited = sum(counts.values())
    confirmed = among(CONFIRMED_OR_LATER)
    return {
        "round_id": round_["_id"],
        "invited": invited,
        "submitted": among(REPORTED),
        "confirmed": confirmed,
        "receipts_returned": await ctx.community_checkins.count_checkins(
            {"round_id": round_id, "receipt_returned_at": {"$ne": None}}
        ),
        "overdue": among(LATE),
        "checkin_rate": checkin_rate(confirmed, invited),
    }


# reading check-ins ---------------------------------------------------------------------------------
def _status_query(statuses: Sequence[CheckinStatus]) -> dict[str, Any]:
    return {"status": {"$in": [s.value for s in statuses]}} if statuses else {}


async def page_of_round(
    ctx: VolunteeringContext,
    caller: Caller,
    round_id: str,
    *,
    statuses: Sequence[CheckinStatus],
    community_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    await branch_round(ctx, caller, round_id)
    query = {"round_id": round_id} | _status_query(statuses)
    if community_id:
        query["community_id"] = community_id
    found = await ctx.community_checkins.find_checkins(query, cursor_after(cursor), limit + 1)
    return split_page(found, limit)


async def page_of_community(
    ctx: VolunteeringContext,
    caller: Caller,
    community_id: str,
    *,
    statuses: Sequence[CheckinStatus],
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """The residential community's staff see who reports to them (to confirm them)."""
    await ctx.require_organizer(caller, community_id, field="community_id")
    query = {"community_id": community_id} | _status_query(statuses)
    found = await ctx.community_checkins.find_checkins(query, cursor_after(cursor), limit + 1)
    return split_page(found, limit)


async def page_of_member(
    ctx: VolunteeringContext, caller: Caller, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    found = await ctx.community_checkins.find_checkins(
        {"subject_id": caller.subject}, cursor_after(cursor), limit + 1
    )
    return split_page(found, limit)


async def may_read(ctx: VolunteeringContext, caller: Caller, doc: Document) -> bool:
    """The member, their branch's organisers and their community's: nobody else sees a check-in."""
    return (
        caller.subject == doc["subject_id"]
        or await ctx.organizes(caller, doc["sending_organization_id"])
        or await ctx.organizes(caller, doc["community_id"])
    )


async def _checkin(ctx: VolunteeringContext, checkin_id: str) -> Document:
    doc = await ctx.community_checkins.checkin(checkin_id)
    if doc is None:
        raise NotFound("no 报到 check-in has this id", field="checkin_id")
    return doc


async def readable(ctx: VolunteeringContext, caller: Caller, checkin_id: str) -> Document:
    doc = await _checkin(ctx, checkin_id)
    if not await may_read(ctx, caller, doc):
        raise Forbidden("only the member and their branch's and community's organisers", code="not_visible")
    return doc


async def batch(ctx: VolunteeringContext, caller: Caller, ids: list[str]) -> list[Document]:
    found = await ctx.community_checkins.find_checkins({"_id": {"$in": ids}}, None, len(ids))
    by_id = {d["_id"]: d for d in found}
    return [by_id[i] for i in ids if i in by_id and await may_read(ctx, caller, by_id[i])]


# transitions ---------------------------------------------------------------------------------------
async def _authorise(ctx: VolunteeringContext, caller: Caller, doc: Document, actor: Actor) -> None:
    if actor is Actor.MEMBER:
        if caller.subject != doc["subject_id"]:
            raise Forbidden(
                "only the member themself may do this", field="checkin_id", code="not_your_checkin"
            )
    elif actor is Actor.BRANCH:
        await ctx.require_organizer(caller, doc["sending_organization_id"], field="checkin_id")
    elif actor is Actor.COMMUNITY:
        await ctx.require_organizer(caller, doc["community_id"], field="checkin_id")
    else:  # the clock's moves are never requested over HTTP
        raise Forbidden("this step is taken by the service itself", field="checkin_id", code="system_only")


def step(
    ctx: VolunteeringContext,
    caller_subject: str | None,
    doc: Document,
    action: CheckinAction,
    after: CheckinStatus,
) -> dict[str, Any]:
    """One line of the check-in's history: who moved it, when, from where to where."""
    return {
        "action": action.value,
        "from": doc["status"],
        "to": after.value,
        "by": caller_subject,
        "at": ctx.now(),
    }


def fact(doc: Document) -> dict[str, str]:
    return {
        "checkin_id": doc["_id"],
        "round_id": doc["round_id"],
        "subject_id": doc["subject_id"],
        "community_id": doc["community_id"],
        "sending_organization_id": doc["sending_organization_id"],
    }


async def _act(
    ctx: VolunteeringContext,
    caller: Caller,
    checkin_id: str,
    action: CheckinAction,
    decide: Callable[[Document], Changes],
) -> Document:
    doc = await _checkin(ctx, checkin_id)
    await _authorise(ctx, caller, doc, ACTORS[action])
    after, changes, events = decide(doc)
    history = [*doc["history"], step(ctx, caller.subject, doc, action, after)]
    result = await ctx.community_checkins.update_checkin(
        doc, changes | {"status": after.value, "history": history}, events
    )
    if events:
        ctx.notify()
    return result


def _kinds(values: Sequence[str]) -> list[DocumentKind]:
    return [DocumentKind(v) for v in values]


async def issue_documents(
    ctx: VolunteeringContext, caller: Caller, checkin_id: str, body: DocumentsIn
) -> Document:
    def decide(doc: Document) -> Changes:
        after = apply(CheckinStatus(doc["status"]), CheckinAction.ISSUE_DOCUMENTS)
        check_kinds_required(body.documents, _kinds(doc["required_documents"]))
        issued = list(dict.fromkeys([*doc["issued_documents"], *(k.value for k in body.documents)]))
        return after, {"issued_documents": issued}, []

    return await _act(ctx, caller, checkin_id, CheckinAction.ISSUE_DOCUMENTS, decide)


async def submit(ctx: VolunteeringContext, caller: Caller, checkin_id: str, body: DocumentsIn) -> Document:
    def decide(doc: Document) -> Changes:
        after = check_submission(
            CheckinStatus(doc["status"]),
            date.fromisoformat(doc["checkin_deadline"]),
            local_today(ctx),
            _kinds(doc["required_documents"]),
            body.documents,
        )
        changes = {
            "submitted_documents": list(dict.fromkeys(k.value for k in body.documents)),
            "submitted_at": ctx.now(),
        }
        event = ctx.events.envelope(CommunityCheckinSubmitted(**fact(doc)), subject=doc["_id"])
        return after, changes, [event]

    return await _act(ctx, caller, checkin_id, CheckinAction.SUBMIT, decide)


async def confirm(ctx: VolunteeringContext, caller: Caller, checkin_id: str) -> Document:
    def decide(doc: Document) -> Changes:
        after = apply(CheckinStatus(doc["status"]), CheckinAction.CONFIRM)
        event = ctx.events.envelope(CommunityCheckinConfirmed(**fact(doc)), subject=doc["_id"])
        return after, {"confirmed_by": caller.subject, "confirmed_at": ctx.now()}, [event]

    return await _act(ctx, caller, checkin_id, CheckinAction.CONFIRM, decide)


async def return_receipt_of(ctx: VolunteeringContext, caller: Caller, checkin_id: str) -> Document:
    def decide(doc: Document) -> Changes:
        after = return_receipt(CheckinStatus(doc["status"]), doc.get("receipt_returned_at") is not None)
        return after, {"receipt_returned_at": ctx.now(), "receipt_recorded_by": caller.subject}, []

    return await _act(ctx, caller, checkin_id, CheckinAction.RETURN_RECEIPT, decide)


async def follow_up(ctx: VolunteeringContext, caller: Caller, checkin_id: str, body: FollowUpIn) -> Document:
    def decide(doc: Document) -> Changes:
        after = apply(CheckinStatus(doc["status"]), CheckinAction.FOLLOW_UP)
        entry = {
            "kind": body.kind.value,
            "reason": body.reason.value if body.reason else None,
            "note": body.note,
            "by": caller.subject,
            "at": ctx.now(),
        }
        changes: dict[str, Any] = {"follow_ups": [*doc["follow_ups"], entry]}
        if body.reason is not None:
            changes["overdue_reason"] = body.reason.value
        return after, changes, []

    return await _act(ctx, caller, checkin_id, CheckinAction.FOLLOW_UP, decide)


async def reissue(ctx: VolunteeringContext, caller: Caller, checkin_id: str, body: CardReissueIn) -> Document:
    def decide(doc: Document) -> Changes:
        after = reissue_card(CheckinStatus(doc["status"]), _kinds(doc["issued_documents"]))
        entry = {"reason": body.reason.value, "by": caller.subject, "at": ctx.now()}
        return after, {"card_reissues": [*doc["card_reissues"], entry]}, []

    return await _act(ctx, caller, checkin_id, CheckinAction.REISSUE_CARD, decide)


# the clock and the claims ------------------------------------------------------------------------------
async def sweep_overdue(ctx: VolunteeringContext) -> int:
    """Mark every check-in still awaiting its report after the deadline OVERDUE, with its event.

    Idempotent: the write is conditional on the status, so a second (or concurrent) sweep finds
    nothing to move and publishes nothing. Returns how many this sweep moved.
    """
    today = local_today(ctx)
    waiting = [s.value for s in AWAITING_REPORT]
    moved = 0
    while True:
        found = await ctx.community_checkins.overdue_candidates(waiting, today.isoformat(), SWEEP_BATCH)
        for doc in found:
            event = CommunityCheckinOverdue(**fact(doc), deadline=doc["checkin_deadline"])
            update = {
                "$set": {
                    "status": CheckinStatus.OVERDUE.value,
                    "was_overdue": True,
                    "overdue_on": today.isoformat(),
                    "updated_at": ctx.now(),
                },
                "$push": {"history": step(ctx, None, doc, CheckinAction.MARK_OVERDUE, CheckinStatus.OVERDUE)},
            }
            envelope = ctx.events.envelope(event, subject=doc["_id"])
            moved += await ctx.community_checkins.move_if(doc["_id"], waiting, update, [envelope])
        if len(found) < SWEEP_BATCH:
            break
    if moved:
        ctx.notify()
    return moved


async def claimable_checkin(
    ctx: VolunteeringContext, caller: Caller, community_id: str, field: str
) -> Document:
    """The caller's latest check-in this community confirmed: their ticket to claim its posts and wishes."""
    found = await ctx.community_checkins.latest_checkin(
        {"subject_id": caller.subject, "community_id": community_id} | _status_query(list(CONFIRMED_OR_LATER))
    )
    if found is None:
        raise Conflict(
            "report to this community and have it confirmed before claiming",
            field=field,
            code="checkin_not_confirmed",
        )
    return found


async def activate(ctx: VolunteeringContext, caller: Caller, doc: Document, claimed: str, ref: str) -> None:
    """After a claim: the check-in becomes ACTIVE and remembers what was claimed (``claimed`` list)."""
    froms = [s.value for s in TRANSITIONS[CheckinAction.CLAIM]]
    after = apply(CheckinStatus(doc["status"]), CheckinAction.CLAIM)
    update = {
        "$set": {"status": after.value, "updated_at": ctx.now()},
        "$addToSet": {claimed: ref},
        "$push": {"history": step(ctx, caller.subject, doc, CheckinAction.CLAIM, after)},
    }
    await ctx.community_checkins.move_if(doc["_id"], froms, update, [])
