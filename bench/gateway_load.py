"""The load generator of the gateway benchmark: a closed loop of N concurrent clients posting one
GraphQL document for a fixed time, and the CPU that each process tree spent meanwhile.

The client's own CPU is measured with every run, so a run where the client, not the gateway, was
the limit shows itself (a client near 100% of a core is saturated)."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from measure import percentile

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One gateway, one query, one stretch of load."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    client_cpu: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    first_error: str | None = None

    def failed(self, what: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or what[:300]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def row(self) -> dict[str, float | int]:
        ordered = self.latencies or [0.0]
        return {
            "requests": len(self.latencies),
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(percentile(ordered, 0.5) * 1000, 1),
            "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
            "client_cpu_of_a_core": round(self.client_cpu / self.seconds, 2) if self.seconds else 0.0,
        }


def children(pid: int) -> list[int]:
    """``pid`` and every process below it (node may fork; uvicorn may run workers)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(parents.get(current, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU of these processes' trees so far."""
    total = 0
    for pid in {p for root in pids for p in children(root)}:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


async def closed_loop(
    url: str, body: bytes, token: str, concurrency: int, seconds: float, watched: dict[str, list[int]]
) -> Run:
    """``concurrency`` clients each send the next request as soon as the last one is answered.

    A request counts as an error when the status is not 200 or the body carries GraphQL ``errors``;
    errors are not in the latency figures."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    run = Run(seconds=seconds)
    async with httpx.AsyncClient(limits=limits, timeout=60.0) as client:

        async def one() -> None:
            began = time.perf_counter()
            try:
                response = await client.post(url, content=body, headers=headers)
            except httpx.HTTPError as error:
                run.failed(f"{type(error).__name__}: {error}")
                return
            if response.status_code != 200 or b'"errors":' in response.content:
                run.failed(f"{response.status_code} {response.text}")
                return
            run.latencies.append(time.perf_counter() - began)

        await asyncio.gather(*(one() for _ in range(concurrency)))  # open the connections first
        run.latencies.clear()
        run.errors, run.first_error = 0, None
        before = {name: cpu_seconds(pids) for name, pids in watched.items()}
        client_before = time.process_time()
        began = time.perf_counter()
        deadline = began + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                await one()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        run.seconds = time.perf_counter() - began
        run.client_cpu = time.process_time() - client_before
        run.cpu = {name: cpu_seconds(pids) - before[name] for name, pids in watched.items()}
    return run
