"""Matching reasons are correct on a table of cases; certificates change the ranking."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_employment.domain.matching import (
    DEFAULT_WEIGHTS,
    MatchFactor,
    OrgTree,
    PostingFacts,
    Reason,
    ReasonCode,
    SeekerFacts,
    Weights,
    best,
    normalise_skill,
    posting_open,
    rank,
    score_pair,
    seeker_looking,
    seeker_skills,
    total_score,
)
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.testing.quality import label_problems

TODAY = date(2025, 3, 5)
NOW = datetime(2025, 3, 5, 2, tzinfo=UTC)
# 孝感团市委 → 孝南区 → 新华街道 → 文昌阁社区 / 中山社区; 广场街道 → 城东社区; 高新区 → 汉光社区
WENCHANGGE = ("wcg", "xinhua", "xiaonan", "city")
ZHONGSHAN = ("zs", "xinhua", "xiaonan", "city")
CHENGDONG = ("cd", "guangchang", "xiaonan", "city")
HANGUANG = ("hg", "gaoxin_street", "gaoxin", "city")
SEEKER = SeekerFacts(
    id="skr_1",
    declared=frozenset({"sewing"}),
    certified=frozenset(),
    wanted_categories=frozenset({"manufacturing"}),
    wanted_kinds=frozenset({"full_time"}),
    home_chain=WENCHANGGE,
    category="migrant_worker",
    available_from=None,
)
POSTING = PostingFacts(
    id="pst_1",
    category="manufacturing",
    kind="full_time",
    skills=frozenset({"sewing", "computer"}),
    place_chain=WENCHANGGE,
)


def reason(seeker: SeekerFacts, posting: PostingFacts, factor: MatchFactor) -> Reason:
    match = score_pair(seeker, posting, today=TODAY, match_id=posting.id)
    return next(r for r in match.reasons if r.factor is factor)


CASES = [
    # (case, seeker changes, posting changes, factor, code, score, facts that must hold)
    (
        "one of two skills, self-declared",
        {},
        {},
        MatchFactor.SKILLS,
        ReasonCode.SKILLS_SOME,
        0.3,
        {"declared": ["sewing"], "missing": ["computer"], "certified": []},
    ),
    (
        "certified skill counts more than a declared one",
        {"declared": frozenset(), "certified": frozenset({"sewing"})},
        {},
        MatchFactor.SKILLS,
        ReasonCode.SKILLS_SOME,
        0.5,
        {"certified": ["sewing"], "declared": []},
    ),
    (
        "every skill, one certified",
        {"certified": frozenset({"computer"})},
        {},
        MatchFactor.SKILLS,
        ReasonCode.SKILLS_ALL,
        0.8,
        {"certified": ["computer"], "declared": ["sewing"], "missing": []},
    ),
    (
        "a certificate in the posting's category raises the match",
        {"certified": frozenset({"manufacturing"})},
        {},
        MatchFactor.SKILLS,
        ReasonCode.SKILLS_SOME,
        0.6,
        {"category_certificate": True},
    ),
    (
        "no skill held",
        {"declared": frozenset({"cooking"})},
        {},
        MatchFactor.SKILLS,
        ReasonCode.SKILLS_NONE,
        0.0,
        {"missing": ["computer", "sewing"]},
    ),
    (
        "posting lists no skills",
        {},
        {"skills": frozenset()},
        MatchFactor.SKILLS,
        ReasonCode.NO_SKILLS_REQUIRED,
        0.5,
        {"category_certificate": False},
    ),
    (
        "certificate bonus is capped at 1",
        {"certified": frozenset({"sewing", "computer", "manufacturing"})},
        {},
        MatchFactor.SKILLS,
        ReasonCode.SKILLS_ALL,
        1.0,
        {"category_certificate": True},
    ),
    (
        "wanted category",
        {},
        {},
        MatchFactor.CATEGORY,
        ReasonCode.WANTED_CATEGORY,
        1.0,
        {"value": "manufacturing"},
    ),
    (
        "other category",
        {},
        {"category": "catering"},
        MatchFactor.CATEGORY,
        ReasonCode.OTHER_CATEGORY,
        0.0,
        {},
    ),
    (
        "no wanted category takes any",
        {"wanted_categories": frozenset()},
        {},
        MatchFactor.CATEGORY,
        ReasonCode.ANY_CATEGORY,
        0.5,
        {},
    ),
    ("wanted kind", {}, {}, MatchFactor.KIND, ReasonCode.WANTED_KIND, 1.0, {"value": "full_time"}),
    ("other kind", {}, {"kind": "part_time"}, MatchFactor.KIND, ReasonCode.OTHER_KIND, 0.0, {}),
    ("no wanted kind", {"wanted_kinds": frozenset()}, {}, MatchFactor.KIND, ReasonCode.ANY_KIND, 0.5, {}),
    ("same community", {}, {}, MatchFactor.PROXIMITY, ReasonCode.SAME_COMMUNITY, 1.0, {}),
    ("same street", {}, {"place_chain": ZHONGSHAN}, MatchFactor.PROXIMITY, ReasonCode.SAME_STREET, 0.7, {}),
    (
        "same district",
        {},
        {"place_chain": CHENGDONG},
        MatchFactor.PROXIMITY,
        ReasonCode.SAME_DISTRICT,
        0.4,
        {},
    ),
    ("same city", {}, {"place_chain": HANGUANG}, MatchFactor.PROXIMITY, ReasonCode.SAME_CITY, 0.15, {}),
    (
        "an employer placed under the street",
        {},
        {"place_chain": ("emp", "xinhua", "xiaonan", "city")},
        MatchFactor.PROXIMITY,
        ReasonCode.SAME_STREET,
        0.7,
        {},
    ),
    (
        "another city",
        {},
        {"place_chain": ("x", "y", "other")},
        MatchFactor.PROXIMITY,
        ReasonCode.ELSEWHERE,
        0.0,
        {},
    ),
    ("no residence", {"home_chain": ()}, {}, MatchFactor.PROXIMITY, ReasonCode.UNKNOWN_PLACE, 0.0, {}),
    (
        "available now (not stated)",
        {},
        {},
        MatchFactor.AVAILABILITY,
        ReasonCode.AVAILABLE_NOW,
        1.0,
        {"available_from": None, "days": 0},
    ),
    (
        "available since last month",
        {"available_from": TODAY - timedelta(days=30)},
        {},
        MatchFactor.AVAILABILITY,
        ReasonCode.AVAILABLE_NOW,
        1.0,
        {"days": 0},
    ),
    (
        "available in 18 days",
        {"available_from": TODAY + timedelta(days=18)},
        {},
        MatchFactor.AVAILABILITY,
        ReasonCode.AVAILABLE_SOON,
        0.8,
        {"available_from": "2025-03-23", "days": 18},
    ),
    (
        "available in 45 days",
        {"available_from": TODAY + timedelta(days=45)},
        {},
        MatchFactor.AVAILABILITY,
        ReasonCode.AVAILABLE_LATER,
        0.5,
        {"days": 45},
    ),
    (
        "available beyond the horizon",
        {"available_from": TODAY + timedelta(days=200)},
        {},
        MatchFactor.AVAILABILITY,
        ReasonCode.AVAILABLE_LATER,
        0.0,
        {"days": 200},
    ),
    (
        "public-welfare post favours 就业困难人员",
        {"category": "hard_to_employ"},
        {"kind": "public_welfare"},
        MatchFactor.PRIORITY,
        ReasonCode.PRIORITY_GROUP,
        1.0,
        {"group": "hard_to_employ"},
    ),
    (
        "public-welfare post favours 下岗失业人员 a little less",
        {"category": "laid_off"},
        {"kind": "public_welfare"},
        MatchFactor.PRIORITY,
        ReasonCode.PRIORITY_GROUP,
        0.8,
        {"group": "laid_off"},
    ),
    (
        "public-welfare post, not a priority group",
        {"category": "graduate"},
        {"kind": "public_welfare"},
        MatchFactor.PRIORITY,
        ReasonCode.NOT_PRIORITY_GROUP,
        0.0,
        {"kind": "public_welfare"},
    ),
    (
        "traineeship favours graduates",
        {"category": "graduate"},
        {"kind": "traineeship"},
        MatchFactor.PRIORITY,
        ReasonCode.PRIORITY_GROUP,
        1.0,
        {"group": "graduate"},
    ),
    (
        "返家乡 internship favours returning students",
        {"category": "returning_student"},
        {"kind": "homecoming_internship"},
        MatchFactor.PRIORITY,
        ReasonCode.PRIORITY_GROUP,
        1.0,
        {"group": "returning_student"},
    ),
    (
        "an unknown seeker category is no priority group",
        {"category": "something_new"},
        {"kind": "traineeship"},
        MatchFactor.PRIORITY,
        ReasonCode.NOT_PRIORITY_GROUP,
        0.0,
        {},
    ),
    (
        "full-time favours nobody",
        {},
        {},
        MatchFactor.PRIORITY,
        ReasonCode.NO_PRIORITY,
        0.5,
        {"kind": "full_time"},
    ),
]


@pytest.mark.parametrize(
    ("seeker_changes", "posting_changes", "factor", "code", "score", "facts"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_factor_gives_its_reason(
    seeker_changes: dict[str, object],
    posting_changes: dict[str, object],
    factor: MatchFactor,
    code: ReasonCode,
    score: float,
    facts: dict[str, object],
) -> None:
    found = reason(replace(SEEKER, **seeker_changes), replace(POSTING, **posting_changes), factor)  # type: ignore[arg-type]
    assert (found.code, round(found.score, 6)) == (code, score)
    assert {k: found.facts[k] for k in facts} == facts
    assert found.detail  # a sentence for staff


def test_the_total_is_the_weighted_sum_of_the_reasons() -> None:
    match = score_pair(SEEKER, POSTING, today=TODAY, match_id="pst_1")
    # skills 0.3×0.35, category 1×0.15, kind 1×0.10, proximity 1×0.20, availability 1×0.10, priority 0.5×0.10
    assert match.score == pytest.approx(0.105 + 0.15 + 0.10 + 0.20 + 0.10 + 0.05)
    assert [r.factor for r in match.reasons] == list(MatchFactor)
    assert sum(r.weight for r in match.reasons) == pytest.approx(1.0)


def test_scores_stay_within_zero_and_one() -> None:
    best = replace(
        SEEKER,
        certified=frozenset({"sewing", "computer", "manufacturing"}),
        wanted_kinds=frozenset({"traineeship"}),
        category="graduate",
    )
    worst = replace(
        SEEKER,
        declared=frozenset(),
        wanted_categories=frozenset({"catering"}),
        wanted_kinds=frozenset({"part_time"}),
        home_chain=(),
        available_from=TODAY + timedelta(days=365),
        category="migrant_worker",
    )
    posting = replace(POSTING, kind="traineeship")
    assert score_pair(best, posting, today=TODAY, match_id="a").score == pytest.approx(1.0)
    assert score_pair(worst, posting, today=TODAY, match_id="a").score == 0.0


def test_a_certificate_moves_a_posting_up_the_ranking() -> None:
    sewing_job = replace(POSTING, id="pst_sewing", skills=frozenset({"sewing"}), category="textile")
    computer_job = replace(
        POSTING, id="pst_computer", skills=frozenset({"computer"}), category="information_technology"
    )

    def ranking(seeker: SeekerFacts) -> list[str]:
        return [
            m.id
            for m in rank(
                score_pair(seeker, p, today=TODAY, match_id=p.id) for p in (sewing_job, computer_job)
            )
        ]

    assert ranking(SEEKER) == ["pst_sewing", "pst_computer"]
    certified = replace(SEEKER, declared=frozenset({"sewing"}), certified=frozenset({"computer"}))
    assert ranking(certified) == ["pst_computer", "pst_sewing"]


def test_equal_scores_rank_by_id_whatever_the_order_they_came_in() -> None:
    matches = [
        score_pair(SEEKER, replace(POSTING, id=i), today=TODAY, match_id=i)
        for i in ("pst_b", "pst_a", "pst_c")
    ]
    assert [m.id for m in rank(matches)] == ["pst_a", "pst_b", "pst_c"]
    assert [m.id for m in rank(reversed(matches))] == ["pst_a", "pst_b", "pst_c"]


def test_seeker_skills_split_certified_from_declared() -> None:
    declared, certified = seeker_skills(
        [" Sewing ", "cert:computer", "CERT:Crafts", "computer"], ["reemployment", ""]
    )
    assert declared == {"sewing"}  # a skill both declared and certified counts as certified
    assert certified == {"computer", "crafts", "reemployment"}
    assert normalise_skill("cert:Computer ") == "computer"


@pytest.mark.parametrize(
    ("status", "expires_in", "headcount", "hired", "expected"),
    [
        ("published", timedelta(days=1), 3, 2, True),
        ("published", timedelta(seconds=-1), 3, 0, False),
        ("published", timedelta(days=1), 3, 3, False),
        ("submitted", timedelta(days=1), 3, 0, False),
        ("filled", timedelta(days=1), 3, 0, False),
    ],
)
def test_only_open_postings_are_matched(
    status: str, expires_in: timedelta, headcount: int, hired: int, expected: bool
) -> None:
    assert posting_open(status, NOW + expires_in, headcount, hired, NOW) is expected


def test_a_published_posting_without_an_expiry_is_not_matched() -> None:
    assert posting_open("published", None, 3, 0, NOW) is False


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("registered", True),
        ("assessed", True),
        ("serviced", True),
        ("employed", False),
        ("started_business", False),
        ("inactive", False),
    ],
)
def test_only_seekers_still_looking_are_matched(status: str, expected: bool) -> None:
    assert seeker_looking(status) is expected


def test_weights_must_sum_to_one() -> None:
    DEFAULT_WEIGHTS.validate()
    with pytest.raises(DomainError):
        Weights(skills=0.5).validate()
    with pytest.raises(DomainError):
        Weights(skills=-0.1, category=0.6).validate()


def test_communities_come_nearest_first() -> None:
    tree = OrgTree.of(
        [
            ("city", None, False),
            ("xiaonan", "city", False),
            ("xinhua", "xiaonan", False),
            ("guangchang", "xiaonan", False),
            ("wcg", "xinhua", True),
            ("zs", "xinhua", True),
            ("emp", "xinhua", False),
            ("cd", "guangchang", True),
            ("gaoxin", "city", False),
            ("hg", "gaoxin", True),
        ]
    )
    assert list(tree.homes_near("zs")) == ["zs", "wcg", "cd", "hg"]
    assert list(tree.homes_near("emp")) == ["wcg", "zs", "cd", "hg"]
    assert tree.chain("wcg") == WENCHANGGE
    assert set(tree.subtree("xinhua")) == {"xinhua", "wcg", "zs", "emp"}


def test_every_reason_code_has_a_chinese_label() -> None:
    assert label_problems(ReasonCode) == []
    assert label_problems(MatchFactor) == []


codes = st.sampled_from(["sewing", "computer", "cooking", "manufacturing", "retail"])
chains = st.sampled_from([WENCHANGGE, ZHONGSHAN, CHENGDONG, HANGUANG, ("city",), ()])
seekers = st.builds(
    SeekerFacts,
    id=st.sampled_from(["skr_1", "skr_2", "skr_3"]),
    declared=st.frozensets(codes, max_size=3),
    certified=st.frozensets(codes, max_size=2),
    wanted_categories=st.frozensets(codes, max_size=2),
    wanted_kinds=st.frozensets(st.sampled_from(["full_time", "public_welfare", "traineeship"]), max_size=2),
    home_chain=chains,
    category=st.sampled_from(["graduate", "hard_to_employ", "laid_off", "returning_student", None]),
    available_from=st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2025, 9, 1))),
)
postings = st.builds(
    PostingFacts,
    id=st.sampled_from(["pst_1", "pst_2", "pst_3", "pst_4"]),
    category=codes,
    kind=st.sampled_from(["full_time", "public_welfare", "traineeship", "homecoming_internship", "odd"]),
    skills=st.frozensets(codes, max_size=3),
    place_chain=chains,
)


@given(seeker=seekers, posting=postings)
def test_the_score_without_reasons_is_the_score_with_them(seeker: SeekerFacts, posting: PostingFacts) -> None:
    full = score_pair(seeker, posting, today=TODAY, match_id=posting.id)
    assert total_score(seeker, posting, today=TODAY) == full.score


@given(
    seeker=seekers,
    candidates=st.lists(postings, max_size=12, unique_by=lambda p: p.id),
    limit=st.integers(1, 5),
)
def test_the_best_few_are_the_top_of_the_full_ranking(
    seeker: SeekerFacts, candidates: list[PostingFacts], limit: int
) -> None:
    everything = rank(score_pair(seeker, p, today=TODAY, match_id=p.id) for p in candidates)
    chosen = best(((p.id, seeker, p) for p in candidates), today=TODAY, limit=limit)
    assert chosen == everything[:limit]
