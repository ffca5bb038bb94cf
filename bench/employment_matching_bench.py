"""Employment matching benchmark: top-20 both ways at city scale, beside a naive full-scan baseline.

    uv run python bench/employment_matching_bench.py --results bench/employment_matching_results.json
    uv run python bench/employment_matching_bench.py --quick      # 5,000 / 5,000, a smoke run

Starts its own SecantusDB (on disk, in a temporary folder) unless QINGCHUN_MONGO_URL is set, seeds
an organisation tree of 孝感 (1 city, 5 districts, 40 streets, 300 communities, 2,000 employers),
the postings and the seekers straight into the store (in a child process, so this process measures
like the service would), creates every index the service declares (``service.INDEXES``), then runs
the real app/adapters path (``app.matching.postings_for_seeker`` / ``seekers_for_posting`` on an
``EmploymentContext``; HTTP and token checks are not included) and the naive baseline, which reads
the whole collection and scores every pair with the same scorer. Prints a table and, with
``--results FILE``, writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from measure import covered, rss_kb, summary
from pymongo import MongoClient

from qingchun_employment import service
from qingchun_employment.adapters.applications import ApplicationStore
from qingchun_employment.adapters.match_keys import posting_match_keys, seeker_match_keys
from qingchun_employment.adapters.matching import MatchingStore
from qingchun_employment.adapters.postings import PostingStore
from qingchun_employment.adapters.seekers import SeekerStore
from qingchun_employment.adapters.ventures import VentureStore
from qingchun_employment.app import matching
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.domain.matching import LOOKING_STATUSES, Match, OrgTree, rank, score_pair
from qingchun_employment.settings import EmploymentSettings
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import Database, Document, connect, ensure_indexes
from qingchun_plumbing.testing.components import free_port, mongo_url_for, start_secantus

LIMIT = 20
CHUNK = 5000
TITLES = ["普工", "缝纫工", "仓管员", "营业员", "家政服务员", "厨师", "电工", "文员"]
CITY = "孝感团市委"
DISTRICTS = ["孝南区", "高新区", "市开发区", "孝昌县", "云梦县"]
STREETS = {  # DOMAIN.md §5.1: streets and their first-batch communities
    "新华街道": ["文昌阁社区", "中山社区"],
    "广场街道": ["城东社区", "一宫社区"],
    "书院街道": ["书院社区", "后湖社区"],
    "车站街道": ["民主社区", "胜利社区"],
}
HIGH_TECH_COMMUNITIES = ["汉光社区", "红光社区"]
EMPLOYER_WORDS = [
    "金龙纺织",
    "楚天物流",
    "孝感麻糖",
    "槐荫家政",
    "董永米酒",
    "澴河建材",
    "双峰山旅游",
    "安信电子",
]
CATEGORIES = [  # trades; a few share a code with education's course categories (certificates count)
    "manufacturing",
    "textile",
    "catering",
    "retail",
    "logistics",
    "domestic_service",
    "construction",
    "community_service",
    "agriculture",
    "computer",
    "health_care",
    "crafts",
]
KINDS = ["full_time", "full_time", "full_time", "part_time", "flexible", "public_welfare", "traineeship"]
KINDS += ["homecoming_internship"]
SKILLS = [f"skill_{n:02d}" for n in range(60)] + ["computer", "foreign_language", "crafts", "health_care"]
COURSE_CATEGORIES = ["computer", "vocational", "crafts", "health_care", "foreign_language", "reemployment"]
SEEKER_CATEGORIES = ["hard_to_employ", "laid_off", "graduate", "returning_student", "migrant_youth"]
SEEKER_CATEGORIES += ["rural_youth", "failed_exam"]
SEEKER_STATUSES = ["registered", "assessed", "serviced", "employed", "started_business", "inactive"]
SEEKER_STATUS_WEIGHTS = [25, 20, 20, 25, 5, 5]


# --- seeding (a child process) ---------------------------------------------------------------
def org_tree(rng: random.Random, employers: int) -> list[Document]:
    """孝感: a city, 5 districts, 40 streets (8 each), 300 communities, employers under streets."""
    now = datetime.now(UTC)

    def org(org_id: str, name: str, type_: str, parent: str | None) -> Document:
        return {
            "_id": org_id,
            "name": name,
            "type": type_,
            "parent_id": parent,
            "status": "active",
            "as_of": now,
        }

    named_streets = list(STREETS)
    orgs = [org("org_city", CITY, "league_city_committee", None)]
    streets: list[str] = []
    community_no = 0
    per_street = [7] * 20 + [8] * 20  # 300 communities over 40 streets
    rng.shuffle(per_street)
    for d, district in enumerate(DISTRICTS):
        orgs.append(org(f"org_d{d}", f"{district}团区委", "league_district_committee", "org_city"))
        for k in range(8):
            s = d * 8 + k
            name = named_streets[s] if s < len(named_streets) else f"{district}第{k + 1}街道"
            street_id = f"org_s{s:02d}"
            streets.append(street_id)
            orgs.append(org(street_id, f"{name}团工委", "league_working_committee", f"org_d{d}"))
            names = STREETS.get(name, []) + (HIGH_TECH_COMMUNITIES if (d, k) == (1, 0) else [])
            for j in range(per_street[s]):
                cname = names[j] if j < len(names) else f"{name}第{j + 1}社区"
                orgs.append(org(f"org_c{community_no:03d}", cname, "community", street_id))
                community_no += 1
    for e in range(employers):
        name = f"孝感市{rng.choice(EMPLOYER_WORDS)}有限公司第{e}分公司"
        orgs.append(org(f"org_e{e:04d}", name, "enterprise", rng.choice(streets)))
    return orgs


def chain_of(parents: dict[str, str | None], org_id: str) -> list[str]:
    out = [org_id]
    while (parent := parents[out[-1]]) is not None:
        out.append(parent)
    return out


def postings(
    rng: random.Random, n: int, places: dict[str, list[str]], parents: dict[str, str | None], now: datetime
) -> Iterator[Document]:
    """Two years of postings, up 30 (60%), 60 or 90 days each: about 6% are open now. Placed at the
    employer (60%), a community (25%), a street (10%), a district (4%) or the city (1%)."""
    for i in range(n):
        published = now - timedelta(days=rng.uniform(0, 730))
        expires = published + timedelta(days=rng.choices([30, 60, 90], [60, 30, 10])[0])
        headcount = rng.choice([1, 1, 2, 3, 5, 10, 20])
        if expires <= now:
            status = rng.choices(["expired", "filled", "withdrawn"], [70, 20, 10])[0]
        else:
            status = rng.choices(["published", "submitted", "held", "draft", "filled"], [85, 5, 2, 5, 3])[0]
        hired = headcount if status == "filled" else rng.randint(0, headcount - 1)
        employer = rng.choice(places["employer"])
        level = rng.choices(["employer", "community", "street", "district", "city"], [60, 25, 10, 4, 1])[0]
        place = employer if level == "employer" else rng.choice(places[level])
        pay_min = rng.choice([None, 1800, 2200, 2600, 3000, 3500, 4500])
        document: Document = {
            "_id": f"pst_{i:07d}",
            "employer_organization_id": employer,
            "origin_community_id": rng.choice(places["community"]) if rng.random() < 0.4 else None,
            "title": f"{rng.choice(TITLES)}{i}",
            "category": rng.choice(CATEGORIES),
            "kind": rng.choice(KINDS),
            "headcount": headcount,
            "hired": hired,
            "skills": rng.sample(SKILLS, rng.choice([0, 1, 1, 2, 2, 3])),
            "requirements": "身体健康，吃苦耐劳，有相关工作经验者优先；实名制登记，不收取任何费用。",
            "place_organization_id": place,
            "area_ids": chain_of(parents, place),
            "pay_min": pay_min,
            "pay_max": pay_min + 1500 if pay_min else None,
            "status": status,
            "published_at": published,
            "expires_at": expires,
            "created_at": published,
            "version": 1,
        }
        document["match_keys"] = posting_match_keys(document)
        yield document


def seekers(
    rng: random.Random, n: int, homes: list[str], parents: dict[str, str | None], today: date
) -> Iterator[Document]:
    """Seekers in 300 communities (~330 each); 65% still looking; 30% hold 1-2 course certificates."""
    for i in range(n):
        home = rng.choice(homes)
        certs = rng.sample(COURSE_CATEGORIES, rng.choice([1, 1, 2])) if rng.random() < 0.3 else []
        later = rng.random() < 0.25
        document = {
            "_id": f"skr_{i:07d}",
            "subject_id": f"sub_{i:07d}",
            "real_name": f"求职者{i}",
            "phone": f"139{i:08d}",
            "consent": {"recorded_at": datetime(2024, 1, 1, tzinfo=UTC), "version": 1},
            "residence_community_id": home,
            "area_ids": chain_of(parents, home),
            "category": rng.choice(SEEKER_CATEGORIES),
            "skills": rng.sample(SKILLS, rng.choice([0, 1, 2, 2, 3, 4])) + [f"cert:{c}" for c in certs],
            "certificates": [
                {"number": f"EDU-{i}-{k}", "category": c, "issued_at": datetime(2024, 6, 1, tzinfo=UTC)}
                for k, c in enumerate(certs)
            ],
            "wanted_categories": rng.sample(CATEGORIES, rng.choice([0, 1, 2, 3])),
            "wanted_kinds": rng.sample(sorted(set(KINDS)), rng.choice([0, 1, 2])),
            "available_from": (today + timedelta(days=rng.randint(1, 120))).isoformat() if later else None,
            "status": rng.choices(SEEKER_STATUSES, SEEKER_STATUS_WEIGHTS)[0],
            "version": 1,
        }
        document["match_keys"] = seeker_match_keys(document)
        yield document


def seed(
    url: str, db_name: str, posting_count: int, seeker_count: int, employers: int, now: datetime, seed_no: int
) -> None:
    rng = random.Random(seed_no)
    client: MongoClient[Document] = MongoClient(url, tz_aware=True)
    db = client[db_name]
    orgs = org_tree(rng, employers)
    db.organizations.insert_many(orgs)
    parents = {o["_id"]: o["parent_id"] for o in orgs}
    level = {
        "league_city_committee": "city",
        "league_district_committee": "district",
        "league_working_committee": "street",
        "community": "community",
        "enterprise": "employer",
    }
    places: dict[str, list[str]] = defaultdict(list)
    for o in orgs:
        places[level[o["type"]]].append(o["_id"])
    for collection, documents in (
        (db.postings, postings(rng, posting_count, places, parents, now)),
        (db.seekers, seekers(rng, seeker_count, places["community"], parents, now.date())),
    ):
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) == CHUNK:
                collection.insert_many(batch, ordered=False)
                batch = []
        if batch:
            collection.insert_many(batch, ordered=False)
    client.close()


# --- measuring ---------------------------------------------------------------------------------
Spans = dict[str, list[tuple[float, float]]]


async def timed(spans: Spans, stage: str, call: Any, *args: Any) -> Any:
    started = time.perf_counter()
    result = await call(*args)
    spans[stage].append((started, time.perf_counter()))
    return result


class TimedMatchingStore(MatchingStore):
    """The real store, with the wall time of each call and the candidates it returned recorded."""

    def __init__(self, db: Database, spans: Spans) -> None:
        super().__init__(db)
        self.spans = spans
        self.candidates = 0

    async def _candidates(self, call: Any, *args: Any) -> Any:
        result = await timed(self.spans, "candidates", call, *args)
        self.candidates += len(result)
        return result

    async def org_tree(self, must_know: Any = ()) -> Any:
        return await timed(self.spans, "lookups", super().org_tree, must_know)

    async def applied_to(self, *args: Any) -> Any:
        return await timed(self.spans, "lookups", super().applied_to, *args)

    async def open_in_area(self, *args: Any) -> Any:
        return await self._candidates(super().open_in_area, *args)

    async def open_at(self, *args: Any) -> Any:
        return await self._candidates(super().open_at, *args)

    async def open_by_keys(self, *args: Any) -> Any:
        return await self._candidates(super().open_by_keys, *args)

    async def seekers_holding(self, *args: Any) -> Any:
        return await self._candidates(super().seekers_holding, *args)

    async def seekers_looking_in(self, *args: Any) -> Any:
        return await self._candidates(super().seekers_looking_in, *args)

    async def seekers_by_keys(self, *args: Any) -> Any:
        return await self._candidates(super().seekers_by_keys, *args)


class TimedPostingStore(PostingStore):
    def __init__(self, db: Database, spans: Spans) -> None:
        super().__init__(db)
        self.spans = spans

    async def posting(self, *args: Any) -> Any:
        return await timed(self.spans, "lookups", super().posting, *args)


class TimedSeekerStore(SeekerStore):
    def __init__(self, db: Database, spans: Spans) -> None:
        super().__init__(db)
        self.spans = spans

    async def seeker(self, *args: Any) -> Any:
        return await timed(self.spans, "lookups", super().seeker, *args)


class TimedDirectory(OrganizationDirectory):
    """The scope checks' walk up the registry read model."""

    def __init__(self, db: Database, spans: Spans) -> None:
        super().__init__(db)
        self.spans = spans

    async def ancestor_ids(self, org_id: str) -> list[str]:
        result: list[str] = await timed(self.spans, "lookups", super().ancestor_ids, org_id)
        return result


