"""Referral tasks from care cases (帮教): a consented skills or job need becomes work for the
jurisdiction's league staff, known by the case id only.

The care file stays in education; here is the case id, the jurisdiction and the employment needs,
nothing about the person. One task per case, however often the case's event arrives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.education import CareCaseOpened
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.domain.seekers import ReferralStatus, check_task_open, referral_needs
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import NotFound


def task_id(case_id: str) -> str:
    return f"ref_{case_id}"


async def on_care_case_opened(ctx: EmploymentContext, envelope: Envelope) -> None:
    data = CareCaseOpened.model_validate(envelope.data)
    needs = referral_needs(data.referral_consented, data.need_codes)
    if not needs:
        return
    jurisdiction = data.jurisdiction_organization_id
    task: Document = {
        "_id": task_id(data.case_id),
        "case_id": data.case_id,
        "jurisdiction_organization_id": jurisdiction,
        "area_ids": await ctx.chain(jurisdiction),
        "needs": [n.value for n in needs],
        "status": ReferralStatus.OPEN.value,
        "created_at": envelope.time,
        "done_at": None,
        "done_by": None,
    }
    await ctx.seekers.open_referral(task)


HANDLERS: dict[str, Callable[[EmploymentContext, Envelope], Awaitable[None]]] = {
    CareCaseOpened.event_type: on_care_case_opened
}


async def page(
    ctx: EmploymentContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    jurisdiction_organization_id: str,
    status: ReferralStatus | None,
) -> tuple[list[Document], str | None]:
    """The tasks of a jurisdiction (and the communities below it) for its league staff."""
    await ctx.require_league_staff(caller, jurisdiction_organization_id, "jurisdiction_organization_id")
    query: dict[str, Any] = {"area_ids": jurisdiction_organization_id}
    if status is not None:
        query["status"] = status.value
    return split_page(await ctx.seekers.find_referrals(query, cursor_after(cursor), limit + 1), limit)


async def done(ctx: EmploymentContext, caller: Caller, referral_task_id: str) -> Document:
    task = await ctx.seekers.referral(referral_task_id)
    if task is None:
        raise NotFound("no referral task has this id", field="referral_task_id")
    await ctx.require_league_staff(caller, task["jurisdiction_organization_id"], "referral_task_id")
    check_task_open(ReferralStatus(task["status"]))
    changes = {"status": ReferralStatus.DONE.value, "done_at": ctx.now(), "done_by": caller.subject}
    return await ctx.seekers.update_referral(task, changes)
