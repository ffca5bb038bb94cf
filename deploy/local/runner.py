"""The no-Docker local runner behind ``make up``, ``make down``, ``make status`` and ``make token``.

It declares the whole local topology in one place (:data:`SERVICES`) and finds its components
in DESIGN.md §5's order, so a fresh machine needs nothing but Python and ``uv``:

* document store: ``$QINGCHUN_MONGO_URL``; else whatever MongoDB-wire server answers on
  127.0.0.1:27017; else SecantusDB started here with its data under ``.data/secantus``;
* broker: ``$QINGCHUN_AMQP_URL``; else the machine's RabbitMQ on 127.0.0.1:5672 (installed from
  Debian's packages where none answers);
* services: one detached ``uvicorn --factory`` process each, its pid in ``.data/run`` and its
  output in ``.data/logs``; a second ``up`` reuses every process that is alive and healthy.

Usage::

    python deploy/local/runner.py up|down|status
    python deploy/local/runner.py token [--role R ...] [--scope ORG_ID ...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: make `deploy` importable

from deploy.local.demo import DEMO_ROOTS, DemoError, load_demo
from deploy.local.demo_education import load_education_demo
from deploy.local.demo_employment import load_employment_demo
from deploy.local.demo_http import DemoRefused
from deploy.local.demo_partners import PARTNER, load_partners_demo
from deploy.local.demo_volunteering import load_volunteering_demo
from qingchun_plumbing.devtoken import DevIssuer
from qingchun_plumbing.testing.components import (
    ComponentError,
    ensure_local_rabbitmq,
    ensure_local_rabbitmq_management,
    mongo_answers,
    mongo_url_for,
    port_answers,
    start_secantus,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".data"
LOGS = DATA / "logs"
RUN = DATA / "run"
ISSUER_DIR = DATA / "dev-issuer"
SECANTUS_DIR = DATA / "secantus"

HOST = "127.0.0.1"
STORE_PORT = 27017
READY_TIMEOUT = 60.0
STOP_GRACE = 10.0
LOG_TAIL_LINES = 30
DEMO_SERVICE = "registry"
SECANTUS = "secantus"

# The local topology: service name -> (ASGI app factory, port). Adding a service is one line here.
SERVICES: dict[str, tuple[str, int]] = {
    "registry": ("qingchun_registry.service:create_app", 8101),
    "volunteering": ("qingchun_volunteering.service:create_app", 8102),
    "education": ("qingchun_education.service:create_app", 8103),
    "employment": ("qingchun_employment.service:create_app", 8104),
    "partners": ("qingchun_partners.service:create_app", 8105),
    "gateway": ("qingchun_gateway.service:create_app", 8100),  # last: it joins the others
}


class RunnerError(RuntimeError):
    """Something the developer must fix; the message says what, and ``main`` prints it and exits 1."""


@dataclass(frozen=True)
class Found:
    """A component in use: where it answers and how the runner came by it (for the summary)."""

    url: str
    how: str


# processes and pid files ---------------------------------------------------------------------
def pid_file(name: str) -> Path:
    return RUN / f"{name}.pid"


def log_file(name: str) -> Path:
    return LOGS / f"{name}.log"


def read_pid(name: str) -> int | None:
    """The recorded pid, or None when there is no readable pid file."""
    try:
        return int(pid_file(name).read_text().strip())
    except (OSError, ValueError):
        return None


def write_pid(name: str, pid: int) -> None:
    RUN.mkdir(parents=True, exist_ok=True)
    pid_file(name).write_text(f"{pid}\n")


def _cmdline(pid: int) -> str | None:
    """The process's command line where /proc exists (Linux); None elsewhere."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def _zombie(pid: int) -> bool:
    """A finished process not yet reaped still accepts signal 0; /proc tells it apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def ours(pid: int | None, marker: str) -> bool:
    """The pid is alive and still runs what we started (pids get reused after a reboot)."""
    if pid is None or not alive(pid):
        return False
    cmdline = _cmdline(pid)
    return cmdline is None or marker in cmdline


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal the whole process group (uvicorn and SecantusDB may have children of their own)."""
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return not alive(pid)


def stop(name: str, marker: str) -> str:
    """SIGTERM to the process group, SIGKILL after the grace period; always removes the pid file."""
    pid = read_pid(name)
    result = "not running"
    if pid is not None and ours(pid, marker):
        _signal_group(pid, signal.SIGTERM)
        result = f"stopped (pid {pid})"
        if not _wait_gone(pid, STOP_GRACE):
            _signal_group(pid, signal.SIGKILL)
            _wait_gone(pid, 5)
            result = f"killed after {STOP_GRACE:.0f} s (pid {pid})"
    pid_file(name).unlink(missing_ok=True)
    return result


