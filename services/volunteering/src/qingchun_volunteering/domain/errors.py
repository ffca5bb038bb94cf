"""Volunteering's rules raise the platform's domain errors (one definition for all services)."""

from qingchun_plumbing.rules import DomainError, InvalidTransition

__all__ = ["DomainError", "InvalidTransition"]
