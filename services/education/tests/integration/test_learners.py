"""Learners over HTTP: self and family registration, consent, and who sees personal details."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from education_harness import Stack
from qingchun_plumbing.problems import Conflict

ADULT_BIRTH = "1990-05-01"
CHILD_BIRTH = f"{date.today().year - 8}-03-01"


def learner(**fields: Any) -> dict[str, Any]:
    return {"display_name": "李小明", "birth_date": ADULT_BIRTH} | fields


async def register(stack: Stack, subject: str, **fields: Any) -> dict[str, Any]:
    response = await stack.education.post(
        "/v1/learners", json=learner(**fields), headers=stack.person(subject, "guardian")
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_person_registers_themself_once(stack: Stack) -> None:
    community = await stack.community()
    me = await register(stack, "s-adult", home_community_id=community)
    assert (me["subject_id"], me["display_name"], me["age_band"]) == ("s-adult", "李小明", "adult")
    assert (me["home_community_id"], me["guardian_subject_ids"], me["consent_recorded"]) == (
        community,
        [],
        False,
    )
    again = await stack.education.post("/v1/learners", json=learner(), headers=stack.person("s-adult"))
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "already_registered"


async def test_the_store_refuses_a_second_learner_for_an_account_but_not_a_second_child(stack: Stack) -> None:
    """The unique index covers own accounts only: family-account children (no account) are many."""
    await register(stack, "s-parent")
    first = await register(stack, "s-parent", for_child=True, birth_date=CHILD_BIRTH)
    second = await register(stack, "s-parent", for_child=True, birth_date=CHILD_BIRTH, display_name="李小红")
    assert first["subject_id"] is None
    assert second["subject_id"] is None
    store = stack.context.learning
    duplicate = (await store.learner(first["id"]) or {}) | {
        "_id": "lrn_" + "0" * 24,
        "subject_id": "s-parent",
    }
    with pytest.raises(Conflict) as refused:  # as if a concurrent request had passed the check
        await store.insert_learner(duplicate)
    assert refused.value.code == "already_registered"


async def test_a_guardian_registers_a_child_and_records_consent(stack: Stack) -> None:
    child = await register(stack, "s-mum", for_child=True, birth_date=CHILD_BIRTH, child_subject_id="s-kid")
    assert (child["age_band"], child["guardian_subject_ids"], child["subject_id"]) == (
        "child",
        ["s-mum"],
        "s-kid",
    )
    stranger = await stack.education.post(f"/v1/learners/{child['id']}/consent", headers=stack.person("s-x"))
    assert stranger.status_code == 403
    assert stranger.json()["code"] == "not_a_guardian"
    consented = await stack.education.post(
        f"/v1/learners/{child['id']}/consent", headers=stack.person("s-mum")
    )
    assert consented.status_code == 200, consented.text
    assert consented.json()["consent_recorded"] is True
    assert consented.json()["consent"]["guardian_subject_id"] == "s-mum"
    own = await stack.education.get(f"/v1/learners/{child['id']}", headers=stack.person("s-kid"))
    assert own.json()["display_name"] == "李小明"


async def test_my_learners_lists_me_and_my_children_across_pages(stack: Stack) -> None:
    mine = [await register(stack, "s-dad")]
    mine += [await register(stack, "s-dad", for_child=True, birth_date=CHILD_BIRTH) for _ in range(2)]
    await register(stack, "s-other")
    first = await stack.education.get("/v1/learners/me?limit=2", headers=stack.person("s-dad"))
    assert first.status_code == 200, first.text
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    second = await stack.education.get(
        f"/v1/learners/me?limit=2&cursor={cursor}", headers=stack.person("s-dad")
    )
    ids = [i["id"] for i in first.json()["items"] + second.json()["items"]]
    assert ids == [m["id"] for m in mine]
    assert second.json()["next_cursor"] is None


async def test_others_see_only_the_band_and_consent(stack: Stack) -> None:
    community = await stack.community()
    child = await register(
        stack, "s-mum", for_child=True, birth_date=CHILD_BIRTH, home_community_id=community
    )
    outsider = await stack.education.get(f"/v1/learners/{child['id']}", headers=stack.person("s-x"))
    assert outsider.status_code == 200, outsider.text
    body = outsider.json()
    assert (body["personal"], body["display_name"], body["birth_date"], body["age_band"]) == (
        False,
        None,
        None,
        "child",
    )
    other_staff = stack.staff(await stack.org("城南街道团工委", "league_working_committee", stack.city_id))
    elsewhere = await stack.education.get(f"/v1/learners?ids={child['id']}", headers=other_staff)
    assert elsewhere.json()["items"][0]["display_name"] is None
    staff = await stack.education.get(f"/v1/learners?ids={child['id']},lrn_x", headers=stack.staff(community))
    assert [i["display_name"] for i in staff.json()["items"]] == ["李小明"]


async def test_bad_registrations_are_refused_with_the_field(stack: Stack) -> None:
    cases = [
        (learner(birth_date="2999-01-01"), "birth_date", "birth_date_in_future"),
        (learner(birth_date="1850-01-01"), "birth_date", "birth_date_implausible"),
        (learner(home_community_id="org_" + "0" * 24), "home_community_id", "unknown_organization"),
        (learner(guardian_subject_id="s-self"), "guardian_subject_id", "guardian_invalid"),
        (learner(child_subject_id="s-kid"), "child_subject_id", "child_account_unexpected"),
        (learner(display_name="x" * 41), "display_name", "invalid_input"),
    ]
    for body, field, code in cases:
        response = await stack.education.post("/v1/learners", json=body, headers=stack.person("s-self"))
        assert response.status_code == 422, (body, response.text)
        assert (response.json()["field"], response.json()["code"]) == (field, code)
    assert await stack.context.learning.learner_of("s-self") is None


async def test_a_guardian_links_the_childs_own_account_once(stack: Stack) -> None:
    child = await register(stack, "s-mum", for_child=True, birth_date=CHILD_BIRTH)
    url = f"/v1/learners/{child['id']}/account"
    refused = await stack.education.post(url, json={"child_subject_id": "s-kid"}, headers=stack.person("s-x"))
    assert refused.status_code == 403
    linked = await stack.education.post(
        url, json={"child_subject_id": "s-kid"}, headers=stack.person("s-mum")
    )
    assert linked.status_code == 200
    assert linked.json()["subject_id"] == "s-kid"
    again = await stack.education.post(url, json={"child_subject_id": "s-k2"}, headers=stack.person("s-mum"))
    assert again.status_code == 409
    assert again.json()["code"] == "account_linked"
    assert (await stack.context.learning.learner_of("s-kid") or {}).get("_id") == child["id"]
