"""Applications (求职申请): a seeker applies to a published posting; the employer's staff move it on.

Applying is the seeker's choice to share their profile and contact details with that employer, so
the application carries ``contact_shared`` from the start, until it is withdrawn or turned down.
A hire is a placement (就业): the application's change and ``PlacementConfirmed`` are one write, and
the posting's count and the seeker's status follow it (see :func:`complete_hire`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_contracts import Envelope
from qingchun_contracts.employment import ApplicationStatusChanged, ApplicationSubmitted, PlacementConfirmed
from qingchun_employment.app.application_commands import ApplicationCreate
from qingchun_employment.app.context import LEAGUE_STAFF, EmploymentContext
from qingchun_employment.app.postings import record_hire
from qingchun_employment.domain.applications import (
    ApplicationAction,
    ApplicationStatus,
    accepts_applications,
    apply_action,
    is_seeker_action,
    shares_contact,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, NotFound
from qingchun_plumbing.service import PeriodicJob

HIRE_LEASE = timedelta(seconds=60)
"""How long one worker holds a hire's follow-ups before another may take them over."""
REPAIR_BATCH = 100
REPAIR_INTERVAL_SECONDS = 60.0
EMPLOYED = "employed"


def local_today(ctx: EmploymentContext) -> date:
    return ctx.now().astimezone(ZoneInfo(ctx.settings.local_timezone)).date()


def _step(status: ApplicationStatus, at: datetime, by: str) -> dict[str, Any]:
    return {"status": status.value, "at": at, "by": by}


async def require_open_posting(ctx: EmploymentContext, posting_id: str) -> Document:
    posting = await ctx.posting(posting_id)
    if not accepts_applications(posting["status"], posting.get("expires_at"), ctx.now()):
        raise Conflict("the posting no longer takes applications", field="posting_id", code="posting_closed")
    return posting


async def league_over_seeker(ctx: EmploymentContext, caller: Caller, seeker: Document) -> bool:
    """League staff whose scope covers the seeker's residence community (they serve the seeker)."""
    community = seeker.get("residence_community_id")
    if community is None or not caller.has_any(*LEAGUE_STAFF):
        return False
    return await ctx.is_league_staff(caller, community)


async def submit(
    ctx: EmploymentContext,
    caller: Caller,
    posting: Document,
    seeker: Document,
    *,
    cover_note: str | None,
    referral_id: str | None,
) -> Document:
    """The application and ``ApplicationSubmitted`` in one insert (own application or accepted referral)."""
    now = ctx.now()
    application_id = new_id("apl")
    document: Document = {
        "_id": application_id,
        "posting_id": posting["_id"],
        "seeker_id": seeker["_id"],
        "subject_id": seeker["subject_id"],
        "employer_organization_id": posting["employer_organization_id"],
        "posting_kind": posting["kind"],
        "status": ApplicationStatus.APPLIED.value,
        "via_referral": referral_id is not None,
        "referral_id": referral_id,
        "contact_shared": True,
        "cover_note": cover_note,
        "history": [_step(ApplicationStatus.APPLIED, now, caller.subject)],
        "created_at": now,
        "updated_at": now,
    }
    submitted = ApplicationSubmitted(
        application_id=application_id,
        posting_id=posting["_id"],
        seeker_id=seeker["_id"],
        via_referral=referral_id is not None,
    )
    stored = await ctx.applications.insert(document, [ctx.events.envelope(submitted, subject=application_id)])
    ctx.notify()
    return stored


async def apply(
    ctx: EmploymentContext, caller: Caller, posting_id: str, command: ApplicationCreate
) -> Document:
    seeker = await ctx.seekers.seeker_of(caller.subject)
    if seeker is None:
        raise InvalidInput(
            "register as a job seeker (实名制) before applying", field="subject", code="not_registered"
        )
    posting = await require_open_posting(ctx, posting_id)
    return await submit(ctx, caller, posting, seeker, cover_note=command.cover_note, referral_id=None)


async def application(ctx: EmploymentContext, application_id: str) -> Document:
    document = await ctx.applications.application(application_id)
    if document is None:
        raise NotFound("no application has this id", field="application_id")
    return document


async def _require_actor(
    ctx: EmploymentContext, caller: Caller, document: Document, action: ApplicationAction
) -> None:
    if not is_seeker_action(action):
        await ctx.require_employer_staff(caller, document["employer_organization_id"])
    elif caller.subject != document["subject_id"]:
        raise Forbidden("only the applicant may withdraw the application", code="not_your_application")


def _status_changed(ctx: EmploymentContext, document: Document, status: ApplicationStatus) -> Envelope:
    changed = ApplicationStatusChanged(
        application_id=document["_id"],
        posting_id=document["posting_id"],
        seeker_id=document["seeker_id"],
        status=status.value,
    )
    return ctx.events.envelope(changed, subject=document["_id"])


def _placement(ctx: EmploymentContext, document: Document, started_on: date) -> Envelope:
    placed = PlacementConfirmed(
        application_id=document["_id"],
        posting_id=document["posting_id"],
        seeker_id=document["seeker_id"],
        subject_id=document["subject_id"],
        employer_organization_id=document["employer_organization_id"],
        posting_kind=document["posting_kind"],
        started_on=started_on.isoformat(),
    )
    return ctx.events.envelope(placed, subject=document["_id"])


