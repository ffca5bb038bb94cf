"""Care files (帮教档案): opened, filed, helped and closed, each access decided and audited.

Every use case asks :func:`guard` first: it decides from the caller's standing towards the case
(``domain.care_access.decide``), writes the audit entry, allowed or refused, and refuses with a
message that says nothing about the case. Logs name case ids and codes only (DESIGN.md §4).
"""

from __future__ import annotations

import logging
import secrets
from datetime import date
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.education import CareCaseOpened, CareCaseOutcomeChanged
from qingchun_education.app.care_commands import (
    CareCaseCreate,
    CareCaseUpdate,
    EscalationIn,
    TransitionIn,
    VisitIn,
)
from qingchun_education.app.context import EducationContext
from qingchun_education.domain.care import (
    PUBLISHING,
    CaseAction,
    CaseStatus,
    check_birth_date,
    check_escalation_room,
    check_not_future,
    check_open,
    check_preconditions,
    check_unique,
    next_status,
    outcome_after,
)
from qingchun_education.domain.care_access import CareAction, Relation, decide
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.logs import correlation_id
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Forbidden, NotFound

_log = logging.getLogger("qingchun.education.care")
REFUSED = "无权访问或操作该帮教档案"


def helper_subjects(case: Document) -> set[str]:
    return {h["subject_id"] for h in case["helpers"]}


async def covers(ctx: EducationContext, caller: Caller, organization_id: str) -> bool:
    """The caller's scope holds the organisation or one above it (the roles are ``decide``'s business)."""
    return bool(caller.scope & {organization_id, *await ctx.orgs.ancestor_ids(organization_id)})


async def guard(
    ctx: EducationContext, caller: Caller, action: CareAction, relation: Relation, case_id: str | None = None
) -> None:
    """Decide, audit the decision, and refuse without a word about the case."""
    allowed = decide(caller.roles, relation, action)
    await ctx.care.audit(
        {
            "_id": new_id("aud"),
            "case_id": case_id,
            "action": action.value,
            "subject": caller.subject,
            "roles": sorted(caller.roles),
            "outcome": "allowed" if allowed else "refused",
            "at": ctx.now(),
            "correlation_id": correlation_id.get(),
        }
    )
    if not allowed:
        _log.info("care access refused", extra={"case_id": case_id, "action": action.value})
        raise Forbidden(REFUSED, code="care_access_refused")


async def relation_to(ctx: EducationContext, caller: Caller, case: Document) -> Relation:
    return Relation(
        in_jurisdiction=await covers(ctx, caller, case["jurisdiction_organization_id"]),
        helper=caller.subject in helper_subjects(case),
    )


async def opened(ctx: EducationContext, caller: Caller, case_id: str, action: CareAction) -> Document:
    """The case for ``action``, once the caller's standing towards it allows it."""
    case = await ctx.care.case(case_id)
    if case is None:
        raise NotFound("no care case has this id", field="case_id")
    await guard(ctx, caller, action, await relation_to(ctx, caller, case), case_id)
    return case


def _checked(command: CareCaseCreate | CareCaseUpdate, today: date) -> dict[str, Any]:
    """The fields the command sets, after the rules no schema can say."""
    fields = command.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    if command.youth is not None:
        check_birth_date(command.youth.birth_date, today)
    for name in ("categories", "measures"):
        check_unique(fields.get(name, []), name)
    if isinstance(command, CareCaseUpdate) and command.last_reviewed_on is not None:
        check_not_future(command.last_reviewed_on, today, "last_reviewed_on")
    return fields


