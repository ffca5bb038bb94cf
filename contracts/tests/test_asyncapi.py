"""The partner contract as a product: the committed AsyncAPI document is current, lists exactly the
partner-audience events with examples their own models accept, and webhook signatures verify only
for the body, secret and time they were made for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qingchun_contracts import Audience, Envelope, all_contracts, contract_for
from qingchun_contracts.__main__ import asyncapi_json
from qingchun_contracts.asyncapi import build_asyncapi
from qingchun_contracts.webhooks import SignatureError, request_message, sign, verify

COMMITTED = Path(__file__).resolve().parents[1] / "asyncapi.json"


def test_the_committed_asyncapi_document_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == asyncapi_json(), (
        "contracts/asyncapi.json is stale: run `make contracts` and commit it"
    )


def test_the_document_has_every_partner_event_and_no_internal_one() -> None:
    document = build_asyncapi()
    assert document["asyncapi"] == "3.0.0"
    listed = {message["name"] for message in document["components"]["messages"].values()}
    assert listed == {c.event_type for c in all_contracts(Audience.PARTNER)}
    internal = {c.event_type for c in all_contracts(Audience.INTERNAL)}
    assert internal, "the platform has internal events the document must leave out"
    assert not listed & internal
    for channel_id, channel in document["channels"].items():
        event_type = channel["title"]
        assert channel["address"] == contract_for(event_type).routing_key()
        assert f"receive{channel_id}" in document["operations"]


@pytest.mark.parametrize("contract", all_contracts(Audience.PARTNER), ids=lambda c: c.event_type)
def test_each_example_is_a_message_its_own_model_reads(contract: type) -> None:
    messages = build_asyncapi()["components"]["messages"]
    (sample,) = messages[contract.__name__]["examples"]
    envelope = Envelope.model_validate(sample["payload"])
    assert envelope.type == contract.event_type
    assert isinstance(envelope.payload(), contract)
    schema_ref = messages[contract.__name__]["payload"]["allOf"][1]["properties"]["data"]["$ref"]
    assert schema_ref.rsplit("/", 1)[-1] in build_asyncapi()["components"]["schemas"]


def test_every_reference_in_the_document_resolves() -> None:
    document = build_asyncapi()
    text = json.dumps(document)
    refs = {part.split('"')[0] for part in text.split('"$ref": "')[1:]}
    for ref in refs:
        node = document
        for key in ref.removeprefix("#/").split("/"):
            assert key in node, f"{ref} does not resolve"
            node = node[key]


SECRET = "whsec_test_only"
BODY = b'{"id":"e-1","type":"qingchun.volunteering.activity.published.v1"}'


def test_a_signature_verifies_for_its_body_and_secret() -> None:
    header = sign(SECRET, BODY, 1_700_000_000)
    assert verify(SECRET, BODY, header, now=1_700_000_030) == 1_700_000_000


@pytest.mark.parametrize(
    ("secret", "body", "now", "code"),
    [
        (SECRET, BODY.replace(b"e-1", b"e-2"), 1_700_000_000, "signature_mismatch"),
        ("another-secret", BODY, 1_700_000_000, "signature_mismatch"),
        (SECRET, BODY, 1_700_000_301, "signature_stale"),
        (SECRET, BODY, 1_699_999_699, "signature_stale"),
    ],
    ids=["tampered body", "wrong secret", "stale", "from the future"],
)
def test_a_tampered_or_stale_signature_is_refused(secret: str, body: bytes, now: int, code: str) -> None:
    header = sign(SECRET, BODY, 1_700_000_000)
    with pytest.raises(SignatureError) as refused:
        verify(secret, body, header, now=now)
    assert refused.value.code == code


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", "v1=00", "t=1700000000"])
def test_a_malformed_header_is_refused(header: str) -> None:
    with pytest.raises(SignatureError) as refused:
        verify(SECRET, BODY, header, now=1_700_000_000)
    assert refused.value.code == "signature_malformed"


def test_a_signed_request_covers_method_path_and_body() -> None:
    signed = sign(SECRET, request_message("post", "/v1/partners/p:redeliver", b"{}"), 1_700_000_000)
    other_path = request_message("POST", "/v1/partners/q:redeliver", b"{}")
    with pytest.raises(SignatureError):
        verify(SECRET, other_path, signed, now=1_700_000_000)
    same = request_message("POST", "/v1/partners/p:redeliver", b"{}")
    assert verify(SECRET, same, signed, now=1_700_000_000) == 1_700_000_000
