"""Certificates: what they state and that the signature binds all of it (the signing scheme itself
is tested in plumbing/tests/test_signing.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from qingchun_plumbing.signing import digest, generate_signing_key, is_authentic, signature_holds
from qingchun_volunteering.domain.certificates import (
    MAX_ACTIVITY_LINES,
    Issue,
    ServedEntry,
    certificate_number,
    check_period,
    compose,
    hours_text,
    parse_number,
)
from qingchun_volunteering.domain.errors import DomainError

KEY = generate_signing_key()


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


def test_volunteering_numbers_keep_their_qc_format() -> None:
    number = certificate_number(2026, 0)
    assert number.startswith("QC-2026-0000-0000-")
    assert parse_number(number.lower()) == number


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
