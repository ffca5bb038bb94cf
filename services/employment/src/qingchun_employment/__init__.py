"""Qingchun employment service (青年创业者行动)."""

__version__ = "0.1.0"