def spent(spans: Spans, elapsed: float) -> dict[str, float]:
    """Per stage; a span shared by both stages counts for candidates; scoring is the rest."""
    out: dict[str, float] = {}
    taken: list[tuple[float, float]] = []
    for stage in ("candidates", "lookups"):
        before = covered(taken)
        taken += spans.get(stage, [])
        out[stage] = covered(taken) - before
    out["scoring"] = elapsed - covered(taken)
    return out


def context(db: Database, spans: Spans, now: datetime) -> EmploymentContext:
    return EmploymentContext(
        orgs=TimedDirectory(db, spans),
        postings=TimedPostingStore(db, spans),
        seekers=TimedSeekerStore(db, spans),
        applications=ApplicationStore(db),
        matching=TimedMatchingStore(db, spans),
        ventures=VentureStore(db),
        events=EventFactory("employment"),
        notify=lambda: None,
        settings=EmploymentSettings(),
        now=lambda: now,
    )


def full_ranking(
    ctx: EmploymentContext, tree: OrgTree, seeker: Document, postings: list[Document]
) -> list[Match]:
    me = matching.seeker_facts(seeker, tree)
    today = matching.local_today(ctx)
    return rank(score_pair(me, matching.posting_facts(p), today=today, match_id=p["_id"]) for p in postings)[
        :LIMIT
    ]


