"""Qingchun partner event streams (合作机构事件订阅)."""

__version__ = "0.1.0"
