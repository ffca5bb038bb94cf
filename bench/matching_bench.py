"""Matching benchmark: top-20 queries both ways at city scale, beside a naive full-scan baseline.

    uv run python bench/matching_bench.py --volunteers 100000 --activities 100000
    uv run python bench/matching_bench.py --quick          # 5,000 / 5,000, a CI smoke run

Starts its own SecantusDB (on disk, in a temporary folder) unless QINGCHUN_MONGO_URL is set,
seeds an organisation tree and the volunteers, activities and shifts straight into the store
(in a child process, so this process measures like the service would), then runs the real
app/adapters code path (``app.matching.shifts_for_me`` / ``volunteers_for_shift`` on a
``VolunteeringContext``; HTTP and token checks are not included) and the naive baseline, which
reads the whole collection and scores every pair with the same scorer. Prints a table and,
with ``--results FILE``, writes the numbers as JSON.
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
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from measure import covered, rss_kb, summary
from pymongo import MongoClient

from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import Database, Document, connect, ensure_indexes
from qingchun_plumbing.testing.components import free_port, mongo_url_for, start_secantus
from qingchun_volunteering import service
from qingchun_volunteering.adapters.certificates import CertificateStore
from qingchun_volunteering.adapters.community_checkins import CommunityCheckinStore
from qingchun_volunteering.adapters.hours import HoursStore
from qingchun_volunteering.adapters.matching import MatchingStore
from qingchun_volunteering.adapters.pairings import PairingStore
from qingchun_volunteering.adapters.store import VolunteeringStore, listing
from qingchun_volunteering.adapters.teams import TeamStore
from qingchun_volunteering.app import matching
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.volunteers import match_fields
from qingchun_volunteering.domain.activities import ActivityStatus, accepts_signups
from qingchun_volunteering.domain.matching import Match, OrgTree, VolunteerFacts, rank
from qingchun_volunteering.settings import VolunteeringSettings

ZONE = ZoneInfo("Asia/Shanghai")
LIMIT = 20
CHUNK = 5000

# Names from DOMAIN.md §5 where the seeds give them; the rest are numbered.
CITY = "孝感团市委"
DISTRICTS = ["孝南区", "高新区", "市开发区", "灵武市", "西丽片区"]
STREETS = ["新华街道", "广场街道", "书院街", "车站街", "育才街道", "西湖街道", "香坊区新城街道", "方洞镇"]
COMMUNITIES = [
    "文昌阁社区",
    "中山社区",
    "城东社区",
    "一宫社区",
    "书院社区",
    "后湖社区",
    "民主社区",
    "胜利社区",
    "汉光社区",
    "红光社区",
    "育才街社区",
    "西湖社区",
    "河北里社区",
    "和平社区",
    "民主西街社区",
    "西胜社区",
    "向阳社区",
    "龙洞山社区",
]
SKILLS = [
    "急救",
    "心肺复苏",
    "书法",
    "绘画",
    "象棋",
    "手工",
    "课业辅导",
    "英语",
    "计算机",
    "编程",
    "摄影",
    "视频剪辑",
    "宣传设计",
    "文案",
    "主持",
    "朗诵",
    "国学",
    "音乐",
    "舞蹈",
    "体育",
    "游泳",
    "心理咨询",
    "法律",
    "调解",
    "社工",
    "医护",
    "护理",
    "幼教",
    "手语",
    "翻译",
    "会计",
    "驾驶",
    "维修",
    "电工",
    "消防",
    "园艺",
    "烹饪",
    "普通话",
    "垃圾分类",
    "反诈宣传",
]
CATEGORIES = [
    "colourful_holiday",
    "environment",
    "anti_fraud",
    "waste_sorting",
    "exam_support",
    "learn_from_leifeng",
    "gas_safety",
    "mediation",
    "science_outreach",
    "culture_education",
]
WINDOWS = [
    ("09:00:00", "12:00:00"),
    ("14:00:00", "17:30:00"),
    ("18:30:00", "21:30:00"),
    ("08:00:00", "18:00:00"),
]
TYPES = ["youth", "league_member", "returning_student", "party_member", "five_elders", "university_student"]


# --- seeding (a child process) ---------------------------------------------------------------
def org_tree(rng: random.Random) -> list[Document]:
    """A city, 5 districts, 40 streets (8 each), ~300 communities (6-9 per street)."""
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

    orgs = [org("org_city", CITY, "league_city_committee", None)]
    street_no = community_no = 0
    for d, district in enumerate(DISTRICTS):
        orgs.append(org(f"org_d{d}", f"{district}团区委", "league_district_committee", "org_city"))
        for _ in range(8):
            name = STREETS[street_no] if street_no < len(STREETS) else f"第{street_no + 1}街道"
            street_id = f"org_s{street_no:02d}"
            orgs.append(org(street_id, f"{name}团工委", "league_working_committee", f"org_d{d}"))
            street_no += 1
            for _ in range(rng.randint(6, 9)):
                cname = (
                    COMMUNITIES[community_no]
                    if community_no < len(COMMUNITIES)
                    else f"{name}第{community_no}社区"
                )
                orgs.append(org(f"org_c{community_no:03d}", cname, "community", street_id))
                community_no += 1
    return orgs


def birth_date(rng: random.Random, today: date) -> tuple[str, int]:
    roll = rng.random()
    age = rng.randint(8, 13) if roll < 0.03 else rng.randint(14, 17) if roll < 0.18 else rng.randint(18, 70)
    born = today - timedelta(days=age * 365 + rng.randint(0, 360))
    return born.isoformat(), age


def windows(rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for weekday in rng.sample(range(1, 8), rng.choice([0, 1, 1, 2, 2, 3, 4])):
        starts, ends = rng.choice(
            [
                ("09:00:00", "12:00:00"),
                ("14:00:00", "17:30:00"),
                ("18:30:00", "21:30:00"),
                ("08:00:00", "18:00:00"),
            ]
        )
        out.append({"weekday": weekday, "starts": starts, "ends": ends})
    return out


def volunteers(rng: random.Random, n: int, homes: list[str], today: date) -> Iterator[Document]:
    stamp = datetime.now(UTC)
    for i in range(n):
        born, age = birth_date(rng, today)
        minor = age < 18
        attended = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 40])
        document: Document = {
            "_id": f"vol_{i:07d}",
            "subject_id": f"sub_{i:07d}",
            "display_name": f"志愿者{i}",
            "birth_date": born,
            "volunteer_type": rng.choice(TYPES),
            "home_community_id": rng.choice(homes) if rng.random() < 0.95 else None,
            "specialties": rng.sample(SKILLS, rng.choice([0, 1, 2, 2, 3])),
            "interests": rng.sample(SKILLS, rng.randint(0, 3)),
            "talent_pool": rng.random() < 0.2,
            "teaching_opt_in": rng.random() < 0.1,
            "availability": windows(rng),
            "service_intent": None,
            "phone": f"138{i:08d}",
            "guardian_subject_id": f"sub_g{i:07d}" if minor else None,
            "consent": {"guardian_subject_id": f"sub_g{i:07d}", "recorded_on": "2024-01-01"}
            if minor and rng.random() < 0.7
            else None,
            "verified_minutes": attended * 150,
            "star_level": 0,
            "attended_count": attended,
            "no_show_count": rng.choice([0, 0, 0, 1, 2]) if attended else 0,
            "created_at": stamp,
            "updated_at": stamp,
            "version": 1,
        }
        # what app.volunteers writes beside availability and specialties
        yield document | match_fields(document["availability"], document["specialties"])


def activities_and_shifts(
    rng: random.Random,
    n: int,
    hosts: dict[str, list[str]],
    parents: dict[str, str | None],
    volunteer_count: int,
    now: datetime,
) -> Iterator[tuple[Document, list[Document]]]:
    """Two years of history and two months ahead; 80% hosted by communities, 12% streets, 6%
    districts, 2% the city; 1-3 shifts on consecutive days, 2% overnight (22:00-02:00)."""
    today = now.astimezone(ZONE).date()
    for i in range(n):
        level = rng.choices(["community", "street", "district", "city"], [80, 12, 6, 2])[0]
        host = rng.choice(hosts[level])
        day = today + timedelta(days=rng.randint(-720, 60))
        overnight = rng.random() < 0.02
        hour = 22 if overnight else rng.choice([9, 9, 14, 14, 19])
        length = timedelta(hours=4 if overnight else rng.choice([2, 3, 4]))
        activity_id = f"act_{i:07d}"
        future = datetime(day.year, day.month, day.day, hour, tzinfo=ZONE) > now
        status = (
            rng.choices(["published", "planned", "cancelled"], [85, 12, 3])[0]
            if future
            else rng.choices(["reported", "verified", "completed", "cancelled"], [50, 25, 20, 5])[0]
        )
        skills = rng.sample(SKILLS, rng.choice([0, 0, 1, 1, 2]))
        area_ids = [host]
        while (parent := parents[area_ids[-1]]) is not None:
            area_ids.append(parent)
        accepting = accepts_signups(ActivityStatus(status))
        min_age, max_age, family = rng.choices(
            [(None, None, False), (18, None, False), (12, 17, False), (None, None, True)], [80, 10, 5, 5]
        )[0]
        shifts = []
        for k in range(rng.choice([1, 1, 2, 2, 3])):
            starts = datetime(day.year, day.month, day.day, hour, tzinfo=ZONE) + timedelta(days=k)
            capacity = rng.choice([5, 10, 10, 20, 30])
            taken = rng.randint(0, capacity) if future else min(capacity, rng.randint(0, 6))
            entry_status = "confirmed" if future else "attended"
            shifts.append(
                {
                    "_id": f"sft_{i:07d}_{k}",
                    "activity_id": activity_id,
                    "host_organization_id": host,
                    "starts_at": starts.astimezone(UTC),
                    "ends_at": (starts + length).astimezone(UTC),
                    "capacity": capacity,
                    "place": "社区青年之家",
                    "min_age": min_age,
                    "max_age": max_age,
                    "family_only": family,
                    "required_skills": skills,
                    "waitlist_policy": "auto_promote",
                    "free": capacity - taken,
                    "waitlisted": 0,
                    "signups": [
                        {
                            "volunteer_id": f"vol_{v:07d}",
                            "subject_id": f"sub_{v:07d}",
                            "guardian_present": False,
                            "signed_up_at": starts.astimezone(UTC) - timedelta(days=3),
                            "status": entry_status,
                        }
                        for v in rng.sample(range(volunteer_count), taken)
                    ],
                    "version": 1,
                }
                | listing(area_ids, accepting, capacity - taken)  # what app.activities writes
            )
        activity = {
            "_id": activity_id,
            "title": f"{rng.choice(['七彩假期', '福娃福地书香国学', '社区青春行动', '学雷锋'])}志愿服务{i}",
            "host_organization_id": host,
            "category": rng.choice(CATEGORIES),
            "brand": None,
            "description": None,
            "waitlist_policy": "auto_promote",
            "status": status,
            "shift_ids": [s["_id"] for s in shifts],
            "created_by": "sub_bench",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        yield activity, shifts


def seed(
    url: str, db_name: str, volunteer_count: int, activity_count: int, now: datetime, seed_no: int
) -> None:
    rng = random.Random(seed_no)
    client: MongoClient[Document] = MongoClient(url, tz_aware=True)
    db = client[db_name]
    orgs = org_tree(rng)
    db.organizations.insert_many(orgs)
    hosts: dict[str, list[str]] = defaultdict(list)
    level = {
        "league_city_committee": "city",
        "league_district_committee": "district",
        "league_working_committee": "street",
        "community": "community",
    }
    for o in orgs:
        hosts[level[o["type"]]].append(o["_id"])
    batch: list[Document] = []
    for doc in volunteers(rng, volunteer_count, hosts["community"], now.astimezone(ZONE).date()):
        batch.append(doc)
        if len(batch) == CHUNK:
            db.volunteers.insert_many(batch, ordered=False)
            batch = []
    if batch:
        db.volunteers.insert_many(batch, ordered=False)
    acts: list[Document] = []
    shifts: list[Document] = []
    parents = {o["_id"]: o["parent_id"] for o in orgs}
    for activity, its_shifts in activities_and_shifts(
        rng, activity_count, hosts, parents, volunteer_count, now
    ):
        acts.append(activity)
        shifts += its_shifts
        if len(acts) == CHUNK:
            db.shifts.insert_many(shifts, ordered=False)
            db.activities.insert_many(acts, ordered=False)
            acts, shifts = [], []
    if acts:
        db.shifts.insert_many(shifts, ordered=False)
        db.activities.insert_many(acts, ordered=False)
    client.close()


# --- measuring ---------------------------------------------------------------------------------


class TimedMatchingStore(MatchingStore):
    """The real store, with the wall time of each stage's calls recorded (no behaviour change)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.spans: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.candidates = 0

    def reset(self) -> None:
        self.spans.clear()
        self.candidates = 0

    def spent(self, elapsed: float) -> dict[str, float]:
        """Per stage; a span shared by concurrent stages counts for the first of them only, and
        scoring is the rest of the elapsed time."""
        out: dict[str, float] = {}
        taken: list[tuple[float, float]] = []
        for stage in ("candidates", "lookups"):
            before = covered(taken)
            taken += self.spans.get(stage, [])
            out[stage] = covered(taken) - before
        out["scoring"] = elapsed - covered(taken)
        return out

    async def _timed(self, stage: str, call: Any, *args: Any, count: bool = False) -> Any:
        started = time.perf_counter()
        result = await call(*args)
        self.spans[stage].append((started, time.perf_counter()))
        if count:
            self.candidates += len(result)
        return result

    async def org_tree(self, must_know: Any = ()) -> Any:
        return await self._timed("lookups", super().org_tree, must_know)

    async def open_shifts(self, *args: Any) -> Any:
        return await self._timed("candidates", super().open_shifts, *args, count=True)

    async def volunteers_free(self, *args: Any) -> Any:
        return await self._timed("candidates", super().volunteers_free, *args, count=True)

    async def volunteers_with_skill_free(self, *args: Any) -> Any:
        return await self._timed("candidates", super().volunteers_with_skill_free, *args, count=True)

    async def volunteers_of(self, *args: Any) -> Any:
        return await self._timed("candidates", super().volunteers_of, *args, count=True)

    async def volunteers_with_skill(self, *args: Any) -> Any:
        return await self._timed("candidates", super().volunteers_with_skill, *args, count=True)

    async def signed_up(self, *args: Any) -> Any:
        return await self._timed("lookups", super().signed_up, *args)


