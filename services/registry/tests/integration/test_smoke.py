from __future__ import annotations

from typing import Any

from qingchun_plumbing.testing.fixtures import EventTap

from registry_harness import Registry


async def test_registering_publishes_and_inherits_area(registry: Registry, city: dict[str, Any],
                                                      event_tap: EventTap) -> None:
    district = await registry.create("孝南团区委", "league_district_committee", city["id"],
                                     area={"district": "孝南区"})
    assert district["area"] == {"city": "孝感市", "district": "孝南区", "street": None, "community": None}
    event = await event_tap.wait_for("qingchun.registry.organization.registered.v1",
                                     lambda e: e.subject == district["id"])
    assert event.data["name"] == "孝南团区委"
    assert event.data["area"]["district"] == "孝南区"
