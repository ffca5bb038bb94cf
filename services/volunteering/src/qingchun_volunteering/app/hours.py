"""Service hours: crediting rules per organisation, entries under the daily cap, verification, 补录."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_contracts.volunteering import HoursVerified
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, NotFound, StaleWrite
from qingchun_volunteering.adapters.hours import day_key
from qingchun_volunteering.app.context import ORGANIZER_ROLES, VolunteeringContext
from qingchun_volunteering.app.hours_commands import CreditingRulesIn, RetroactiveIn
from qingchun_volunteering.domain.crediting import (
    PLATFORM_DEFAULT,
    Band,
    Rounding,
    RuleSet,
    cap_left,
    check_within_cap,
    session_credit,
)
from qingchun_volunteering.domain.hours import (
    EntryMethod,
    EntryStatus,
    approval_refusal,
    check_decidable,
    check_retroactive_date,
    local_day,
    served_minutes,
)

MAX_ATTEMPTS = 20
ORPHAN_AFTER = timedelta(minutes=2)
"""A hold whose entry is still missing after this long was left by a crash, not by a slow write."""


# crediting rules ------------------------------------------------------------------------------
def rules_from(document: Document) -> RuleSet:
    return RuleSet(
        min_minutes=document["min_minutes"],
        bands=tuple(
            Band(b["from_minutes"], b["unit_minutes"], Rounding(b["rounding"])) for b in document["bands"]
        ),
        daily_cap_minutes=document["daily_cap_minutes"],
        session_max_minutes=document.get("session_max_minutes"),
    )


async def effective_rules(ctx: VolunteeringContext, org_id: str) -> tuple[RuleSet, str | None]:
    """The organisation's own rules, else the nearest ancestor's, else the platform default."""
    chain = [org_id, *await ctx.orgs.ancestor_ids(org_id)]
    found = await ctx.hours.rules_of(chain)
    holder = next((o for o in chain if o in found), None)
    return (rules_from(found[holder]), holder) if holder else (PLATFORM_DEFAULT, None)


async def put_rules(
    ctx: VolunteeringContext, caller: Caller, org_id: str, command: CreditingRulesIn
) -> tuple[RuleSet, str]:
    await ctx.active_organization(org_id, "org_id")
    await ctx.require_organizer(caller, org_id, field="org_id")
    document = command.model_dump(mode="json")
    rules = rules_from(document)
    rules.validate()
    await ctx.hours.put_rules(org_id, document | {"updated_by": caller.subject, "updated_at": ctx.now()})
    return rules, org_id


# the daily cap -----------------------------------------------------------------------------------
async def _book(
    ctx: VolunteeringContext,
    *,
    volunteer_id: str,
    served_on: str,
    hold_key: str,
    entry_id: str,
    rules: RuleSet,
    wanted: int,
    clip: bool,
) -> tuple[str, int]:
    """Hold minutes on the volunteer's day under the cap: clipped (automatic credit) or refused
    (claimed by hand). A retry finds its earlier hold and returns it (entry id, minutes)."""
    key = day_key(volunteer_id, served_on)
    healed = False
    for _ in range(MAX_ATTEMPTS):
        day = await ctx.hours.day(key)
        if day is not None and hold_key in day["holds"]:
            hold = day["holds"][hold_key]
            return hold["entry_id"], hold["minutes"]
        credited = day["credited"] if day else 0
        if day is not None and not healed and wanted > cap_left(rules, credited):
            healed = True
            for orphan, minutes in await ctx.hours.orphan_holds(day, ctx.now() - ORPHAN_AFTER):
                await ctx.hours.release(key, orphan, minutes)
            continue
        if clip:
            minutes = min(wanted, cap_left(rules, credited))
        else:
            check_within_cap(rules, wanted, credited)
            minutes = wanted
        if await ctx.hours.hold(
            key, day, hold_key, {"entry_id": entry_id, "minutes": minutes, "at": ctx.now()}
        ):
            return entry_id, minutes
    raise StaleWrite("this volunteer's hours for the day are changing right now; try again")


def _zone(ctx: VolunteeringContext) -> ZoneInfo:
    return ZoneInfo(ctx.settings.local_timezone)


async def credit_attendance(
    ctx: VolunteeringContext, shift: Document, signup: Document, until: datetime
) -> Document:
    """The one entry of a volunteer's attendance on a shift, credited by the host's rules and
    clipped to the daily cap; idempotent, so check-out and completion may both ask."""
    existing = await ctx.hours.entry_for_shift(signup["volunteer_id"], shift["_id"])
    if existing is not None:
        return existing
    activity = await ctx.activity(shift["activity_id"])
    rules, _ = await effective_rules(ctx, shift["host_organization_id"])
    raw = served_minutes(signup["checked_in_at"], until, shift["starts_at"], shift["ends_at"])
    served_on = local_day(signup["checked_in_at"], _zone(ctx)).isoformat()
    entry_id, minutes = await _book(
        ctx,
        volunteer_id=signup["volunteer_id"],
        served_on=served_on,
        hold_key=shift["_id"],
        entry_id=new_id("hrs"),
        rules=rules,
        wanted=session_credit(rules, raw),
        clip=True,
    )
    entry = _entry(
        ctx,
        entry_id,
        signup["volunteer_id"],
        signup["subject_id"],
        activity,
        served_on,
        raw,
        minutes,
        EntryMethod(signup["checkin_method"]),
    )
    entry |= {"shift_id": shift["_id"], "shift_key": f"{signup['volunteer_id']}|{shift['_id']}"}
    entry["ledger"] = {"day": day_key(signup["volunteer_id"], served_on), "hold": shift["_id"]}
    return await ctx.hours.insert_entry(entry)


def _entry(
    ctx: VolunteeringContext,
    entry_id: str,
    volunteer_id: str,
    subject_id: str,
    activity: Document | None,
    served_on: str,
    raw: int,
    credited: int,
    method: EntryMethod,
) -> Document:
    return {
        "_id": entry_id,
        "volunteer_id": volunteer_id,
        "subject_id": subject_id,
        "host_organization_id": activity["host_organization_id"] if activity else None,
        "activity_id": activity["_id"] if activity else None,
        "activity_title": activity["title"] if activity else "",
        "shift_id": None,
        "served_on": served_on,
        "raw_minutes": raw,
        "credited_minutes": credited,
        "method": method.value,
        "status": EntryStatus.PENDING.value,
        "verified_by": None,
        "verified_at": None,
        "rejection_reason": None,
        "evidence": None,
        "requested_by": None,
        "approved_by": None,
        "created_at": ctx.now(),
    }


# 补录 ---------------------------------------------------------------------------------------------
async def request_retroactive(ctx: VolunteeringContext, caller: Caller, command: RetroactiveIn) -> Document:
    """A volunteer for themself, or an organiser of the host for a volunteer; pending until a
    second person approves. The claimed minutes must fit the day's cap (never clipped silently)."""
    if command.volunteer_id is None:
        volunteer = await ctx.store.volunteer_of(caller.subject)
        if volunteer is None:
            raise NotFound("register as a volunteer first", field="volunteer_id", code="not_registered")
    else:
        volunteer = await ctx.volunteer(command.volunteer_id)
    host = command.host_organization_id
    await ctx.active_organization(host, "host_organization_id")
    if volunteer["subject_id"] != caller.subject:
        await ctx.require_organizer(caller, host, field="host_organization_id")
    check_retroactive_date(command.served_on, ctx.now().astimezone(_zone(ctx)).date())
    activity: Document | None = None
    if command.activity_id is not None:
        activity = await ctx.activity(command.activity_id)
        if activity["host_organization_id"] != host:
            raise InvalidInput(
                "the activity is hosted by another organisation",
                field="activity_id",
                code="activity_host_mismatch",
            )
    rules, _ = await effective_rules(ctx, host)
    served_on = command.served_on.isoformat()
    entry_id, minutes = await _book(
        ctx,
        volunteer_id=volunteer["_id"],
        served_on=served_on,
        hold_key=(entry_id := new_id("hrs")),
        entry_id=entry_id,
        rules=rules,
        wanted=command.minutes,
        clip=False,
    )
    entry = _entry(
        ctx,
        entry_id,
        volunteer["_id"],
        volunteer["subject_id"],
        activity,
        served_on,
        command.minutes,
        minutes,
        EntryMethod.RETROACTIVE,
    ) | {
        "host_organization_id": host,
        "activity_title": command.activity_title,
        "evidence": command.evidence.model_dump(mode="json"),
        "requested_by": caller.subject,
        "ledger": {"day": day_key(volunteer["_id"], served_on), "hold": entry_id},
    }
    return await ctx.hours.insert_entry(entry)


