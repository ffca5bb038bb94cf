"""The domain stays pure: no storage, bus, web or validation framework may leak into it."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "qingchun_volunteering" / "domain"
FORBIDDEN = frozenset({"pymongo", "aio_pika", "fastapi", "httpx", "pydantic", "starlette"})


def forbidden_imports(source: str, filename: str = "<string>") -> list[str]:
    """``filename:line module`` for every import of a forbidden top-level package in ``source``."""
    offenders: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        offenders += [f"{filename}:{node.lineno} {m}" for m in modules if m.split(".")[0] in FORBIDDEN]
    return offenders


def test_domain_imports_no_infrastructure() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    names = {path.name for path in files}
    assert {"errors.py", "volunteers.py", "activities.py", "signups.py"} <= names, (
        f"domain not found: {DOMAIN}"
    )
    offenders = [o for path in files for o in forbidden_imports(path.read_text("utf-8"), str(path))]
    assert offenders == [], "domain imports infrastructure:\n" + "\n".join(offenders)


def test_domain_does_not_reach_into_the_registry() -> None:
    """Services share contracts and plumbing, never each other's code."""
    for path in sorted(DOMAIN.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("qingchun_registry") for a in node.names), path
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("qingchun_registry"), path


def test_checker_catches_forbidden_imports() -> None:
    source = "\n".join(
        [
            "import os",
            "import pymongo",
            "from aio_pika import Message",
            "import fastapi.routing as r",
            "from httpx._client import Client",
            "from pydantic import BaseModel",
            "from starlette.requests import Request",
            "from . import pydantic",
            "from qingchun_plumbing.labels import LabelledEnum",
            "import pydantic_settings",
            "import json, pymongo.errors",
        ]
    )
    assert forbidden_imports(source, "bad.py") == [
        "bad.py:2 pymongo",
        "bad.py:3 aio_pika",
        "bad.py:4 fastapi.routing",
        "bad.py:5 httpx._client",
        "bad.py:6 pydantic",
        "bad.py:7 starlette.requests",
        "bad.py:11 pymongo.errors",
    ]


def test_checker_finds_nested_imports() -> None:
    source = "def f() -> None:\n    import pymongo\n"
    assert forbidden_imports(source) == ["<string>:2 pymongo"]
