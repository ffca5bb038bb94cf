"""Registration refuses precisely: an internal or unknown event type, a filter outside the admin's
scope or not a district, a webhook on a private address or without HTTPS (production setting), and
anyone but a city admin. What it answers once (credentials) is never shown again."""

from __future__ import annotations

import dataclasses

import pytest

from partners_harness import Stack
from qingchun_contracts.volunteering import ActivityPublished, HoursVerified

PUBLISHED = ActivityPublished.event_type


@pytest.mark.parametrize(
    ("event_types", "code", "field"),
    [
        ([PUBLISHED, HoursVerified.event_type], "internal_event_type", "event_types.1"),
        (["qingchun.volunteering.activity.imagined.v1"], "unknown_event_type", "event_types.0"),
        ([], None, "event_types"),
    ],
    ids=["internal", "unknown", "none"],
)
async def test_only_partner_audience_event_types_may_be_asked_for(
    stack: Stack, event_types: list[str], code: str | None, field: str
) -> None:
    refused = await stack.register({"name": "灵武市总工会", "event_types": event_types}, expect=422)
    assert refused["field"] == field
    if code is not None:
        assert refused["code"] == code


async def test_filters_must_lie_inside_the_admins_scope_and_name_a_district(stack: Stack) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    elsewhere = await stack.org("孝感团市委", "league_city_committee", None, area={"city": "孝感市"})
    body = {"name": "灵武市总工会", "event_types": [PUBLISHED]}
    outside = await stack.register(body | {"filters": {"organization_ids": [community, elsewhere]}}, 403)
    assert (outside["code"], outside["field"]) == ("out_of_scope", "filters.organization_ids.1")
    not_district = await stack.register(body | {"filters": {"district_id": community}}, 422)
    assert (not_district["code"], not_district["field"]) == ("not_a_district", "filters.district_id")
    unknown = await stack.register(body | {"filters": {"organization_ids": ["org_nothing"]}}, 422)
    assert (unknown["code"], unknown["field"]) == ("unknown_organization", "filters.organization_ids.0")
    district = stack.street_ids["城区街道团工委"]
    registered = await stack.register(body | {"filters": {"district_id": district}})
    assert registered["partner"]["roots"] == [district]


async def test_only_a_city_admin_registers(stack: Stack) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    body = {"name": "灵武市总工会", "event_types": [PUBLISHED], "filters": {"organization_ids": [community]}}
    for headers in (stack.staff(community), stack.isolation.headers("partner", scope=[community])):
        refused = await stack.partners.post("/v1/partners", json=body, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (403, "role_required")
    anonymous = await stack.partners.post("/v1/partners", json=body)
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://127.0.0.1/hook", "webhook_private_address"),
        ("https://10.1.2.3/hook", "webhook_private_address"),
        ("https://169.254.169.254/latest", "webhook_private_address"),
        ("https://[::1]/hook", "webhook_private_address"),
        ("https://localhost/hook", "webhook_private_address"),
        ("http://203.0.113.7/hook", "webhook_https_required"),
        ("ftp://203.0.113.7/hook", "webhook_url_invalid"),
        ("https://user:pw@203.0.113.7/hook", "webhook_url_invalid"),
    ],
)
async def test_production_refuses_private_and_plain_http_webhooks_before_calling_them(
    stack: Stack, url: str, code: str
) -> None:
    production = stack.context.settings.model_copy(update={"allow_private_webhook_hosts": False})
    stack.app.state.partners = dataclasses.replace(stack.context, settings=production)
    body = {"name": "灵武市民政局", "event_types": [PUBLISHED], "delivery": ["webhook"], "webhook_url": url}
    refused = await stack.register(body, expect=422)
    assert (refused["code"], refused["field"]) == (code, "webhook_url")


async def test_credentials_are_answered_once_and_a_partner_is_listed_in_pages(stack: Stack) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    body = {"name": "灵武市总工会", "event_types": [PUBLISHED], "filters": {"organization_ids": [community]}}
    first = await stack.register(body)
    second = await stack.register(body | {"name": "灵武市图书馆"})
    password = first["credentials"]["amqp"]["password"]
    page = await stack.partners.get("/v1/partners", params={"limit": 1}, headers=stack.admin())
    assert [p["id"] for p in page.json()["items"]] == [first["partner"]["id"]]
    rest = await stack.partners.get(
        "/v1/partners", params={"limit": 1, "cursor": page.json()["next_cursor"]}, headers=stack.admin()
    )
    assert [p["id"] for p in rest.json()["items"]] == [second["partner"]["id"]]
    one = await stack.partners.get(f"/v1/partners/{first['partner']['id']}", headers=stack.admin())
    assert password not in one.text
    assert "password" not in one.json()
    assert one.json()["amqp"]["queue"] == first["credentials"]["amqp"]["queue"]
    foreign = stack.isolation.headers("city_admin", scope=["org_somewhere_else"])
    hidden = await stack.partners.get(f"/v1/partners/{first['partner']['id']}", headers=foreign)
    assert (hidden.status_code, hidden.json()["code"]) == (403, "out_of_scope")
