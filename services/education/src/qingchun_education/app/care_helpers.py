"""Helpers (帮教人) of a care case: assigned by staff, or arriving with a signed volunteering pairing.

A pairing's helpers may read the case only while the pairing serves it, and only if the pairing is
hosted where the case is run (its jurisdiction, above it or below it): a pairing elsewhere that
names a case id grants nothing. Each pairing event is applied once (``apply_once``), so a
redelivered PairingSigned adds no helper twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import PairingClosed, PairingSigned, PairingVisitLogged
from qingchun_education.app.care import opened
from qingchun_education.app.care_commands import HelperIn
from qingchun_education.app.context import EducationContext
from qingchun_education.domain.care import CaseStatus, VisitKind, check_helper_room, check_open
from qingchun_education.domain.care_access import CareAction
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.rules import DomainError

_log = logging.getLogger("qingchun.education.care")
CARE_CASE = "care_case"


async def add_helper(ctx: EducationContext, caller: Caller, case_id: str, command: HelperIn) -> Document:
    """逐人落实: staff name a helper (a 五老 mentor, a volunteer) by subject id."""
    case = await opened(ctx, caller, case_id, CareAction.ASSIGN_HELPER)
    check_open(CaseStatus(case["status"]))
    check_helper_room(len(case["helpers"]), 1)
    entry = command.model_dump(mode="json")
    update = {"$addToSet": {"helpers": entry}, "$set": {"updated_at": ctx.now()}}
    result = await ctx.care.change(case, update)
    _log.info("care helper assigned", extra={"case_id": case_id})
    return result


async def remove_helper(ctx: EducationContext, caller: Caller, case_id: str, subject_id: str) -> Document:
    case = await opened(ctx, caller, case_id, CareAction.ASSIGN_HELPER)
    if subject_id not in {h["subject_id"] for h in case["helpers"]}:
        raise DomainError("not_a_helper", "此人不是该档案的帮教人", "subject_id")
    update = {"$pull": {"helpers": {"subject_id": subject_id}}, "$set": {"updated_at": ctx.now()}}
    result = await ctx.care.change(case, update)
    _log.info("care helper removed", extra={"case_id": case_id})
    return result


async def _serving_case(
    ctx: EducationContext, kind: str, ref: str, host: str, pairing_id: str
) -> Document | None:
    """The case a pairing serves, if it is one and the pairing's host is where the case is run."""
    if kind != CARE_CASE:
        return None
    case = await ctx.care.case(ref)
    if case is None:
        _log.info("pairing names no known care case", extra={"pairing_id": pairing_id})
        return None
    related = host in case["jurisdiction_chain"] or case["jurisdiction_organization_id"] in (
        await ctx.orgs.ancestor_ids(host)
    )
    if not related:
        _log.warning(
            "pairing hosted outside the case's jurisdiction ignored", extra={"pairing_id": pairing_id}
        )
        return None
    return case


async def _audit_event(ctx: EducationContext, envelope: Envelope, case_id: str, action: CareAction) -> None:
    """Changes that arrive by event are audited too, with the producing service as the subject."""
    await ctx.care.audit(
        {
            "_id": new_id("aud"),
            "case_id": case_id,
            "action": action.value,
            "subject": f"event:{envelope.source}",
            "roles": [],
            "outcome": "allowed",
            "at": ctx.now(),
            "correlation_id": envelope.correlationid,
        }
    )


async def on_pairing_signed(ctx: EducationContext, envelope: Envelope) -> None:
    data = PairingSigned.model_validate(envelope.data)
    case = await _serving_case(
        ctx, data.beneficiary_kind, data.beneficiary_ref, data.host_organization_id, data.pairing_id
    )
    if case is None:
        return
    subjects, volunteers = data.helper_subject_ids, data.helper_volunteer_ids
    if len(subjects) != len(volunteers):
        _log.warning("pairing without helper subjects ignored", extra={"pairing_id": data.pairing_id})
        return
    entries = [
        {"subject_id": s, "volunteer_id": v, "pairing_id": data.pairing_id}
        for s, v in zip(subjects, volunteers, strict=True)
    ]
    try:
        check_helper_room(len(case["helpers"]), len(entries))
    except DomainError:
        _log.warning("pairing helpers exceed the case's room", extra={"case_id": case["_id"]})
        return
    update = {
        "$addToSet": {"helpers": {"$each": entries}, "pairing_ids": data.pairing_id},
        "$set": {"updated_at": ctx.now()},
    }
    if await ctx.care.apply_event(
        case["_id"], {"status": {"$ne": CaseStatus.CLOSED.value}}, update, envelope.id
    ):
        await _audit_event(ctx, envelope, case["_id"], CareAction.ASSIGN_HELPER)
        _log.info("care helpers from pairing", extra={"case_id": case["_id"], "pairing_id": data.pairing_id})


async def on_pairing_closed(ctx: EducationContext, envelope: Envelope) -> None:
    """The pairing's helpers no longer serve the case, so they no longer read it."""
    data = PairingClosed.model_validate(envelope.data)
    case = await _serving_case(
        ctx, data.beneficiary_kind, data.beneficiary_ref, data.host_organization_id, data.pairing_id
    )
    if case is None:
        return
    update = {"$pull": {"helpers": {"pairing_id": data.pairing_id}}, "$set": {"updated_at": ctx.now()}}
    if await ctx.care.apply_event(case["_id"], {"helpers.pairing_id": data.pairing_id}, update, envelope.id):
        await _audit_event(ctx, envelope, case["_id"], CareAction.ASSIGN_HELPER)
        _log.info(
            "care helpers of pairing removed", extra={"case_id": case["_id"], "pairing_id": data.pairing_id}
        )


async def on_pairing_visit_logged(ctx: EducationContext, envelope: Envelope) -> None:
    """The visit timeline gets a reference to the pairing's visit; its notes stay in volunteering."""
    data = PairingVisitLogged.model_validate(envelope.data)
    case = await _serving_case(
        ctx, data.beneficiary_kind, data.beneficiary_ref, data.host_organization_id, data.pairing_id
    )
    if case is None:
        return
    entry = {
        "_id": data.visit_id,
        "visited_on": data.visited_on,
        "kind": VisitKind.PAIRING_VISIT.value,
        "notes": None,
        "helper_subject_id": None,
        "pairing_id": data.pairing_id,
        "logged_at": ctx.now(),
    }
    guard = {"pairing_ids": data.pairing_id, "visits._id": {"$ne": data.visit_id}}
    update = {
        "$push": {"visits": entry},
        "$inc": {"visit_count": 1},
        "$max": {"last_visited_on": data.visited_on},
        "$set": {"updated_at": ctx.now()},
    }
    if await ctx.care.apply_event(case["_id"], guard, update, envelope.id):
        await _audit_event(ctx, envelope, case["_id"], CareAction.LOG_VISIT)


HANDLERS: dict[str, Callable[[EducationContext, Envelope], Awaitable[None]]] = {
    PairingSigned.event_type: on_pairing_signed,
    PairingClosed.event_type: on_pairing_closed,
    PairingVisitLogged.event_type: on_pairing_visit_logged,
}
