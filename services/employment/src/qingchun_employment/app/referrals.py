"""Staff referrals (职业介绍): league staff propose a seeker they serve for a published posting.

The proposal stays between staff and the seeker: the employer sees neither it nor the seeker's
contact details until the seeker accepts, and accepting is applying (``via_referral``).
"""

from __future__ import annotations

from typing import Any

from qingchun_employment.adapters.applications import already_applied
from qingchun_employment.app import applications
from qingchun_employment.app.application_commands import ReferralCreate
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.domain.applications import ReferralAnswer, ReferralStatus, answer_referral
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Forbidden, InvalidInput, NotFound


async def refer(ctx: EmploymentContext, caller: Caller, command: ReferralCreate) -> Document:
    seeker = await ctx.seeker(command.seeker_id)
    if not await applications.league_over_seeker(ctx, caller, seeker):
        raise Forbidden(
            "only league staff of the seeker's community refer the seeker",
            field="seeker_id",
            code="out_of_scope",
        )
    posting = await applications.require_open_posting(ctx, command.posting_id)
    if await ctx.applications.application_of(seeker["_id"], posting["_id"]) is not None:
        raise already_applied()
    now = ctx.now()
    document: Document = {
        "_id": new_id("rfl"),
        "seeker_id": seeker["_id"],
        "subject_id": seeker["subject_id"],
        "posting_id": posting["_id"],
        "employer_organization_id": posting["employer_organization_id"],
        "note": command.note,
        "status": ReferralStatus.PROPOSED.value,
        "referred_by": caller.subject,
        "application_id": None,
        "created_at": now,
        "updated_at": now,
    }
    return await ctx.applications.insert_referral(document)


async def referral(ctx: EmploymentContext, referral_id: str) -> Document:
    document = await ctx.applications.referral(referral_id)
    if document is None:
        raise NotFound("no referral has this id", field="referral_id")
    return document


async def answer(
    ctx: EmploymentContext, caller: Caller, referral_id: str, choice: ReferralAnswer
) -> Document:
    document = await referral(ctx, referral_id)
    if caller.subject != document["subject_id"]:
        raise Forbidden("only the referred seeker answers a referral", code="not_your_referral")
    status = answer_referral(ReferralStatus(document["status"]), choice)
    changes: dict[str, Any] = {"status": status.value, "answered_at": ctx.now()}
    if choice is ReferralAnswer.ACCEPT:
        changes["application_id"] = await _application_for(ctx, caller, document)
    return await ctx.applications.update_referral(document, changes)


async def _application_for(ctx: EmploymentContext, caller: Caller, document: Document) -> str:
    """The application accepting makes: new, or the one an interrupted accept already wrote.

    The application is written before the referral is marked accepted, so a crash in between
    leaves an application naming this referral; accepting again adopts it instead of failing.
    """
    existing = await ctx.applications.application_of(document["seeker_id"], document["posting_id"])
    if existing is not None:
        if existing.get("referral_id") != document["_id"]:
            raise already_applied()
        return str(existing["_id"])
    posting = await applications.require_open_posting(ctx, document["posting_id"])
    seeker = await ctx.seeker(document["seeker_id"])
    created = await applications.submit(
        ctx, caller, posting, seeker, cover_note=None, referral_id=document["_id"]
    )
    return str(created["_id"])


async def may_see(ctx: EmploymentContext, caller: Caller, document: Document) -> bool:
    """The referred seeker and the league staff serving them."""
    if caller.subject == document["subject_id"]:
        return True
    seeker = await ctx.seekers.seeker(document["seeker_id"])
    return seeker is not None and await applications.league_over_seeker(ctx, caller, seeker)


async def visible(ctx: EmploymentContext, caller: Caller, referral_id: str) -> Document:
    document = await ctx.applications.referral(referral_id)
    if document is None or not await may_see(ctx, caller, document):
        raise NotFound("no referral visible to you has this id", field="referral_id")
    return document


async def page(
    ctx: EmploymentContext,
    caller: Caller,
    *,
    seeker_id: str | None,
    posting_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """A seeker's referrals (the seeker, league staff serving them) or a posting's (league staff
    over its employer), never the employer's own admins: proposals are not yet the seeker's choice."""
    query: dict[str, Any] = {}
    if seeker_id is not None:
        await applications.require_seeker_or_league(ctx, caller, await ctx.seeker(seeker_id))
        query["seeker_id"] = seeker_id
    if posting_id is not None:
        if seeker_id is None:
            posting = await ctx.posting(posting_id)
            await ctx.require_league_staff(caller, posting["employer_organization_id"], field="posting_id")
        query["posting_id"] = posting_id
    if not query:
        raise InvalidInput("name the seeker or the posting", field="seeker_id", code="missing")
    rows = await ctx.applications.find_referrals(query, cursor_after(cursor), limit + 1)
    return split_page(rows, limit)
