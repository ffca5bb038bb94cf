"""Errors the volunteering rules raise.

Each carries a stable ``code`` (the API turns it into a problem type) and the ``field`` at fault,
so staff and volunteers see which input to correct without the domain knowing about HTTP.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request; ``code`` is machine-readable, ``message`` is for people."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A state machine was asked for a move it does not allow; one code so clients can treat it alike."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__("invalid_transition", message, field)
