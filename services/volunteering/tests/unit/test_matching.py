"""Matching: each factor, the eligibility gate, the ranking order, and the organisation tree walks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.app.matching import UNSKILLED_UNFREE_CEILING
from qingchun_volunteering.domain.activities import Shift
from qingchun_volunteering.domain.errors import DomainError
from qingchun_volunteering.domain.matching import (
    Match,
    MatchFactor,
    OrgTree,
    Proximity,
    ShiftFacts,
    VolunteerFacts,
    Weights,
    availability_factor,
    local_segments,
    proximity_factor,
    proximity_of,
    rank,
    reliability_factor,
    score_pair,
    shift_skill_slots,
    shift_slots,
    shift_weekdays,
    skill_slots,
    skills_factor,
    weekly_slots,
)
from qingchun_volunteering.domain.volunteers import AgePolicy, Availability

SHANGHAI = ZoneInfo("Asia/Shanghai")
POLICY = AgePolicy()


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in July 2024 Shanghai time (1 July 2024 is a Monday)."""
    return datetime(2024, 7, day, hour, minute, tzinfo=SHANGHAI)


SAT_MORNING = Shift(local(13, 9), local(13, 12), capacity=10, required_skills=("急救", "书法"))
ADULT = VolunteerFacts(
    id="vol_a",
    birth=date(1998, 5, 4),
    has_consent=False,
    specialties=frozenset({"急救"}),
    windows=(Availability(6, time(9), time(11)),),
    home_chain=("c1", "s1", "d1", "city"),
    attended=9,
    no_show=1,
)
AT_HOME = ShiftFacts("sft_1", SAT_MORNING, ("c1", "s1", "d1", "city"))


@pytest.mark.parametrize(
    ("required", "have", "score", "detail"),
    [
        ((), frozenset(), 1.0, "该场次无技能要求"),
        (("急救",), frozenset({"急救"}), 1.0, "具备所需技能1/1项"),
        (("急救", "书法", "摄影"), frozenset({"急救", "书法"}), 2 / 3, "具备所需技能2/3项"),
        (("急救",), frozenset({"摄影"}), 0.0, "具备所需技能0/1项"),
        ((" English ",), frozenset({"english"}), 1.0, "具备所需技能1/1项"),
        (("急救", "急救"), frozenset({"急救"}), 1.0, "具备所需技能1/1项"),
    ],
)
def test_skills(required: tuple[str, ...], have: frozenset[str], score: float, detail: str) -> None:
    assert skills_factor(required, have) == (pytest.approx(score), detail)


SAT = 6
SUN = 7


@pytest.mark.parametrize(
    ("starts", "ends", "windows", "score", "detail"),
    [
        (local(13, 9), local(13, 12), [(SAT, 9, 12)], 1.0, "可服务时间覆盖180/180分钟"),
        (local(13, 9), local(13, 12), [(SAT, 10, 12)], 2 / 3, "可服务时间覆盖120/180分钟"),
        (local(13, 9), local(13, 12), [(SUN, 9, 12)], 0.0, "可服务时间覆盖0/180分钟"),
        (local(13, 9), local(13, 12), [], 0.0, "未填写服务时间"),
        # overlapping windows count each minute once
        (local(13, 9), local(13, 12), [(SAT, 9, 11), (SAT, 10, 12)], 1.0, "可服务时间覆盖180/180分钟"),
        # crossing midnight: Saturday 22:00 to Sunday 02:00, free only on Sunday night
        (local(13, 22), local(14, 2), [(SUN, 0, 3)], 0.5, "可服务时间覆盖120/240分钟"),
        (local(13, 22), local(14, 2), [(SAT, 20, 23), (SUN, 1, 2)], 0.5, "可服务时间覆盖120/240分钟"),
    ],
)
def test_availability(
    starts: datetime, ends: datetime, windows: list[tuple[int, int, int]], score: float, detail: str
) -> None:
    given_windows = [Availability(d, time(a), time(b)) for d, a, b in windows]
    assert availability_factor(starts, ends, given_windows, SHANGHAI) == (pytest.approx(score), detail)


def test_availability_is_judged_in_local_time_not_utc() -> None:
    """Saturday 09:00 in Shanghai is Saturday 01:00 UTC: the window must be read as local."""
    starts = local(13, 9).astimezone(UTC)
    score, _ = availability_factor(
        starts, starts + timedelta(hours=3), [Availability(SAT, time(9), time(12))], SHANGHAI
    )
    assert score == 1.0


