"""Where the document store and the broker come from, in DESIGN.md §5's order.

1. ``QINGCHUN_MONGO_URL`` / ``QINGCHUN_AMQP_URL`` when set;
2. testcontainers (real ``mongo`` and ``rabbitmq`` images) when a Docker engine answers;
3. the local runner's components: SecantusDB started as a subprocess (a development/test
   dependency, never imported here: it is GPL-2.0-only) and the machine's RabbitMQ on
   127.0.0.1:5672, installed from Debian's packages and started where none answers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pymongo import MongoClient

LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


@dataclass(frozen=True)
class Components:
    mongo_url: str
    amqp_url: str
    origin: str


class ComponentError(RuntimeError):
    """A component could not be found or started; the message says what to do."""


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def mongo_answers(url: str, timeout_ms: int = 1000) -> bool:
    client: MongoClient[dict[str, object]] = MongoClient(url, serverSelectionTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
        return True
    except Exception:  # any failure to ping means "not there yet"
        return False
    finally:
        client.close()


def wait_until(check: object, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.2)
    raise ComponentError(f"{what} did not become ready within {timeout:.0f} s")


def start_secantus(storage: Path | str, port: int, log_file: Path) -> subprocess.Popen[bytes]:
    """Start SecantusDB on 127.0.0.1:port with its data at ``storage`` (``:memory:`` for tests)."""
    if shutil.which("secantusd-py") is None and not _secantus_installed():
        raise ComponentError("SecantusDB is not installed: run `uv sync` (it is in the dev group)")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "secantus",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--storage-path",
                str(storage),
                "--log-level",
                "WARNING",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = mongo_url_for(port)
    try:
        wait_until(lambda: process.poll() is None and mongo_answers(url), "SecantusDB", 60)
    except ComponentError:
        process.kill()
        raise ComponentError(f"SecantusDB did not start; see {log_file}") from None
    return process


def _secantus_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("secantus") is not None


def mongo_url_for(port: int) -> str:
    return f"mongodb://127.0.0.1:{port}/?directConnection=true"


def ensure_local_rabbitmq(timeout: float = 90) -> str:
    """The machine's RabbitMQ on 127.0.0.1:5672; installed (Debian) and started where none answers."""
    if port_answers("127.0.0.1", 5672):
        return LOCAL_AMQP_URL
    if shutil.which("rabbitmq-server") is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise ComponentError(
                "no RabbitMQ on 127.0.0.1:5672; install rabbitmq-server or set QINGCHUN_AMQP_URL"
            )
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "rabbitmq-server"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    subprocess.run(["rabbitmq-server", "-detached"], check=False)
    wait_until(lambda: port_answers("127.0.0.1", 5672), "RabbitMQ", timeout)
    return LOCAL_AMQP_URL


LOCAL_MANAGEMENT_URL = "http://127.0.0.1:15672"


def ensure_local_rabbitmq_management(timeout: float = 90) -> str:
    """The management HTTP API of the machine's RabbitMQ (user administration for partner feeds).

    ``QINGCHUN_RABBITMQ_MANAGEMENT_URL`` when set; else 127.0.0.1:15672, enabling the plugin there
    (idempotent: ``rabbitmq-plugins enable`` on an enabled plugin changes nothing) when it does not
    answer, then waiting until it does.
    """
    configured = os.environ.get("QINGCHUN_RABBITMQ_MANAGEMENT_URL")
    if configured:
        return configured
    if port_answers("127.0.0.1", 15672):
        return LOCAL_MANAGEMENT_URL
    if shutil.which("rabbitmq-plugins") is None:
        raise ComponentError(
            "the RabbitMQ management API does not answer on 127.0.0.1:15672 and rabbitmq-plugins is not "
            "installed; enable rabbitmq_management or set QINGCHUN_RABBITMQ_MANAGEMENT_URL"
        )
    subprocess.run(["rabbitmq-plugins", "enable", "rabbitmq_management"], check=True, capture_output=True)
    wait_until(lambda: port_answers("127.0.0.1", 15672), "RabbitMQ management API", timeout)
    return LOCAL_MANAGEMENT_URL


def docker_engine_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:  # no SDK, no socket, no engine: all mean "no Docker here"
        return False


@contextlib.contextmanager
def containers() -> Iterator[Components]:
    """Real mongo and rabbitmq images through testcontainers."""
    from testcontainers.core.container import DockerContainer

    mongo = DockerContainer("mongo:7").with_exposed_ports(27017)
    rabbit = DockerContainer("rabbitmq:3.13").with_exposed_ports(5672)
    with mongo, rabbit:
        mongo_url = mongo_url_for_host(mongo.get_container_host_ip(), int(mongo.get_exposed_port(27017)))
        host, port = rabbit.get_container_host_ip(), int(rabbit.get_exposed_port(5672))
        wait_until(lambda: mongo_answers(mongo_url), "mongo container", 60)
        wait_until(lambda: port_answers(host, port), "rabbitmq container", 90)
        time.sleep(3)  # the broker opens its port before it accepts logins
        yield Components(mongo_url, f"amqp://guest:guest@{host}:{port}/", "testcontainers")


def mongo_url_for_host(host: str, port: int) -> str:
    return f"mongodb://{host}:{port}/?directConnection=true"


@contextlib.contextmanager
def test_components(work_dir: Path) -> Iterator[Components]:
    """The components a test session uses, found in DESIGN.md §5's order."""
    mongo_url, amqp_url = os.environ.get("QINGCHUN_MONGO_URL"), os.environ.get("QINGCHUN_AMQP_URL")
    if mongo_url and amqp_url:
        yield Components(mongo_url, amqp_url, "environment")
        return
    if docker_engine_answers():
        with containers() as found:
            yield Components(mongo_url or found.mongo_url, amqp_url or found.amqp_url, found.origin)
        return
    amqp = amqp_url or ensure_local_rabbitmq()
    if mongo_url:
        yield Components(mongo_url, amqp, "environment+local")
        return
    port = free_port()
    process = start_secantus(":memory:", port, work_dir / "secantus.log")
    try:
        yield Components(mongo_url_for(port), amqp, "local")
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()
