"""RFC 9457 problem details: every error a service returns, with a stable code and field."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from qingchun_plumbing.rules import DomainError, InvalidTransition

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("qingchun.problems")


class Problem(Exception):
    """An error the caller can act on; rendered as problem+json."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code is not None:
            self.code = code

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://qingchun.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
        }
        if self.field is not None:
            body["field"] = self.field
        return body


class InvalidInput(Problem):
    status, code, title = 422, "invalid_input", "Invalid input"


class NotFound(Problem):
    status, code, title = 404, "not_found", "Not found"


class Conflict(Problem):
    status, code, title = 409, "conflict", "Conflict"


class StaleWrite(Conflict):
    """The document changed between read and write (optimistic concurrency): re-read and retry."""

    code = "concurrent_update"


class Unauthorized(Problem):
    status, code, title = 401, "unauthenticated", "Authentication required"


class Forbidden(Problem):
    status, code, title = 403, "forbidden", "Forbidden"


def _location(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_problem(errors: list[Any]) -> JSONResponse:
    # Only field, reason and error type: never the input, which may be personal data.
    fields = [
        {"field": _location(tuple(e.get("loc", ()))), "reason": e.get("msg", ""), "code": e.get("type", "")}
        for e in errors
    ]
    first = fields[0] if fields else {"field": "body", "reason": "invalid"}
    problem = InvalidInput(f"{first['field']}: {first['reason']}", field=first["field"])
    body = problem.body() | {"errors": fields}
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON)


def domain_problem(error: DomainError) -> Problem:
    """Broken rules become 422 (bad input) or 409 (not allowed in the current state)."""
    if isinstance(error, InvalidTransition):
        return Conflict(error.message, field=error.field, code=error.code)
    return InvalidInput(error.message, field=error.field, code=error.code)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error, expected or not, a problem+json response without a traceback."""

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, media_type=PROBLEM_JSON)

    @app.exception_handler(DomainError)
    async def _rule_broken(_: Request, exc: DomainError) -> JSONResponse:
        problem = domain_problem(exc)
        return JSONResponse(problem.body(), status_code=problem.status, media_type=PROBLEM_JSON)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(list(exc.errors()))

    @app.exception_handler(ValidationError)
    async def _model_invalid(_: Request, exc: ValidationError) -> JSONResponse:
        return _validation_problem(list(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        body = {
            "type": "about:blank",
            "title": str(exc.detail),
            "status": exc.status_code,
            "code": code,
            "detail": str(exc.detail),
        }
        return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM_JSON)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.error("unhandled error", extra={"path": request.url.path, "error_type": type(exc).__name__})
        body = {
            "type": "about:blank",
            "title": "Internal error",
            "status": 500,
            "code": "internal",
            "detail": "The service failed; the request was not applied. Quote the correlation id.",
        }
        return JSONResponse(body, status_code=500, media_type=PROBLEM_JSON)
