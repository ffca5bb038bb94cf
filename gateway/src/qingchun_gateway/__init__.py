"""Qingchun's GraphQL gateway: one graph over the four services' REST APIs."""

__version__ = "0.1.0"
