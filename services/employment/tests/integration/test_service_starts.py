"""The service starts on the real store and bus and learns organisations from the registry."""

from __future__ import annotations

from employment_harness import Stack


async def test_employment_hears_of_the_registry_organisations(stack: Stack) -> None:
    employer = await stack.employer()
    found = await stack.context.orgs.organization(employer)
    assert found is not None
    assert (found["name"], found["type"], found["status"]) == (
        "孝感市金龙纺织有限公司",
        "enterprise",
        "active",
    )
    ready = await stack.employment.get("/readyz")
    assert ready.status_code == 200, ready.text
