"""Authentication, limits and service errors as the front end sees them: a GraphQL error with a
stable ``extensions.code`` (and the input ``field``), never a 500, and no service called for a
query the gateway refuses itself."""

from __future__ import annotations

from gateway_harness import GatewayStack

ORG = "query ($id: ID!) { organization(id: $id) { name } }"


async def test_no_token_and_a_bad_token_are_refused_before_any_service_is_called(stack: GatewayStack) -> None:
    stack.counted()
    missing = await stack.query(ORG, {"id": stack.city_id}, headers={})
    assert missing["data"] == {"organization": None}
    assert missing["errors"][0]["extensions"] == {"code": "token_missing"}

    forged = await stack.query(ORG, {"id": stack.city_id}, headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged["errors"][0]["extensions"] == {"code": "token_invalid"}
    assert stack.counted() == {}

    allowed = await stack.query(ORG, {"id": stack.city_id})
    assert allowed == {"data": {"organization": {"name": "孝感团市委"}}}


async def test_over_deep_over_aliased_and_over_costly_queries_are_refused_with_a_clear_error(
    stack: GatewayStack,
) -> None:
    stack.counted()
    deep = "{ organization(id: 1) { " + "parent { " * 8 + "name" + " }" * 9 + " }"
    answer = await stack.query(deep)
    assert answer["data"] is None
    assert "exceeds maximum operation depth" in answer["errors"][0]["message"]

    aliases = " ".join(f"a{i}: organization(id: 1) {{ name }}" for i in range(16))
    answer = await stack.query(f"{{ {aliases} }}")
    assert answer["errors"][0]["message"] == "16 aliases found. Allowed: 15"

    costly = "{ organizations(first: 100) { nodes { children(first: 100) { nodes { name } } } } }"
    answer = await stack.query(costly)
    assert answer["errors"][0]["extensions"] == {"code": "query_too_costly"}
    assert "10100" in answer["errors"][0]["message"]
    assert stack.counted() == {}


async def test_a_service_refusal_keeps_its_code_and_names_the_input_field(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    employer = await stack.org("孝感市金龙纺织有限公司", "enterprise", stack.city_id)
    create = """
    mutation ($input: PostingInput!) { createPosting(input: $input) { id status { code label } } }
    """
    posting = {
        "employerOrganizationId": employer,
        "title": "缝纫工",
        "category": "manufacturing",
        "kind": "full_time",
        "headcount": 3,
        "requirements": "有缝纫经验者优先",
        "placeOrganizationId": community,
        "payMin": 5000,
        "payMax": 3000,
    }
    answer = await stack.query(create, {"input": posting})
    assert answer["data"] is None
    error = answer["errors"][0]
    assert error["extensions"]["service"] == "employment"
    assert error["extensions"]["status"] == 422
    assert error["extensions"]["field"].startswith("pay"), error
    assert error["path"] == ["createPosting"]
    listed = await stack.services["employment"].get(
        "/v1/postings", params={"employer_organization_id": employer}, headers=stack.admin()
    )
    assert listed.json()["items"] == []  # nothing written

    answer = await stack.query(create, {"input": posting | {"payMax": 6000}})
    assert "errors" not in answer, answer
    assert answer["data"]["createPosting"]["status"]["code"] == "draft"
