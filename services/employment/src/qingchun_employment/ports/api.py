"""What every employment router shares: the context dependency and the paging parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from qingchun_employment.app.context import EmploymentContext
from qingchun_plumbing.pagination import MAX_LIMIT


def employment_context(request: Request) -> EmploymentContext:
    context: EmploymentContext = request.app.state.employment
    return context


Ctx = Annotated[EmploymentContext, Depends(employment_context)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=200)]