def test_a_shift_over_midnight_touches_two_weekdays() -> None:
    assert shift_weekdays(local(13, 22), local(14, 2), SHANGHAI) == [SAT, SUN]
    assert local_segments(local(13, 22), local(14, 2), SHANGHAI) == ((SAT, 79200, 86400), (SUN, 0, 7200))


@pytest.mark.parametrize(
    ("home", "host", "level", "score"),
    [
        (("c1", "s1", "d1", "city"), ("c1", "s1", "d1", "city"), Proximity.SAME_COMMUNITY, 1.0),
        (("c1", "s1", "d1", "city"), ("c2", "s1", "d1", "city"), Proximity.SAME_STREET, 0.7),
        (("c1", "s1", "d1", "city"), ("s1", "d1", "city"), Proximity.SAME_STREET, 0.7),
        (("c1", "s1", "d1", "city"), ("school", "d1", "city"), Proximity.SAME_DISTRICT, 0.4),
        (("c1", "s1", "d1", "city"), ("c9", "s9", "d2", "city"), Proximity.SAME_CITY, 0.15),
        (("c1", "s1", "d1", "city"), ("x", "other_city"), Proximity.ELSEWHERE, 0.0),
        ((), ("c1", "s1"), Proximity.UNKNOWN, 0.0),
        # a tree without a district level: the top is still the city
        (("c1", "s1", "city"), ("c2", "s2", "city"), Proximity.SAME_CITY, 0.15),
    ],
)
def test_proximity(home: tuple[str, ...], host: tuple[str, ...], level: Proximity, score: float) -> None:
    assert proximity_of(home, host) is level
    assert proximity_factor(home, host) == (score, level.label)


@pytest.mark.parametrize(
    ("attended", "no_show", "score", "detail"),
    [
        (0, 0, 0.8, "暂无服务记录（按新志愿者估计）"),
        (9, 1, 13 / 15, "到场9次，缺席1次"),
        (0, 5, 0.4, "到场0次，缺席5次"),
        (100, 0, 104 / 105, "到场100次，缺席0次"),
    ],
)
def test_reliability(attended: int, no_show: int, score: float, detail: str) -> None:
    assert reliability_factor(attended, no_show) == (pytest.approx(score), detail)


def test_a_newcomer_ranks_above_a_volunteer_who_mostly_fails_to_come() -> None:
    assert reliability_factor(0, 0)[0] > reliability_factor(1, 3)[0] > 0


def test_an_eligible_adult_gets_every_reason_and_the_weighted_sum() -> None:
    match = score_pair(ADULT, AT_HOME, policy=POLICY, zone=SHANGHAI, match_id="sft_1")
    reasons = {r.factor: r for r in match.reasons}
    assert match.eligible
    assert [r.detail for r in match.reasons] == [
        "具备所需技能1/2项",
        "可服务时间覆盖120/180分钟",
        "同社区",
        "到场9次，缺席1次",
        "符合年龄要求",
    ]
    assert reasons[MatchFactor.ELIGIBILITY].weight == 0
    expected = 0.35 * 0.5 + 0.30 * (2 / 3) + 0.20 * 1.0 + 0.15 * (13 / 15)
    assert match.score == pytest.approx(expected)


MINOR = replace(ADULT, id="vol_m", birth=date(2009, 1, 1))
CHILD = replace(ADULT, id="vol_c", birth=date(2015, 1, 1), has_consent=True)


@pytest.mark.parametrize(
    ("volunteer", "shift", "code"),
    [
        (MINOR, SAT_MORNING, "consent_required"),
        (replace(MINOR, has_consent=True), SAT_MORNING, None),
        (CHILD, SAT_MORNING, "guardian_required"),
        (CHILD, replace(SAT_MORNING, family_only=True), None),
        (ADULT, replace(SAT_MORNING, max_age=17), "age_above_maximum"),
        (replace(MINOR, has_consent=True), replace(SAT_MORNING, min_age=18), "age_below_minimum"),
    ],
)
def test_eligibility_follows_the_sign_up_rules(
    volunteer: VolunteerFacts, shift: Shift, code: str | None
) -> None:
    match = score_pair(volunteer, ShiftFacts("s", shift, ()), policy=POLICY, zone=SHANGHAI, match_id="s")
    gate = match.reasons[-1]
    assert gate.factor is MatchFactor.ELIGIBILITY
    assert gate.code == code
    assert match.eligible is (code is None)
    assert (match.score == 0) is (code is not None)