async def create(ctx: EducationContext, caller: Caller, command: CareCaseCreate) -> Document:
    """调查摸底: the youth is recorded; nobody outside hears of it until the file is opened (建档)."""
    jurisdiction = command.jurisdiction_organization_id
    await guard(
        ctx, caller, CareAction.CREATE, Relation(in_jurisdiction=await covers(ctx, caller, jurisdiction))
    )
    await ctx.active_organization(jurisdiction, "jurisdiction_organization_id")
    now = ctx.now()
    document: Document = _checked(command, ctx.local_date()) | {
        "_id": f"case_{secrets.token_hex(16)}",
        "jurisdiction_chain": [jurisdiction, *await ctx.orgs.ancestor_ids(jurisdiction)],
        "guardian": command.guardian.model_dump(mode="json") if command.guardian else None,
        "responsible_person_subject_id": command.responsible_person_subject_id,
        "helpers": [],
        "pairing_ids": [],
        "status": CaseStatus.IDENTIFIED.value,
        "outcome": None,
        "reoffended": False,
        "visits": [],
        "visit_count": 0,
        "last_visited_on": None,
        "escalations": [],
        "last_reviewed_on": None,
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.care.insert(document, [])
    _log.info("care case identified", extra={"case_id": document["_id"]})
    return {k: v for k, v in document.items() if k != "visits"} | {"version": 1}


async def read(ctx: EducationContext, caller: Caller, case_id: str) -> Document:
    return await opened(ctx, caller, case_id, CareAction.READ)


async def update(ctx: EducationContext, caller: Caller, case_id: str, command: CareCaseUpdate) -> Document:
    """动态管理: the community's care staff keep the file current."""
    case = await opened(ctx, caller, case_id, CareAction.UPDATE)
    check_open(CaseStatus(case["status"]))
    changes = _checked(command, ctx.local_date())
    if not changes:
        return case
    return await ctx.care.update(case, changes)


def _events(ctx: EducationContext, case: Document, action: CaseAction, changes: Document) -> list[Envelope]:
    """建档 tells volunteering and employment what help is needed; outcomes tell who counts them."""
    jurisdiction = case["jurisdiction_organization_id"]
    if action is CaseAction.FILE:
        opened_ = CareCaseOpened(
            case_id=case["_id"],
            jurisdiction_organization_id=jurisdiction,
            need_codes=case["measures"],
            referral_consented=bool(case.get("referral_consented")),
        )
        return [ctx.events.envelope(opened_, subject=case["_id"])]
    if action not in PUBLISHING:
        return []
    changed = CareCaseOutcomeChanged(
        case_id=case["_id"],
        jurisdiction_organization_id=jurisdiction,
        status=changes["status"],
        outcome_code=changes["outcome"],
        reoffended=changes["reoffended"],
    )
    return [ctx.events.envelope(changed, subject=case["_id"])]


async def transition(ctx: EducationContext, caller: Caller, case_id: str, command: TransitionIn) -> Document:
    case = await opened(ctx, caller, case_id, CareAction.TRANSITION)
    after = next_status(CaseStatus(case["status"]), command.action)
    check_preconditions(command.action, case["responsible_person_subject_id"], len(case["helpers"]))
    changes = {
        "status": after.value,
        "outcome": outcome_after(after, case["outcome"]),
        "reoffended": case["reoffended"] or command.action is CaseAction.REOFFEND,
    }
    events = _events(ctx, case, command.action, changes)
    result = await ctx.care.update(case, changes, events)
    ctx.notify()
    _log.info(
        "care case moved", extra={"case_id": case_id, "action": command.action.value, "status": after.value}
    )
    return result


async def log_visit(ctx: EducationContext, caller: Caller, case_id: str, command: VisitIn) -> Document:
    """走访: a helper or the care staff record a visit; its notes stay in the file."""
    case = await opened(ctx, caller, case_id, CareAction.LOG_VISIT)
    check_open(CaseStatus(case["status"]))
    check_not_future(command.visited_on, ctx.local_date(), "visited_on")
    visited_on = command.visited_on.isoformat()
    entry = command.model_dump(mode="json") | {
        "_id": new_id("vis"),
        "helper_subject_id": caller.subject,
        "pairing_id": None,
        "logged_at": ctx.now(),
    }
    update = {
        "$push": {"visits": entry},
        "$inc": {"visit_count": 1},
        "$max": {"last_visited_on": visited_on},
        "$set": {"updated_at": ctx.now()},
    }
    result = await ctx.care.change(case, update)
    _log.info("care visit logged", extra={"case_id": case_id, "kind": command.kind.value})
    return result


async def visits_page(
    ctx: EducationContext, caller: Caller, case_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    await opened(ctx, caller, case_id, CareAction.READ)
    after = cursor_after(cursor)
    rows = sorted(await ctx.care.visits(case_id), key=lambda v: str(v["_id"]))
    return split_page([v for v in rows if after is None or v["_id"] > after][: limit + 1], limit)


async def escalate(ctx: EducationContext, caller: Caller, case_id: str, command: EscalationIn) -> Document:
    """移送: an explicit, audited report to police or justice, recorded on the case; no open access."""
    case = await opened(ctx, caller, case_id, CareAction.ESCALATE)
    check_escalation_room(len(case["escalations"]))
    entry = command.model_dump(mode="json") | {"_id": new_id("esc"), "by": caller.subject, "at": ctx.now()}
    result = await ctx.care.change(case, {"$push": {"escalations": entry}, "$set": {"updated_at": ctx.now()}})
    _log.info(
        "care case escalated",
        extra={"case_id": case_id, "to": command.to.value, "reason_code": command.reason_code.value},
    )
    return result


async def _list_query(ctx: EducationContext, caller: Caller, jurisdiction: str | None) -> dict[str, Any]:
    """What the caller may list: their jurisdiction's cases as staff, their own as a helper."""
    in_scope = await covers(ctx, caller, jurisdiction) if jurisdiction else bool(caller.scope)
    as_staff = decide(caller.roles, Relation(in_jurisdiction=in_scope), CareAction.LIST)
    as_helper = await ctx.care.helps_any(caller.subject)
    await guard(ctx, caller, CareAction.LIST, Relation(in_jurisdiction=in_scope, helper=as_helper))
    chain = {"jurisdiction_chain": jurisdiction} if jurisdiction else {}
    views: list[dict[str, Any]] = []
    if as_staff:
        views.append(chain or {"jurisdiction_chain": {"$in": sorted(caller.scope)}})
    if as_helper:
        views.append({"helpers.subject_id": caller.subject, **chain})
    return {"$or": views}


async def page(
    ctx: EducationContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    jurisdiction: str | None,
    statuses: list[CaseStatus],
) -> tuple[list[Document], str | None]:
    """Never searchable by name: by jurisdiction and status only."""
    query = await _list_query(ctx, caller, jurisdiction)
    if statuses:
        query["status"] = {"$in": [s.value for s in statuses]}
    return split_page(await ctx.care.find(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: EducationContext, caller: Caller, ids: list[str]) -> list[Document]:
    """For DataLoaders: the cases among ``ids`` the caller may read; each read or refusal audited."""
    found: list[Document] = []
    for case_id in ids:
        case = await ctx.care.case(case_id)
        if case is None:
            continue
        relation = await relation_to(ctx, caller, case)
        try:
            await guard(ctx, caller, CareAction.READ, relation, case_id)
        except Forbidden:
            continue
        found.append(case)
    return found


async def audit_page(
    ctx: EducationContext, caller: Caller, case_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """Who touched the case: for the supervising staff of its jurisdiction."""
    await opened(ctx, caller, case_id, CareAction.READ_AUDIT)
    return split_page(await ctx.care.audit_page(case_id, cursor_after(cursor), limit + 1), limit)
