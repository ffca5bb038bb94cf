"""双认领: community staff publish service posts (服务岗位) and residents' micro-wishes (微心愿);
members whose 报到 the community confirmed claim them, which makes their check-in ACTIVE.

The claim itself is one atomic write on the post or wish (capacity and the single claimer hold
under concurrency); the check-in's move to ACTIVE follows as a second, conditional write that a
retry of the claim cannot duplicate.
"""

from __future__ import annotations

from typing import Any

from qingchun_contracts.volunteering import MicroWishClaimed, MicroWishFulfilled, ServicePostClaimed
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, NotFound
from qingchun_volunteering.app.community_checkin_commands import MicroWishCreate, ServicePostCreate
from qingchun_volunteering.app.community_checkins import activate, claimable_checkin, residential_community
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.community_service import (
    ServicePostType,
    WishStatus,
    claim_wish,
    fulfil_wish,
)


async def _staffed_community(ctx: VolunteeringContext, caller: Caller, community_id: str) -> None:
    await residential_community(ctx, community_id, "community_id")
    await ctx.require_organizer(caller, community_id, field="community_id")


# service posts ---------------------------------------------------------------------------------------
async def create_post(ctx: VolunteeringContext, caller: Caller, command: ServicePostCreate) -> Document:
    await _staffed_community(ctx, caller, command.community_id)
    now = ctx.now()
    post = command.model_dump(mode="json") | {
        "_id": new_id("spt"),
        "free": command.capacity,
        "claims": [],
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.community_checkins.insert_post(post)
    return post | {"version": 1}


async def post(ctx: VolunteeringContext, post_id: str) -> Document:
    found = await ctx.community_checkins.post(post_id)
    if found is None:
        raise NotFound("no service post has this id", field="post_id")
    return found


async def claim_post(ctx: VolunteeringContext, caller: Caller, post_id: str) -> Document:
    target = await post(ctx, post_id)
    checkin = await claimable_checkin(ctx, caller, target["community_id"], "post_id")
    if any(c["subject_id"] == caller.subject for c in target["claims"]):
        raise Conflict("you already claimed this post", field="post_id", code="already_claimed")
    claim = {"subject_id": caller.subject, "checkin_id": checkin["_id"], "claimed_at": ctx.now()}
    event = ServicePostClaimed(
        post_id=post_id, community_id=target["community_id"], subject_id=caller.subject
    )
    taken = await ctx.community_checkins.take_post(
        post_id, claim, [ctx.events.envelope(event, subject=post_id)]
    )
    if taken is None:
        again = await post(ctx, post_id)
        if any(c["subject_id"] == caller.subject for c in again["claims"]):
            raise Conflict("you already claimed this post", field="post_id", code="already_claimed")
        raise Conflict("every place of this post is taken", field="post_id", code="post_full")
    ctx.notify()
    await activate(ctx, caller, checkin, "claimed_posts", post_id)
    return taken


async def page_posts(
    ctx: VolunteeringContext,
    *,
    community_id: str | None,
    post_types: list[ServicePostType],
    open_only: bool,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    query: dict[str, Any] = {}
    if community_id:
        query["community_id"] = community_id
    if post_types:
        query["post_type"] = {"$in": [t.value for t in post_types]}
    if open_only:
        query["free"] = {"$gt": 0}
    return split_page(await ctx.community_checkins.find_posts(query, cursor_after(cursor), limit + 1), limit)


async def batch_posts(ctx: VolunteeringContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.community_checkins.posts(ids)}
    return [found[i] for i in ids if i in found]


# micro-wishes ------------------------------------------------------------------------------------------
async def create_wish(ctx: VolunteeringContext, caller: Caller, command: MicroWishCreate) -> Document:
    await _staffed_community(ctx, caller, command.community_id)
    now = ctx.now()
    wish = command.model_dump(mode="json") | {
        "_id": new_id("mwh"),
        "status": WishStatus.OPEN.value,
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.community_checkins.insert_wish(wish)
    return wish | {"version": 1}


async def wish(ctx: VolunteeringContext, wish_id: str) -> Document:
    found = await ctx.community_checkins.wish(wish_id)
    if found is None:
        raise NotFound("no micro-wish has this id", field="wish_id")
    return found


async def claim(ctx: VolunteeringContext, caller: Caller, wish_id: str) -> Document:
    target = await wish(ctx, wish_id)
    checkin = await claimable_checkin(ctx, caller, target["community_id"], "wish_id")
    after = claim_wish(WishStatus(target["status"]))
    event = MicroWishClaimed(wish_id=wish_id, community_id=target["community_id"], subject_id=caller.subject)
    now = ctx.now()
    changes = {
        "status": after.value,
        "claimed_by": caller.subject,
        "checkin_id": checkin["_id"],
        "claimed_at": now,
        "updated_at": now,
    }
    claimed = await ctx.community_checkins.update_wish_if(
        wish_id, WishStatus.OPEN.value, changes, [ctx.events.envelope(event, subject=wish_id)]
    )
    if claimed is None:
        raise Conflict("someone claimed this micro-wish first", field="wish_id", code="wish_taken")
    ctx.notify()
    await activate(ctx, caller, checkin, "claimed_wishes", wish_id)
    return claimed


async def fulfil(ctx: VolunteeringContext, caller: Caller, wish_id: str) -> Document:
    target = await wish(ctx, wish_id)
    await ctx.require_organizer(caller, target["community_id"], field="wish_id")
    after = fulfil_wish(WishStatus(target["status"]))
    event = MicroWishFulfilled(
        wish_id=wish_id, community_id=target["community_id"], subject_id=target["claimed_by"]
    )
    now = ctx.now()
    changes = {"status": after.value, "fulfilled_by": caller.subject, "fulfilled_at": now, "updated_at": now}
    done = await ctx.community_checkins.update_wish_if(
        wish_id, WishStatus.CLAIMED.value, changes, [ctx.events.envelope(event, subject=wish_id)]
    )
    if done is None:
        raise Conflict(
            "the micro-wish changed meanwhile; read it again", field="wish_id", code="concurrent_update"
        )
    ctx.notify()
    return done


async def page_wishes(
    ctx: VolunteeringContext,
    *,
    community_id: str | None,
    statuses: list[WishStatus],
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    query: dict[str, Any] = {}
    if community_id:
        query["community_id"] = community_id
    if statuses:
        query["status"] = {"$in": [s.value for s in statuses]}
    return split_page(await ctx.community_checkins.find_wishes(query, cursor_after(cursor), limit + 1), limit)


async def batch_wishes(ctx: VolunteeringContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.community_checkins.wishes(ids)}
    return [found[i] for i in ids if i in found]