class TimedStore(VolunteeringStore):
    """The lookups the use cases make through the main store (profile, shift, scope chain)."""

    def __init__(self, db: Database, spans: dict[str, list[tuple[float, float]]]) -> None:
        super().__init__(db)
        self.spans = spans

    async def _timed(self, call: Any, *args: Any) -> Any:
        started = time.perf_counter()
        result = await call(*args)
        self.spans["lookups"].append((started, time.perf_counter()))
        return result

    async def volunteer_of(self, *args: Any) -> Any:
        return await self._timed(super().volunteer_of, *args)

    async def shift(self, *args: Any) -> Any:
        return await self._timed(super().shift, *args)


class TimedDirectory(OrganizationDirectory):
    """The scope check's walk up the registry read model (``ctx.require_organizer``)."""

    def __init__(self, db: Database, spans: dict[str, list[tuple[float, float]]]) -> None:
        super().__init__(db)
        self.spans = spans

    async def ancestor_ids(self, org_id: str) -> list[str]:
        started = time.perf_counter()
        result = await super().ancestor_ids(org_id)
        self.spans["lookups"].append((started, time.perf_counter()))
        return result


def context(db: Database, timed: TimedMatchingStore, now: datetime) -> VolunteeringContext:
    return VolunteeringContext(
        store=TimedStore(db, timed.spans),
        orgs=TimedDirectory(db, timed.spans),
        hours=HoursStore(db),
        community_checkins=CommunityCheckinStore(db),
        pairings=PairingStore(db),
        teams=TeamStore(db),
        matching=timed,
        certificates=CertificateStore(db),
        events=EventFactory("volunteering"),
        notify=lambda: None,
        settings=VolunteeringSettings(),
        now=lambda: now,
    )


