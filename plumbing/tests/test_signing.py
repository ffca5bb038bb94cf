"""Certificate signing: numbers and their check character, masking, canonical form, signatures, and
the signing-key store and the route that publishes its keys on the real document store."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from qingchun_plumbing.mongo import Database, connect, database
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.signing import (
    ALPHABET,
    COMPOUND_SURNAMES,
    RANDOM_BITS,
    SIGNING_KEYS_PATH,
    CertificateNumbers,
    canonical,
    digest,
    generate_signing_key,
    is_authentic,
    load_signing_key,
    mask_name,
    signature_holds,
    verification_url,
)
from qingchun_plumbing.signing_keys import SIGNING_KEYS, IssuingContext, SigningKeyStore
from qingchun_plumbing.signing_views import add_signing_keys_route, public_fields, signing_key_out
from qingchun_plumbing.testing.fixtures import Isolation

QC = CertificateNumbers("QC")
QE = CertificateNumbers("QE")
KEY = generate_signing_key()
OTHER_KEY = generate_signing_key()
random_values = st.integers(min_value=0, max_value=(1 << RANDOM_BITS) - 1)
years = st.integers(min_value=2000, max_value=2099)
NOW = datetime(2026, 4, 2, 1, 30, tzinfo=UTC)


# numbers ---------------------------------------------------------------------------------------
@given(year=years, value=random_values)
def test_numbers_read_back_as_themselves(year: int, value: int) -> None:
    number = QC.number(year, value)
    assert number.startswith(f"QC-{year}-")
    assert QC.parse(number) == number
    assert QC.parse(number.lower().replace("-", " ")) == number


def test_number_shape() -> None:
    number = QC.number(2026, (1 << RANDOM_BITS) - 1)
    assert number == f"QC-2026-ZZZZ-ZZZZ-{number[-1]}"
    assert QC.number(2026, 0).startswith("QC-2026-0000-0000-")


def test_different_random_values_give_different_numbers() -> None:
    assert QC.number(2026, 1) != QC.number(2026, 2)


@given(year=years, value=random_values)
def test_services_numbers_never_collide_nor_read_as_each_others(year: int, value: int) -> None:
    education, volunteering = QE.number(year, value), QC.number(year, value)
    assert education == "QE" + volunteering[2:]
    assert QE.parse(education) == education
    for numbers, other in ((QC, education), (QE, volunteering)):
        with pytest.raises(DomainError) as refused:
            numbers.parse(other)
        assert refused.value.code == "certificate_number_malformed"


@pytest.mark.parametrize("prefix", ["", "Q1", "QI", "QO", "QL", "QU", "qc", "Q-C", "QCQCQ"])
def test_a_prefix_that_could_not_be_read_back_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        CertificateNumbers(prefix)


def test_the_malformed_message_names_the_services_format() -> None:
    with pytest.raises(DomainError, match="QE-年份"):
        QE.parse("QC-2026-0000-0000-0")


@pytest.mark.parametrize(("year", "value"), [(2026, -1), (2026, 1 << RANDOM_BITS), (999, 0)])
def test_out_of_range_inputs_are_refused(year: int, value: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        QC.number(year, value)


@given(
    year=years, value=random_values, position=st.integers(min_value=0, max_value=12), shift=st.integers(1, 31)
)
def test_check_character_catches_any_single_mistyped_character(
    year: int, value: int, position: int, shift: int
) -> None:
    compact = QC.number(year, value).replace("-", "")[2:]  # 4 year digits, 8 random, 1 check
    original = compact[position]
    if position < 4:  # a year digit mistyped as another digit
        replaced = str((int(original) + shift) % 10)
        if replaced == original:
            return
    else:
        replaced = ALPHABET[(ALPHABET.index(original) + shift) % len(ALPHABET)]
    typo = "QC" + compact[:position] + replaced + compact[position + 1 :]
    with pytest.raises(DomainError) as refused:
        QC.parse(typo)
    assert refused.value.code == "certificate_number_mistyped"
    assert refused.value.field == "number"


@given(year=years, value=random_values, position=st.integers(min_value=4, max_value=11))
def test_check_character_catches_swapped_neighbours(year: int, value: int, position: int) -> None:
    compact = QC.number(year, value).replace("-", "")[2:]
    a, b = compact[position], compact[position + 1]
    if a == b or {a, b} == {"0", "Z"}:  # Luhn mod 32's one blind spot, documented
        return
    swapped = "QC" + compact[:position] + b + a + compact[position + 2 :]
    with pytest.raises(DomainError, match="校验位"):
        QC.parse(swapped)


def test_crockford_look_alikes_read_as_digits() -> None:
    number = QC.number(2026, 0b00001_00000_00001_00000_00000_00000_00000_00001)
    assert number.startswith("QC-2026-1010-0001-")
    assert QC.parse(number.replace("1010", "IOLO")) == number


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "QC-2026",
        "QC-26-ABCD-EFGH-J",
        "XX-2026-ABCD-EFGH-J",
        "QC-2026-ABCD-EFGU-J",  # U is not in the alphabet
        "QC-2026-ABCD-EFGH-JK",
        "QC-2026-ABCD-EFGH-J" + " " * 40,
        "QC-2026-ABCD-EF/H-J",
        "' OR 1=1 --",
    ],
)
def test_malformed_numbers_are_refused(typed: str) -> None:
    with pytest.raises(DomainError) as refused:
        QC.parse(typed)
    assert (refused.value.code, refused.value.field) == ("certificate_number_malformed", "number")


def test_verification_url_joins_the_public_base() -> None:
    assert verification_url("https://qc.example/", "QE-2026-0000-0000-0") == (
        "https://qc.example/v1/certificates/QE-2026-0000-0000-0/verification"
    )


# masking -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张", "*"),
        ("李小龙", "李**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳峰", "欧阳*"),
        ("欧阳", "欧*"),  # a compound surname alone: keep one character only
        ("司马相如", "司马**"),
        ("马司", "马*"),
        (" 王五 ", "王*"),
        ("Anna", "A***"),
        ("", "*"),
    ],
)
def test_masking_keeps_the_surname_only(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@given(st.text(min_size=2, max_size=30).filter(lambda s: len(s.strip()) >= 2))
def test_masking_shows_the_surname_and_stars_for_the_rest(name: str) -> None:
    stripped, masked = name.strip(), mask_name(name)
    kept = 1 if masked[1] == "*" else 2
    assert masked == stripped[:kept] + "*" * (len(stripped) - kept)
    assert kept == 1 or (stripped[:2] in COMPOUND_SURNAMES and len(stripped) > 2)


# canonical form and signatures ----------------------------------------------------------------------
@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.lists(st.integers())),
        max_size=8,
    )
)
def test_canonical_form_ignores_key_order(payload: dict[str, Any]) -> None:
    shuffled = dict(reversed(list(payload.items())))
    assert canonical(shuffled) == canonical(payload)
    assert json.loads(canonical(payload)) == payload


def test_canonical_form_is_compact_sorted_utf8() -> None:
    assert canonical({"b": 1, "a": {"z": "欧阳", "y": [1, None, True]}}) == (
        '{"a":{"y":[1,null,true],"z":"欧阳"},"b":1}'.encode()
    )


@pytest.mark.parametrize("bad", [{"hours": 1.5}, {"at": datetime(2026, 1, 1)}, {"x": [{1: "a"}]}])
def test_canonical_form_refuses_what_has_no_single_text_form(bad: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        canonical(bad)


RECORD = {"salt": "c2FsdA==", "holder_id": "lrn_1", "holder_name": "欧阳娜娜"}
ATTESTATION = {
    "number": QE.number(2026, 42),
    "kid": KEY.public.kid,
    "holder_name_masked": "欧阳**",
    "passed": True,
    "record_digest": digest(RECORD),
}


def test_sign_and_verify_round_trip() -> None:
    signature = KEY.sign(ATTESTATION)
    assert signature_holds(KEY.public, ATTESTATION, signature)
    assert is_authentic(KEY.public, ATTESTATION, RECORD, signature)
    reordered = dict(sorted(ATTESTATION.items(), reverse=True))
    assert signature_holds(KEY.public, reordered, signature)


def tampered_values(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, -value - 1]
    return [value + "x", value[:-1] or "x"]


@pytest.mark.parametrize("field", sorted(ATTESTATION))
def test_any_tampered_attestation_field_fails(field: str) -> None:
    signature = KEY.sign(ATTESTATION)
    for changed in tampered_values(ATTESTATION[field]):
        assert not is_authentic(KEY.public, ATTESTATION | {field: changed}, RECORD, signature)
    without = {k: v for k, v in ATTESTATION.items() if k != field}
    assert not is_authentic(KEY.public, without, RECORD, signature)
    assert not is_authentic(KEY.public, ATTESTATION | {"extra": 1}, RECORD, signature)


@pytest.mark.parametrize("field", sorted(RECORD))
def test_any_tampered_record_field_fails(field: str) -> None:
    signature = KEY.sign(ATTESTATION)
    assert not is_authentic(KEY.public, ATTESTATION, RECORD | {field: RECORD[field] + "x"}, signature)


def test_wrong_key_or_damaged_signature_fails() -> None:
    signature = KEY.sign(ATTESTATION)
    assert not signature_holds(OTHER_KEY.public, ATTESTATION, signature)
    assert not is_authentic(OTHER_KEY.public, ATTESTATION, RECORD, signature)  # kid differs too
    assert not is_authentic(None, ATTESTATION, RECORD, signature)
    flipped = bytearray(base64.b64decode(signature))
    flipped[0] ^= 1
    assert not signature_holds(KEY.public, ATTESTATION, base64.b64encode(bytes(flipped)).decode())
    assert not signature_holds(KEY.public, ATTESTATION, "not base64!")
    assert not signature_holds(KEY.public, ATTESTATION, "")


def test_a_key_survives_its_pem_and_its_id_is_its_own() -> None:
    again = load_signing_key(KEY.pem)
    assert again.public == KEY.public
    assert KEY.public.kid != OTHER_KEY.public.kid
    assert KEY.public.kid.startswith("ed25519-")
    assert signature_holds(again.public, ATTESTATION, KEY.sign(ATTESTATION))
    assert "BEGIN PUBLIC KEY" in KEY.public.pem
    assert len(base64.b64decode(KEY.public.raw_base64)) == 32


def test_a_key_that_is_not_ed25519_is_refused() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="Ed25519"):
        load_signing_key(other.decode())


# the signing-key store ---------------------------------------------------------------------------------
@pytest.fixture
async def db(isolation: Isolation) -> AsyncIterator[Database]:
    client = connect(isolation.components.mongo_url)
    yield database(client, isolation.prefix, "signing")
    await client.close()


async def test_replicas_racing_to_generate_all_sign_with_the_winner(db: Database) -> None:
    replicas = [SigningKeyStore(db) for _ in range(4)]
    keys = await asyncio.gather(*(store.current(None, NOW) for store in replicas))
    assert len({key.public.kid for key in keys}) == 1
    restarted = await SigningKeyStore(db).current(None, NOW)
    assert restarted.public == keys[0].public
    assert await db[SIGNING_KEYS].count_documents({}) == 1


async def test_a_rotated_key_still_verifies_and_no_private_half_is_listed(db: Database) -> None:
    generated = await SigningKeyStore(db).current(None, NOW)
    store = SigningKeyStore(db)
    assert (await store.current(SecretStr(KEY.pem), NOW)).public == KEY.public
    await store.current(SecretStr(KEY.pem), NOW)  # remembered once
    fresh = SigningKeyStore(db)  # another replica, nothing cached
    assert await fresh.public_key(generated.public.kid) == generated.public
    assert await fresh.public_key(KEY.public.kid) == KEY.public
    assert await fresh.public_key(OTHER_KEY.public.kid) is None
    listed = await fresh.public_keys()
    assert {d["kid"] for d in listed} == {generated.public.kid, KEY.public.kid}
    assert "PRIVATE" not in json.dumps([signing_key_out(d, KEY.public.kid).model_dump_json() for d in listed])
    assert [signing_key_out(d, KEY.public.kid).current for d in listed].count(True) == 1


async def test_a_stored_key_id_is_recomputed_not_trusted(db: Database) -> None:
    await SigningKeyStore(db).current(SecretStr(KEY.pem), NOW)
    await db[SIGNING_KEYS].update_one(
        {"kid": KEY.public.kid}, {"$set": {"public_raw": OTHER_KEY.public.raw_base64}}
    )
    swapped = await SigningKeyStore(db).public_key(KEY.public.kid)
    assert swapped is not None
    assert swapped.kid == OTHER_KEY.public.kid
    assert not is_authentic(swapped, ATTESTATION, RECORD, OTHER_KEY.sign(ATTESTATION))


# the route that publishes the keys --------------------------------------------------------------------
@dataclass(frozen=True)
class _Certificates:
    keys: SigningKeyStore


@dataclass(frozen=True)
class _Settings:
    certificate_signing_key: SecretStr | None


@dataclass(frozen=True)
class _Issuer:
    """The part of a service's context the route reads (``IssuingContext``)."""

    certificates: _Certificates
    settings: _Settings
    now: Callable[[], datetime]


