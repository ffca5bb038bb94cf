"""Reads the front end and the gateway lean on: agreement reads, code labels, health."""

from __future__ import annotations

from typing import Any

from registry_harness import Registry


async def test_agreement_get_and_batch(registry: Registry, city: dict[str, Any]) -> None:
    school = await registry.create("孝感学院", "school", city["id"])
    street = await registry.create("广场街道团工委", "league_working_committee", city["id"])
    body = {
        "type": "street_university_base",
        "title": "广场街道——孝感学院大学生社会实践教育基地",
        "party_ids": [street["id"], school["id"]],
    }
    created = (await registry.http.post("/v1/agreements", json=body, headers=registry.admin)).json()
    one = await registry.http.get(f"/v1/agreements/{created['id']}", headers=registry.admin)
    assert (one.json()["title"], one.json()["type_label"]) == (body["title"], "大学生社会实践教育基地")
    batch = await registry.http.get(
        "/v1/agreements", params={"ids": f"agr_x,{created['id']}"}, headers=registry.admin
    )
    assert [a["id"] for a in batch.json()["items"]] == [created["id"]]
    missing = await registry.http.get("/v1/agreements/agr_000000000000000000000000", headers=registry.admin)
    assert (missing.status_code, missing.json()["field"]) == (404, "agreement_id")


async def test_labels_give_every_code_a_chinese_name(registry: Registry) -> None:
    labels = (await registry.http.get("/v1/labels")).json()
    assert labels["organization_type"]["league_city_committee"] == "团市委"
    assert labels["creation_stage"]["surveying"] == "调查摸底"
    assert labels["youth_center_requirement"]["fixed_site"] == "一个固定场所"
    for codes in labels.values():
        assert all(label and label != code for code, label in codes.items()), codes


async def test_health_and_readiness(registry: Registry) -> None:
    assert (await registry.http.get("/healthz")).json() == {"status": "ok"}
    ready = await registry.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"mongo": "ok", "bus": "ok", "outbox_backlog": 0}
    echoed = await registry.http.get("/healthz", headers={"X-Correlation-Id": "corr-123"})
    assert echoed.headers["X-Correlation-Id"] == "corr-123"