def full_ranking_of_seekers(ctx: EmploymentContext, seekers: list[Any], posting: Document) -> list[Match]:
    facts = matching.posting_facts(posting)
    today = matching.local_today(ctx)
    return rank(score_pair(s, facts, today=today, match_id=s.id) for s in seekers)[:LIMIT]


async def baseline_postings_for(
    ctx: EmploymentContext, db: Database, seeker: Document, now: datetime
) -> list[Match]:
    """Naive: read every posting, keep the open ones, score each against the seeker."""
    tree = await ctx.matching.org_tree()
    everything = await db.postings.find({}).to_list()
    return full_ranking(ctx, tree, seeker, [p for p in everything if matching.is_open(p, now)])


async def baseline_seekers_for(ctx: EmploymentContext, db: Database, posting: Document) -> list[Match]:
    """Naive: read every seeker, keep those looking, score each against the posting."""
    tree = await ctx.matching.org_tree()
    everyone = await db.seekers.find({}).to_list()
    looking = [matching.seeker_facts(s, tree) for s in everyone if s["status"] in LOOKING_STATUSES]
    return full_ranking_of_seekers(ctx, looking, posting)


def recall(truth: list[Match], answer: list[Match]) -> tuple[float, float]:
    """The share of the full scan's top 20 the indexed path returned; and, counting ties, the share
    of the indexed path's 20 scoring at least the full scan's 20th (equal scores are ranked by id,
    so among many tied on the 20th score either pick is as good)."""
    if not truth:
        return 1.0, 1.0
    last = truth[-1].score
    same = len({m.id for m in truth} & {m.id for m in answer}) / len(truth)
    as_good = min(sum(1 for m in answer if m.score >= last) / len(truth), 1.0)
    return same, as_good


