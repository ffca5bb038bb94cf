"""Certificates: numbers and their check character, masking, content, canonical form, signatures."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.domain.certificates import (
    ALPHABET,
    COMPOUND_SURNAMES,
    MAX_ACTIVITY_LINES,
    RANDOM_BITS,
    Issue,
    ServedEntry,
    canonical,
    certificate_number,
    check_period,
    compose,
    digest,
    generate_signing_key,
    hours_text,
    is_authentic,
    load_signing_key,
    mask_name,
    parse_number,
    signature_holds,
)
from qingchun_volunteering.domain.errors import DomainError

KEY = generate_signing_key()
OTHER_KEY = generate_signing_key()
random_values = st.integers(min_value=0, max_value=(1 << RANDOM_BITS) - 1)
years = st.integers(min_value=2000, max_value=2099)


def issue(**changes: Any) -> Issue:
    fields: dict[str, Any] = {
        "number": certificate_number(2026, 123456789),
        "kid": KEY.public.kid,
        "holder_volunteer_id": "vol_0123456789abcdef01234567",
        "holder_name": "欧阳娜娜",
        "issuer_organization_id": "org_0123456789abcdef01234567",
        "issuer_name": "育才街社区团支部",
        "period_from": date(2026, 1, 1),
        "period_to": date(2026, 3, 31),
        "star_level": 1,
        "issued_at": datetime(2026, 4, 2, 1, 30, 15, 123456, tzinfo=UTC),
        "issued_on": date(2026, 4, 2),
        "verification_url": "https://qingchun.example/v1/certificates/x/verification",
        "salt": b"0123456789abcdef",
    }
    return Issue(**(fields | changes))


ENTRIES = [
    ServedEntry("七彩假期·课业辅导", date(2026, 1, 10), 120),
    ServedEntry("七彩假期·课业辅导", date(2026, 1, 10), 45),
    ServedEntry("垃圾分类宣传", date(2026, 1, 5), 90),
]


# numbers ---------------------------------------------------------------------------------------
@given(year=years, value=random_values)
def test_numbers_read_back_as_themselves(year: int, value: int) -> None:
    number = certificate_number(year, value)
    assert number.startswith(f"QC-{year}-")
    assert parse_number(number) == number
    assert parse_number(number.lower().replace("-", " ")) == number


def test_number_shape() -> None:
    number = certificate_number(2026, (1 << RANDOM_BITS) - 1)
    assert number == f"QC-2026-ZZZZ-ZZZZ-{number[-1]}"
    assert certificate_number(2026, 0).startswith("QC-2026-0000-0000-")


def test_different_random_values_give_different_numbers() -> None:
    assert certificate_number(2026, 1) != certificate_number(2026, 2)


@pytest.mark.parametrize(("year", "value"), [(2026, -1), (2026, 1 << RANDOM_BITS), (999, 0)])
def test_out_of_range_inputs_are_refused(year: int, value: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        certificate_number(year, value)


@given(
    year=years, value=random_values, position=st.integers(min_value=0, max_value=12), shift=st.integers(1, 31)
)
def test_check_character_catches_any_single_mistyped_character(
    year: int, value: int, position: int, shift: int
) -> None:
    compact = certificate_number(year, value).replace("-", "")[2:]  # 4 year digits, 8 random, 1 check
    original = compact[position]
    if position < 4:  # a year digit mistyped as another digit
        replaced = str((int(original) + shift) % 10)
        if replaced == original:
            return
    else:
        replaced = ALPHABET[(ALPHABET.index(original) + shift) % len(ALPHABET)]
    typo = "QC" + compact[:position] + replaced + compact[position + 1 :]
    with pytest.raises(DomainError) as refused:
        parse_number(typo)
    assert refused.value.code == "certificate_number_mistyped"
    assert refused.value.field == "number"


@given(year=years, value=random_values, position=st.integers(min_value=4, max_value=11))
def test_check_character_catches_swapped_neighbours(year: int, value: int, position: int) -> None:
    compact = certificate_number(year, value).replace("-", "")[2:]
    a, b = compact[position], compact[position + 1]
    if a == b or {a, b} == {"0", "Z"}:  # Luhn mod 32's one blind spot, documented
        return
    swapped = "QC" + compact[:position] + b + a + compact[position + 2 :]
    with pytest.raises(DomainError, match="校验位"):
        parse_number(swapped)


def test_crockford_look_alikes_read_as_digits() -> None:
    number = certificate_number(2026, 0b00001_00000_00001_00000_00000_00000_00000_00001)
    assert number.startswith("QC-2026-1010-0001-")
    assert parse_number(number.replace("1010", "IOLO")) == number


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
        parse_number(typed)
    assert (refused.value.code, refused.value.field) == ("certificate_number_malformed", "number")


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


# content ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("minutes", "hours"), [(0, "0.0"), (1, "0.0"), (3, "0.1"), (90, "1.5"), (6000, "100.0")]
)
def test_hours_have_one_decimal_rounded_half_up(minutes: int, hours: str) -> None:
    assert hours_text(minutes) == hours


def test_period_must_run_forward_and_not_into_the_future() -> None:
    check_period(date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(DomainError) as reversed_:
        check_period(date(2026, 2, 1), date(2026, 1, 1), date(2026, 3, 1))
    assert (reversed_.value.code, reversed_.value.field) == ("period_reversed", "period_from")
    with pytest.raises(DomainError) as future:
        check_period(date(2026, 1, 1), date(2026, 3, 2), date(2026, 3, 1))
    assert (future.value.code, future.value.field) == ("period_in_future", "period_to")


def test_content_totals_lines_and_masks() -> None:
    attestation, record = compose(issue(), ENTRIES)
    assert attestation["total_minutes"] == 255
    assert attestation["total_hours"] == "4.3"
    assert attestation["entry_count"] == 3
    assert attestation["holder_name_masked"] == "欧阳**"
    assert attestation["star_level_label"] == "一星级志愿者"
    assert attestation["issued_at"] == "2026-04-02T01:30:15Z"
    assert attestation["record_digest"] == digest(record)
    assert record["activities"] == [
        {"served_on": "2026-01-05", "title": "垃圾分类宣传", "minutes": 90},
        {"served_on": "2026-01-10", "title": "七彩假期·课业辅导", "minutes": 165},
    ]
    assert record["more_activities"] == 0


def test_the_public_half_holds_no_personal_data() -> None:
    attestation, _ = compose(issue(), ENTRIES)
    text = json.dumps(attestation, ensure_ascii=False)
    assert "vol_" not in text
    assert "欧阳娜娜" not in text
    assert "课业辅导" not in text


def test_content_is_capped_with_a_count_of_the_rest() -> None:
    many = [ServedEntry(f"活动{i}", date(2026, 1, 1 + i % 28), 30) for i in range(MAX_ACTIVITY_LINES + 7)]
    attestation, record = compose(issue(), many)
    assert len(record["activities"]) == MAX_ACTIVITY_LINES
    assert record["more_activities"] == 7
    assert attestation["total_minutes"] == 30 * (MAX_ACTIVITY_LINES + 7)


def test_nothing_served_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        compose(issue(), [])
    assert refused.value.code == "no_verified_hours"


def test_the_salt_changes_the_digest() -> None:
    _, one = compose(issue(), ENTRIES)
    _, other = compose(issue(salt=b"fedcba9876543210"), ENTRIES)
    assert digest(one) != digest(other)


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


def test_sign_and_verify_round_trip() -> None:
    attestation, record = compose(issue(), ENTRIES)
    signature = KEY.sign(attestation)
    assert signature_holds(KEY.public, attestation, signature)
    assert is_authentic(KEY.public, attestation, record, signature)
    reordered = dict(sorted(attestation.items(), reverse=True))
    assert signature_holds(KEY.public, reordered, signature)


def tampered_values(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, -value - 1]
    return [value + "x", value[:-1] or "x"]


ATTESTATION, RECORD = compose(issue(), ENTRIES)


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
    changed: Any = [] if field == "activities" else tampered_values(RECORD[field])[0]
    assert not is_authentic(KEY.public, ATTESTATION, RECORD | {field: changed}, signature)


def test_a_changed_activity_line_fails() -> None:
    signature = KEY.sign(ATTESTATION)
    lines = [dict(line) for line in RECORD["activities"]]
    lines[0]["minutes"] += 60
    assert not is_authentic(KEY.public, ATTESTATION, RECORD | {"activities": lines}, signature)


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
