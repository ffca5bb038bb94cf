"""Gateway benchmark (issue 6): our Strawberry gateway against Hive Gateway over a Mesh composition of
the same four services' OpenAPI documents, under the same load, in the same run.

    uv run --frozen python bench/gateway_bench.py --results bench/gateway_results.json
    uv run --frozen python bench/gateway_bench.py --quick      # 2 rounds of 5 s: a smoke run

Uses the stack of ``make up`` when the gateway answers on 8100 (else runs ``runner.py up`` and, at
the end, ``runner.py down``). Seeds what the two queries need (``seed``), composes the peer
(``bench/peer``, ``npm ci`` first) and starts it on ``--peer-port``. Both gateways get their
spelling of the same two queries: the community dashboard (the persisted ``communityDashboard``)
and 100 activities with their host organisation. The answers are normalised and must be equal
before any load runs. Then each round runs every query against both gateways, one after the other
(the order flips each round, so the machine's noise falls on both), ``--concurrency`` clients in a
closed loop over loopback for ``--seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from gateway_load import Run, closed_loop

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for deploy.local.runner

from deploy.local import runner  # noqa: E402

PEER_DIR = ROOT / "bench" / "peer"
OURS = "http://127.0.0.1:8100/graphql"
BRAND = "基准测试"
DASHBOARD_COMMUNITY = "文昌阁社区"  # the demo community with a 市民学校 programme of 10 courses
LIST_SIZE = 100
DASHBOARD_ACTIVITIES = 10
SERVICE_NAMES = ("registry", "volunteering", "education", "employment")

OUR_LIST = """query ActivitiesWithHosts {
  activities(first: 100) {
    nodes { id title status { code label } host { id name type { code label } } }
  }
}
"""

Doc = dict[str, Any]


# the stack and the seed ---------------------------------------------------------------------
def ensure_stack() -> bool:
    """True when this run started the stack (and so stops it at the end)."""
    if runner.answers(8100, "/readyz"):
        return False
    subprocess.run([sys.executable, str(ROOT / "deploy/local/runner.py"), "up"], check=True, cwd=ROOT)
    return True


def stack_pids() -> dict[str, list[int]]:
    def pid(name: str) -> int:
        found = runner.read_pid(name)
        if found is None:
            raise SystemExit(f"no pid file for {name}: is `make up` running?")
        return found

    pids = {"services": [pid(name) for name in SERVICE_NAMES], "gateway": [pid("gateway")]}
    store = runner.read_pid(runner.SECANTUS)
    if store is not None:
        pids["store"] = [store]
    return pids


def token() -> str:
    """The token ``make token ROLE=city_admin`` prints (scoped to the demo's two city committees)."""
    issuer = runner.issuer()
    return issuer.issue(roles=["city_admin"], scope_orgs=runner.demo_root_ids(issuer), subject="bench")


def all_items(client: httpx.Client, path: str) -> list[Doc]:
    items: list[Doc] = []
    cursor: str | None = None
    while True:
        page = client.get(path, params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def seed(bearer: str) -> str:
    """At least ``LIST_SIZE`` activities in all, ``DASHBOARD_ACTIVITIES`` of them (2 shifts each) at
    the dashboard community, the rest spread over the other communities; returns its id.
    Idempotent: activities of the bench's brand already there count."""
    headers = {"Authorization": f"Bearer {bearer}"}
    with (
        httpx.Client(base_url=runner.base_url(8101), headers=headers, timeout=30) as registry,
        httpx.Client(base_url=runner.base_url(8102), headers=headers, timeout=30) as volunteering,
    ):
        communities = registry.get("/v1/organizations", params={"type": "community", "limit": 200}).json()
        by_name: dict[str, str] = {c["name"]: c["id"] for c in communities["items"]}
        home: str = by_name.get(DASHBOARD_COMMUNITY) or next(iter(by_name.values()))
        others = [i for i in by_name.values() if i != home]
        activities = all_items(volunteering, "/v1/activities")
        at_home = sum(1 for a in activities if a["host_organization_id"] == home)
        wanted = [home] * max(0, DASHBOARD_ACTIVITIES - at_home)
        missing = max(0, LIST_SIZE - len(activities) - len(wanted))
        wanted += [others[n % len(others)] for n in range(missing)]
        start = datetime(datetime.now(UTC).year + 1, 3, 1, 1, 0, tzinfo=UTC)
        for n, host in enumerate(wanted):
            day = start + timedelta(days=n)
            shifts = [
                {"starts_at": (day + timedelta(hours=h)).isoformat(), "capacity": 10 + n % 5}
                | {"ends_at": (day + timedelta(hours=h + 2)).isoformat()}
                for h in (0, 4)
            ]
            body = {
                "title": f"{BRAND}·社区志愿服务 {len(activities) + n + 1}",
                "host_organization_id": host,
                "category": "culture_education",
                "brand": BRAND,
                "shifts": shifts,
            }
            volunteering.post("/v1/activities", json=body).raise_for_status()
        if wanted:
            print(f"seeded {len(wanted)} activities ({BRAND})")
        return home


# the peer -----------------------------------------------------------------------------------
def start_peer(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    """Compose the supergraph from the live OpenAPI documents, then serve it with Hive Gateway."""
    if not (PEER_DIR / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True)
    supergraph = workdir / "supergraph.graphql"
    bin_dir = PEER_DIR / "node_modules" / ".bin"
    subprocess.run(
        [str(bin_dir / "mesh-compose"), "-o", str(supergraph)],
        cwd=PEER_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    log = (workdir / "peer.log").open("wb")
    command = [str(bin_dir / "hive-gateway"), "supergraph", str(supergraph), "-c", "gateway.config.ts"]
    process = subprocess.Popen(
        [*command, "-h", "127.0.0.1", "-p", str(port)],
        cwd=PEER_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ | {"NODE_ENV": "production"},
    )
    deadline = time.monotonic() + 60
    while not runner.answers(port, "/healthcheck"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the peer did not start; see {workdir / 'peer.log'}")
        time.sleep(0.3)
    return process


# the two queries, and what makes two answers the same ---------------------------------------
def _s(wrapped: Doc | None) -> Any:
    """Mesh's wrapper of a nullable OpenAPI value (``{ String }``) unwrapped."""
    return None if wrapped is None else wrapped.get("String")


def _when(value: str) -> str:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()


def _shifts(shifts: list[Doc], starts: str) -> list[list[Any]]:
    found = [[s["id"], _when(s[starts]), s["capacity"], s["free"], s["waitlisted"]] for s in shifts]
    return sorted(found, key=lambda s: (s[1], s[0]))


def _ours_coded(value: Doc) -> list[str]:
    return [value["code"], value["label"]]


def _peer_coded(item: Doc, name: str) -> list[str]:
    return [item[name], item[f"{name}_label"]]


def _ours_status(item: Doc) -> list[str]:
    return _ours_coded(item["status"])


def _peer_status(item: Doc) -> list[str]:
    return _peer_coded(item, "status")


def _courses(courses: list[Doc], status: Callable[[Doc], list[str]]) -> list[list[str]]:
    return [[c["id"], c["title"], *status(c)] for c in courses]


def ours_dashboard(data: Doc) -> Doc:
    o = data["organization"]
    area, parent, community, centre = o["area"], o["parent"], o["community"], o["youthCenter"]
    return {
        "org": [o["id"], o["name"], *_ours_coded(o["type"])],
        "area": [area["city"], area["district"], area["street"], area["community"]],
        "parent": parent and [parent["id"], parent["name"]],
        "community": community
        and [*_ours_coded(community["stage"]), community["batch"], community["isDemonstration"]],
        "youth_center": centre and [centre["status"]["code"], centre["compliant"]],
        "activities": [
            [a["id"], a["title"], *_ours_coded(a["status"]), _shifts(a["shifts"], "startsAt")]
            for a in o["activities"]["nodes"]
        ],
        "programmes": [
            [p["id"], p["name"], *_ours_coded(p["kind"]), _courses(p["courses"]["nodes"], _ours_status)]
            for p in o["programmes"]["nodes"]
        ],
        "teams": [[t["id"], t["name"], t["memberCount"]] for t in o["teams"]["nodes"]],
        "postings": [
            [p["id"], p["title"], *_ours_coded(p["kind"]), *_ours_coded(p["status"])]
            for p in o["postings"]["nodes"]
        ],
    }


def peer_dashboard(data: Doc) -> Doc:
    o = data["registry_get_organization_v1_organizations__organization_id__get"]
    area, parent, community, centre = o["area"], o["parent"], o["community"], o["youth_center"]
    return {
        "org": [o["id"], o["name"], *_peer_coded(o, "type")],
        "area": [_s(area["city"]), _s(area["district"]), _s(area["street"]), _s(area["community"])],
        "parent": parent and [parent["id"], parent["name"]],
        "community": community
        and [*_peer_coded(community, "stage"), _s(community["batch"]), community["is_demonstration"]],
        "youth_center": centre and [centre["status"], centre["compliant"]],
        "activities": [
            [a["id"], a["title"], *_peer_coded(a, "status"), _shifts(a["shifts"]["items"], "starts_at")]
            for a in o["activities"]["items"]
        ],
        "programmes": [
            [p["id"], p["name"], *_peer_coded(p, "kind"), _courses(p["courses"]["items"], _peer_status)]
            for p in o["programmes"]["items"]
        ],
        "teams": [[t["id"], t["name"], t["member_count"]] for t in o["teams"]["items"]],
        "postings": [
            [p["id"], p["title"], *_peer_coded(p, "kind"), *_peer_coded(p, "status")]
            for p in o["postings"]["items"]
        ],
    }


def ours_list(data: Doc) -> Doc:
    return {
        "activities": [
            [
                a["id"],
                a["title"],
                *_ours_status(a),
                [a["host"]["id"], a["host"]["name"], *_ours_coded(a["host"]["type"])],
            ]
            for a in data["activities"]["nodes"]
        ]
    }


def peer_list(data: Doc) -> Doc:
    return {
        "activities": [
            [
                a["id"],
                a["title"],
                *_peer_status(a),
                [a["host"]["id"], a["host"]["name"], *_peer_coded(a["host"], "type")],
            ]
            for a in data["volunteering_list_activities_v1_activities_get"]["items"]
        ]
    }


Normalise = Callable[[Doc], Doc]


def queries(org_id: str, peer_url: str) -> dict[str, dict[str, tuple[str, bytes, Normalise]]]:
    """query name -> gateway -> (url, request body, normaliser). The bodies are sent byte for byte
    the same on every request (ours: the persisted document itself)."""
    persisted = json.loads((ROOT / "gateway/src/qingchun_gateway/persisted_queries.json").read_text())

    def body(document: str, variables: Doc | None = None) -> bytes:
        return json.dumps({"query": document, "variables": variables or {}}).encode()

    peer = PEER_DIR / "queries"
    return {
        "community_dashboard": {
            "ours": (OURS, body(persisted["communityDashboard"], {"id": org_id}), ours_dashboard),
            "peer": (
                peer_url,
                body((peer / "community_dashboard.graphql").read_text(), {"id": org_id}),
                peer_dashboard,
            ),
        },
        "activities_with_hosts": {
            "ours": (OURS, body(OUR_LIST), ours_list),
            "peer": (peer_url, body((peer / "activities_with_hosts.graphql").read_text()), peer_list),
        },
    }


def same_answers(plan: dict[str, dict[str, tuple[str, bytes, Normalise]]], bearer: str) -> dict[str, int]:
    """Both gateways answer each query without errors and with the same data; returns answer sizes."""
    sizes: dict[str, int] = {}
    headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    for name, gateways in plan.items():
        seen = {}
        for gateway, (url, body, normalise) in gateways.items():
            response = httpx.post(url, content=body, headers=headers, timeout=60)
            answer = response.json()
            if response.status_code != 200 or answer.get("errors"):
                raise SystemExit(f"{gateway} failed {name}: {json.dumps(answer, ensure_ascii=False)[:800]}")
            seen[gateway] = normalise(answer["data"])
            sizes[f"{name}.{gateway}_bytes"] = len(response.content)
        if seen["ours"] != seen["peer"]:
            raise SystemExit(
                f"{name}: the gateways disagree\nours: {json.dumps(seen['ours'], ensure_ascii=False)[:1500]}"
                f"\npeer: {json.dumps(seen['peer'], ensure_ascii=False)[:1500]}"
            )
        counts = {k: len(v) for k, v in seen["ours"].items() if isinstance(v, list) and k != "org"}
        print(f"sanity: {name} equal on both gateways {counts}")
    return sizes


# the measurement ----------------------------------------------------------------------------
def merged(runs: list[Run]) -> Run:
    total = Run(seconds=sum(r.seconds for r in runs))
    for r in runs:
        total.latencies += r.latencies
        total.errors += r.errors
        total.first_error = total.first_error or r.first_error
        total.client_cpu += r.client_cpu
        for name, spent in r.cpu.items():
            total.cpu[name] = total.cpu.get(name, 0.0) + spent
    return total


def described(run: Run) -> dict[str, Any]:
    row: dict[str, Any] = run.row()
    done = max(1, len(run.latencies))
    row |= {f"{name}_cpu_ms_per_request": round(spent * 1000 / done, 2) for name, spent in run.cpu.items()}
    if run.first_error:
        row["first_error"] = run.first_error
    return row


async def measure(
    plan: dict[str, dict[str, tuple[str, bytes, Normalise]]],
    bearer: str,
    args: argparse.Namespace,
    watched: dict[str, dict[str, list[int]]],
) -> tuple[dict[str, dict[str, Run]], list[dict[str, Any]]]:
    """Every round runs each query on both gateways back to back; the order flips every round."""
    runs: dict[str, dict[str, list[Run]]] = {q: {"ours": [], "peer": []} for q in plan}
    log: list[dict[str, Any]] = []
    for gateways in plan.values():  # warm both up: caches, JIT, pools
        for gateway, (url, body, _) in gateways.items():
            await closed_loop(url, body, bearer, args.concurrency, args.warmup, watched[gateway])
    for round_no in range(args.rounds):
        order = ["ours", "peer"] if round_no % 2 == 0 else ["peer", "ours"]
        for name, gateways in plan.items():
            for gateway in order:
                url, body, _ = gateways[gateway]
                run = await closed_loop(url, body, bearer, args.concurrency, args.seconds, watched[gateway])
                runs[name][gateway].append(run)
                log.append({"round": round_no + 1, "query": name, "gateway": gateway} | described(run))
                print(f"  round {round_no + 1} {name:<22} {gateway:<5} {run.row()}")
    return {q: {g: merged(r) for g, r in by.items()} for q, by in runs.items()}, log


def ratios(ours: dict[str, Any], peer: dict[str, Any]) -> dict[str, float | None]:
    def div(a: float, b: float) -> float | None:
        return round(a / b, 2) if b else None

    return {
        "rps_ours_over_peer": div(ours["rps"], peer["rps"]),
        "p50_ours_over_peer": div(ours["p50_ms"], peer["p50_ms"]),
        "p99_ours_over_peer": div(ours["p99_ms"], peer["p99_ms"]),
    }


def versions() -> dict[str, str]:
    lock = json.loads((PEER_DIR / "package-lock.json").read_text())["packages"]
    found = {
        name: lock[f"node_modules/{name}"]["version"]
        for name in json.loads((PEER_DIR / "package.json").read_text())["dependencies"]
    }
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return found | {"node": node, "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds of 5 s, 2 s warm-up")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0, help="per gateway, query and round")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--peer-port", type=int, default=8110)
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.warmup = 2, 5.0, 2.0
    started = ensure_stack()
    bearer = token()
    org_id = seed(bearer)
    with tempfile.TemporaryDirectory(prefix="gateway-bench-") as tmp:
        peer = start_peer(args.peer_port, Path(tmp))
        try:
            pids = stack_pids()
            backend = {k: v for k, v in pids.items() if k != "gateway"}
            watched = {"ours": pids, "peer": {"gateway": [peer.pid], **backend}}
            plan = queries(org_id, f"http://127.0.0.1:{args.peer_port}/graphql")
            sizes = same_answers(plan, bearer)
            load_before = os.getloadavg()
            totals, log = asyncio.run(measure(plan, bearer, args, watched))
            load_after = os.getloadavg()
        finally:
            peer.terminate()
            peer.wait(timeout=15)
    if started:
        subprocess.run([sys.executable, str(ROOT / "deploy/local/runner.py"), "down"], check=False, cwd=ROOT)
    results: dict[str, Any] = {}
    for name, by in totals.items():
        ours, peer_row = described(by["ours"]), described(by["peer"])
        results[name] = {"ours": ours, "peer": peer_row, "ratio": ratios(ours, peer_row)}
        print(f"{name}: ours {ours}\n{' ' * len(name)}  peer {peer_row}\n  ratio {results[name]['ratio']}")
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": {
            "nproc": os.cpu_count(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after],
            "shared": "other work of the project ran on the machine during the run",
        },
        "settings": {
            "concurrency": args.concurrency,
            "rounds": args.rounds,
            "seconds_per_run": args.seconds,
            "warmup_seconds": args.warmup,
            "load_generator": "closed-loop async httpx client in this process (bench/gateway_load.py)",
            "ours": "uvicorn, 1 process (make up)",
            "peer": "Hive Gateway, 1 process (--fork 1), NODE_ENV=production",
        },
        "versions": versions(),
        "answer_sizes": sizes,
        "results": results,
        "runs": log,
    }
    if args.results:
        args.results.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