async def measure(url: str, db_name: str, args: argparse.Namespace, now: datetime) -> dict[str, Any]:
    client = connect(url)
    db = client[db_name]
    spans: Spans = defaultdict(list)
    ctx = context(db, spans, now)
    store = ctx.matching
    assert isinstance(store, TimedMatchingStore)
    rng = random.Random(args.seed + 1)
    looking = [
        d["_id"]
        for d in await db.seekers.find({"status": {"$in": list(LOOKING_STATUSES)}}, {"_id": 1}).to_list()
    ]
    open_ids = [
        d["_id"]
        for d in await db.postings.find(
            {"status": "published", "expires_at": {"$gt": now}}, {"_id": 1, "headcount": 1, "hired": 1}
        ).to_list()
        if d["hired"] < d["headcount"]
    ]
    seeker_ids = rng.sample(sorted(looking), min(args.queries, len(looking)))
    posting_ids = rng.sample(sorted(open_ids), min(args.queries, len(open_ids)))
    staff = Caller("sub_bench_admin", frozenset({Role.CITY_ADMIN}), frozenset({"org_city"}))
    results: dict[str, Any] = {"rows": []}

    async def run(label: str, calls: list[Callable[[], Any]]) -> list[Any]:
        for call in calls[:5]:  # warm-up: connections, the organisation tree, code paths
            await call()
        times, stages, counts, answers = [], [], [], []
        for call in calls:
            spans.clear()
            store.candidates = 0
            started = time.perf_counter()
            answers.append(await call())
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            stages.append(spent(spans, elapsed))
            counts.append(store.candidates)
        results["rows"].append(summary(label, times, stages, counts))
        return answers

    def for_seeker(seeker_id: str) -> Callable[[], Any]:
        return lambda: matching.postings_for_seeker(ctx, staff, seeker_id, limit=LIMIT)

    def for_posting(posting_id: str) -> Callable[[], Any]:
        return lambda: matching.seekers_for_posting(ctx, staff, posting_id, limit=LIMIT)

    gc.collect()
    mine = await run("postings for a seeker (indexed)", [for_seeker(s) for s in seeker_ids])
    theirs = await run("seekers for a posting (indexed)", [for_posting(p) for p in posting_ids])
    gc.collect()
    results["service_rss_kb"] = rss_kb()
    if args.db_pid:
        results["db_rss_kb"] = rss_kb(args.db_pid)

    base_s, base_p = seeker_ids[: args.baseline_runs], posting_ids[: args.baseline_runs]
    seeker_docs = {d["_id"]: d for d in await db.seekers.find({"_id": {"$in": base_s}}).to_list()}
    posting_docs = {d["_id"]: d for d in await db.postings.find({"_id": {"$in": base_p}}).to_list()}
    times: list[float] = []
    for s in base_s:
        started = time.perf_counter()
        await baseline_postings_for(ctx, db, seeker_docs[s], now)
        times.append(time.perf_counter() - started)
    results["rows"].append(summary("postings for a seeker (full scan)", times, [], []))
    times = []
    for p in base_p:
        started = time.perf_counter()
        await baseline_seekers_for(ctx, db, posting_docs[p])
        times.append(time.perf_counter() - started)
    results["rows"].append(summary("seekers for a posting (full scan)", times, [], []))
    results["service_hwm_kb_after_baseline"] = rss_kb()["VmHWM"]
    results["recall_at_20"] = await recall_against_full_scan(
        ctx, db, now, args, seeker_ids, mine, posting_ids, theirs
    )
    results["counts"] = {
        "organizations": await db.organizations.count_documents({}),
        "postings": await db.postings.count_documents({}),
        "postings_open": len(open_ids),
        "seekers": await db.seekers.count_documents({}),
        "seekers_looking": len(looking),
    }
    await client.close()
    return results