async def act(
    ctx: EmploymentContext, caller: Caller, application_id: str, action: ApplicationAction
) -> Document:
    """One step of the application; a repeated ``hire`` finishes follow-ups a crash left undone."""
    document = await application(ctx, application_id)
    await _require_actor(ctx, caller, document, action)
    if action is ApplicationAction.HIRE and document.get("hire_recorded") is False:
        await complete_hire(ctx, application_id)
        return await application(ctx, application_id)
    status = apply_action(ApplicationStatus(document["status"]), action)
    now = ctx.now()
    changes: dict[str, Any] = {
        "status": status.value,
        "history": [*document["history"], _step(status, now, caller.subject)],
    }
    if not shares_contact(status):  # withdrawn or turned down: the employer's view ends with it
        changes["contact_shared"] = False
    events = [_status_changed(ctx, document, status)]
    if status is ApplicationStatus.HIRED:
        started_on = local_today(ctx)
        changes |= {"hired_on": started_on.isoformat(), "hire_recorded": False}
        events.append(_placement(ctx, document, started_on))
    await ctx.applications.update(document, changes, events)
    ctx.notify()
    if status is ApplicationStatus.HIRED:
        await complete_hire(ctx, application_id)
    return await application(ctx, application_id)


async def complete_hire(ctx: EmploymentContext, application_id: str) -> None:
    """Count the hire on the posting and mark the seeker employed, once the placement is stored.

    Why this order is safe: the placement (status, ``PlacementConfirmed``) is written first, in
    one document write, so the fact itself is never lost; the posting's count and the seeker's
    status are derived from it. ``hire_recorded`` stays false until both follow-ups succeeded, so
    a crash in between leaves a marked hire that :func:`repair_hires` (periodically) or the next
    ``hire`` call finishes. A lease keeps two workers from running the same follow-ups at once.
    Marking the seeker employed is idempotent; ``record_hire`` runs again only if the process dies
    after it and before the mark.
    """
    now = ctx.now()
    claimed = await ctx.applications.claim_hire_follow_up(application_id, now, now + HIRE_LEASE)
    if claimed is None:  # already done, or another worker holds it
        return
    await record_hire(ctx, claimed["posting_id"])
    await ctx.seekers.set_outcome(claimed["seeker_id"], EMPLOYED)
    await ctx.applications.mark_hire_recorded(application_id)


async def repair_hires(ctx: EmploymentContext) -> int:
    """Finish the follow-ups of hires a crash interrupted; returns how many were looked at."""
    pending = await ctx.applications.hires_to_follow_up(REPAIR_BATCH)
    for application_id in pending:
        await complete_hire(ctx, application_id)
    return len(pending)


def jobs(ctx: EmploymentContext) -> list[PeriodicJob]:
    async def run() -> int:
        return await repair_hires(ctx)

    return [PeriodicJob("hire_follow_ups", REPAIR_INTERVAL_SECONDS, run)]


# reads ------------------------------------------------------------------------------------------
async def may_see(ctx: EmploymentContext, caller: Caller, document: Document) -> bool:
    """The applicant, the employer's staff, and league staff serving the seeker's community."""
    if caller.subject == document["subject_id"]:
        return True
    if await ctx.is_employer_staff(caller, document["employer_organization_id"]):
        return True
    seeker = await ctx.seekers.seeker(document["seeker_id"]) if caller.has_any(*LEAGUE_STAFF) else None
    return seeker is not None and await league_over_seeker(ctx, caller, seeker)


async def visible(ctx: EmploymentContext, caller: Caller, application_id: str) -> Document:
    document = await ctx.applications.application(application_id)
    if document is None or not await may_see(ctx, caller, document):
        raise NotFound("no application visible to you has this id", field="application_id")
    return document


async def batch(ctx: EmploymentContext, caller: Caller, ids: Sequence[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.applications.applications(ids)}
    return [found[i] for i in ids if i in found and await may_see(ctx, caller, found[i])]


async def posting_page(
    ctx: EmploymentContext, caller: Caller, posting_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """The applicants of a posting, for the employer's staff."""
    posting = await ctx.posting(posting_id)
    await ctx.require_employer_staff(caller, posting["employer_organization_id"], field="posting_id")
    rows = await ctx.applications.find({"posting_id": posting_id}, cursor_after(cursor), limit + 1)
    return split_page(rows, limit)


async def require_seeker_or_league(ctx: EmploymentContext, caller: Caller, seeker: Document) -> None:
    if caller.subject != seeker["subject_id"] and not await league_over_seeker(ctx, caller, seeker):
        raise Forbidden(
            "only the seeker and league staff of their community see this",
            field="seeker_id",
            code="out_of_scope",
        )


async def seeker_page(
    ctx: EmploymentContext, caller: Caller, seeker_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """A seeker's applications, for the seeker and the league staff serving them."""
    await require_seeker_or_league(ctx, caller, await ctx.seeker(seeker_id))
    rows = await ctx.applications.find({"seeker_id": seeker_id}, cursor_after(cursor), limit + 1)
    return split_page(rows, limit)
