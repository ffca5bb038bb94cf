"""Every service and the gateway as real uvicorn processes, as ``make up`` starts them (the same
app factories, from the local runner's one topology), on free loopback ports, isolated by the
test's database and bus prefix; a test talks to the gateway alone, over HTTP and a WebSocket.

Each process writes its output to a file; when a test fails, the tail of every log is printed
with the failing GraphQL answer, and the processes are always stopped (SIGTERM to the group,
SIGKILL after a grace period) whatever happened."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from deploy_harness import runner_services
from qingchun_education.settings import EducationSettings
from qingchun_employment.settings import EmploymentSettings
from qingchun_partners.settings import PartnersSettings
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.testing.components import ensure_local_rabbitmq_management, free_port
from qingchun_plumbing.testing.fixtures import Isolation
from qingchun_registry.settings import RegistrySettings
from qingchun_volunteering.settings import VolunteeringSettings

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
READY_WITHIN = 60.0
STOP_GRACE = 10.0
LOG_TAIL = 25
SETTINGS: dict[str, type[ServiceSettings]] = {
    "registry": RegistrySettings,
    "volunteering": VolunteeringSettings,
    "education": EducationSettings,
    "employment": EmploymentSettings,
    "partners": PartnersSettings,
}
"""The services behind the gateway, with the settings class whose test values each process gets."""
PASSED_ON = ("mongo_url", "amqp_url", "db_prefix", "bus_prefix", "jwt_public_key_file", "outbox_poll_seconds")
"""The settings the test isolation sets (``Isolation.settings``), handed to each process as QINGCHUN_*."""
T = TypeVar("T")


@dataclass
class Process:
    name: str
    port: int
    log: Path
    popen: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def tail(self) -> str:
        lines = self.log.read_text(errors="replace").splitlines()[-LOG_TAIL:] if self.log.exists() else []
        return f"--- {self.name} ({self.log}) ---\n" + "\n".join(lines)


def environment(isolation: Isolation, name: str) -> dict[str, str]:
    """What the service ``name`` reads from its environment: the test's isolation settings (which
    also has its queues removed after the test)."""
    extra = {"rabbitmq_management_url": ensure_local_rabbitmq_management()} if name == "partners" else {}
    settings = isolation.settings(SETTINGS[name], name, **extra)
    env = {f"QINGCHUN_{key.upper()}": str(getattr(settings, key)) for key in (*PASSED_ON, *extra)}
    return os.environ | env | {"PYTHONUNBUFFERED": "1"}


def start(name: str, port: int, env: dict[str, str], logs: Path) -> Process:
    target = runner_services()[name][0]
    log = logs / f"{name}.log"
    command = [sys.executable, "-m", "uvicorn", "--factory", target, "--host", HOST, "--port", str(port)]
    with log.open("wb") as out:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, so stopping it stops anything it started
        )
    return Process(name, port, log, popen)


def stop(process: Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.popen.pid, signal.SIGTERM)
    try:
        process.popen.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(5)


async def ready(processes: list[Process], within: float = READY_WITHIN) -> None:
    """Every process answers ``/readyz`` (store and bus; the gateway also every service)."""
    deadline = asyncio.get_running_loop().time() + within
    async with httpx.AsyncClient(timeout=2.0) as http:
        for process in processes:
            while True:
                assert process.popen.poll() is None, f"{process.name} exited\n{process.tail()}"
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(process.url + "/readyz")).status_code == 200:
                        break
                assert asyncio.get_running_loop().time() < deadline, (
                    f"{process.name} never ready\n{process.tail()}"
                )
                await asyncio.sleep(0.2)


@dataclass
class Stack:
    """The running processes and a GraphQL client of the gateway."""

    isolation: Isolation
    processes: dict[str, Process]
    http: httpx.AsyncClient
    calls: list[str] = field(default_factory=list)

    @property
    def gateway_address(self) -> str:
        return f"{HOST}:{self.processes['gateway'].port}"

    def token(self, *roles: str, scope: list[str] | None = None, subject: str | None = None) -> str:
        return self.isolation.token(*roles, scope=scope, subject=subject)

    def logs(self) -> str:
        return "\n".join(p.tail() for p in self.processes.values())

    async def graph(self, document: str, variables: dict[str, Any] | None, token: str) -> dict[str, Any]:
        """The whole answer of one GraphQL request to the gateway."""
        self.calls.append(document.split("{", 1)[0].strip() or document[:40])
        response = await self.http.post(
            "/graphql",
            json={"query": document, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def ok(self, document: str, variables: dict[str, Any] | None, token: str) -> dict[str, Any]:
        """The data of an answer that must have no errors (else the errors are the failure)."""
        answer = await self.graph(document, variables, token)
        assert not answer.get("errors"), f"GraphQL errors: {answer['errors']}\nfor {document}\n{variables}"
        data: dict[str, Any] = answer["data"]
        return data


async def eventually(
    attempt: Callable[[], Awaitable[T]], done: Callable[[T], bool], within: float = 20, what: str = ""
) -> T:
    """Repeat ``attempt`` until ``done`` holds of its result: what arrives by events (a service
    learning of an organisation, a star level, an automatic badge) takes a relay poll or two."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = await attempt()
        if done(result):
            return result
        assert asyncio.get_running_loop().time() < deadline, f"never {what}: last answer {result}"
        await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def running(isolation: Isolation, logs: Path) -> AsyncIterator[Stack]:
    """The four services, then the gateway pointed at them; all stopped on the way out."""
    started: dict[str, Process] = {}
    try:
        behind = [name for name in runner_services() if name != "gateway"]
        assert set(behind) == set(SETTINGS), f"the runner's topology changed: {behind}"
        for name in behind:
            started[name] = start(name, free_port(), environment(isolation, name), logs)
        urls = {f"QINGCHUN_{name.upper()}_URL": process.url for name, process in started.items()}
        # the gateway reads the same store, bus and issuer settings; its live queue is its own and exclusive
        gateway_env = environment(isolation, "registry") | urls
        started["gateway"] = start("gateway", free_port(), gateway_env, logs)
        await ready(list(started.values()))
        async with httpx.AsyncClient(base_url=started["gateway"].url, timeout=30.0) as http:
            yield Stack(isolation, started, http)
    finally:
        for process in reversed(started.values()):
            stop(process)
