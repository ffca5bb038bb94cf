"""``GET /v1/statistics/monthly``: the registry's figures of the 月报 for an organisation's subtree."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter
from pydantic import Field

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.statistics import MonthlyFiguresOut, MonthParam, OrganizationParam, Tally, tallies
from qingchun_registry.app import statistics
from qingchun_registry.domain.agreements import AgreementType
from qingchun_registry.domain.creation import CreationStage
from qingchun_registry.domain.terms import TermStatus
from qingchun_registry.domain.youth_centers import CenterStatus, Requirement
from qingchun_registry.ports.api import Ctx

router = APIRouter(prefix="/v1", tags=["statistics"])


class RegistryMonthlyOut(MonthlyFiguresOut):
    as_of: date = Field(description="统计截止日 — the day stages and terms are judged on.")
    communities: int = Field(description="社区数 — active communities.")
    communities_by_stage: list[Tally] = Field(description="创建进度 — communities by creation stage.")
    branches: int = Field(description="团支部/团总支数")
    communities_with_branch: int = Field(description="已建团支部的社区数")
    terms_by_status: list[Tally] = Field(
        description="换届情况 — terms of branches (due soon: within 90 days)."
    )
    youth_centers: int = Field(description="青年中心数")
    youth_centers_compliant: int = Field(description="达标青年中心数 (五个一)")
    youth_centers_registered: int = Field(description="民政登记青年中心数")
    youth_centers_by_status: list[Tally]
    unmet_requirements: list[Tally] = Field(description="未达标要求 — centres missing each requirement.")
    agreements_active: int = Field(description="履行中的共建/结对协议")
    agreements_signed_in_month: int = Field(description="本月签订协议数")
    agreements_by_type: list[Tally]


@router.get(
    "/statistics/monthly",
    response_model=RegistryMonthlyOut,
    summary="月报 figures of an organisation and everything below it (staff over it)",
)
async def monthly_statistics(
    caller: CurrentCaller, ctx: Ctx, organization_id: OrganizationParam, month: MonthParam
) -> RegistryMonthlyOut:
    figures = await statistics.monthly(ctx, caller, organization_id, month)
    return RegistryMonthlyOut(
        organization_id=organization_id,
        month=month,
        generated_at=datetime.now(UTC),
        as_of=figures.as_of,
        communities=figures.communities,
        communities_by_stage=tallies(figures.communities_by_stage, CreationStage),
        branches=figures.branches,
        communities_with_branch=figures.communities_with_branch,
        terms_by_status=tallies(figures.terms, TermStatus),
        youth_centers=figures.youth_centers,
        youth_centers_compliant=figures.youth_centers_compliant,
        youth_centers_registered=figures.youth_centers_registered,
        youth_centers_by_status=tallies(figures.youth_centers_by_status, CenterStatus),
        unmet_requirements=tallies(figures.unmet_requirements, Requirement),
        agreements_active=figures.agreements_active,
        agreements_signed_in_month=figures.agreements_signed_in_month,
        agreements_by_type=tallies(figures.agreements_by_type, AgreementType, zeros=False),
    )