def test_a_clash_with_a_held_shift_makes_the_pair_ineligible() -> None:
    held = [(local(13, 11), local(13, 14))]
    match = score_pair(ADULT, AT_HOME, policy=POLICY, zone=SHANGHAI, held=held, match_id="s")
    assert (match.eligible, match.reasons[-1].code) == (False, "shift_overlap")
    back_to_back = [(local(13, 12), local(13, 14))]
    assert score_pair(ADULT, AT_HOME, policy=POLICY, zone=SHANGHAI, held=back_to_back, match_id="s").eligible


def test_reasons_never_carry_age_or_birth_date() -> None:
    for volunteer, age in ((MINOR, 15), (replace(MINOR, has_consent=True), 15), (CHILD, 9)):
        match = score_pair(volunteer, AT_HOME, policy=POLICY, zone=SHANGHAI, match_id="s")
        text = " ".join(r.detail for r in match.reasons)
        assert str(volunteer.birth.year) not in text
        assert f"{age}岁" not in text


def test_ranking_breaks_ties_by_id_and_puts_ineligible_last() -> None:
    matches = [
        Match("b", 0.5, True, ()),
        Match("a", 0.5, True, ()),
        Match("z", 0.0, False, ()),
        Match("c", 0.9, True, ()),
        Match("y", 0.0, True, ()),
    ]
    assert [m.id for m in rank(matches)] == ["c", "a", "b", "y", "z"]


def test_weights_must_sum_to_one() -> None:
    Weights().validate()
    with pytest.raises(DomainError) as refused:
        Weights(skills=0.9).validate()
    assert refused.value.code == "match_weights_invalid"


# properties ---------------------------------------------------------------------------------
skill_names = st.sampled_from(["急救", "书法", "摄影", "英语", "计算机", "象棋"])
window = st.builds(
    lambda d, a, n: Availability(d, time(a), time(min(a + n, 23))),
    st.integers(1, 7),
    st.integers(0, 22),
    st.integers(1, 6),
)
volunteers = st.builds(
    VolunteerFacts,
    id=st.text("abc", min_size=1, max_size=3),
    birth=st.dates(date(1950, 1, 1), date(2020, 1, 1)),
    has_consent=st.booleans(),
    specialties=st.frozensets(skill_names),
    windows=st.lists(window, max_size=4).map(tuple),
    home_chain=st.sampled_from([(), ("c1", "s1", "d1"), ("c2", "s1", "d1"), ("c3", "s2", "d1")]),
    attended=st.integers(0, 200),
    no_show=st.integers(0, 50),
)
shifts = st.builds(
    lambda start, hours, skills, min_age, family: Shift(
        start, start + timedelta(hours=hours), 10, min_age, None, family, tuple(skills)
    ),
    st.datetimes(datetime(2024, 1, 1), datetime(2025, 1, 1), timezones=st.just(SHANGHAI)),
    st.integers(1, 24),
    st.lists(skill_names, max_size=3),
    st.sampled_from([None, 12, 18]),
    st.booleans(),
)


@given(volunteers, shifts)
def test_score_and_every_factor_stay_between_zero_and_one(volunteer: VolunteerFacts, shift: Shift) -> None:
    match = score_pair(
        volunteer, ShiftFacts("s", shift, ("c1", "s1", "d1")), policy=POLICY, zone=SHANGHAI, match_id="s"
    )
    assert 0 <= match.score <= 1
    assert all(0 <= r.score <= 1 and 0 <= r.weight <= 1 for r in match.reasons)


@given(st.lists(skill_names, min_size=1, max_size=4), st.frozensets(skill_names), skill_names)
def test_one_more_skill_never_lowers_the_skills_score(
    required: list[str], have: frozenset[str], extra: str
) -> None:
    assert skills_factor(required, have | {extra})[0] >= skills_factor(required, have)[0]


@given(st.lists(st.tuples(volunteers, shifts), min_size=1, max_size=8))
def test_ineligible_never_ranks_above_eligible(pairs: list[tuple[VolunteerFacts, Shift]]) -> None:
    matches = [
        score_pair(v, ShiftFacts(f"s{i}", s, ()), policy=POLICY, zone=SHANGHAI, match_id=f"s{i}")
        for i, (v, s) in enumerate(pairs)
    ]
    flags = [m.eligible for m in rank(matches)]
    assert flags == sorted(flags, reverse=True)


