"""REST API of 社区报到 (``/v1``): rounds, members' check-ins, service posts and micro-wishes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_plumbing.auth import Caller, CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_plumbing.problems import InvalidInput
from qingchun_volunteering.app import community_checkins as checkins
from qingchun_volunteering.app import community_service as service
from qingchun_volunteering.app.community_checkin_commands import (
    CardReissueIn,
    CheckinRoundCreate,
    DocumentsIn,
    FollowUpIn,
    MicroWishCreate,
    ServicePostCreate,
)
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.community_checkins import (
    LATE,
    CardReissueReason,
    CheckinAction,
    CheckinStatus,
    DocumentKind,
    FollowUpKind,
    OverdueReason,
)
from qingchun_volunteering.domain.community_service import ServicePostType, WishStatus
from qingchun_volunteering.ports.api import Ctx, Cursor, Limit
from qingchun_volunteering.ports.community_checkins_schemas import (
    CheckinOut,
    CheckinRoundOut,
    CheckinRoundStatisticsOut,
    MicroWishOut,
    ServicePostOut,
    checkin_out,
    post_out,
    round_out,
    wish_out,
)

router = APIRouter(prefix="/v1")
ROUNDS, CHECKINS, POSTS, WISHES = "报到 rounds", "报到 check-ins", "service posts", "micro-wishes"
OrgFilter = Annotated[str | None, Query(max_length=40)]
Statuses = Annotated[list[CheckinStatus], Query()]


def _checkins(page: tuple[list[Document], str | None]) -> Page[CheckinOut]:
    items, next_cursor = page
    return Page(items=[checkin_out(d) for d in items], next_cursor=next_cursor)


# rounds -----------------------------------------------------------------------------------------------
@router.post(
    "/checkin-rounds",
    status_code=201,
    response_model=CheckinRoundOut,
    tags=[ROUNDS],
    summary="A sending branch opens a 报到 round: documents, deadlines, invited members",
)
async def open_round(body: CheckinRoundCreate, caller: CurrentCaller, ctx: Ctx) -> CheckinRoundOut:
    return round_out(await checkins.open_round(ctx, caller, body))


@router.get(
    "/checkin-rounds",
    response_model=Page[CheckinRoundOut],
    tags=[ROUNDS],
    summary="The rounds of a sending branch in your scope (or ids=a,b,c)",
)
async def list_rounds(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    sending_organization_id: OrgFilter = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CheckinRoundOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[round_out(d) for d in await checkins.batch_rounds(ctx, caller, batch)])
    if sending_organization_id is None:
        raise InvalidInput(
            "name the sending organisation (or ids=…)", field="sending_organization_id", code="missing"
        )
    items, next_cursor = await checkins.page_rounds(
        ctx, caller, sending_organization_id=sending_organization_id, cursor=cursor, limit=limit
    )
    return Page(items=[round_out(d) for d in items], next_cursor=next_cursor)


@router.get("/checkin-rounds/{round_id}", response_model=CheckinRoundOut, tags=[ROUNDS], summary="One round")
async def get_round(round_id: str, caller: CurrentCaller, ctx: Ctx) -> CheckinRoundOut:
    return round_out(await checkins.branch_round(ctx, caller, round_id))


@router.get(
    "/checkin-rounds/{round_id}/statistics",
    response_model=CheckinRoundStatisticsOut,
    tags=[ROUNDS],
    summary="Invited, submitted, confirmed, overdue and 报到率 (aggregates only)",
)
async def round_statistics(round_id: str, caller: CurrentCaller, ctx: Ctx) -> CheckinRoundStatisticsOut:
    return CheckinRoundStatisticsOut(**await checkins.statistics(ctx, caller, round_id))


@router.get(
    "/checkin-rounds/{round_id}/checkins",
    response_model=Page[CheckinOut],
    tags=[ROUNDS],
    summary="The branch's view of its members' check-ins, by status and community",
)
async def round_checkins(
    round_id: str,
    caller: CurrentCaller,
    ctx: Ctx,
    status: Statuses = [],  # noqa: B006
    community_id: OrgFilter = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CheckinOut]:
    return _checkins(
        await checkins.page_of_round(
            ctx, caller, round_id, statuses=status, community_id=community_id, cursor=cursor, limit=limit
        )
    )


@router.get(
    "/checkin-rounds/{round_id}/overdue",
    response_model=Page[CheckinOut],
    tags=[ROUNDS],
    summary="The overdue list (逾期未报到) with reasons and follow-up notes",
)
async def overdue_checkins(
    round_id: str,
    caller: CurrentCaller,
    ctx: Ctx,
    community_id: OrgFilter = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CheckinOut]:
    return _checkins(
        await checkins.page_of_round(
            ctx,
            caller,
            round_id,
            statuses=sorted(LATE),
            community_id=community_id,
            cursor=cursor,
            limit=limit,
        )
    )


# check-ins --------------------------------------------------------------------------------------------
@router.get(
    "/community-checkins",
    response_model=Page[CheckinOut],
    tags=[CHECKINS],
    summary="Community staff: members reporting to your community (or ids=a,b,c you may read)",
)
async def community_checkins(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    community_id: OrgFilter = None,
    status: Statuses = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CheckinOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[checkin_out(d) for d in await checkins.batch(ctx, caller, batch)])
    if community_id is None:
        raise InvalidInput("name the community (or ids=…)", field="community_id", code="missing")
    return _checkins(
        await checkins.page_of_community(
            ctx, caller, community_id, statuses=status, cursor=cursor, limit=limit
        )
    )


@router.get(
    "/community-checkins/me",
    response_model=Page[CheckinOut],
    tags=[CHECKINS],
    summary="Your own 报到 check-ins",
)
async def my_checkins(
    caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[CheckinOut]:
    return _checkins(await checkins.page_of_member(ctx, caller, cursor=cursor, limit=limit))


@router.get(
    "/community-checkins/{checkin_id}",
    response_model=CheckinOut,
    tags=[CHECKINS],
    summary="One check-in: the member, their branch's and their community's organisers only",
)
async def get_checkin(checkin_id: str, caller: CurrentCaller, ctx: Ctx) -> CheckinOut:
    return checkin_out(await checkins.readable(ctx, caller, checkin_id))


@router.post(
    "/community-checkins/{checkin_id}:issue-documents",
    response_model=CheckinOut,
    tags=[CHECKINS],
    summary="The branch issues documents (介绍信, 报到卡, 登记表…) to the member",
)
async def issue_documents(checkin_id: str, body: DocumentsIn, caller: CurrentCaller, ctx: Ctx) -> CheckinOut:
    return checkin_out(await checkins.issue_documents(ctx, caller, checkin_id, body))


@router.post(
    "/community-checkins/{checkin_id}:submit",
    response_model=CheckinOut,
    tags=[CHECKINS],
    summary="The member hands in the required documents at their residential community",
)
async def submit(checkin_id: str, body: DocumentsIn, caller: CurrentCaller, ctx: Ctx) -> CheckinOut:
    return checkin_out(await checkins.submit(ctx, caller, checkin_id, body))


@router.post(
    "/community-checkins/{checkin_id}:confirm",
    response_model=CheckinOut,
    tags=[CHECKINS],
    summary="The residential community's staff confirm the member's 报到",
)
async def confirm(checkin_id: str, caller: CurrentCaller, ctx: Ctx) -> CheckinOut:
    return checkin_out(await checkins.confirm(ctx, caller, checkin_id))


@router.post(
    "/community-checkins/{checkin_id}:return-receipt",
    response_model=CheckinOut,
    tags=[CHECKINS],
    summary="The branch records the 回执联 back from the community",
)
async def return_receipt(checkin_id: str, caller: CurrentCaller, ctx: Ctx) -> CheckinOut:
    return checkin_out(await checkins.return_receipt_of(ctx, caller, checkin_id))


@router.post(
    "/community-checkins/{checkin_id}:follow-up",
    response_model=CheckinOut,
    tags=[CHECKINS],
    summary="The branch follows up an overdue member (摸清原因, 督促) with the reason",
)
async def follow_up(checkin_id: str, body: FollowUpIn, caller: CurrentCaller, ctx: Ctx) -> CheckinOut:
    return checkin_out(await checkins.follow_up(ctx, caller, checkin_id, body))


@router.post(
    "/community-checkins/{checkin_id}:reissue-card",
    response_model=CheckinOut,
    tags=[CHECKINS],
    summary="The branch reissues a full or lost card (补发报到卡/活动证)",
)
async def reissue_card(checkin_id: str, body: CardReissueIn, caller: CurrentCaller, ctx: Ctx) -> CheckinOut:
    return checkin_out(await checkins.reissue(ctx, caller, checkin_id, body))


# service posts --------------------------------------------------------------------------------------------
async def _post(ctx: VolunteeringContext, caller: Caller, doc: Document) -> ServicePostOut:
    return post_out(doc, caller.subject, await ctx.organizes(caller, doc["community_id"]))


@router.post(
    "/service-posts",
    status_code=201,
    response_model=ServicePostOut,
    tags=[POSTS],
    summary="Community staff publish a service post (服务岗位) with its capacity",
)
async def create_post(body: ServicePostCreate, caller: CurrentCaller, ctx: Ctx) -> ServicePostOut:
    return await _post(ctx, caller, await service.create_post(ctx, caller, body))


@router.get(
    "/service-posts",
    response_model=Page[ServicePostOut],
    tags=[POSTS],
    summary="Service posts, by community and type (or ids=a,b,c)",
)
async def list_posts(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    community_id: OrgFilter = None,
    post_type: Annotated[list[ServicePostType], Query()] = [],  # noqa: B006
    open_only: Annotated[bool, Query(description="Only posts with a free place")] = False,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ServicePostOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _post(ctx, caller, d) for d in await service.batch_posts(ctx, batch)])
    items, next_cursor = await service.page_posts(
        ctx, community_id=community_id, post_types=post_type, open_only=open_only, cursor=cursor, limit=limit
    )
    return Page(items=[await _post(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/service-posts/{post_id}", response_model=ServicePostOut, tags=[POSTS], summary="One service post"
)
async def get_post(post_id: str, caller: CurrentCaller, ctx: Ctx) -> ServicePostOut:
    return await _post(ctx, caller, await service.post(ctx, post_id))


@router.post(
    "/service-posts/{post_id}:claim",
    response_model=ServicePostOut,
    tags=[POSTS],
    summary="A member whose 报到 this community confirmed claims a place (岗位认领)",
)
async def claim_post(post_id: str, caller: CurrentCaller, ctx: Ctx) -> ServicePostOut:
    return await _post(ctx, caller, await service.claim_post(ctx, caller, post_id))


# micro-wishes ---------------------------------------------------------------------------------------------
async def _wish(ctx: VolunteeringContext, caller: Caller, doc: Document) -> MicroWishOut:
    return wish_out(doc, caller.subject, await ctx.organizes(caller, doc["community_id"]))


@router.post(
    "/micro-wishes",
    status_code=201,
    response_model=MicroWishOut,
    tags=[WISHES],
    summary="Community staff post a resident's micro-wish (微心愿); the resident is never named",
)
async def create_wish(body: MicroWishCreate, caller: CurrentCaller, ctx: Ctx) -> MicroWishOut:
    return await _wish(ctx, caller, await service.create_wish(ctx, caller, body))


@router.get(
    "/micro-wishes",
    response_model=Page[MicroWishOut],
    tags=[WISHES],
    summary="Micro-wishes, by community and status (or ids=a,b,c)",
)
async def list_wishes(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    community_id: OrgFilter = None,
    status: Annotated[list[WishStatus], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[MicroWishOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _wish(ctx, caller, d) for d in await service.batch_wishes(ctx, batch)])
    items, next_cursor = await service.page_wishes(
        ctx, community_id=community_id, statuses=status, cursor=cursor, limit=limit
    )
    return Page(items=[await _wish(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get("/micro-wishes/{wish_id}", response_model=MicroWishOut, tags=[WISHES], summary="One micro-wish")
async def get_wish(wish_id: str, caller: CurrentCaller, ctx: Ctx) -> MicroWishOut:
    return await _wish(ctx, caller, await service.wish(ctx, wish_id))


@router.post(
    "/micro-wishes/{wish_id}:claim",
    response_model=MicroWishOut,
    tags=[WISHES],
    summary="A member whose 报到 this community confirmed claims the wish (one claimer only)",
)
async def claim_wish(wish_id: str, caller: CurrentCaller, ctx: Ctx) -> MicroWishOut:
    return await _wish(ctx, caller, await service.claim(ctx, caller, wish_id))


@router.post(
    "/micro-wishes/{wish_id}:fulfil",
    response_model=MicroWishOut,
    tags=[WISHES],
    summary="Community staff confirm the claimed wish was fulfilled",
)
async def fulfil_wish(wish_id: str, caller: CurrentCaller, ctx: Ctx) -> MicroWishOut:
    return await _wish(ctx, caller, await service.fulfil(ctx, caller, wish_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "community_checkin_document_kind": DocumentKind,
    "community_checkin_status": CheckinStatus,
    "community_checkin_action": CheckinAction,
    "community_checkin_overdue_reason": OverdueReason,
    "community_checkin_follow_up_kind": FollowUpKind,
    "community_checkin_card_reissue_reason": CardReissueReason,
    "service_post_type": ServicePostType,
    "micro_wish_status": WishStatus,
}
