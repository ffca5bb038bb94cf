"""Checks every service runs on its own code: the domain stays pure, and every code has a label."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qingchun_plumbing.labels import LabelledEnum

# Storage, bus, web and validation frameworks, and other services' code, stay out of a domain.
FORBIDDEN_IN_DOMAIN = frozenset(
    {
        "pymongo",
        "aio_pika",
        "fastapi",
        "httpx",
        "pydantic",
        "starlette",
        "qingchun_registry",
        "qingchun_volunteering",
        "qingchun_education",
        "qingchun_employment",
        "qingchun_gateway",
    }
)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def forbidden_imports(
    source: str,
    filename: str = "<string>",
    forbidden: Iterable[str] = FORBIDDEN_IN_DOMAIN,
    own_package: str | None = None,
) -> list[str]:
    """``filename:line module`` for every import of a forbidden top-level package in ``source``."""
    banned = set(forbidden) - {own_package}
    offenders: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        offenders += [f"{filename}:{node.lineno} {m}" for m in modules if m.split(".")[0] in banned]
    return offenders


def domain_offenders(domain: Path) -> list[str]:
    """Forbidden imports anywhere in a service's ``domain`` package (its own package is allowed)."""
    files = sorted(domain.rglob("*.py"))
    if not files:
        raise FileNotFoundError(f"no domain package at {domain}")
    own = domain.parent.name
    return [
        o for path in files for o in forbidden_imports(path.read_text("utf-8"), str(path), own_package=own)
    ]


def label_problems(enum: type[LabelledEnum]) -> list[str]:
    """Why an enum would show staff an English code: a member without a Chinese label, or two alike."""
    problems = [
        f"{enum.__name__}.{m.name}: label {m.label!r} is not Chinese"
        for m in enum
        if not _HAN.search(m.label) or m.label == m.value
    ]
    problems += [
        f"{enum.__name__}.{m.name}: code {m.value!r} is not the member's name"
        for m in enum
        if m.value != m.name.lower()
    ]
    if len(set(enum.labels().values())) != len(enum):
        problems.append(f"{enum.__name__}: two members share a label")
    return problems


def unpaged_lists(openapi: dict[str, Any], bounded: Iterable[str] = ()) -> list[str]:
    """``GET /path`` for every operation answering a ``Page`` without ``cursor`` and ``limit``.

    Every list is paginated (DESIGN.md §6); ``bounded`` names the few lists whose size a rule
    caps (e.g. an activity's ≤ 50 shifts), which may answer one page without a cursor.
    """
    exempt = set(bounded)
    offenders = []
    for path, operations in openapi["paths"].items():
        get = operations.get("get")
        if get is None or f"GET {path}" in exempt:
            continue
        content = get.get("responses", {}).get("200", {}).get("content", {})
        reference = content.get("application/json", {}).get("schema", {}).get("$ref", "")
        if not reference.rsplit("/", 1)[-1].startswith("Page"):
            continue
        parameters = {p["name"] for p in get.get("parameters", [])}
        if not {"cursor", "limit"} <= parameters:
            offenders.append(f"GET {path}")
    return offenders


def unsummarised(openapi: dict[str, Any]) -> list[str]:
    """``METHOD /path`` for every operation whose summary FastAPI made up from the function's name.

    The OpenAPI page is what a front-end team reads first; a summary says who may call and why.
    """
    offenders = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            made_up = operation.get("summary", "").lower().replace(" ", "_")
            if operation.get("operationId", "").startswith(f"{made_up}_"):
                offenders.append(f"{method.upper()} {path}")
    return offenders
