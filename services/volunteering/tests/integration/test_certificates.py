"""Certificates on the real store: issue, public verification, revocation, tampering, key survival,
and who may do what."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from qingchun_plumbing.mongo import Database, connect, database, new_id
from qingchun_plumbing.signing import PublicKey, generate_signing_key, signature_holds
from qingchun_plumbing.signing_keys import SIGNING_KEYS
from qingchun_plumbing.testing.fixtures import serve
from qingchun_volunteering.adapters.certificates import CERTIFICATES
from qingchun_volunteering.adapters.hours import HOUR_ENTRIES
from qingchun_volunteering.domain.certificates import certificate_number
from qingchun_volunteering.service import create_app
from qingchun_volunteering.settings import VolunteeringSettings
from volunteering_harness import Stack

PERIOD = {"period_from": "2025-01-01", "period_to": "2025-12-31"}


@contextlib.asynccontextmanager
async def service_db(stack: Stack) -> AsyncIterator[Database]:
    """The volunteering database itself, to plant hour entries (their API is another package's)
    and to tamper with stored certificates."""
    client = connect(stack.isolation.components.mongo_url)
    try:
        yield database(client, stack.isolation.prefix, "volunteering")
    finally:
        await client.close()


async def plant_hours(
    db: Database,
    volunteer_id: str,
    host_id: str,
    served: list[tuple[str, str, int]],
    status: str = "verified",
) -> None:
    await db[HOUR_ENTRIES].insert_many(
        [
            {
                "_id": new_id("hrs"),
                "volunteer_id": volunteer_id,
                "host_organization_id": host_id,
                "activity_id": None,
                "activity_title": title,
                "served_on": served_on,
                "credited_minutes": minutes,
                "method": "organizer",
                "status": status,
            }
            for title, served_on, minutes in served
        ]
    )


class World:
    def __init__(self, stack: Stack, street: str, community: str, other: str) -> None:
        self.stack, self.street, self.community, self.other = stack, street, community, other

    def staff(self, org_id: str | None = None, subject: str = "staff1") -> dict[str, str]:
        return self.stack.isolation.headers(
            "community_staff", scope=[org_id or self.community], subject=subject
        )

    async def issue(self, holder_id: str, headers: dict[str, str] | None = None, /, **body: Any) -> Any:
        payload = {"volunteer_id": holder_id, "issuer_organization_id": self.community} | PERIOD | body
        return await self.stack.volunteering.post(
            "/v1/certificates", json=payload, headers=headers or self.staff()
        )


@pytest.fixture
async def world(stack: Stack) -> World:
    street = await stack.org(
        "城区街道团工委",
        "league_working_committee",
        stack.city_id,
        area={"district": "灵武市", "street": "城区街道"},
    )
    community = await stack.org("育才街社区", "community", street)
    other = await stack.org("朝阳社区", "community", street)
    return World(stack, street, community, other)


async def served_volunteer(world: World, subject: str = "v1", **fields: Any) -> dict[str, Any]:
    volunteer = await world.stack.volunteer(subject, display_name="欧阳娜娜", phone="13800000000", **fields)
    async with service_db(world.stack) as db:
        await plant_hours(
            db,
            volunteer["id"],
            world.community,
            [("七彩假期·课业辅导", "2025-07-10", 180), ("垃圾分类宣传", "2025-03-05", 90)],
        )
        await plant_hours(db, volunteer["id"], world.community, [("未核实", "2025-04-01", 600)], "pending")
        await plant_hours(db, volunteer["id"], world.community, [("驳回", "2025-04-02", 600)], "rejected")
        await plant_hours(db, volunteer["id"], world.community, [("上一年", "2024-12-31", 600)])
        await plant_hours(db, volunteer["id"], world.other, [("别的社区", "2025-05-01", 600)])
    return volunteer


def assert_public(body: dict[str, Any], volunteer: dict[str, Any]) -> None:
    text = json.dumps(body, ensure_ascii=False)
    for secret in (volunteer["id"], "欧阳娜娜", "13800000000", "1998-05-04", "课业辅导"):
        assert secret not in text, secret


async def test_issue_verify_revoke_verify(world: World) -> None:
    stack = world.stack
    volunteer = await served_volunteer(world)
    issued = await world.issue(volunteer["id"])
    assert issued.status_code == 201, issued.text
    certificate = issued.json()
    number = certificate["number"]
    assert certificate["valid"] is True
    assert (certificate["total_minutes"], certificate["total_hours"], certificate["entry_count"]) == (
        270,
        "4.5",
        2,
    )
    assert certificate["holder_name"] == "欧阳娜娜"
    assert [line["title"] for line in certificate["activities"]] == ["垃圾分类宣传", "七彩假期·课业辅导"]
    assert certificate["issuer_name"] == "育才街社区"
    assert certificate["star_level_label"] == "未评星"
    assert certificate["verification_url"] == f"http://127.0.0.1:8102/v1/certificates/{number}/verification"

    public = await stack.volunteering.get(f"/v1/certificates/{number}/verification")  # no token
    assert public.status_code == 200, public.text
    view = public.json()
    assert (view["valid"], view["signature_valid"], view["status"]) == (True, True, "valid")
    assert (view["holder_name_masked"], view["total_hours"], view["issuer_name"]) == (
        "欧阳**",
        "4.5",
        "育才街社区",
    )
    assert (view["period_from"], view["period_to"]) == ("2025-01-01", "2025-12-31")
    assert_public(view, volunteer)

    keys = (await stack.volunteering.get("/v1/certificates/signing-keys")).json()["items"]
    assert [k["kid"] for k in keys] == [view["kid"]]
    assert keys[0]["current"] is True
    offline = PublicKey(keys[0]["kid"], base64.b64decode(keys[0]["public_key_base64"]))
    assert signature_holds(offline, view["attestation"], view["signature"])

    revoked = await stack.volunteering.post(
        f"/v1/certificates/{number}:revoke",
        json={"reason": "data_error", "note": "时长录入有误"},
        headers=world.staff(),
    )
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["valid"]) == ("revoked", False)

    after = (await stack.volunteering.get(f"/v1/certificates/{number}/verification")).json()
    assert (after["valid"], after["signature_valid"], after["status"]) == (False, True, "revoked")
    assert (after["revoke_reason"], after["revoke_reason_label"]) == ("data_error", "信息有误")
    assert after["revoked_at"] is not None
    assert "时长录入有误" not in json.dumps(after, ensure_ascii=False)

    again = await stack.volunteering.post(
        f"/v1/certificates/{number}:revoke", json={"reason": "other"}, headers=world.staff()
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_revoked")


async def test_tampering_with_the_stored_certificate_shows_as_invalid(world: World) -> None:
    stack = world.stack
    volunteer = await served_volunteer(world)
    first = (await world.issue(volunteer["id"])).json()["number"]
    second = (await world.issue(volunteer["id"])).json()["number"]
    async with service_db(stack) as db:
        await db[CERTIFICATES].update_one({"number": first}, {"$set": {"attestation.total_minutes": 60000}})
        await db[CERTIFICATES].update_one({"number": second}, {"$set": {"record.activities.0.minutes": 6000}})
    for number in (first, second):
        view = (await stack.volunteering.get(f"/v1/certificates/{number}/verification")).json()
        assert (view["valid"], view["signature_valid"], view["status"]) == (False, False, "valid")
    full = await stack.volunteering.get(f"/v1/certificates/{second}", headers=world.staff())
    assert full.json()["valid"] is False


async def test_the_signing_key_survives_a_restart_and_a_rotation(world: World) -> None:
    stack = world.stack
    volunteer = await served_volunteer(world)
    before = (await world.issue(volunteer["id"])).json()
    settings = stack.isolation.settings(VolunteeringSettings, "volunteering")
    async with serve(create_app(settings)) as restarted:
        view = (await restarted.get(f"/v1/certificates/{before['number']}/verification")).json()
        assert view["valid"] is True
        issued = await restarted.post(
            "/v1/certificates",
            json={"volunteer_id": volunteer["id"], "issuer_organization_id": world.community} | PERIOD,
            headers=world.staff(),
        )
        assert issued.json()["kid"] == before["kid"]

    configured = generate_signing_key()
    rotated = stack.isolation.settings(
        VolunteeringSettings, "volunteering", certificate_signing_key=configured.pem
    )
    async with serve(create_app(rotated)) as after_rotation:
        issued = await after_rotation.post(
            "/v1/certificates",
            json={"volunteer_id": volunteer["id"], "issuer_organization_id": world.community} | PERIOD,
            headers=world.staff(),
        )
        assert issued.status_code == 201, issued.text
        assert issued.json()["kid"] == configured.public.kid != before["kid"]
        old = (await after_rotation.get(f"/v1/certificates/{before['number']}/verification")).json()
        assert old["valid"] is True
        keys = (await after_rotation.get("/v1/certificates/signing-keys")).json()["items"]
        assert {k["kid"]: k["current"] for k in keys} == {before["kid"]: False, configured.public.kid: True}
        assert all("PRIVATE" not in json.dumps(k) for k in keys)


async def test_no_verified_hours_is_refused_and_writes_nothing(world: World) -> None:
    volunteer = await served_volunteer(world)
    for period_from, period_to in (
        ("2025-04-01", "2025-04-02"),  # only a pending and a rejected entry
        ("2023-01-01", "2023-12-31"),  # nothing at all
        ("2025-05-01", "2025-05-01"),  # served, but hosted by 朝阳社区: not 育才街's to certify
    ):
        refused = await world.issue(volunteer["id"], period_from=period_from, period_to=period_to)
        assert refused.status_code == 422, refused.text
        assert (refused.json()["code"], refused.json()["field"]) == ("no_verified_hours", "period_from")
    async with service_db(world.stack) as db:
        assert await db[CERTIFICATES].count_documents({}) == 0


async def test_an_organisation_certifies_what_was_served_under_it(world: World) -> None:
    volunteer = await served_volunteer(world)
    by_street = await world.issue(
        volunteer["id"], world.staff(world.street), issuer_organization_id=world.street
    )
    assert by_street.status_code == 201, by_street.text
    assert (by_street.json()["total_minutes"], by_street.json()["entry_count"]) == (870, 3)


async def test_a_first_refusal_does_not_even_create_a_key(world: World) -> None:
    volunteer = await world.stack.volunteer("nobody")
    refused = await world.issue(volunteer["id"])
    assert refused.json()["code"] == "no_verified_hours"
    async with service_db(world.stack) as db:
        assert await db[SIGNING_KEYS].count_documents({}) == 0
        assert await db[CERTIFICATES].count_documents({}) == 0


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"period_from": "2025-12-31", "period_to": "2025-01-01"}, "period_reversed", "period_from"),
        ({"period_to": "2999-01-01"}, "period_in_future", "period_to"),
        ({"volunteer_id": "vol_000000000000000000000000"}, "not_found", "volunteer_id"),
        ({"volunteer_id": "someone"}, "invalid_input", "volunteer_id"),
        (
            {"issuer_organization_id": "org_000000000000000000000000"},
            "unknown_organization",
            "issuer_organization_id",
        ),
        ({"period_from": "yesterday"}, "invalid_input", "period_from"),
        ({"extra": 1}, "invalid_input", "extra"),
    ],
)
async def test_bad_issue_input_is_refused_precisely(
    world: World, body: dict[str, Any], code: str, field: str
) -> None:
    volunteer = await served_volunteer(world)
    refused = await world.issue(volunteer["id"], world.stack.admin(), **body)
    assert refused.status_code in (404, 422), refused.text
    assert (refused.json()["code"], refused.json()["field"]) == (code, field)
    async with service_db(world.stack) as db:
        assert await db[CERTIFICATES].count_documents({}) == 0


async def test_numbers_malformed_mistyped_and_unknown(world: World) -> None:
    stack = world.stack
    volunteer = await served_volunteer(world)
    number = (await world.issue(volunteer["id"])).json()["number"]
    typo = number[:-1] + ("A" if number[-1] != "A" else "B")
    unknown = certificate_number(2025, 0)
    cases = [
        ("not-a-number", 422, "certificate_number_malformed"),
        ("QC-2025-" + "A" * 60, 422, "invalid_input"),
        (typo, 422, "certificate_number_mistyped"),
        (unknown, 404, "unknown_certificate"),
    ]
    for typed, status, code in cases:
        response = await stack.volunteering.get(f"/v1/certificates/{typed}/verification")
        assert (response.status_code, response.json()["code"]) == (status, code), typed
    lower = await stack.volunteering.get(f"/v1/certificates/{number.lower().replace('-', '')}/verification")
    assert lower.json()["number"] == number


async def test_who_may_issue_revoke_and_read(world: World) -> None:
    stack = world.stack
    minor = await served_volunteer(world, "kid", born="2011-03-01", guardian_subject_id="parent")
    number = (await world.issue(minor["id"])).json()["number"]
    anonymous: dict[str, str] = {}
    stranger = stack.person("stranger")
    out_of_scope = world.staff(world.other, subject="staff2")
    revoke = {"reason": "duplicate"}

    async def status(method: str, path: str, headers: dict[str, str], body: Any = None) -> tuple[int, str]:
        response = await stack.volunteering.request(method, path, headers=headers, json=body)
        return response.status_code, response.json().get("code", "") if response.status_code >= 400 else ""

    issue = {"volunteer_id": minor["id"], "issuer_organization_id": world.community} | PERIOD
    assert await status("POST", "/v1/certificates", anonymous, issue) == (401, "token_missing")
    assert await status("POST", "/v1/certificates", stack.person("kid"), issue) == (403, "role_required")
    assert await status("POST", "/v1/certificates", out_of_scope, issue) == (403, "out_of_scope")
    revoke_path = f"/v1/certificates/{number}:revoke"
    assert await status("POST", revoke_path, anonymous, revoke) == (401, "token_missing")
    assert await status("POST", revoke_path, stack.person("kid"), revoke) == (403, "role_required")
    assert await status("POST", revoke_path, out_of_scope, revoke) == (403, "out_of_scope")

    full = f"/v1/certificates/{number}"
    assert await status("GET", full, anonymous) == (401, "token_missing")
    assert await status("GET", full, stranger) == (403, "not_visible")
    assert await status("GET", full, out_of_scope) == (403, "not_visible")
    for allowed in (stack.person("kid"), stack.person("parent", "guardian"), world.staff(), stack.admin()):
        response = await stack.volunteering.get(full, headers=allowed)
        assert response.status_code == 200, response.text
        assert response.json()["holder_name"] == "欧阳娜娜"

    listing = f"/v1/certificates?volunteer_id={minor['id']}"
    assert await status("GET", listing, stranger) == (403, "role_required")
    assert (await stack.volunteering.get(listing, headers=out_of_scope)).json()["items"] == []
    for allowed in (stack.person("kid"), stack.person("parent", "guardian"), world.staff(world.street)):
        items = (await stack.volunteering.get(listing, headers=allowed)).json()["items"]
        assert [c["number"] for c in items] == [number]

    batch = f"/v1/certificates?ids={number},{certificate_number(2025, 0)}"
    assert (await stack.volunteering.get(batch, headers=stranger)).json()["items"] == []
    seen = (await stack.volunteering.get(batch, headers=stack.person("parent", "guardian"))).json()["items"]
    assert [c["number"] for c in seen] == [number]
    public = (await stack.volunteering.get(f"/v1/certificates/{number}/verification")).json()
    assert public["holder_name_masked"] == "欧阳**"
    assert_public(public, minor)
    assert "2011-03-01" not in json.dumps(public)
    assert "parent" not in json.dumps(public)

    assert await status("POST", revoke_path, world.staff(world.street), revoke) == (200, "")


async def test_lists_page_and_batch(world: World) -> None:
    stack = world.stack
    volunteer = await served_volunteer(world)
    numbers = [(await world.issue(volunteer["id"])).json()["number"] for _ in range(3)]
    first = (
        await stack.volunteering.get(
            "/v1/certificates", params={"volunteer_id": volunteer["id"], "limit": 2}, headers=world.staff()
        )
    ).json()
    assert [c["number"] for c in first["items"]] == numbers[:2]
    rest = (
        await stack.volunteering.get(
            "/v1/certificates",
            params={"volunteer_id": volunteer["id"], "cursor": first["next_cursor"]},
            headers=world.staff(),
        )
    ).json()
    assert ([c["number"] for c in rest["items"]], rest["next_cursor"]) == (numbers[2:], None)

    ids = ",".join(reversed(numbers))
    batch = (await stack.volunteering.get(f"/v1/certificates?ids={ids}", headers=world.staff())).json()
    assert [c["number"] for c in batch["items"]] == list(reversed(numbers))
    hidden = (await stack.volunteering.get(f"/v1/certificates?ids={ids}", headers=stack.person("x"))).json()
    assert hidden["items"] == []
    malformed = await stack.volunteering.get("/v1/certificates?ids=nonsense", headers=world.staff())
    assert (malformed.status_code, malformed.json()["field"]) == (422, "ids")
    missing = await stack.volunteering.get("/v1/certificates", headers=world.staff())
    assert (missing.status_code, missing.json()["field"]) == (422, "volunteer_id")
