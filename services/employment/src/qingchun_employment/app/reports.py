"""The 创业报表: each street's month of ventures, jobs, loans and star nominations, for league staff.

A row per street under the organisation asked about that has a venture or a loan on record (and
the organisation itself when it is a street), in id order and paginated; the figures of a page are
computed from that page's streets' records by :mod:`qingchun_employment.domain.reports`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time, timedelta, tzinfo

from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.app.ventures import history_of, zone
from qingchun_employment.domain.loans import LoanStatus
from qingchun_employment.domain.reports import (
    LoanFacts,
    Month,
    NominationFacts,
    VentureFacts,
    local_day,
    parse_month,
    report,
)
from qingchun_employment.domain.ventures import STREET_TYPES, NominationStatus, VentureKind
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import cursor_after, split_page


def _venture(doc: Document) -> VentureFacts:
    return VentureFacts(
        doc["street_organization_id"],
        VentureKind(doc["kind"]),
        date.fromisoformat(doc["started_on"]),
        tuple(history_of(doc)),
    )


def _day(doc: Document, day_field: str, moment_field: str, local: tzinfo) -> date | None:
    """The day a step happened: as dated (补录 allowed), else the day it was entered (older records)."""
    if doc.get(day_field):
        return date.fromisoformat(doc[day_field])
    return local_day(doc[moment_field], local) if doc.get(moment_field) else None


def _loan(doc: Document, local: tzinfo) -> LoanFacts:
    applied_on = _day(doc, "applied_on", "created_at", local)
    assert applied_on is not None  # every loan has its created_at
    return LoanFacts(
        doc["street_organization_id"],
        applied_on=applied_on,
        applied_yuan=doc["amount_yuan"],
        approved_on=_day(doc, "approved_on", "approved_at", local),
        approved_yuan=doc.get("approved_amount_yuan"),
        disbursed_on=date.fromisoformat(doc["disbursed_on"]) if doc.get("disbursed_on") else None,
        statuses=tuple(
            (_day(h, "on", "at", local) or date.min, LoanStatus(h["status"])) for h in doc["history"]
        ),
        repayments=tuple((date.fromisoformat(r["paid_on"]), r["amount_yuan"]) for r in doc["repayments"]),
    )


def _nomination(doc: Document, local: tzinfo) -> NominationFacts:
    selected = doc["status"] == NominationStatus.SELECTED.value and doc.get("decided_at") is not None
    return NominationFacts(
        doc["street_organization_id"],
        local_day(doc["nominated_at"], local),
        local_day(doc["decided_at"], local) if selected else None,
    )


async def _streets(ctx: EmploymentContext, organization_id: str) -> list[str]:
    streets = await ctx.ventures.street_ids_under(organization_id)
    itself = await ctx.orgs.organization(organization_id)
    if itself is not None and itself.get("type") in STREET_TYPES:
        streets.add(organization_id)
    return sorted(streets)


async def _rows(ctx: EmploymentContext, street_ids: list[str], month: Month) -> list[Document]:
    local = zone(ctx)
    since = datetime.combine(month.first, time(), tzinfo=local)
    before = datetime.combine(month.last + timedelta(days=1), time(), tzinfo=local)
    ventures = await ctx.ventures.ventures_of_streets(street_ids, month.last.isoformat())
    loans = await ctx.ventures.loans_of_streets(street_ids, before)
    nominations = await ctx.ventures.nominations_of_streets(street_ids, since, before)
    figures = report(
        street_ids,
        month,
        [_venture(v) for v in ventures],
        [_loan(loan, local) for loan in loans],
        [_nomination(n, local) for n in nominations],
    )
    names = {o["_id"]: o.get("name") for o in await ctx.orgs.organizations(street_ids)}
    return [asdict(f) | {"_id": f.street_id, "street_name": names.get(f.street_id)} for f in figures]


async def entrepreneurship(
    ctx: EmploymentContext,
    caller: Caller,
    *,
    organization_id: str,
    month: str,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    await ctx.require_league_staff(caller, organization_id, "organization_id")
    window = parse_month(month)
    after = cursor_after(cursor)
    streets = [s for s in await _streets(ctx, organization_id) if after is None or s > after]
    page, next_cursor = split_page([{"_id": s} for s in streets[: limit + 1]], limit)
    return await _rows(ctx, [p["_id"] for p in page], window), next_cursor
