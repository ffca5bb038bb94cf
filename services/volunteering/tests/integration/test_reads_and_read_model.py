"""Lists and reads, refusals on cancelling, and the read model's handling of late or unseen events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qingchun_contracts import Envelope
from qingchun_contracts.registry import AreaRef, OrganizationUpdated
from volunteering_harness import Stack


async def _community(stack: Stack) -> str:
    street = await stack.org(
        "城区街道团工委",
        "league_working_committee",
        stack.city_id,
        area={"district": "灵武市", "street": "城区街道"},
    )
    return await stack.org("育才街社区", "community", street)


async def test_volunteer_lists_are_one_community_in_scope(stack: Stack) -> None:
    community = await _community(stack)
    other = await stack.org("西湖社区", "community", stack.city_id)
    await stack.volunteer("pool-1", home_community_id=community, talent_pool=True)
    await stack.volunteer("pool-2", home_community_id=community)
    staff = stack.isolation.headers("community_staff", scope=[community])
    pool = await stack.volunteering.get(
        "/v1/volunteers", params={"home_community_id": community, "talent_pool": True}, headers=staff
    )
    assert [v["display_name"] for v in pool.json()["items"]] == ["志愿者pool-1"]
    everyone = await stack.volunteering.get("/v1/volunteers", headers=stack.admin())
    assert (everyone.status_code, everyone.json()["field"]) == (422, "home_community_id")
    elsewhere = await stack.volunteering.get(
        "/v1/volunteers", params={"home_community_id": other}, headers=staff
    )
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "out_of_scope")


async def test_activity_lists_and_shift_views(stack: Stack) -> None:
    community = await _community(stack)
    published = await stack.activity(community)
    planned = await stack.activity(community, publish=False, title="防疫宣传", category="epidemic_publicity")
    by_status = await stack.volunteering.get(
        "/v1/activities", params={"status": "published"}, headers=stack.admin()
    )
    assert [a["id"] for a in by_status.json()["items"]] == [published["id"]]
    by_category = await stack.volunteering.get(
        "/v1/activities", params={"category": "epidemic_publicity"}, headers=stack.admin()
    )
    assert [a["id"] for a in by_category.json()["items"]] == [planned["id"]]
    batch = await stack.volunteering.get(
        "/v1/activities", params={"ids": f"{planned['id']},act_x"}, headers=stack.admin()
    )
    assert [a["status_label"] for a in batch.json()["items"]] == ["计划中"]
    await stack.volunteer("v1")
    await stack.volunteering.post(
        f"/v1/shifts/{published['shift_ids'][0]}/signups", json={}, headers=stack.person("v1")
    )
    as_volunteer = await stack.volunteering.get(
        f"/v1/activities/{published['id']}/shifts", headers=stack.person("v1")
    )
    shift = as_volunteer.json()["items"][0]
    assert (shift["my_status"], shift["free"], shift["signups"]) == ("confirmed", 9, None)
    as_organiser = await stack.volunteering.get(
        f"/v1/activities/{published['id']}/shifts", headers=stack.admin()
    )
    assert [s["status_label"] for s in as_organiser.json()["items"][0]["signups"]] == ["已确认"]
    missing = await stack.volunteering.get(
        "/v1/activities/act_000000000000000000000000/shifts", headers=stack.admin()
    )
    assert (missing.status_code, missing.json()["field"]) == (404, "activity_id")


async def test_cancelling_someone_elses_or_a_missing_signup_is_refused(stack: Stack) -> None:
    community = await _community(stack)
    activity = await stack.activity(community)
    shift_id = activity["shift_ids"][0]
    first = await stack.volunteer("v1")
    await stack.volunteer("v2")
    await stack.volunteering.post(f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person("v1"))
    url = f"/v1/shifts/{shift_id}/signups/{first['id']}:cancel"
    by_other = await stack.volunteering.post(url, headers=stack.person("v2"))
    assert (by_other.status_code, by_other.json()["code"]) == (403, "role_required")
    not_signed = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/vol_x:cancel", headers=stack.admin()
    )
    assert (not_signed.status_code, not_signed.json()["field"]) == (404, "volunteer_id")
    by_organiser = await stack.volunteering.post(url, headers=stack.admin())
    assert by_organiser.json()["free"] == 10
    again = await stack.volunteering.post(url, headers=stack.admin())
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


async def test_read_model_keeps_the_newest_state_and_trusts_unseen_updates(stack: Stack) -> None:
    community = await _community(stack)
    orgs, now = stack.context.orgs, datetime.now(UTC)
    stale = Envelope.wrap(
        OrganizationUpdated(
            organization_id=community,
            name="旧名称",
            type="community",
            parent_id=None,
            area=AreaRef(),
            changed_fields=["name"],
        ),
        source="/qingchun/registry",
        time=now - timedelta(days=1),
    )
    await stack.volunteering_app.state.runtime.bus.publish(stale)
    unseen = Envelope.wrap(
        OrganizationUpdated(
            organization_id="org_0123456789abcdef01234567",
            name="汉光社区",
            type="community",
            parent_id=None,
            area=AreaRef(),
            changed_fields=["name"],
        ),
        source="/qingchun/registry",
    )
    await stack.volunteering_app.state.runtime.bus.publish(unseen)
    await stack.known("org_0123456789abcdef01234567")  # active: usable as a host
    kept = await orgs.organization(community)
    assert kept is not None
    assert kept["name"] == "育才街社区"
