"""Partners' webhook endpoints over HTTPS: resolving the host (to refuse private addresses), the
ownership challenge at registration, and signed deliveries. Redirects are never followed: a public
endpoint must not bounce the platform into a private network."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass

import httpx

from qingchun_contracts.webhooks import CHALLENGE_TYPE


@dataclass(frozen=True)
class Answer:
    """What an endpoint answered: its HTTP status, or why there was none."""

    status: int | None
    error: str | None = None
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookClient:
    def __init__(self, timeout: float) -> None:
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    async def resolve(self, host: str) -> list[str]:
        """Every address the host resolves to ([] when it does not)."""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError:
            return []
        return sorted({str(info[4][0]) for info in infos})

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        try:
            response = await self._http.post(url, content=body, headers=headers)
        except httpx.TimeoutException:
            return Answer(None, "timeout")
        except httpx.HTTPError as exc:
            return Answer(None, type(exc).__name__)
        return Answer(response.status_code, body=response.content[:2000])

    def challenge_body(self, token: str) -> bytes:
        return f'{{"type":"{CHALLENGE_TYPE}","challenge":"{token}"}}'.encode()

    async def close(self) -> None:
        await self._http.aclose()