# weekly slots: the keys volunteers-for-a-shift finds free volunteers by -----------------------
def test_weekly_slots_are_the_hours_a_window_touches() -> None:
    windows = [Availability(SAT, time(9), time(12)), Availability(SUN, time(18, 30), time(21, 30))]
    assert weekly_slots(windows) == ["6-09", "6-10", "6-11", "7-18", "7-19", "7-20", "7-21"]
    assert weekly_slots([Availability(1, time(9), time(10)), Availability(1, time(9, 30), time(10))]) == [
        "1-09"
    ]
    assert weekly_slots([]) == []


def test_shift_slots_are_local_hours_and_cross_midnight() -> None:
    assert shift_slots(local(13, 9).astimezone(UTC), local(13, 12).astimezone(UTC), SHANGHAI) == [
        "6-09",
        "6-10",
        "6-11",
    ]
    assert shift_slots(local(13, 22), local(14, 2), SHANGHAI) == ["6-22", "6-23", "7-00", "7-01"]


def test_skill_slots_pair_each_specialty_with_the_quarter_days_free() -> None:
    slots = weekly_slots([Availability(SAT, time(11), time(13)), Availability(SUN, time(19), time(20))])
    assert skill_slots([" First Aid", "书法"], slots) == [
        "first aid@6-am",
        "first aid@6-pm",
        "first aid@7-eve",
        "书法@6-am",
        "书法@6-pm",
        "书法@7-eve",
    ]
    assert skill_slots([], slots) == []


def test_a_shift_is_searched_by_the_quarter_day_of_its_middle() -> None:
    assert shift_skill_slots(["急救", "急救 "], local(13, 9), local(13, 13), SHANGHAI) == ["急救@6-am"]
    assert shift_skill_slots(["急救"], local(13, 22), local(14, 4), SHANGHAI) == ["急救@7-night"]


@given(st.lists(window, max_size=4), shifts)
def test_every_volunteer_free_during_a_shift_shares_a_slot_with_it(
    windows: list[Availability], shift: Shift
) -> None:
    """The candidate query must never miss a volunteer who is free for part of the shift."""
    score, _ = availability_factor(shift.starts_at, shift.ends_at, windows, SHANGHAI)
    shared = set(weekly_slots(windows)) & set(shift_slots(shift.starts_at, shift.ends_at, SHANGHAI))
    assert score == 0 or shared


# the organisation tree ------------------------------------------------------------------------
TREE = OrgTree.of(
    [
        ("city", None, False),
        ("d1", "city", False),
        ("s1", "d1", False),
        ("s2", "d1", False),
        ("c1", "s1", True),
        ("c2", "s1", True),
        ("home1", "c1", False),  # a 青年之家 under a community: hosts, but nobody lives there
        ("c3", "s2", True),
    ]
)


def test_chain_runs_from_the_organisation_up() -> None:
    assert TREE.chain("c1") == ("c1", "s1", "d1", "city")
    assert TREE.chain("unknown") == ("unknown",)


def test_a_volunteers_neighbourhood_is_the_street_and_the_bodies_above_it() -> None:
    assert TREE.neighbourhood("c1") == ("s1", ["d1", "city"])


def test_homes_near_a_host_go_outward_from_it() -> None:
    assert list(TREE.homes_near("c2")) == ["c2", "c1", "c3"]
    assert list(TREE.homes_near("s2")) == ["c3", "c1", "c2"]


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from([(), ("c1",), ("c2", "s1")]))
def test_no_unskilled_volunteer_free_at_no_hour_of_a_shift_scores_above_the_ceiling(
    attended: int, no_show: int, chain_head: tuple[str, ...]
) -> None:
    """The night fallback skips the host community's roster on this bound (app.matching)."""
    home_chain = (*chain_head, "s1", "d1", "city") if chain_head else ()
    idle = replace(ADULT, specialties=frozenset(), windows=(), attended=attended, no_show=no_show)
    match = score_pair(
        replace(idle, home_chain=home_chain), AT_HOME, policy=POLICY, zone=SHANGHAI, match_id="v"
    )
    assert match.score <= UNSKILLED_UNFREE_CEILING
    assert match.score > 0  # eligible: the bound is not met by a refusal