def log_tail(name: str, lines: int = LOG_TAIL_LINES) -> str:
    try:
        return "\n".join(log_file(name).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def redact(url: str) -> str:
    """URLs are printed; their passwords are not."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# document store and broker -------------------------------------------------------------------
def ensure_store() -> Found:
    """$QINGCHUN_MONGO_URL, else a server already on 27017, else SecantusDB started here."""
    configured = os.environ.get("QINGCHUN_MONGO_URL")
    if configured:
        if not mongo_answers(configured, timeout_ms=5000):
            raise RunnerError(f"QINGCHUN_MONGO_URL={redact(configured)} does not answer a ping")
        return Found(configured, "from QINGCHUN_MONGO_URL")
    url = mongo_url_for(STORE_PORT)
    pid = read_pid(SECANTUS)
    if mongo_answers(url):
        if ours(pid, SECANTUS):
            return Found(url, f"SecantusDB started by the runner, pid {pid}, reused")
        return Found(url, "a MongoDB-wire server already on this machine, reused")
    if ours(pid, SECANTUS):
        stop(SECANTUS, SECANTUS)  # ours but not answering: restart it rather than wait on a wedged process
    if port_answers(HOST, STORE_PORT):
        raise RunnerError(
            f"{HOST}:{STORE_PORT} is taken by something that does not speak the MongoDB wire "
            "protocol; free the port or set QINGCHUN_MONGO_URL"
        )
    SECANTUS_DIR.mkdir(parents=True, exist_ok=True)
    process = start_secantus(SECANTUS_DIR, STORE_PORT, log_file(SECANTUS))
    write_pid(SECANTUS, process.pid)
    return Found(url, f"SecantusDB started by the runner, pid {process.pid}, data in {SECANTUS_DIR}")


def ensure_broker() -> Found:
    """$QINGCHUN_AMQP_URL, else the machine's RabbitMQ (which the runner never stops)."""
    configured = os.environ.get("QINGCHUN_AMQP_URL")
    if configured:
        return Found(configured, "from QINGCHUN_AMQP_URL")
    return Found(ensure_local_rabbitmq(), "the machine's RabbitMQ")


# services ------------------------------------------------------------------------------------
def base_url(port: int) -> str:
    return f"http://{HOST}:{port}"


def page_of(name: str, port: int) -> str:
    """What a developer opens first: the gateway's GraphQL page, every other service's OpenAPI page."""
    return f"{base_url(port)}/graphql" if name == "gateway" else f"{base_url(port)}/docs"


def answers(port: int, path: str) -> bool:
    try:
        return httpx.get(base_url(port) + path, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def service_running(name: str) -> int | None:
    """The pid of a healthy service this runner started, or None."""
    target, port = SERVICES[name]
    pid = read_pid(name)
    return pid if pid is not None and ours(pid, target) and answers(port, "/healthz") else None


def service_env(store: Found, broker: Found) -> dict[str, str]:
    management = (
        {}
        if os.environ.get("QINGCHUN_AMQP_URL")
        else {
            # the partner service administers partner users through the management API: enable it here
            "QINGCHUN_RABBITMQ_MANAGEMENT_URL": ensure_local_rabbitmq_management(),
            # development only: webhook receivers on this machine (the example consumer) may be registered
            "QINGCHUN_ALLOW_PRIVATE_WEBHOOK_HOSTS": "true",
        }
    )
    return (
        os.environ
        | management
        | {
            "QINGCHUN_MONGO_URL": store.url,
            "QINGCHUN_AMQP_URL": broker.url,
            "QINGCHUN_JWT_PUBLIC_KEY_FILE": str(DevIssuer(ISSUER_DIR).public_path.resolve()),
            "PYTHONUNBUFFERED": "1",
        }
    )


def start_service(name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A detached uvicorn (own session), so it outlives ``make up`` and stops as one group."""
    target, port = SERVICES[name]
    if port_answers(HOST, port):
        raise RunnerError(
            f"{HOST}:{port} ({name}) is taken by a process the runner did not start; stop it "
            "or run `make down`"
        )
    LOGS.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "uvicorn", "--factory", target, "--host", HOST, "--port", str(port)]
    with log_file(name).open("ab") as log:
        log.write(f"\n=== runner: starting {name} at {time.strftime('%Y-%m-%d %H:%M:%S')} ===\n".encode())
        log.flush()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    write_pid(name, process.pid)
    return process


def wait_ready(name: str, process: subprocess.Popen[bytes] | None, deadline: float) -> None:
    """Poll /readyz (store and bus both answer); fail early if the process died, with its log."""
    _, port = SERVICES[name]
    while time.monotonic() < deadline:
        if answers(port, "/readyz"):
            return
        if process is not None and process.poll() is not None:
            pid_file(name).unlink(missing_ok=True)
            raise RunnerError(
                f"{name} exited with code {process.returncode}; "
                f"last lines of {log_file(name)}:\n{log_tail(name)}"
            )
        time.sleep(0.2)
    stop(name, SERVICES[name][0])
    raise RunnerError(
        f"{name} was not ready within {READY_TIMEOUT:.0f} s (GET {base_url(port)}/readyz); "
        f"last {LOG_TAIL_LINES} lines of {log_file(name)}:\n{log_tail(name)}"
    )


def ensure_services(store: Found, broker: Found) -> dict[str, str]:
    """Reuse healthy services, (re)start the rest, then wait until all are ready; name -> how."""
    env = service_env(store, broker)
    started: dict[str, subprocess.Popen[bytes] | None] = {}
    how: dict[str, str] = {}
    for name, (target, _) in SERVICES.items():
        pid = service_running(name)
        if pid is not None:
            started[name], how[name] = None, f"pid {pid}, reused"
            continue
        stop(name, target)  # a stale pid file, or a process that no longer answers
        process = start_service(name, env)
        started[name], how[name] = process, f"pid {process.pid}, started"
    deadline = time.monotonic() + READY_TIMEOUT
    for name, child in started.items():
        wait_ready(name, child, deadline)
    return how


# tokens ----------------------------------------------------------------------------------------
def issuer() -> DevIssuer:
    return DevIssuer(ISSUER_DIR).ensure_keys()


def demo_root_ids(dev_issuer: DevIssuer) -> list[str]:
    """The demo's league city committees (孝感, 灵武), found through the registry; [] if not loaded."""
    _, port = SERVICES[DEMO_SERVICE]
    token = dev_issuer.issue(roles=["city_admin"], subject="dev-runner")
    try:
        response = httpx.get(
            f"{base_url(port)}/v1/organizations",
            params={"type": "league_city_committee", "limit": 200},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5.0,
        )
    except httpx.HTTPError:
        return []
    if response.status_code != 200:
        return []
    found = {item["name"]: item["id"] for item in response.json()["items"]}
    return [found[name] for name in DEMO_ROOTS if name in found]


# commands ------------------------------------------------------------------------------------
def cmd_up() -> int:
    began = time.monotonic()
    dev_issuer = issuer()
    store = ensure_store()
    broker = ensure_broker()
    how = ensure_services(store, broker)
    ready_after = time.monotonic() - began
    _, port = SERVICES[DEMO_SERVICE]

    def token_for(scope: list[str]) -> str:
        return dev_issuer.issue(roles=["city_admin"], scope_orgs=scope, subject="dev-demo-loader")

    asyncio.run(load_demo(base_url(port), token_for))

    def issue(roles: list[str], scope: list[str], subject: str) -> str:
        return dev_issuer.issue(roles=roles, scope_orgs=scope, subject=subject)

    loaded = asyncio.run(load_volunteering_demo(base_url(port), base_url(SERVICES["volunteering"][1]), issue))
    if loaded:
        print("Volunteering demo loaded: " + ", ".join(f"{n} {what}" for what, n in loaded.items()) + ".")
    taught = asyncio.run(load_education_demo(base_url(port), base_url(SERVICES["education"][1]), issue))
    if taught:
        print("Education demo loaded: " + ", ".join(f"{n} {what}" for what, n in taught.items()) + ".")
    hired = asyncio.run(load_employment_demo(base_url(port), base_url(SERVICES["employment"][1]), issue))
    if hired:
        print("Employment demo loaded: " + ", ".join(f"{n} {what}" for what, n in hired.items()) + ".")
    partners_dir = DATA / "partners"
    joined = asyncio.run(
        load_partners_demo(base_url(port), base_url(SERVICES["partners"][1]), issue, partners_dir)
    )
    if joined:
        print(f"Partner demo loaded: {PARTNER} (credentials, shown once, kept in {partners_dir}/).")
    print(f"\nQingchun is up: ready in {ready_after:.1f} s, {time.monotonic() - began:.1f} s with demo data.")
    print(f"  {'store':<12} {redact(store.url)}  ({store.how})")
    print(f"  {'broker':<12} {redact(broker.url)}  ({broker.how})")
    for name, (_, service_port) in SERVICES.items():
        print(f"  {name:<12} {page_of(name, service_port)}  ({how[name]})")
    admin_token = dev_issuer.issue(
        roles=["city_admin"], scope_orgs=demo_root_ids(dev_issuer), subject="dev-city-admin"
    )
    print(f"\nA token:      {admin_token}")
    print("              (city_admin over 孝感团市委 and 灵武团市委; another: make token ROLE=… SCOPE=…)")
    print(
        f'Try:          curl -H "Authorization: Bearer $(make -s token)" '
        f"'{base_url(port)}/v1/organizations?type=community'"
    )
    graph = base_url(SERVICES["gateway"][1]) + "/graphql"
    print(f"GraphQL:      {graph}  (GraphiQL; paste the token as the Authorization: Bearer header;")
    print("              subscriptions on ws://…/graphql with the token in connection_init)")
    print(f"Logs:         {LOGS}    Stop: make down    Status: make status")
    return 0


def cmd_down() -> int:
    for name, (target, _) in reversed(SERVICES.items()):
        print(f"  {name:<12} {stop(name, target)}")
    secantus = stop(SECANTUS, SECANTUS)
    print(
        f"  {'store':<12} SecantusDB {secantus}"
        if secantus != "not running"
        else f"  {'store':<12} left alone (the runner did not start one)"
    )
    print(f"  {'broker':<12} left running (it is the machine's)")
    return 0


def _line(name: str, running: bool, url: str, note: str = "") -> str:
    state = "running" if running else "stopped"
    return f"  {name:<12} {state:<8} {url}" + (f"  ({note})" if note else "")


def cmd_status() -> int:
    store_url = os.environ.get("QINGCHUN_MONGO_URL") or mongo_url_for(STORE_PORT)
    secantus_pid = read_pid(SECANTUS)
    running = mongo_answers(store_url, timeout_ms=1000)
    note = f"SecantusDB, pid {secantus_pid}" if ours(secantus_pid, SECANTUS) else ""
    if running and not note:
        note = "not started by the runner"
    print(_line("store", running, redact(store_url), note))
    broker_url = os.environ.get("QINGCHUN_AMQP_URL") or "amqp://guest:guest@127.0.0.1:5672/"
    broker = urlsplit(broker_url)
    print(_line("broker", port_answers(broker.hostname or HOST, broker.port or 5672), redact(broker_url)))
    for name, (_, port) in SERVICES.items():
        pid = service_running(name)
        print(_line(name, pid is not None, page_of(name, port), f"pid {pid}" if pid else ""))
    return 0


def cmd_token(roles: Sequence[str] | None, scopes: Sequence[str] | None, subject: str | None) -> int:
    dev_issuer = issuer()
    scope = list(scopes) if scopes else demo_root_ids(dev_issuer)
    if not scope:
        print("note: no --scope given and no demo data found: the token has no data scope", file=sys.stderr)
    print(dev_issuer.issue(roles=list(roles or ["city_admin"]), scope_orgs=scope, subject=subject))
    return 0


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="runner.py", description="Run Qingchun locally without Docker.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start the store, the broker and every service; load demo data")
    commands.add_parser("down", help="stop what the runner started")
    commands.add_parser("status", help="one line per component")
    token = commands.add_parser("token", help="print a development token")
    token.add_argument("--role", action="append", help="role (repeatable); default city_admin")
    token.add_argument(
        "--scope",
        action="append",
        help="organisation id (repeatable); default the demo's two city committees",
    )
    token.add_argument("--subject", help="the person (token sub), e.g. yc-03 of the demo")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    try:
        if args.command == "up":
            return cmd_up()
        if args.command == "down":
            return cmd_down()
        if args.command == "status":
            return cmd_status()
        return cmd_token(args.role, args.scope, args.subject)
    except (
        RunnerError,
        ComponentError,
        DemoError,
        DemoRefused,
        subprocess.CalledProcessError,
    ) as error:
        print(f"runner {args.command}: {error}", file=sys.stderr)
        return 1
    except httpx.HTTPError as error:  # e.g. a service that stopped answering during the demo load
        print(f"runner {args.command}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
