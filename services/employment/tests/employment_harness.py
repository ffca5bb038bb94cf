"""The registry and employment running side by side on one isolated bus, as in production.

Education is not started: tests that need its facts (certificates, care cases) publish its events
on the real bus (``Stack.publish``), exactly as the education service would, duplicates included.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_contracts.base import EventData
from qingchun_contracts.education import CertificateIssued
from qingchun_employment.app.context import EmploymentContext
from qingchun_plumbing.mongo import Database
from qingchun_plumbing.testing.stack import ServiceStack


class Stack(ServiceStack):
    @property
    def employment(self) -> httpx.AsyncClient:
        return self.service

    @property
    def employment_app(self) -> FastAPI:
        return self.app

    @property
    def context(self) -> EmploymentContext:
        context: EmploymentContext = self.app.state.employment
        return context

    async def community(self, name: str = "文昌阁社区", street: str = "新华街道团工委") -> str:
        """A community under 新华街道团工委 (made once); returns the community's id."""
        return await super().community(name, street)

    async def employer(self, name: str = "孝感市金龙纺织有限公司", parent_id: str | None = None) -> str:
        """An enterprise under the city (or ``parent_id``)."""
        return await self.org(name, "enterprise", parent_id or self.city_id)

    async def publish(self, data: EventData, source: str = "/qingchun/education") -> Envelope:
        return await super().publish(data, source)


# helpers the matching tests share ----------------------------------------------------------
_phones = itertools.count(13800000001)


def db(stack: Stack) -> Database:
    database: Database = stack.employment_app.state.runtime.db
    return database


async def register(stack: Stack, subject: str, community: str, **changes: Any) -> str:
    body = {
        "real_name": "王小梅",
        "phone": str(next(_phones)),
        "birth_year": 2001,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "graduate",
        "skills": ["sewing"],
    } | changes
    response = await stack.employment.post("/v1/seekers", json=body, headers=stack.person(subject))
    assert response.status_code == 201, response.text
    seeker_id: str = response.json()["id"]
    return seeker_id


async def posting(stack: Stack, employer: str, place: str, publish: bool = True, **changes: Any) -> str:
    body = {
        "employer_organization_id": employer,
        "title": "纺织车间操作工",
        "category": "manufacturing",
        "kind": "full_time",
        "headcount": 2,
        "skills": ["sewing"],
        "requirements": "身体健康，能适应倒班",
        "place_organization_id": place,
        "origin_community_id": place,
    } | changes
    created = await stack.employment.post("/v1/postings", json=body, headers=stack.admin())
    assert created.status_code == 201, created.text
    posting_id: str = created.json()["id"]
    for step in ("submit", "publish") if publish else ():
        moved = await stack.employment.post(f"/v1/postings/{posting_id}:{step}", headers=stack.admin())
        assert moved.status_code == 200, moved.text
    return posting_id


async def certified(stack: Stack, seeker_id: str, skill: str, within: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while skill not in ((await db(stack)["seekers"].find_one({"_id": seeker_id})) or {}).get("skills", []):
        assert asyncio.get_running_loop().time() < deadline, "the certificate never reached the seeker"
        await asyncio.sleep(0.05)


def certificate(subject: str, issuer: str, number: str, category: str) -> CertificateIssued:
    """Education's event for a course certificate of ``category`` issued to ``subject``."""
    return CertificateIssued(
        certificate_number=number,
        enrolment_id=f"enr_{number}",
        course_id=f"crs_{number}",
        learner_id=f"lrn_{number}",
        issuer_organization_id=issuer,
        verification_url=f"https://example.org/v/{number}",
        subject_id=subject,
        category=category,
    )
