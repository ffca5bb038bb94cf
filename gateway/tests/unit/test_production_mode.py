"""Production's switches: introspection off, and only persisted documents run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qingchun_gateway import limits
from qingchun_gateway.schema.build import build_schema
from qingchun_gateway.settings import GatewaySettings

INTROSPECTION = "{ __schema { types { name } } }"


async def test_introspection_answers_in_development_and_is_refused_in_production() -> None:
    development = await build_schema(GatewaySettings()).execute(INTROSPECTION)
    assert development.errors is None
    assert development.data is not None
    assert "Organization" in {t["name"] for t in development.data["__schema"]["types"]}

    production = await build_schema(GatewaySettings(production=True)).execute(INTROSPECTION)
    assert production.data is None
    assert production.errors
    assert "introspection" in production.errors[0].message.lower()


async def test_allow_list_mode_runs_only_persisted_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    allowed = "{ __typename }"
    listing = tmp_path / "persisted_queries.json"
    listing.write_text(json.dumps({"typename": allowed}), encoding="utf-8")
    monkeypatch.setattr(limits, "PERSISTED_QUERIES", listing)
    schema = build_schema(GatewaySettings(persisted_queries_only=True))

    assert (await schema.execute(allowed)).data == {"__typename": "Query"}
    refused = await schema.execute("{ __typename __typename }")
    assert refused.data is None
    assert refused.errors
    assert refused.errors[0].extensions == {"code": "persisted_query_required"}
