"""The graph over the real services: links across services, batching (no N+1), pagination."""

from __future__ import annotations

import asyncio

from gateway_harness import GatewayStack

ACTIVITIES_WITH_HOSTS = """
query ($first: Int!, $after: String) {
  activities(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id title status { code label }
      host { id name type { code label } parent { id name } }
      shifts { id capacity free activity { id } }
    } }
  }
}
"""


async def test_a_hundred_activities_with_their_hosts_cost_one_call_per_service_per_level(
    stack: GatewayStack,
) -> None:
    communities = [await stack.community(name) for name in ("文昌阁社区", "城东社区", "中山社区")]
    await asyncio.gather(*(stack.activity(communities[i % 3], title=f"七彩假期·第{i}期") for i in range(100)))
    stack.counted()

    answer = await stack.query(ACTIVITIES_WITH_HOSTS, {"first": 100})

    assert "errors" not in answer, answer
    edges = answer["data"]["activities"]["edges"]
    assert len(edges) == 100
    hosts = {e["node"]["host"]["id"] for e in edges}
    assert hosts == set(communities)
    assert {e["node"]["host"]["parent"]["name"] for e in edges} == {"新华街道团工委"}
    assert all(e["node"]["host"]["type"] == {"code": "community", "label": "社区/居委会"} for e in edges), (
        edges[0]
    )
    assert all(len(e["node"]["shifts"]) == 1 for e in edges)
    assert all(e["node"]["shifts"][0]["activity"]["id"] == e["node"]["id"] for e in edges)
    # level 1: the activity page; level 2: hosts and shifts; level 3: parents and shifts' activities
    calls = stack.counted()
    assert calls["registry"] == 2, calls  # hosts, then their parents
    assert calls["volunteering"] == 3, calls  # the page, the shifts, the shifts' activities
    assert calls["education"] == calls["employment"] == 0


async def test_pages_follow_on_without_repeating_or_skipping(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    made = {await stack.activity(community, title=f"七彩假期·第{i}期") for i in range(7)}

    seen: list[str] = []
    after = None
    for _ in range(5):
        answer = await stack.query(ACTIVITIES_WITH_HOSTS, {"first": 3, "after": after})
        assert "errors" not in answer, answer
        page = answer["data"]["activities"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(made)
    assert len(seen) == 7

    # continuing after a middle edge of a page gives the items that follow it
    first_page = (await stack.query(ACTIVITIES_WITH_HOSTS, {"first": 3}))["data"]["activities"]["edges"]
    middle = await stack.query(ACTIVITIES_WITH_HOSTS, {"first": 2, "after": first_page[0]["cursor"]})
    assert [e["node"]["id"] for e in middle["data"]["activities"]["edges"]] == seen[1:3]


async def test_a_community_with_its_activities_programmes_and_postings_in_one_query(
    stack: GatewayStack,
) -> None:
    community = await stack.community("文昌阁社区")
    await stack.activity(community, title="七彩假期·暑期课业辅导")
    programme = await stack.services["education"].post(
        "/v1/programmes",
        json={
            "name": "福娃福地书香国学",
            "owner_organization_id": community,
            "kind": "classics_family_reading",
            "target_group": "families",
            "season": "summer_holiday",
            "year": 2026,
        },
        headers=stack.admin(),
    )
    assert programme.status_code == 201, programme.text

    answer = await stack.query(
        """
        query ($id: ID!) {
          organization(id: $id) {
            name area { city street }
            parent { name }
            activities(first: 5) { nodes { title host { name } } }
            programmes(first: 5) { nodes { name kind { code label } owner { name } } }
            postings(first: 5) { nodes { title } }
          }
        }
        """,
        {"id": community},
    )

    assert "errors" not in answer, answer
    org = answer["data"]["organization"]
    assert org["name"] == "文昌阁社区"
    assert org["parent"] == {"name": "新华街道团工委"}
    assert org["activities"]["nodes"] == [{"title": "七彩假期·暑期课业辅导", "host": {"name": "文昌阁社区"}}]
    assert [p["name"] for p in org["programmes"]["nodes"]] == ["福娃福地书香国学"]
    assert org["programmes"]["nodes"][0]["owner"] == {"name": "文昌阁社区"}
    assert org["postings"]["nodes"] == []