# verification by the host ---------------------------------------------------------------------
async def entry(ctx: VolunteeringContext, entry_id: str) -> Document:
    found = await ctx.hours.entry(entry_id)
    if found is None:
        raise NotFound("no hour entry has this id", field="entry_id")
    return found


async def _check_decider(ctx: VolunteeringContext, caller: Caller, document: Document) -> None:
    await ctx.require_organizer(caller, document["host_organization_id"], field="entry_id")
    volunteer = await ctx.store.volunteer(document["volunteer_id"])
    guardian = (volunteer or {}).get("guardian_subject_id")
    side = frozenset({document["subject_id"], *([guardian] if guardian else [])})
    refusal = approval_refusal(
        caller.subject, side, EntryMethod(document["method"]), document.get("requested_by")
    )
    if refusal == "own_hours":
        raise Forbidden("nobody verifies their own (or their child's) hours", field="entry_id", code=refusal)
    if refusal is not None:
        raise Forbidden("a 补录 needs an approver other than its requester", field="entry_id", code=refusal)
    check_decidable(EntryStatus(document["status"]))


def _verified_event(document: Document) -> HoursVerified:
    return HoursVerified(
        entry_id=document["_id"],
        volunteer_id=document["volunteer_id"],
        subject_id=document["subject_id"],
        host_organization_id=document["host_organization_id"],
        activity_id=document.get("activity_id"),
        shift_id=document.get("shift_id"),
        minutes=document["credited_minutes"],
        method=document["method"],
        served_on=document["served_on"],
    )


