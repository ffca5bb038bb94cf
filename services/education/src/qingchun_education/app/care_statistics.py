"""Care statistics for the supervising staff of an organisation: counts and rates, small cells withheld."""

from __future__ import annotations

from qingchun_education.app.care import covers, guard
from qingchun_education.app.context import EducationContext
from qingchun_education.domain.care import CaseStatus
from qingchun_education.domain.care_access import CareAction, Relation
from qingchun_education.domain.care_statistics import CareStatistics, CaseFacts, publish, tally
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.problems import NotFound


async def statistics(ctx: EducationContext, caller: Caller, organization_id: str) -> CareStatistics:
    """Every case at or below the organisation, as aggregates only (DOMAIN.md §4.3 dashboard 5)."""
    relation = Relation(in_jurisdiction=await covers(ctx, caller, organization_id))
    await guard(ctx, caller, CareAction.STATISTICS, relation)
    if await ctx.orgs.organization(organization_id) is None:
        raise NotFound("no organisation has this id", field="organization_id")
    facts = [
        CaseFacts(
            status=CaseStatus(row["status"]),
            outcome=row["outcome"],
            reoffended=row["reoffended"],
            categories=frozenset(row["categories"]),
        )
        for row in await ctx.care.facts(organization_id)
    ]
    return publish(tally(facts), ctx.settings.small_cell_threshold)
