"""What every education router shares: the context dependency and the paging parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from qingchun_education.app.context import EducationContext
from qingchun_plumbing.pagination import MAX_LIMIT


def education_context(request: Request) -> EducationContext:
    context: EducationContext = request.app.state.education
    return context


Ctx = Annotated[EducationContext, Depends(education_context)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=200)]
