"""Recognition from verified hours: totals and star levels. Scaffold: the hours work package fills it in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from qingchun_contracts import Envelope
from qingchun_volunteering.app.context import VolunteeringContext

HANDLERS: dict[str, Callable[[VolunteeringContext, Envelope], Awaitable[None]]] = {}