async def baseline_shifts_for(
    ctx: VolunteeringContext, db: Database, volunteer: Document, now: datetime
) -> list[str]:
    """Naive: read every shift and every activity status, score every open one, rank."""
    tree = await ctx.matching.org_tree()
    home = volunteer.get("home_community_id")
    street, above = tree.neighbourhood(home) if home else ("", [])
    near = {*tree.subtree(street), *above}  # the indexed path's scope, so recall measures its caps
    skills = set(list(volunteer.get("specialties", ()))[: matching.MAX_SKILL_QUERIES])
    statuses = {d["_id"]: d["status"] for d in await db.activities.find({}, {"status": 1}).to_list()}
    everything = await db.shifts.find({}).to_list()
    scoring = matching.Scoring(ctx)
    me = matching.volunteer_facts(volunteer, tree)
    held = [
        (s["starts_at"], s["ends_at"])
        for s in everything
        if any(
            e["volunteer_id"] == volunteer["_id"] and e["status"] in ("confirmed", "waitlisted")
            for e in s["signups"]
        )
    ]
    open_shifts = [
        s
        for s in everything
        if now <= s["starts_at"] < now + matching.HORIZON
        and (s["host_organization_id"] in near if home else bool(skills & set(s["required_skills"])))
        and s["free"] > 0
        and accepts_signups(ActivityStatus(statuses.get(s["activity_id"], "cancelled")))
        and all(e["volunteer_id"] != volunteer["_id"] for e in s["signups"])
    ]
    ranked = rank(scoring.pair(me, matching.shift_facts(s, tree), s["_id"], held) for s in open_shifts)
    return [m.id for m in ranked[:LIMIT]]


