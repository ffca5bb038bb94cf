"""What the application layer needs from the broker's user administration, as a port: production
and tests use the management-API adapter; another broker admin (an operator's CRD, rabbitmqctl)
would only need these four calls."""

from __future__ import annotations

from typing import Protocol

from qingchun_partners.domain.names import PartnerNames


class BrokerAdmin(Protocol):
    async def put_user(self, names: PartnerNames, password: str) -> None: ...

    async def delete_user(self, names: PartnerNames) -> None: ...

    async def close_connections(self, names: PartnerNames) -> int: ...

    async def close(self) -> None: ...
