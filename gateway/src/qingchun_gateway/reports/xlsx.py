"""Spreadsheets (.xlsx) of a monthly report and of the month's activity ledger (台账), with
Chinese headers. Only counts, public labels and activities' public facts are written: never a
person, never a minor's data, never a care file (the figures carry none to begin with)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs in the lock
from openpyxl.styles import Font  # type: ignore[import-untyped]

from qingchun_gateway.reports.labels import SECTIONS, figure_label

REPORT_HEADERS = ("板块", "指标", "分项", "数值")
LEDGER_HEADERS = ("活动名称", "类别", "品牌", "日期", "地点", "场次", "人次", "核验时长（分钟）")
SUPPRESSED = "<5"


def _sheet(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_rows(figures: Mapping[str, Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """One row per figure, and one per breakdown item under it; a withheld count reads "<5"."""
    rows: list[tuple[Any, ...]] = []
    for section, values in figures.items():
        for key, value in values.items():
            name = figure_label(section, key)
            if isinstance(value, list):
                for item in value:
                    shown = item.get("count", item.get("value"))
                    rows.append(
                        (
                            SECTIONS.get(section, section),
                            name,
                            item["label"],
                            SUPPRESSED if shown is None else shown,
                        )
                    )
            else:
                rows.append((SECTIONS.get(section, section), name, "", value))
    return rows


def report_workbook(title: str, figures: Mapping[str, Mapping[str, Any]]) -> bytes:
    return _sheet(title, REPORT_HEADERS, report_rows(figures))


def ledger_workbook(title: str, activities: Iterable[Mapping[str, Any]]) -> bytes:
    rows = (
        (
            a["title"],
            a["category_label"],
            a.get("brand") or "",
            "、".join(a["dates"]),
            "、".join(a["places"]),
            a["sessions"],
            a["participants"],
            a["verified_minutes"],
        )
        for a in activities
    )
    return _sheet(title, LEDGER_HEADERS, rows)