async def baseline_volunteers_for(ctx: VolunteeringContext, db: Database, shift: Document) -> list[Match]:
    """Naive: read every volunteer and score each against the shift."""
    tree = await ctx.matching.org_tree()
    everyone = await db.volunteers.find({}).to_list()
    return full_ranking(ctx, tree, [matching.volunteer_facts(v, tree) for v in everyone], shift)


def full_ranking(
    ctx: VolunteeringContext, tree: OrgTree, everyone: list[VolunteerFacts], shift: Document
) -> list[Match]:
    joined = {e["volunteer_id"] for e in shift["signups"]}
    facts = matching.shift_facts(shift, tree)
    scoring = matching.Scoring(ctx)
    return rank(scoring.pair(v, facts, v.id) for v in everyone if v.id not in joined)[:LIMIT]


def recall(truth: list[Match], answer: list[Match]) -> tuple[float, float]:
    """The share of the full scan's top 20 the indexed path returned; and, counting ties, the share
    of the indexed path's 20 that score as well as the full scan's 20th (equal scores are ranked by
    id, so among many volunteers tied on the 20th score either path's pick is as good)."""
    if not truth:
        return 1.0, 1.0
    last = (truth[-1].eligible, truth[-1].score)
    same = len({m.id for m in truth} & {m.id for m in answer}) / len(truth)
    as_good = sum(1 for m in answer if (m.eligible, m.score) >= last) / len(truth)
    return same, as_good


