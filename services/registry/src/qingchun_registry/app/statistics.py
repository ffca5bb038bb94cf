"""The registry's part of the 月报 (DOMAIN.md §4.3 dashboards 1 and 2): creation progress,
organisation health, youth centres and agreements of an organisation's subtree.

The registry keeps the current state of organisations, not their past, so stage counts are as
they stand now; terms are judged on the month's last day (or today, for the running month), so
"overdue" in a report about November means overdue at the end of November.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date

from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.months import MonthWindow, month_window
from qingchun_plumbing.statistics import count_by
from qingchun_registry.adapters.documents import term_from
from qingchun_registry.app.context import ADMIN_ROLES, RegistryContext
from qingchun_registry.domain.organizations import OrgType
from qingchun_registry.domain.terms import term_status

TERM_WINDOW_DAYS = 90
"""DOMAIN.md §4.3: branches with 换届 overdue or due within 90 days."""
BRANCH_TYPES = frozenset({OrgType.LEAGUE_BRANCH.value, OrgType.LEAGUE_GENERAL_BRANCH.value})
MAX_AGREEMENTS = 10_000


@dataclass
class RegistryFigures:
    as_of: date
    communities: int = 0
    communities_by_stage: dict[str, int] = field(default_factory=dict)
    branches: int = 0
    communities_with_branch: int = 0
    terms: dict[str, int] = field(default_factory=dict)
    youth_centers: int = 0
    youth_centers_compliant: int = 0
    youth_centers_registered: int = 0
    youth_centers_by_status: dict[str, int] = field(default_factory=dict)
    unmet_requirements: dict[str, int] = field(default_factory=dict)
    agreements_active: int = 0
    agreements_signed_in_month: int = 0
    agreements_by_type: dict[str, int] = field(default_factory=dict)


def _as_of(window: MonthWindow, today: date) -> date:
    return min(window.last, today)


def _organisation_figures(figures: RegistryFigures, documents: list[Document], due_days: int) -> None:
    active = [d for d in documents if d.get("status") == "active"]
    communities = [d for d in active if d["type"] == OrgType.COMMUNITY.value]
    figures.communities = len(communities)
    figures.communities_by_stage = count_by(d["community"]["stage"] for d in communities)
    branches = [d for d in active if d["type"] in BRANCH_TYPES]
    figures.branches = len(branches)
    community_ids = {d["_id"] for d in communities}
    figures.communities_with_branch = len({b["parent_id"] for b in branches} & community_ids)
    with_terms = [d for d in active if "branch" in d]
    figures.terms = count_by(
        term_status(term_from(d["branch"].get("term")), figures.as_of, due_days).value for d in with_terms
    )
    centres = [d["youth_center"] for d in active if "youth_center" in d]
    figures.youth_centers = len(centres)
    figures.youth_centers_compliant = sum(not c["unmet"] for c in centres)
    figures.youth_centers_registered = sum(c.get("registration") is not None for c in centres)
    figures.youth_centers_by_status = count_by(c["status"] for c in centres)
    figures.unmet_requirements = count_by(r for c in centres for r in c["unmet"])


def _agreement_figures(figures: RegistryFigures, agreements: list[Document], window: MonthWindow) -> None:
    figures.agreements_active = sum(a["status"] == "active" for a in agreements)
    figures.agreements_signed_in_month = sum(
        bool(a.get("signed_on")) and window.holds_day(a["signed_on"]) for a in agreements
    )
    live = [a for a in agreements if a["status"] in ("signed", "active", "suspended")]
    figures.agreements_by_type = count_by(a["type"] for a in live)


async def monthly(ctx: RegistryContext, caller: Caller, organization_id: str, month: str) -> RegistryFigures:
    """Staff whose scope covers the organisation (or one above it) read its subtree's figures."""
    await ctx.organization(organization_id)
    await ctx.require_scope(caller, organization_id, roles=ADMIN_ROLES, field="organization_id")
    window = month_window(month, UTC)
    ids = [organization_id, *await ctx.store.descendant_ids(organization_id)]
    documents = await ctx.store.organizations(ids)
    figures = RegistryFigures(as_of=_as_of(window, ctx.today()))
    _organisation_figures(figures, documents, TERM_WINDOW_DAYS)
    agreements = await ctx.store.find_agreements({"party_ids": {"$in": ids}}, None, MAX_AGREEMENTS)
    _agreement_figures(figures, agreements, window)
    return figures
