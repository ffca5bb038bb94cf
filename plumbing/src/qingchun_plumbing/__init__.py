"""Qingchun shared plumbing."""
