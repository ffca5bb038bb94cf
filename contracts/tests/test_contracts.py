"""The published contract: committed schemas stay compatible, and partner events carry no personal data."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from qingchun_contracts import Audience, Envelope, all_contracts, contract_for
from qingchun_contracts.registry import OrganizationRegistered
from qingchun_contracts.schemas import breaking_changes, compatibility_report, current_schemas, load_schemas

COMMITTED = Path(__file__).resolve().parents[1] / "schemas"

# Field names that could hold a person's data (or a care category) anywhere in a partner event.
PERSONAL = re.compile(
    r"(phone|mobile|tel|email|wechat|qq|id_?card|id_?number|identity|passport|birth|(?:^|_)age(?:$|_)|gender|sex|"
    r"address|guardian|parent_name|person|real_?name|nickname|contact|secretary|member_name|"
    r"helper|mentor|case|care_categor|risk_categor|need_code|misconduct|offen|health|photo|signature|location)",
    re.IGNORECASE,
)
# Free-text fields reviewed one by one: public names of organisations and agreements only.
REVIEWED_PUBLIC_TEXT = {
    ("qingchun.registry.organization.registered.v1", "name"),
    ("qingchun.registry.organization.updated.v1", "name"),
    ("qingchun.registry.agreement.signed.v1", "title"),
    ("qingchun.volunteering.activity.published.v1", "title"),
    ("qingchun.volunteering.team.formed.v1", "name"),
    ("qingchun.education.course.scheduled.v1", "title"),
    ("qingchun.employment.posting.published.v1", "title"),
    # A business's trading name, as on its licence and shop sign; moderation refuses a person's name.
    ("qingchun.employment.venture.started.v1", "name"),
}


def test_committed_schemas_are_the_current_contract() -> None:
    committed, current = load_schemas(COMMITTED), current_schemas()
    assert compatibility_report(committed, current) == []
    missing = sorted(set(current) - set(committed))
    assert missing == [], f"export new contracts with `make contracts`: {missing}"


def _schema() -> dict[str, Any]:
    return copy.deepcopy(current_schemas()[OrganizationRegistered.event_type])


def test_the_checker_catches_every_kind_of_break() -> None:
    old = _schema()
    removed = _schema()
    del removed["properties"]["parent_id"]
    retyped = _schema()
    retyped["properties"]["name"] = {"type": "integer"}
    required = _schema()
    required["required"].append("parent_id")
    added_required = _schema()
    added_required["properties"]["district_code"] = {"type": "string"}
    added_required["required"].append("district_code")
    nested = _schema()
    del nested["$defs"]["AreaRef"]["properties"]["street"]
    assert breaking_changes(old, removed) == ["parent_id: removed"]
    assert breaking_changes(old, retyped) == ["name: no longer accepts ['string']"]
    assert breaking_changes(old, required) == ["parent_id: became required"]
    assert breaking_changes(old, added_required) == ["district_code: added as required"]
    assert breaking_changes(old, nested) == ["area.street: removed"]


def test_adding_an_optional_field_is_compatible() -> None:
    old, new = _schema(), _schema()
    new["properties"]["district_code"] = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
    assert breaking_changes(old, new) == []


def test_a_removed_contract_is_reported() -> None:
    committed = {"qingchun.registry.gone.v1": _schema()}
    assert compatibility_report(committed, {}) == [
        "qingchun.registry.gone.v1: contract removed (publish it until its last consumer moves)"
    ]


def _fields(schema: dict[str, Any], root: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    found = []
    for name, sub in schema.get("properties", {}).items():
        where = f"{path}.{name}" if path else name
        found.append((where, sub))
        found += _fields(sub, root, where)
        for option in sub.get("anyOf", []):
            found += _fields(option, root, where)
    return found


@pytest.mark.parametrize("contract", all_contracts(Audience.PARTNER), ids=lambda c: c.event_type)
def test_partner_events_carry_no_personal_data(contract: Any) -> None:
    schema = contract.model_json_schema()
    for path, sub in _fields(schema, schema):
        leaf = path.rsplit(".", 1)[-1]
        assert not PERSONAL.search(leaf), f"{contract.event_type}: field {path} could carry personal data"
        options = [sub, *sub.get("anyOf", [])]
        is_free_text = not leaf.endswith(("_id", "_ids", "_on", "_code", "_until")) and any(
            o.get("type") == "string" and "format" not in o and "enum" not in o for o in options
        )
        if is_free_text and leaf not in {
            "type",
            "kind",
            "status",
            "from_status",
            "to_status",
            "from_stage",
            "to_stage",
            "batch",
            "city",
            "district",
            "street",
            "community",
            "category",
            "brand",
            "target_group",
        }:
            assert (contract.event_type, path) in REVIEWED_PUBLIC_TEXT, (
                f"{contract.event_type}: free-text field {path} needs a review that it is public"
            )


def test_the_pii_walk_catches_a_personal_field() -> None:
    schema = {"properties": {"volunteer": {"properties": {"mobile_phone": {"type": "string"}}}}}
    offenders = [p for p, _ in _fields(schema, schema) if PERSONAL.search(p.rsplit(".", 1)[-1])]
    assert offenders == ["volunteer.mobile_phone"]


def test_every_type_is_named_and_routed_alike() -> None:
    for contract in all_contracts():
        assert re.fullmatch(r"qingchun\.[a-z]+(\.[a-z_]+){2}\.v\d+", contract.event_type)
        assert contract.routing_key() == contract.event_type.removeprefix("qingchun.")
        assert contract_for(contract.event_type) is contract
        assert contract.summary


def test_envelope_round_trip() -> None:
    data = OrganizationRegistered(
        organization_id="org_1", name="孝感团市委", type="league_city_committee", area={"city": "孝感市"}
    )
    envelope = Envelope.wrap(data, source="/qingchun/registry", subject="org_1", correlation_id="c-1")
    parsed = Envelope.model_validate_json(envelope.model_dump_json())
    assert parsed.payload() == data
    assert parsed.routing_key == "registry.organization.registered.v1"
    assert (parsed.specversion, parsed.correlationid) == ("1.0", "c-1")
    tolerant = Envelope.model_validate(parsed.model_dump(mode="json") | {"futurefield": 1})
    assert tolerant.payload() == data  # consumers ignore attributes they do not know