async def recall_of_volunteers_for(
    ctx: VolunteeringContext, db: Database, shift_ids: list[str], answers: list[list[Match]]
) -> list[tuple[float, float]]:
    """Recall over many shifts: every volunteer is read and prepared once, then scored per shift."""
    tree = await ctx.matching.org_tree()
    everyone = [matching.volunteer_facts(v, tree) for v in await db.volunteers.find({}).to_list()]
    shifts = {d["_id"]: d for d in await db.shifts.find({"_id": {"$in": shift_ids}}).to_list()}
    return [
        recall(full_ranking(ctx, tree, everyone, shifts[s]), a)
        for s, a in zip(shift_ids, answers, strict=True)
    ]


async def measure(url: str, db_name: str, args: argparse.Namespace, now: datetime) -> dict[str, Any]:
    client = connect(url)
    db = client[db_name]
    timed = TimedMatchingStore(db)
    ctx = context(db, timed, now)
    rng = random.Random(args.seed + 1)
    volunteer_ids = [f"vol_{i:07d}" for i in rng.sample(range(args.volunteers), args.queries)]
    upcoming = [
        d["_id"]
        for d in await db.shifts.find(
            {"starts_at": {"$gte": now, "$lt": now + timedelta(days=14)}}, {"_id": 1}
        ).to_list()
    ]
    shift_ids = rng.sample(sorted(upcoming), min(args.queries, len(upcoming)))
    organiser = Caller("sub_bench_admin", frozenset({Role.CITY_ADMIN}), frozenset({"org_city"}))
    results: dict[str, Any] = {"rows": []}

    async def run(label: str, calls: list[Any]) -> tuple[list[float], list[Any]]:
        for call in calls[:5]:  # warm-up: connections, the organisation tree, code paths
            await call()
        times, stages, counts, answers = [], [], [], []
        for call in calls:
            timed.reset()
            started = time.perf_counter()
            answers.append(await call())
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            stages.append(timed.spent(elapsed))
            counts.append(timed.candidates)
        results["rows"].append(summary(label, times, stages, counts))
        return times, answers

    def me_call(volunteer_id: str) -> Any:
        caller = Caller("sub_" + volunteer_id.removeprefix("vol_"), frozenset({Role.VOLUNTEER}))
        return lambda: matching.shifts_for_me(ctx, caller, offset=0, limit=LIMIT)

    def shift_call(shift_id: str) -> Any:
        return lambda: matching.volunteers_for_shift(ctx, organiser, shift_id, offset=0, limit=LIMIT)

    gc.collect()
    _, mine = await run("shifts for a volunteer (indexed)", [me_call(v) for v in volunteer_ids])
    _, theirs = await run("volunteers for a shift (indexed)", [shift_call(s) for s in shift_ids])
    gc.collect()
    results["service_rss_kb"] = rss_kb()
    if args.db_pid:
        results["db_rss_kb"] = rss_kb(args.db_pid)

    base_v = volunteer_ids[: args.baseline_runs]
    base_s = shift_ids[: args.baseline_runs]
    volunteer_docs = {d["_id"]: d for d in await db.volunteers.find({"_id": {"$in": base_v}}).to_list()}
    shift_docs = {d["_id"]: d for d in await db.shifts.find({"_id": {"$in": base_s}}).to_list()}
    overlap_v, overlap_s = [], []
    times: list[float] = []
    for v in base_v:
        started = time.perf_counter()
        top = await baseline_shifts_for(ctx, db, volunteer_docs[v], now)
        times.append(time.perf_counter() - started)
        indexed = [m.match.id for m in mine[volunteer_ids.index(v)][0]]
        overlap_v.append(len(set(top) & set(indexed)) / max(len(top), 1))
    results["rows"].append(summary("shifts for a volunteer (full scan)", times, [], []))
    times = []
    for s in base_s:
        started = time.perf_counter()
        best = await baseline_volunteers_for(ctx, db, shift_docs[s])
        times.append(time.perf_counter() - started)
        overlap_s.append(recall(best, [m.match for m in theirs[shift_ids.index(s)][0]])[0])
    results["rows"].append(summary("volunteers for a shift (full scan)", times, [], []))
    sample = shift_ids[: args.recall_queries]
    wide = await recall_of_volunteers_for(
        ctx, db, sample, [[m.match for m in theirs[i][0]] for i in range(len(sample))]
    )
    results["recall_at_20"] = {
        "shifts_for_a_volunteer": statistics.mean(overlap_v) if overlap_v else None,
        "volunteers_for_a_shift": statistics.mean(r for r, _ in wide) if wide else None,
        "volunteers_for_a_shift_counting_ties": statistics.mean(t for _, t in wide) if wide else None,
        "volunteers_for_a_shift_queries": len(wide),
        "volunteers_for_a_shift_first_3": statistics.mean(overlap_s) if overlap_s else None,
    }
    results["service_hwm_kb_after_baseline"] = rss_kb()["VmHWM"]
    results["counts"] = {
        "organizations": await db.organizations.count_documents({}),
        "volunteers": await db.volunteers.count_documents({}),
        "activities": await db.activities.count_documents({}),
        "shifts": await db.shifts.count_documents({}),
        "upcoming_shifts_14d": len(upcoming),
    }
    await client.close()
    return results


