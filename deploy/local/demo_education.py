"""Demo data for education, from the seeds: 灵武 育才街社区's "福娃福地书香国学" parent–child classics
class (sessions held and attendance taken), a "七彩假期" holiday programme at the 新时代文明实践站, a
reading challenge on a list curated by 灵武市图书馆, one care case (帮教档案) that only its helper
and the community's care staff can open, and 孝感 文昌阁社区's citizen school (市民学校) with its
course catalogue (the seeds' 十余种 courses).

Names of children and of the youth in the care case are invented (化名): the seeds name none.
The organisations come from the registry demo; education knows them from the registry's events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from deploy.local.demo_http import call, create_when_known, org_id

Issue = Callable[[list[str], list[str], str], str]  # roles, scope, subject -> token
BRAND = "福娃福地书香国学"
FAMILIES = [  # (guardian subject, child's name 化名, child's birth date)
    ("fw-g1", "马小雨", "2018-04-02"),
    ("fw-g2", "李思源", "2017-09-15"),
    ("fw-g3", "王若溪", "2019-01-20"),
    ("fw-g4", "张一鸣", "2016-11-08"),
    ("fw-g5", "杨可欣", "2018-06-30"),
]
# Which families came to each of the six sessions already held (an index into FAMILIES).
ATTENDANCE = [(0, 1, 2, 3), (0, 1, 3), (0, 1, 2, 3, 4), (1, 2, 4), (0, 2, 3, 4), (0, 1, 2, 3, 4)]
COLOURFUL_HOLIDAY = [  # 七彩假期 courses: (title, category, mode)
    ("七彩假期·课业辅导", "homework_help", "topical_tutoring"),
    ("七彩假期·绘画", "calligraphy_painting", "practice"),
    ("七彩假期·象棋", "chess", "practice"),
    ("七彩假期·手工", "crafts", "practice"),
]
XIAOGAN_CATALOGUE = [  # 文昌阁社区市民学校: (title, category, target group, mode, weekday, session kind)
    ("经络操", "sports", "elderly", "practice", 0, "teaching"),
    ("少儿英语班", "foreign_language", "children", "topical_tutoring", 5, "teaching"),
    ("老年电脑学习班", "computer", "elderly", "topical_tutoring", 1, "teaching"),
    ("老年书画班", "calligraphy_painting", "elderly", "practice", 2, "teaching"),
    ("巧手编织班", "crafts", "all_residents", "practice", 3, "teaching"),
    ("孕期教育", "prenatal", "expectant", "expert_lecture", 4, "lecture"),
    ("下岗失业人员培训", "reemployment", "unemployed", "topical_tutoring", 2, "teaching"),
    ("老年及少儿乒乓球训练班", "sports", "all_residents", "practice", 5, "teaching"),
    ("健康知识讲座", "health_care", "all_residents", "expert_lecture", 6, "lecture"),
    ("公民道德文明礼仪教育辅导班", "civility", "all_residents", "topical_tutoring", 6, "activity"),
]
BOOKS = [  # (title, author, age bands)
    ("三字经", "王应麟", ["primary_lower", "preschool"]),
    ("弟子规", "李毓秀", ["primary_lower", "primary_upper"]),
    ("论语（少儿读本）", "孔子弟子及再传弟子", ["primary_upper", "junior_middle"]),
    ("西游记（青少年版）", "吴承恩", ["primary_upper", "junior_middle"]),
]
HELPER = "yc-03"  # 王静 of 育才街社区青年人才库 (心理疏导): the care case's helper


def _at(day: date, hour: int, minute: int = 0) -> str:
    """A Beijing-time wall clock as a UTC ISO instant."""
    return (datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)).isoformat()


def _session(day: date, hour: int, venue: str, kind: str = "teaching", hours: int = 1) -> dict[str, Any]:
    return {"starts_at": _at(day, hour), "ends_at": _at(day, hour + hours), "venue": venue, "kind": kind}


def _saturdays(first: date, count: int) -> list[date]:
    start = first + timedelta(days=(5 - first.weekday()) % 7)
    return [start + timedelta(weeks=week) for week in range(count)]


class Education:
    """The demo's calls to the education service, each with the token of the person who acts."""

    def __init__(self, client: httpx.AsyncClient, issue: Issue) -> None:
        self.client, self.issue = client, issue

    async def post(self, path: str, token: str, body: Any = None) -> Any:
        return await call(self.client, "POST", path, token, body)

    async def get(self, path: str, token: str) -> Any:
        return await call(self.client, "GET", path, token)

    async def scheduled_course(self, token: str, body: dict[str, Any]) -> dict[str, Any]:
        course = await self.post("/v1/courses", token, body)
        return dict(await self.post(f"/v1/courses/{course['id']}:schedule", token))


