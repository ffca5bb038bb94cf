"""The shared quality checks catch what they are for."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import Page
from qingchun_plumbing.testing.quality import forbidden_imports, label_problems, unpaged_lists, unsummarised


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
            "from qingchun_registry.domain import errors",
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
        "bad.py:12 qingchun_registry.domain",
    ]


def test_own_package_and_nested_imports() -> None:
    assert forbidden_imports("from qingchun_registry.domain import x", own_package="qingchun_registry") == []
    assert forbidden_imports("def f() -> None:\n    import pymongo\n") == ["<string>:2 pymongo"]


def test_label_problems_are_named() -> None:
    class Good(LabelledEnum):
        ONE = ("one", "一")
        TWO = ("two", "二")

    class Bad(LabelledEnum):
        ONE = ("one", "one")
        TWO = ("zwei", "二")
        THREE = ("three", "二")

    assert label_problems(Good) == []
    assert label_problems(Bad) == [
        "Bad.ONE: label 'one' is not Chinese",
        "Bad.TWO: code 'zwei' is not the member's name",
        "Bad: two members share a label",
    ]


def test_unpaged_lists_are_found() -> None:
    router = APIRouter()

    @router.get("/paged", response_model=Page[int])
    async def paged(cursor: str | None = None, limit: int = 20) -> Page[int]:
        return Page(items=[])

    @router.get("/unpaged", response_model=Page[int])
    async def unpaged() -> Page[int]:
        return Page(items=[])

    @router.get("/capped", response_model=Page[int])
    async def capped() -> Page[int]:
        return Page(items=[])

    @router.get("/one", response_model=int)
    async def one() -> int:
        return 1

    app = FastAPI()
    app.include_router(router)
    assert unpaged_lists(app.openapi(), bounded=["GET /capped"]) == ["GET /unpaged"]


def test_made_up_summaries_are_found() -> None:
    app = FastAPI()

    @app.get("/described", summary="Who may call, and why")
    async def described() -> int:
        return 1

    @app.get("/bare")
    async def bare_endpoint() -> int:
        return 1

    assert unsummarised(app.openapi()) == ["GET /bare"]