async def _verify(ctx: VolunteeringContext, caller: Caller, document: Document) -> Document:
    """Status change and HoursVerified in one write: a crash after it loses nothing."""
    changes: dict[str, Any] = {
        "status": EntryStatus.VERIFIED.value,
        "verified_by": caller.subject,
        "verified_at": ctx.now(),
    }
    if document["method"] == EntryMethod.RETROACTIVE.value:
        changes["approved_by"] = caller.subject
    event = ctx.events.envelope(_verified_event(document), subject=document["volunteer_id"])
    return await ctx.hours.update_entry(document, changes, [event])


async def verify(ctx: VolunteeringContext, caller: Caller, entry_id: str) -> Document:
    document = await entry(ctx, entry_id)
    await _check_decider(ctx, caller, document)
    result = await _verify(ctx, caller, document)
    ctx.notify()
    return result


async def reject(ctx: VolunteeringContext, caller: Caller, entry_id: str, reason: str) -> Document:
    """Reject and give the minutes back to the volunteer's day (the hold is released after the
    status write; a crash in between leaves an orphan hold that the next booking releases)."""
    document = await entry(ctx, entry_id)
    await _check_decider(ctx, caller, document)
    result = await ctx.hours.update_entry(
        document,
        {
            "status": EntryStatus.REJECTED.value,
            "verified_by": caller.subject,
            "verified_at": ctx.now(),
            "rejection_reason": reason,
        },
        [],
    )
    ledger = document["ledger"]
    await ctx.hours.release(ledger["day"], ledger["hold"], document["credited_minutes"])
    return result


async def verify_all(ctx: VolunteeringContext, caller: Caller, activity_id: str) -> tuple[int, int]:
    """Verify every pending entry of an activity the caller may decide on; (verified, skipped).

    Skipped: the caller's own (or their child's) hours and 补录 they requested themselves,
    which need another organiser.
    """
    activity = await ctx.activity(activity_id)
    await ctx.require_organizer(caller, activity["host_organization_id"], field="activity_id")
    verified = skipped = 0
    for document in await ctx.hours.entries_of_activity(activity_id):
        if document["status"] != EntryStatus.PENDING.value:
            continue
        try:
            await _check_decider(ctx, caller, document)
            await _verify(ctx, caller, document)
        except (Forbidden, StaleWrite):
            skipped += 1
            continue
        verified += 1
    ctx.notify()
    return verified, skipped


