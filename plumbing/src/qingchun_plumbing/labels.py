"""Enumerations whose members carry a Chinese label for staff-facing screens.

API values stay English codes; league staff read the labels (GraphQL enum descriptions,
export headers, problem details). Pure Python, so domain modules may use it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class LabelledEnum(StrEnum):
    """``MEMBER = ("code", "中文标签")``: the value is the code, ``.label`` the Chinese name."""

    label: str

    def __new__(cls, value: str, label: str = "") -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code → label, e.g. for an OpenAPI description or an export header."""
        return {m.value: m.label for m in cls}

    @classmethod
    def _missing_(cls, value: Any) -> None:
        return None