async def load_education_demo(registry_url: str, education_url: str, issue: Issue) -> dict[str, int]:
    """Idempotent: skipped when the 福娃福地书香国学 programme already exists."""
    async with (
        httpx.AsyncClient(base_url=registry_url, timeout=30) as registry,
        httpx.AsyncClient(base_url=education_url, timeout=30) as client,
    ):
        reader = issue(["city_admin"], [], "dev-demo-loader")
        yucai = await org_id(registry, reader, "育才街社区")
        staff = issue(["community_staff"], [yucai], "dev-yucai-staff")
        api = Education(client, issue)
        existing = await api.get(f"/v1/programmes?owner_organization_id={yucai}", staff)
        if any(p.get("brand") == BRAND for p in existing["items"]):
            return {}
        today = datetime.now(UTC).date()
        classics = await _classics_class(api, staff, yucai, today)
        holiday = await _colourful_holiday(api, staff, yucai, today)
        library = await org_id(registry, reader, "灵武市图书馆")
        await _reading_challenge(api, yucai, library, classics["children"], today)
        await _care_case(api, staff, yucai)
        wenchangge = await org_id(registry, reader, "文昌阁社区")
        catalogue = await _citizen_school(api, wenchangge, today)
        return {
            "福娃福地书香国学 sessions": classics["sessions"],
            "attendances (人次)": classics["attendances"],
            "七彩假期 courses": holiday,
            "文昌阁社区市民学校 courses": catalogue,
            "care case": 1,
        }


async def _classics_class(api: Education, staff: str, yucai: str, today: date) -> dict[str, Any]:
    """The parent–child classics class: six Saturdays held (with attendance), four to come."""
    programme = await create_when_known(
        api.client,
        "/v1/programmes",
        staff,
        {
            "name": "国学经典亲子诵读班",
            "owner_organization_id": yucai,
            "kind": "classics_family_reading",
            "brand": BRAND,
            "target_group": "families",
            "season": "year_round",
            "year": today.year,
            "sessions_planned": 300,
        },
    )
    days = _saturdays(today - timedelta(weeks=6), 10)
    course = await api.scheduled_course(
        staff,
        {
            "programme_id": programme["id"],
            "title": f"{BRAND}·国学经典亲子诵读班",
            "category": "classics_reading",
            "target_group": "families",
            "mode": "topical_tutoring",
            "capacity": 30,
            "family": True,
            "sessions": [_session(day, 9, "育才街社区儿童之家") for day in days],
        },
    )
    children = []
    for guardian, name, born in FAMILIES:
        token = api.issue(["guardian"], [], guardian)
        child = await api.post(
            "/v1/learners",
            token,
            {"display_name": name, "birth_date": born, "home_community_id": yucai, "for_child": True},
        )
        await api.post(f"/v1/learners/{child['id']}/consent", token)
        body = {"learner_id": child["id"], "guardian_present": True}
        await api.post(f"/v1/courses/{course['id']}/enrolments", token, body)
        children.append(child["id"])
    sessions = (await api.get(f"/v1/courses/{course['id']}/sessions?limit=50", staff))["items"]
    attendances = 0
    for session, present in zip(sessions, ATTENDANCE, strict=False):
        learner_ids = [children[i] for i in present]
        await api.post(f"/v1/sessions/{session['id']}/attendance", staff, {"learner_ids": learner_ids})
        attendances += len(learner_ids)
    return {"sessions": len(sessions), "attendances": attendances, "children": children}


async def _colourful_holiday(api: Education, staff: str, yucai: str, today: date) -> int:
    """七彩假期 next summer at the 新时代文明实践站: four courses, three sessions each."""
    summer = date(today.year + 1, 7, 13)
    programme = await api.post(
        "/v1/programmes",
        staff,
        {
            "name": "七彩假期",
            "owner_organization_id": yucai,
            "kind": "colourful_holiday",
            "brand": "七彩假期",
            "target_group": "children",
            "season": "summer_holiday",
            "year": summer.year,
            "sessions_planned": 17,
        },
    )
    for offset, (title, category, mode) in enumerate(COLOURFUL_HOLIDAY):
        days = [summer + timedelta(days=offset + 7 * week) for week in range(3)]
        await api.scheduled_course(
            staff,
            {
                "programme_id": programme["id"],
                "title": title,
                "category": category,
                "target_group": "children",
                "mode": mode,
                "capacity": 20,
                "offer_window_hours": 24,
                "min_age": 6,
                "max_age": 14,
                "sessions": [_session(day, 9, "育才街社区新时代文明实践站", hours=2) for day in days],
            },
        )
    return len(COLOURFUL_HOLIDAY)


