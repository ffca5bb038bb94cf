"""The broker names of one partner, derived from the bus prefix and the partner id alone, so the
service, the permission regex and the clean-up always agree (and test runs never meet)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PartnerNames:
    prefix: str
    partner_id: str

    @property
    def username(self) -> str:
        return f"{self.prefix}partner.{self.partner_id}"

    @property
    def queue(self) -> str:
        return f"{self.prefix}qingchun.partner.{self.partner_id}"

    @property
    def stream(self) -> str:
        return f"{self.queue}.stream"

    @property
    def read_pattern(self) -> str:
        """The user's read permission: its own queue and stream, nothing else."""
        return f"^{re.escape(self.queue)}(\\.stream)?$"


NOTHING = "^$"
"""Configure and write permissions of a partner user: it may declare, bind and publish nothing."""