def _issuer(db: Database, configured: str | None) -> Callable[[Request], IssuingContext]:
    settings = _Settings(SecretStr(configured) if configured else None)
    issuer = _Issuer(_Certificates(SigningKeyStore(db)), settings, lambda: NOW)
    return lambda _request: issuer


@pytest.mark.parametrize("prefix", ["/v1", ""])
async def test_the_keys_are_served_where_certificates_send_verifiers(db: Database, prefix: str) -> None:
    generated = await SigningKeyStore(db).current(None, NOW)
    router = APIRouter(prefix=prefix)
    add_signing_keys_route(router, _issuer(db, KEY.pem))  # a key configured since: it signs now
    app = FastAPI()
    app.include_router(router)
    printed = public_fields({"attestation": {}}, "http://service/")["public_keys_url"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        answer = await client.get(printed)
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert {i["kid"]: i["current"] for i in items} == {generated.public.kid: False, KEY.public.kid: True}
    assert {i["public_key_base64"] for i in items} == {generated.public.raw_base64, KEY.public.raw_base64}
    assert "PRIVATE" not in answer.text


async def test_a_router_elsewhere_cannot_serve_the_keys(db: Database) -> None:
    with pytest.raises(ValueError, match=SIGNING_KEYS_PATH):
        add_signing_keys_route(APIRouter(prefix="/v2"), _issuer(db, None))
