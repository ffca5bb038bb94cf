"""Completion certificates: numbers, what they state, what the public half leaves out, and that the
signature binds all of it (the signing scheme itself is tested in plumbing/tests/test_signing.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from qingchun_education.domain.certificates import (
    NUMBERS,
    Completion,
    ExamResult,
    compose,
    exam_result,
    is_completed,
)
from qingchun_education.ports.certificates_api import LABELLED_ENUMS
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.signing import digest, generate_signing_key, is_authentic
from qingchun_plumbing.testing.quality import label_problems

KEY = generate_signing_key()


def completion(**changes: Any) -> Completion:
    fields: dict[str, Any] = {
        "number": NUMBERS.number(2026, 123456789),
        "kid": KEY.public.kid,
        "enrolment_id": "enr_0123456789abcdef01234567",
        "course_id": "crs_0123456789abcdef01234567",
        "learner_id": "lrn_0123456789abcdef01234567",
        "learner_name": "司马相如",
        "course_title": "老年电脑学习班",
        "issuer_organization_id": "org_0123456789abcdef01234567",
        "issuer_name": "方洞镇老年学校",
        "completed_on": date(2026, 3, 30),
        "passed_exam": True,
        "issued_at": datetime(2026, 4, 2, 1, 30, 15, 123456, tzinfo=UTC),
        "issued_on": date(2026, 4, 2),
        "verification_url": "https://qingchun.example/v1/certificates/x/verification",
        "salt": b"0123456789abcdef",
    }
    return Completion(**(fields | changes))


def test_education_numbers_are_qe_and_not_volunteerings() -> None:
    number = NUMBERS.number(2026, 0)
    assert number.startswith("QE-2026-0000-0000-")
    assert NUMBERS.parse(number.lower().replace("-", "")) == number
    with pytest.raises(DomainError) as refused:
        NUMBERS.parse("QC" + number[2:])
    assert (refused.value.code, refused.value.field) == ("certificate_number_malformed", "number")


@pytest.mark.parametrize("enum", list(LABELLED_ENUMS.values()))
def test_every_certificate_code_has_a_chinese_label(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


@pytest.mark.parametrize(
    ("status", "completed"),
    [
        ("completed", True),
        ("enrolled", False),
        ("waitlisted", False),
        ("cancelled", False),
        ("offered", False),
    ],
)
def test_only_a_completed_enrolment_earns_a_certificate(status: str, completed: bool) -> None:
    assert is_completed(status) is completed


@pytest.mark.parametrize(
    ("passed", "result", "label"),
    [
        (True, ExamResult.PASSED, "考核合格"),
        (False, ExamResult.NOT_PASSED, "考核未通过"),
        (None, ExamResult.NO_EXAM, "无考核"),
    ],
)
def test_the_exam_is_stated_as_passed_or_not_or_absent(
    passed: bool | None, result: ExamResult, label: str
) -> None:
    assert exam_result(passed) is result
    attestation, _ = compose(completion(passed_exam=passed))
    assert (attestation["exam_result"], attestation["exam_result_label"]) == (result.value, label)


def test_content_states_course_issuer_date_and_masked_name() -> None:
    attestation, record = compose(completion())
    assert attestation["holder_name_masked"] == "司马**"
    assert (attestation["course_title"], attestation["issuer_name"]) == ("老年电脑学习班", "方洞镇老年学校")
    assert (attestation["completed_on"], attestation["issued_on"]) == ("2026-03-30", "2026-04-02")
    assert attestation["issued_at"] == "2026-04-02T01:30:15Z"
    assert attestation["number"].startswith("QE-2026-")
    assert attestation["record_digest"] == digest(record)
    assert (record["learner_name"], record["learner_id"]) == ("司马相如", "lrn_0123456789abcdef01234567")


def test_the_public_half_holds_no_personal_data() -> None:
    attestation, _ = compose(completion())
    text = json.dumps(attestation, ensure_ascii=False)
    assert "lrn_" not in text
    assert "enr_" not in text
    assert "司马相如" not in text
    assert not {"exam_score", "score", "birth_date"} & set(attestation)


def test_the_salt_changes_the_digest() -> None:
    _, one = compose(completion())
    _, other = compose(completion(salt=b"fedcba9876543210"))
    assert digest(one) != digest(other)


ATTESTATION, RECORD = compose(completion())


@pytest.mark.parametrize("field", sorted(ATTESTATION))
def test_any_tampered_attestation_field_fails(field: str) -> None:
    signature = KEY.sign(ATTESTATION)
    assert is_authentic(KEY.public, ATTESTATION, RECORD, signature)
    assert not is_authentic(KEY.public, ATTESTATION | {field: ATTESTATION[field] + "x"}, RECORD, signature)
    without = {k: v for k, v in ATTESTATION.items() if k != field}
    assert not is_authentic(KEY.public, without, RECORD, signature)


@pytest.mark.parametrize("field", sorted(RECORD))
def test_any_tampered_record_field_fails(field: str) -> None:
    signature = KEY.sign(ATTESTATION)
    assert not is_authentic(KEY.public, ATTESTATION, RECORD | {field: RECORD[field] + "x"}, signature)
