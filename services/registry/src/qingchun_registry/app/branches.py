"""League branches' terms and elections (按期换届), and the periodic check that announces due terms."""

from __future__ import annotations

import logging
from datetime import date

from qingchun_contracts import Envelope
from qingchun_contracts.registry import (
    LeagueBranchElectionRecorded,
    LeagueBranchTermDueSoon,
    LeagueBranchTermExpired,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import StaleWrite
from qingchun_registry.adapters.documents import term_doc, term_from
from qingchun_registry.app.commands import ElectionIn, TermIn
from qingchun_registry.app.context import RegistryContext
from qingchun_registry.domain.organizations import OrgType
from qingchun_registry.domain.terms import Election, TermStatus, notice_due, record_election, start_term

_BRANCH_TYPES = tuple(t.value for t in OrgType if t.has_branch_term)
_log = logging.getLogger("qingchun.registry.terms")


async def set_term(ctx: RegistryContext, caller: Caller, org_id: str, command: TermIn) -> Document:
    document = await ctx.organization_of_type(org_id, *_BRANCH_TYPES)
    await ctx.require_scope(caller, org_id)
    term = start_term(command.term_start, command.term_years, ctx.today())
    changes: Document = {"branch.term": term_doc(term), "branch.notified": {}}
    for field in ("member_count", "resident_member_count"):
        if field in command.model_fields_set:
            changes[f"branch.{field}"] = getattr(command, field)
    return await ctx.store.update_organization(document, changes, [])


async def elect(ctx: RegistryContext, caller: Caller, org_id: str, command: ElectionIn) -> Document:
    document = await ctx.organization_of_type(org_id, *_BRANCH_TYPES)
    await ctx.require_scope(caller, org_id)
    election = Election(
        held_on=command.held_on,
        secretary_subject_id=command.secretary_subject_id,
        committee_size=command.committee_size,
    )
    term = record_election(
        term_from(document["branch"].get("term")), election, command.term_years, ctx.today()
    )
    record = {
        "held_on": election.held_on.isoformat(),
        "method": election.method,
        "secretary_subject_id": election.secretary_subject_id,
        "committee_size": election.committee_size,
        "recorded_by": caller.subject,
    }
    elections = [*document["branch"].get("elections", []), record]
    event = ctx.events.envelope(
        LeagueBranchElectionRecorded(
            organization_id=org_id,
            held_on=election.held_on,
            term_start=term.start,
            term_end=term.end,
            secretary_subject_id=election.secretary_subject_id,
        ),
        subject=org_id,
    )
    result = await ctx.store.update_organization(
        document,
        {"branch.term": term_doc(term), "branch.elections": elections, "branch.notified": {}},
        [event],
    )
    ctx.notify()
    return result


def _notice_event(ctx: RegistryContext, org_id: str, kind: TermStatus, term_end: date, days: int) -> Envelope:
    if kind is TermStatus.OVERDUE:
        return ctx.events.envelope(
            LeagueBranchTermExpired(organization_id=org_id, term_end=term_end, days_overdue=days),
            subject=org_id,
        )
    return ctx.events.envelope(
        LeagueBranchTermDueSoon(organization_id=org_id, term_end=term_end, days_left=days), subject=org_id
    )


async def check_terms(ctx: RegistryContext) -> int:
    """Announce every term that became due or overdue, once per term; safe to run on every replica."""
    today, announced = ctx.today(), 0
    for document in await ctx.store.branches_with_terms():
        branch = document["branch"]
        notified = {k: date.fromisoformat(v) for k, v in branch.get("notified", {}).items()}
        notice = notice_due(term_from(branch["term"]), today, ctx.settings.term_due_soon_days, notified)
        if notice is None:
            continue
        event = _notice_event(ctx, document["_id"], notice.kind, notice.term_end, notice.days)
        try:
            await ctx.store.update_organization(
                document, {f"branch.notified.{notice.kind.value}": notice.term_end.isoformat()}, [event]
            )
        except StaleWrite:
            continue  # another replica (or an edit) got there first; the next round sees the new state
        announced += 1
    if announced:
        ctx.notify()
        _log.info("term notices announced", extra={"count": announced})
    return announced