async def recall_against_full_scan(
    ctx: EmploymentContext,
    db: Database,
    now: datetime,
    args: argparse.Namespace,
    seeker_ids: list[str],
    mine: list[Any],
    posting_ids: list[str],
    theirs: list[Any],
) -> dict[str, Any]:
    """Recall@20 of the indexed answers against a full scoring of every open posting / looking seeker
    (everything read once, then scored per query; not timed)."""
    tree = await ctx.matching.org_tree()
    all_postings = [p for p in await db.postings.find({}).to_list() if matching.is_open(p, now)]
    n = args.recall_queries
    seekers_by_id = {d["_id"]: d for d in await db.seekers.find({"_id": {"$in": seeker_ids[:n]}}).to_list()}
    ways, ways_near = [], []
    for i, s in enumerate(seeker_ids[:n]):
        seeker, answer = seekers_by_id[s], [m.match for m in mine[i]]
        district, city = seeker["area_ids"][2], seeker["area_ids"][-1]
        near = [p for p in all_postings if district in p["area_ids"] or p["place_organization_id"] == city]
        ways.append(recall(full_ranking(ctx, tree, seeker, all_postings), answer))
        ways_near.append(recall(full_ranking(ctx, tree, seeker, near), answer))
    everyone = await db.seekers.find({"status": {"$in": list(LOOKING_STATUSES)}}).to_list()
    looking = [(s["area_ids"][2], matching.seeker_facts(s, tree)) for s in everyone]
    postings_by_id = {p["_id"]: p for p in all_postings}
    back, back_near = [], []
    for i, p in enumerate(posting_ids[:n]):
        posting = postings_by_id[p]
        district = posting["area_ids"][-2] if len(posting["area_ids"]) > 1 else None
        back.append(recall(full_ranking_of_seekers(ctx, [f for _, f in looking], posting), theirs[i]))
        near = [f for d, f in looking if d == district] if district else [f for _, f in looking]
        back_near.append(recall(full_ranking_of_seekers(ctx, near, posting), theirs[i]))

    def mean(values: list[tuple[float, float]], k: int) -> float:
        return statistics.mean(v[k] for v in values)

    return {
        "queries_each_way": n,
        "postings_for_a_seeker": mean(ways, 0),
        "postings_for_a_seeker_counting_ties": mean(ways, 1),
        "postings_for_a_seeker_within_district_and_city_level": mean(ways_near, 0),
        "postings_for_a_seeker_within_district_and_city_level_counting_ties": mean(ways_near, 1),
        "seekers_for_a_posting": mean(back, 0),
        "seekers_for_a_posting_counting_ties": mean(back, 1),
        "seekers_for_a_posting_within_district": mean(back_near, 0),
        "seekers_for_a_posting_within_district_counting_ties": mean(back_near, 1),
    }


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
    }


