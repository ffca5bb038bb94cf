"""Response bodies of check-in, crediting rules and hour entries, with Chinese labels beside codes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from qingchun_plumbing.mongo import Document
from qingchun_volunteering.domain.checkin_codes import CheckinCode
from qingchun_volunteering.domain.crediting import RuleSet
from qingchun_volunteering.domain.hours import EntryMethod, EntryStatus
from qingchun_volunteering.domain.signups import SignupStatus


class CheckinCodeOut(BaseModel):
    shift_id: str
    qr_text: str
    code: str
    valid_until: datetime
    period_seconds: int


class AttendanceOut(BaseModel):
    shift_id: str
    volunteer_id: str
    status: str
    status_label: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    checkin_method: str | None
    checkin_method_label: str | None


class BandOut(BaseModel):
    from_minutes: int
    unit_minutes: int
    rounding: str
    rounding_label: str


class CreditingRulesOut(BaseModel):
    organization_id: str
    source_organization_id: str | None
    source_label: str
    min_minutes: int
    bands: list[BandOut]
    daily_cap_minutes: int
    session_max_minutes: int | None


class EvidenceOut(BaseModel):
    description: str
    refs: list[str]


class HourEntryOut(BaseModel):
    id: str
    volunteer_id: str
    host_organization_id: str
    activity_id: str | None
    activity_title: str
    shift_id: str | None
    served_on: str
    raw_minutes: int
    credited_minutes: int
    method: str
    method_label: str
    status: str
    status_label: str
    verified_by: str | None
    verified_at: datetime | None
    rejection_reason: str | None
    evidence: EvidenceOut | None
    requested_by: str | None
    approved_by: str | None
    version: int
    created_at: datetime


class VerifyAllOut(BaseModel):
    verified: int
    skipped: int


def code_out(shift_id: str, code: CheckinCode, period_seconds: int) -> CheckinCodeOut:
    return CheckinCodeOut(
        shift_id=shift_id,
        qr_text=code.qr_text,
        code=code.code,
        valid_until=code.valid_until,
        period_seconds=period_seconds,
    )


def attendance_out(shift: Document, volunteer_id: str) -> AttendanceOut:
    entry = next(e for e in shift["signups"] if e["volunteer_id"] == volunteer_id)
    method = entry.get("checkin_method")
    return AttendanceOut(
        shift_id=shift["_id"],
        volunteer_id=volunteer_id,
        status=entry["status"],
        status_label=SignupStatus(entry["status"]).label,
        checked_in_at=entry.get("checked_in_at"),
        checked_out_at=entry.get("checked_out_at"),
        checkin_method=method,
        checkin_method_label=EntryMethod(method).label if method else None,
    )


def rules_out(org_id: str, rules: RuleSet, source: str | None) -> CreditingRulesOut:
    label = "平台默认规则" if source is None else "本组织规则" if source == org_id else "上级组织规则"
    return CreditingRulesOut(
        organization_id=org_id,
        source_organization_id=source,
        source_label=label,
        min_minutes=rules.min_minutes,
        bands=[
            BandOut(
                from_minutes=b.from_minutes,
                unit_minutes=b.unit_minutes,
                rounding=b.rounding.value,
                rounding_label=b.rounding.label,
            )
            for b in rules.bands
        ],
        daily_cap_minutes=rules.daily_cap_minutes,
        session_max_minutes=rules.session_max_minutes,
    )


def entry_out(doc: Document) -> HourEntryOut:
    method, status = EntryMethod(doc["method"]), EntryStatus(doc["status"])
    evidence = doc.get("evidence")
    fields = {
        k: doc.get(k)
        for k in (
            "volunteer_id",
            "host_organization_id",
            "activity_id",
            "activity_title",
            "shift_id",
            "served_on",
            "raw_minutes",
            "credited_minutes",
            "verified_by",
            "verified_at",
            "rejection_reason",
            "requested_by",
            "approved_by",
            "version",
            "created_at",
        )
    }
    return HourEntryOut(
        id=doc["_id"],
        method=method.value,
        method_label=method.label,
        status=status.value,
        status_label=status.label,
        evidence=EvidenceOut(**evidence) if evidence else None,
        **fields,
    )