# an activity's figures -------------------------------------------------------------------------
async def credited_and_pending(ctx: VolunteeringContext, activity_id: str) -> tuple[int, int, int]:
    """(credited minutes not rejected, verified minutes, pending entries) of an activity."""
    entries = await ctx.hours.entries_of_activity(activity_id)
    live = [e for e in entries if e["status"] != EntryStatus.REJECTED.value]
    return (
        sum(e["credited_minutes"] for e in live),
        sum(e["credited_minutes"] for e in live if e["status"] == EntryStatus.VERIFIED.value),
        sum(e["status"] == EntryStatus.PENDING.value for e in live),
    )


# who may read entries ------------------------------------------------------------------------------
async def may_see(ctx: VolunteeringContext, caller: Caller, document: Document) -> bool:
    """The volunteer, their guardian, and organisers of the entry's host (DESIGN.md §4)."""
    if caller.subject == document["subject_id"]:
        return True
    volunteer = await ctx.store.volunteer(document["volunteer_id"])
    if volunteer is not None and caller.subject == volunteer.get("guardian_subject_id"):
        return True
    return await ctx.organizes(caller, document["host_organization_id"])


async def visible_entry(ctx: VolunteeringContext, caller: Caller, entry_id: str) -> Document:
    document = await entry(ctx, entry_id)
    if not await may_see(ctx, caller, document):
        raise Forbidden("only the volunteer, their guardian and the host's organisers", code="not_visible")
    return document


async def page(
    ctx: VolunteeringContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    volunteer_id: str | None,
    activity_id: str | None,
    host_organization_id: str | None,
    statuses: Sequence[EntryStatus],
) -> tuple[list[Document], str | None]:
    query, filtered = await _list_query(ctx, caller, volunteer_id, activity_id, host_organization_id)
    if statuses:
        query["status"] = {"$in": [s.value for s in statuses]}
    items, next_cursor = split_page(
        await ctx.hours.find_entries(query, cursor_after(cursor), limit + 1), limit
    )
    if filtered:  # an organiser reading one volunteer's entries sees those of hosts in their scope
        items = [d for d in items if await ctx.organizes(caller, d["host_organization_id"])]
    return items, next_cursor


async def _list_query(
    ctx: VolunteeringContext,
    caller: Caller,
    volunteer_id: str | None,
    activity_id: str | None,
    host_organization_id: str | None,
) -> tuple[dict[str, Any], bool]:
    """The query a caller may run, and whether the page still needs filtering by scope."""
    if volunteer_id is not None:
        volunteer = await ctx.volunteer(volunteer_id)
        if caller.subject in {volunteer["subject_id"], volunteer.get("guardian_subject_id")}:
            return {"volunteer_id": volunteer_id}, False
        if not caller.has_any(*ORGANIZER_ROLES):
            raise Forbidden(
                "only the volunteer, their guardian and the host's organisers", code="not_visible"
            )
        return {"volunteer_id": volunteer_id}, True
    if activity_id is not None:
        activity = await ctx.activity(activity_id)
        if await ctx.organizes(caller, activity["host_organization_id"]):
            return {"activity_id": activity_id}, False
        return {"activity_id": activity_id, "volunteer_id": await _own_volunteer_id(ctx, caller)}, False
    if host_organization_id is not None:
        await ctx.require_organizer(caller, host_organization_id, field="host_organization_id")
        return {"host_organization_id": host_organization_id}, False
    return {"volunteer_id": await _own_volunteer_id(ctx, caller)}, False


async def _own_volunteer_id(ctx: VolunteeringContext, caller: Caller) -> str:
    own = await ctx.store.volunteer_of(caller.subject)
    if own is None:
        raise Forbidden("only the volunteer, their guardian and the host's organisers", code="not_visible")
    volunteer_id: str = own["_id"]
    return volunteer_id


def check_no_pending(pending: int) -> None:
    if pending:
        raise Conflict(
            f"{pending} hour entries still wait for verification", field="activity_id", code="hours_pending"
        )
