"""The service starts on the real store and bus and learns organisations from the registry."""

from __future__ import annotations

from education_harness import Stack


async def test_education_hears_of_the_registry_organisations(stack: Stack) -> None:
    community = await stack.community()
    found = await stack.context.orgs.organization(community)
    assert found is not None
    assert (found["name"], found["type"], found["status"]) == ("育才街社区", "community", "active")
    health = await stack.education.get("/readyz")
    assert health.status_code == 200, health.text
