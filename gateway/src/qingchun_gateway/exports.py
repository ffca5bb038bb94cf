"""Spreadsheet exports (.xlsx, Chinese headers): ``GET /exports/monthly-report.xlsx`` (an
organisation's month from all four services) and ``GET /exports/activities.xlsx`` (the month's
activity ledger, 活动台账). The same bearer token as the graph: the gateway verifies it, then each
service checks it again and counts only what the caller may see. Errors are problem+json.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from qingchun_gateway.reports.gather import gather
from qingchun_gateway.reports.xlsx import ledger_workbook, report_workbook
from qingchun_gateway.services import ServiceClient, ServiceError, ServicePool
from qingchun_plumbing.auth import TokenVerifier, bearer_token
from qingchun_plumbing.months import MONTH_PATTERN
from qingchun_plumbing.problems import PROBLEM_JSON, Problem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEDGER_PAGE = 200
OrganizationId = Annotated[str, Query(alias="organizationId", max_length=40)]
Month = Annotated[str, Query(pattern=MONTH_PATTERN)]


def _problem(status: int, code: str, detail: str, field: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://qingchun.dev/problems/{code}",
        "title": detail,
        "status": status,
        "code": code,
        "detail": detail,
    }
    if field:
        body["field"] = field
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _spreadsheet(content: bytes, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


async def _ledger(volunteering: ServiceClient, organization_id: str, month: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"organization_id": organization_id, "month": month, "cursor": cursor, "limit": LEDGER_PAGE}
        page = await volunteering.get("/v1/statistics/monthly/activities", params)
        rows += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return rows


def exports_router(pool: ServicePool, verifier: TokenVerifier) -> APIRouter:
    router = APIRouter(prefix="/exports", tags=["exports"])

    async def answer(
        request: Request, make: Callable[[dict[str, ServiceClient]], Awaitable[Response]]
    ) -> Response:
        """Verify the caller first, then build; a refusal keeps the service's code and field."""
        try:
            verifier.verify(bearer_token(request))
            return await make(pool.for_caller(request.headers.get("Authorization")))
        except Problem as problem:
            return _problem(problem.status, problem.code, problem.detail, problem.field)
        except ServiceError as error:
            ext = error.extensions or {}
            return _problem(
                int(ext.get("status", 502)), str(ext.get("code")), error.message, ext.get("field")
            )

    @router.get("/monthly-report.xlsx", summary="月报 of an organisation and month as a spreadsheet")
    async def monthly_report(request: Request, organization_id: OrganizationId, month: Month) -> Response:
        async def make(services: dict[str, ServiceClient]) -> Response:
            figures = await gather(services, organization_id, month)
            return _spreadsheet(report_workbook(f"月报 {month}", figures), f"月报-{month}.xlsx")

        return await answer(request, make)

    @router.get("/activities.xlsx", summary="活动台账: the month's activities as a spreadsheet")
    async def activities(request: Request, organization_id: OrganizationId, month: Month) -> Response:
        async def make(services: dict[str, ServiceClient]) -> Response:
            rows = await _ledger(services["volunteering"], organization_id, month)
            return _spreadsheet(ledger_workbook(f"活动台账 {month}", rows), f"活动台账-{month}.xlsx")

        return await answer(request, make)

    return router