def machine() -> dict[str, str]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"nproc": str(os.cpu_count()), "cpu": model, "python": platform.python_version()}


def print_table(results: dict[str, Any]) -> None:
    rows = results["rows"]
    print(f"\nmachine: {results['machine']}  store: {results['store']}  seeded: {results['counts']}")
    print(f"seed {results['seed_seconds']:.0f} s, indexes {results['index_seconds']:.0f} s")
    head = (
        f"{'path':38} {'runs':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cand p50':>8} {'cand max':>8}"
    )
    print(head + f" {'cand ms':>8} {'lookup ms':>9} {'score ms':>8}")
    for r in rows:
        extra = (
            f" {r['candidates_ms_mean']:8.1f} {r['lookups_ms_mean']:9.1f} {r['scoring_ms_mean']:8.1f}"
            if r["candidates_ms_mean"] is not None
            else ""
        )
        cand = f"{r['candidates_p50'] or '-':>8} {r['candidates_max'] or '-':>8}"
        print(
            f"{r['path']:38} {r['runs']:4} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f}"
            f" {cand}{extra}"
        )
    by = {r["path"]: r for r in rows}
    for way in ("shifts for a volunteer", "volunteers for a shift"):
        ratio = by[f"{way} (full scan)"]["p50_ms"] / by[f"{way} (indexed)"]["p50_ms"]
        print(f"speed-up (p50, full scan / indexed), {way}: {ratio:.0f}x")
    print(f"recall@20 of the indexed path against the full scan: {results['recall_at_20']}")
    print(f"service process RSS after the indexed runs: {results['service_rss_kb']['VmRSS'] / 1024:.0f} MB")
    if "db_rss_kb" in results:
        print(
            f"SecantusDB RSS: {results['db_rss_kb']['VmRSS'] / 1024:.0f} MB"
            f" (peak {results['db_rss_kb']['VmHWM'] / 1024:.0f} MB)"
        )
    print(
        "service process peak RSS incl. the full-scan baseline:"
        f" {results['service_hwm_kb_after_baseline'] / 1024:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="indexed queries per direction")
    parser.add_argument("--baseline-runs", type=int, default=3, help="full-scan queries per direction")
    parser.add_argument(
        "--recall-queries", type=int, default=40, help="shifts whose volunteers' recall@20 is measured"
    )
    parser.add_argument("--quick", action="store_true", help="5,000 / 5,000, 50 queries (CI smoke)")
    parser.add_argument("--seed", type=int, default=20240705)
    parser.add_argument("--results", type=Path, help="write the numbers as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.volunteers, args.activities, args.queries = 5000, 5000, 50
    args.db_pid = None
    url = os.environ.get("QINGCHUN_MONGO_URL")
    process: subprocess.Popen[bytes] | None = None
    workdir = tempfile.TemporaryDirectory(prefix="qingchun-bench-")
    if url is None:
        port = free_port()
        process = start_secantus(Path(workdir.name) / "data", port, Path(workdir.name) / "secantus.log")
        url, args.db_pid = mongo_url_for(port), process.pid
    db_name = f"bench_matching_{os.getpid()}"
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=seed, args=(url, db_name, args.volunteers, args.activities, now, args.seed)
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
            "machine": machine(),
            "store": "SecantusDB (own, on disk)" if process else "QINGCHUN_MONGO_URL",
            "seed_seconds": seeded - started,
            "index_seconds": indexed - seeded,
            "sizes": {"volunteers": args.volunteers, "activities": args.activities, "queries": args.queries},
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
