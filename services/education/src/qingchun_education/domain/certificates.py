"""Completion certificates (结业证书): their numbers, statuses and what they state.

A certificate is a signed public *attestation* and a private *record* bound to it by digest (the
scheme is :mod:`qingchun_plumbing.signing`'s). The record holds the learner's id and full name
and a random salt; the attestation shows the masked name, the course, the issuer, the completion
date and whether the exam was passed. Never the score or the birth date: a certificate proves
completion, it does not rank anyone, and the public page may be read by strangers.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qingchun_education.domain.enrolments import EnrolmentStatus
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.signing import CertificateNumbers, digest, mask_name

FORMAT = "qingchun.education.certificate.v1"
NUMBERS = CertificateNumbers("QE")
"""``QE-2026-7K3M-Q9XA-R``; volunteering's are ``QC-…``, so the two never collide."""


class CertificateStatus(LabelledEnum):
    VALID = ("valid", "有效")
    REVOKED = ("revoked", "已撤销")


class RevokeReason(LabelledEnum):
    DATA_ERROR = ("data_error", "信息有误")
    COMPLETION_WITHDRAWN = ("completion_withdrawn", "结业资格撤销")
    DUPLICATE = ("duplicate", "重复开具")
    OTHER = ("other", "其他")


class ExamResult(LabelledEnum):
    PASSED = ("passed", "考核合格")
    NOT_PASSED = ("not_passed", "考核未通过")
    NO_EXAM = ("no_exam", "无考核")


def exam_result(passed_exam: bool | None) -> ExamResult:
    """What the certificate says of the exam: passed or not, or that the course had none."""
    if passed_exam is None:
        return ExamResult.NO_EXAM
    return ExamResult.PASSED if passed_exam else ExamResult.NOT_PASSED


def is_completed(enrolment_status: str) -> bool:
    """Only a finished course earns a certificate (not an enrolment still running or cancelled)."""
    return enrolment_status == EnrolmentStatus.COMPLETED.value


@dataclass(frozen=True)
class Completion:
    """Everything a certificate states, gathered by the use case."""

    number: str
    kid: str
    enrolment_id: str
    course_id: str
    learner_id: str
    learner_name: str
    course_title: str
    issuer_organization_id: str
    issuer_name: str
    completed_on: date
    passed_exam: bool | None
    issued_at: datetime
    issued_on: date
    verification_url: str
    salt: bytes


def compose(completion: Completion) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (attestation, record) pair of a certificate."""
    record = {
        "salt": base64.b64encode(completion.salt).decode(),
        "learner_id": completion.learner_id,
        "learner_name": completion.learner_name,
        "enrolment_id": completion.enrolment_id,
    }
    result = exam_result(completion.passed_exam)
    attestation = {
        "format": FORMAT,
        "number": completion.number,
        "kid": completion.kid,
        "holder_name_masked": mask_name(completion.learner_name),
        "course_id": completion.course_id,
        "course_title": completion.course_title,
        "issuer_organization_id": completion.issuer_organization_id,
        "issuer_name": completion.issuer_name,
        "completed_on": completion.completed_on.isoformat(),
        "exam_result": result.value,
        "exam_result_label": result.label,
        "issued_at": completion.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "issued_on": completion.issued_on.isoformat(),
        "verification_url": completion.verification_url,
        "record_digest": digest(record),
    }
    return attestation, record