async def _reading_challenge(
    api: Education, yucai: str, library: str, children: list[str], today: date
) -> None:
    """灵武市图书馆 recommends the books, another librarian reviews the list (健康向上), and 育才街社区
    runs a reading challenge on it; the first family logs its reading."""
    librarian = api.issue(["org_admin"], [library], "dev-library-curator")
    reviewer = api.issue(["org_admin"], [library], "dev-library-reviewer")
    book_ids = []
    for title, author, bands in BOOKS:
        book = await api.post("/v1/books", librarian, {"title": title, "author": author, "age_bands": bands})
        book_ids.append(book["id"])
    reading_list = await api.post(
        "/v1/reading-lists",
        librarian,
        {
            "name": "中国青少年新世纪读书计划·国学启蒙推荐书目",
            "curator_organization_id": library,
            "curator_name": "灵武市图书馆",
            "curator_role": "图书馆",
            "age_bands": ["primary_lower", "primary_upper"],
            "book_ids": book_ids,
        },
    )
    await api.post(f"/v1/reading-lists/{reading_list['id']}:review", reviewer)
    await api.post(f"/v1/reading-lists/{reading_list['id']}:publish", librarian)
    staff = api.issue(["community_staff"], [yucai], "dev-yucai-staff")
    challenge = await api.post(
        "/v1/reading-challenges",
        staff,
        {
            "owner_organization_id": yucai,
            "title": "书香育才·亲子阅读挑战",
            "starts_on": (today - timedelta(days=14)).isoformat(),
            "ends_on": (today + timedelta(days=60)).isoformat(),
            "goal": {"books": 3, "minutes": 600},
            "age_bands": ["primary_lower", "primary_upper"],
            "reading_list_id": reading_list["id"],
        },
    )
    guardian = api.issue(["guardian"], [], FAMILIES[1][0])
    child = children[1]
    await api.post(f"/v1/reading-challenges/{challenge['id']}/participants", guardian, {"learner_id": child})
    for days_ago, book_id, minutes in ((10, book_ids[0], 40), (6, book_ids[1], 35), (2, book_ids[0], 30)):
        log = {"learner_id": child, "book_id": book_id, "minutes": minutes}
        await api.post(
            "/v1/reading-logs", guardian, log | {"read_on": (today - timedelta(days=days_ago)).isoformat()}
        )


async def _care_case(api: Education, staff: str, yucai: str) -> None:
    """One case under help: filed, a 专人 responsible, 王静 assigned as helper, a first visit."""
    case = await api.post(
        "/v1/care-cases",
        staff,
        {
            "jurisdiction_organization_id": yucai,
            "youth": {"display_name": "小杰（化名）", "birth_date": "2010-05-17"},
            "categories": ["single_parent", "learning_difficulty"],
            "guardian": {"name": "杰母（化名）", "relation": "mother"},
            "schooling_status": "in_school",
            "employment_status": "not_applicable",
            "measures": ["pairing", "psychological_education"],
            "responsible_person_subject_id": "dev-yucai-staff",
        },
    )
    path = f"/v1/care-cases/{case['id']}"
    await api.post(f"{path}/transitions", staff, {"action": "file"})
    await api.post(f"{path}/helpers", staff, {"subject_id": HELPER})
    await api.post(f"{path}/transitions", staff, {"action": "assign"})
    await api.post(f"{path}/transitions", staff, {"action": "start_help"})
    helper = api.issue(["volunteer"], [], HELPER)
    visit = {
        "visited_on": datetime.now(UTC).date().isoformat(),
        "kind": "home_visit",
        "notes": "首次家访，了解学习情况",
    }
    await api.post(f"{path}/visits", helper, visit)


async def _citizen_school(api: Education, community: str, today: date) -> int:
    """孝感 文昌阁社区市民学校 (挂牌成立, roles) and its catalogue, every course with weekly sessions."""
    staff = api.issue(["community_staff"], [community], "dev-wenchangge-staff")
    school = await create_when_known(
        api.client,
        "/v1/citizen-schools",
        staff,
        {
            "organization_id": community,
            "name": "文昌阁社区市民学校",
            "plaque_date": date(today.year, 3, 1).isoformat(),
            "venue": "文昌阁社区党群服务中心二楼",
            "teaching_time": "每周一至周日晚 19:30",
            "equipment": ["投影仪", "电脑12台", "乒乓球台"],
            "roles": [
                {"role": "principal", "subject_id": "dev-wenchangge-staff", "display_name": "文昌阁社区主任"},
            ],
        },
    )
    programme = await api.post(
        "/v1/programmes",
        staff,
        {
            "name": f"文昌阁社区市民学校{today.year}年课程",
            "owner_organization_id": community,
            "kind": "citizen_school",
            "target_group": "all_residents",
            "season": "year_round",
            "year": today.year,
        },
    )
    monday = today - timedelta(days=today.weekday() + 21)
    for title, category, group, mode, weekday, kind in XIAOGAN_CATALOGUE:
        days = [monday + timedelta(days=weekday + 7 * week) for week in range(8)]
        await api.scheduled_course(
            staff,
            {
                "programme_id": programme["id"],
                "title": title,
                "category": category,
                "target_group": group,
                "mode": mode,
                "capacity": 40,
                "citizen_school_id": school["id"],
                "sessions": [_session(day, 19, "文昌阁社区市民学校", kind=kind) for day in days],
            },
        )
    return len(XIAOGAN_CATALOGUE)
