"""Event handlers of this area (filled in by its owner)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from qingchun_contracts import Envelope
from qingchun_employment.app.context import EmploymentContext

HANDLERS: dict[str, Callable[[EmploymentContext, Envelope], Awaitable[None]]] = {}