def print_table(results: dict[str, Any]) -> None:
    print(f"\nmachine: {results['machine']}  store: {results['store']}")
    print(
        f"seeded: {results['counts']}; "
        f"seed {results['seed_seconds']:.0f} s, indexes {results['index_seconds']:.0f} s"
    )
    print(
        f"{'path':36} {'runs':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cand p50':>8} {'cand max':>8}"
        f" {'cand ms':>8} {'lookup ms':>9} {'score ms':>8}"
    )
    for r in results["rows"]:
        cand = f"{r['candidates_p50'] or '-':>8} {r['candidates_max'] or '-':>8}"
        stages = (
            f" {r['candidates_ms_mean']:8.1f} {r['lookups_ms_mean']:9.1f} {r['scoring_ms_mean']:8.1f}"
            if r["candidates_ms_mean"] is not None
            else ""
        )
        print(
            f"{r['path']:36} {r['runs']:4} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f} "
            f"{cand}{stages}"
        )
    by = {r["path"]: r for r in results["rows"]}
    for way in ("postings for a seeker", "seekers for a posting"):
        ratio = by[f"{way} (full scan)"]["p50_ms"] / by[f"{way} (indexed)"]["p50_ms"]
        print(f"speed-up (p50, full scan / indexed), {way}: {ratio:.0f}x")
    print(f"recall@20 against the full scan: {results['recall_at_20']}")
    print(f"service RSS after the indexed runs: {results['service_rss_kb']['VmRSS'] / 1024:.0f} MB")
    print(
        "service peak RSS incl. the full-scan baseline: "
        f"{results['service_hwm_kb_after_baseline'] / 1024:.0f} MB"
    )
    if "db_rss_kb" in results:
        db_rss = results["db_rss_kb"]
        print(f"SecantusDB RSS: {db_rss['VmRSS'] / 1024:.0f} MB (peak {db_rss['VmHWM'] / 1024:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--employers", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200, help="indexed queries per direction")
    parser.add_argument("--baseline-runs", type=int, default=3, help="full-scan queries per direction")
    parser.add_argument(
        "--recall-queries", type=int, default=40, help="queries per direction whose recall is measured"
    )
    parser.add_argument("--quick", action="store_true", help="5,000 / 5,000, 50 queries (a smoke run)")
    parser.add_argument("--seed", type=int, default=20240705)
    parser.add_argument("--results", type=Path, help="write the numbers as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.postings, args.seekers, args.employers, args.queries = 5000, 5000, 200, 50
    args.db_pid = None
    url = os.environ.get("QINGCHUN_MONGO_URL")
    process: subprocess.Popen[bytes] | None = None
    workdir = tempfile.TemporaryDirectory(prefix="qingchun-bench-")
    if url is None:
        port = free_port()
        process = start_secantus(Path(workdir.name) / "data", port, Path(workdir.name) / "secantus.log")
        url, args.db_pid = mongo_url_for(port), process.pid
    db_name = f"bench_employment_matching_{os.getpid()}"
    now = datetime.now(UTC).replace(microsecond=0)
    load_before = os.getloadavg()
    try:
        started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=seed, args=(url, db_name, args.postings, args.seekers, args.employers, now, args.seed)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit("seeding failed")
        seeded = time.perf_counter()

        async def indexes() -> None:
            client = connect(url)
            await ensure_indexes(client[db_name], service.INDEXES)
            await client.close()

        asyncio.run(indexes())
        indexed = time.perf_counter()
        results = asyncio.run(measure(url, db_name, args, now))
        results |= {
            "measured_at": now.isoformat(),
            "machine": machine(),
            "loadavg_before": load_before,
            "store": "SecantusDB (own, on disk)" if process else "QINGCHUN_MONGO_URL",
            "seed_seconds": seeded - started,
            "index_seconds": indexed - seeded,
            "sizes": {
                "postings": args.postings,
                "seekers": args.seekers,
                "employers": args.employers,
                "queries": args.queries,
            },
        }
        print_table(results)
        if args.results:
            args.results.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        else:
            MongoClient(url).drop_database(db_name)
        workdir.cleanup()


if __name__ == "__main__":
    main()
