"""Service-record certificates (志愿服务证明): their numbers, statuses and what they state.

A certificate is a signed public *attestation* and a private *record* bound to it by digest (the
scheme is :mod:`qingchun_plumbing.signing`'s). The record holds the holder's id and full name,
the activities served and a random salt; the attestation shows the masked name, issuer, hours,
period and star level.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.signing import CertificateNumbers, digest, mask_name
from qingchun_volunteering.domain.errors import DomainError
from qingchun_volunteering.domain.stars import star_label

FORMAT = "qingchun.volunteering.certificate.v1"
MAX_ACTIVITY_LINES = 50
"""Lines of content printed on one certificate; the rest are counted, the total covers them all."""


class RevokeReason(LabelledEnum):
    DATA_ERROR = ("data_error", "信息有误")
    HOURS_WITHDRAWN = ("hours_withdrawn", "时长撤销")
    DUPLICATE = ("duplicate", "重复开具")
    OTHER = ("other", "其他")


# numbers: ``QC-2026-7K3M-Q9XA-R`` (see qingchun_plumbing.signing) ------------------------------------
NUMBERS = CertificateNumbers("QC")
certificate_number = NUMBERS.number
parse_number = NUMBERS.parse


# content -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServedEntry:
    """One verified hour entry as a certificate needs it."""

    activity_title: str
    served_on: date
    minutes: int


@dataclass(frozen=True)
class Issue:
    """Everything a certificate states, gathered by the use case."""

    number: str
    kid: str
    holder_volunteer_id: str
    holder_name: str
    issuer_organization_id: str
    issuer_name: str
    period_from: date
    period_to: date
    star_level: int
    issued_at: datetime
    issued_on: date
    verification_url: str
    salt: bytes


def check_period(period_from: date, period_to: date, today: date) -> None:
    if period_from > period_to:
        raise DomainError("period_reversed", "证明期间的开始日期晚于结束日期", field="period_from")
    if period_to > today:
        raise DomainError("period_in_future", "证明期间不能包含未来的日期", field="period_to")


def check_served(entries: list[ServedEntry]) -> None:
    if not entries:
        raise DomainError(
            "no_verified_hours", "该期间内没有已核实的服务时长，不能开具证明", field="period_from"
        )


def hours_text(minutes: int) -> str:
    """Hours with one decimal, rounded half up in integers (no float ever enters a signature)."""
    tenths = (minutes * 10 + 30) // 60
    return f"{tenths // 10}.{tenths % 10}"


def activity_lines(entries: list[ServedEntry]) -> list[dict[str, Any]]:
    """One line per activity and day, by date then title; entries of the same day add up."""
    minutes: dict[tuple[str, str], int] = {}
    for entry in entries:
        key = (entry.served_on.isoformat(), entry.activity_title)
        minutes[key] = minutes.get(key, 0) + entry.minutes
    return [{"served_on": d, "title": t, "minutes": m} for (d, t), m in sorted(minutes.items())]


def compose(issue: Issue, entries: list[ServedEntry]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (attestation, record) pair of a certificate; refuses when nothing verified was served."""
    check_served(entries)
    lines = activity_lines(entries)
    record = {
        "salt": base64.b64encode(issue.salt).decode(),
        "holder_volunteer_id": issue.holder_volunteer_id,
        "holder_name": issue.holder_name,
        "activities": lines[:MAX_ACTIVITY_LINES],
        "more_activities": max(0, len(lines) - MAX_ACTIVITY_LINES),
    }
    total = sum(entry.minutes for entry in entries)
    attestation = {
        "format": FORMAT,
        "number": issue.number,
        "kid": issue.kid,
        "holder_name_masked": mask_name(issue.holder_name),
        "issuer_organization_id": issue.issuer_organization_id,
        "issuer_name": issue.issuer_name,
        "period_from": issue.period_from.isoformat(),
        "period_to": issue.period_to.isoformat(),
        "total_minutes": total,
        "total_hours": hours_text(total),
        "entry_count": len(entries),
        "star_level": issue.star_level,
        "star_level_label": star_label(issue.star_level).label,
        "issued_at": issue.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "issued_on": issue.issued_on.isoformat(),
        "verification_url": issue.verification_url,
        "record_digest": digest(record),
    }
    return attestation, record
