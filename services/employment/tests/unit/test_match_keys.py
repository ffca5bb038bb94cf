"""Match keys: what each record carries, and that a posting and a seeker who should meet share a key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qingchun_employment.domain.match_keys import (
    MAX_KEY_SKILLS,
    SKILLS_READ,
    district_of,
    posting_keys,
    postings_wanted_by,
    seeker_keys,
    seekers_wanted_by,
    street_of,
)

CITY, DISTRICT, STREET, COMMUNITY = "org_city", "org_d1", "org_s1", "org_c1"
HOME = (COMMUNITY, STREET, DISTRICT, CITY)


def test_the_district_and_street_of_a_chain() -> None:
    assert district_of(HOME) == DISTRICT
    assert street_of(HOME) == STREET
    assert district_of(("org_e1", STREET, DISTRICT, CITY)) == DISTRICT  # an employer under a street
    assert (district_of((CITY,)), street_of((CITY,))) == (CITY, None)  # a city-wide posting
    assert (district_of(()), street_of((DISTRICT, CITY))) == (None, None)


def test_a_posting_is_keyed_by_each_skill_or_else_as_wanting_none() -> None:
    employer = ("org_e1", STREET, DISTRICT, CITY)
    assert posting_keys("textile", "full_time", ["sewing", "ironing"], employer, public=False) == [
        f"ironing|textile@{DISTRICT}",
        f"sewing|textile@{DISTRICT}",
        f"ironing@{STREET}",
        f"sewing@{STREET}",
    ]
    at_community = posting_keys("textile", "full_time", ["sewing"], HOME, public=True)
    assert at_community == [
        f"sewing|textile@{DISTRICT}",
        f"sewing@{STREET}",
        f"sewing|place=public@{DISTRICT}",
    ]
    assert posting_keys("catering", "part_time", [], HOME, public=True) == [
        f"*|catering@{DISTRICT}",
        f"*|kind=part_time@{DISTRICT}",
        f"*@{STREET}",
    ]
    city_wide = posting_keys("catering", "part_time", [], (CITY,), public=True)
    assert city_wide == [f"*|catering@{CITY}", f"*|kind=part_time@{CITY}"]
    assert posting_keys("catering", "part_time", ["cooking"], (), public=True) == []


def test_a_seeker_is_keyed_while_looking_and_wanting_a_trade() -> None:
    keys = seeker_keys({"computer"}, {"sewing"}, {"textile"}, set(), HOME, looking=True)
    assert keys == [f"computer|textile|*@{DISTRICT}", f"sewing|textile|*@{DISTRICT}"]
    kinds = {"part_time", "full_time"}
    both = seeker_keys(set(), {"sewing"}, {"textile", "retail"}, kinds, HOME, looking=True)
    assert len(both) == 4
    assert f"sewing|retail|part_time@{DISTRICT}" in both
    assert seeker_keys({"computer"}, {"sewing"}, {"textile"}, set(), HOME, looking=False) == []
    assert seeker_keys({"computer"}, {"sewing"}, set(), set(), HOME, looking=True) == []  # any trade
    assert seeker_keys({"computer"}, set(), {"textile"}, set(), (), looking=True) == []  # no residence


def test_certified_skills_come_first_and_the_keys_of_one_profile_are_bounded() -> None:
    declared = {f"skill-{n:02d}" for n in range(30)}
    keys = seeker_keys({"welding"}, declared, {"textile"}, set(), HOME, looking=True)
    assert len(keys) == MAX_KEY_SKILLS
    assert keys[0] == f"welding|textile|*@{DISTRICT}"


def test_a_certificate_category_that_is_not_a_code_earns_no_key() -> None:
    keys = seeker_keys({"计算机|x@y"}, {"sewing"}, {"textile"}, set(), HOME, looking=True)
    assert keys == [f"sewing|textile|*@{DISTRICT}"]


codes = st.sampled_from(["sewing", "cooking", "computer", "driving", "welding"])
trades = st.sampled_from(["textile", "catering", "computer", "retail"])
kinds = st.sampled_from(["full_time", "part_time", "flexible", "traineeship"])
places = st.sampled_from(
    [
        ("org_e1", STREET, DISTRICT, CITY),
        (COMMUNITY, STREET, DISTRICT, CITY),
        ("org_c2", "org_s2", DISTRICT, CITY),
        ("org_c3", "org_s3", "org_d2", CITY),
        (STREET, DISTRICT, CITY),
        (CITY,),
    ]
)
homes = st.sampled_from([HOME, ("org_c2", "org_s2", DISTRICT, CITY), ("org_c3", "org_s3", "org_d2", CITY)])


@given(
    category=trades,
    kind=kinds,
    posting_skills=st.frozensets(codes, max_size=3),
    place=places,
    certified=st.frozensets(codes, max_size=2),
    declared=st.frozensets(codes, max_size=3),
    wanted=st.frozensets(trades, max_size=2),
    wanted_kinds=st.frozensets(kinds, max_size=2),
    home=homes,
)
def test_a_posting_reads_exactly_the_seekers_that_hold_a_skill_want_its_trade_and_live_in_its_district(
    category: str,
    kind: str,
    posting_skills: frozenset[str],
    place: tuple[str, ...],
    certified: frozenset[str],
    declared: frozenset[str],
    wanted: frozenset[str],
    wanted_kinds: frozenset[str],
    home: tuple[str, ...],
) -> None:
    stored = seeker_keys(certified, declared, wanted, wanted_kinds, home, looking=True)
    read = seekers_wanted_by(category, kind, posting_skills, place)
    should_meet = (
        district_of(place) == district_of(home)
        and category in wanted
        and bool((certified | declared) & (posting_skills | {category}))
        and (not wanted_kinds or kind in wanted_kinds)
    )
    assert bool(set(stored) & set(read)) == should_meet


@given(
    category=trades,
    kind=kinds,
    posting_skills=st.frozensets(codes, max_size=3),
    place=places,
    public=st.booleans(),
    skills=st.lists(codes, max_size=5, unique=True),
    wanted=st.frozensets(trades, max_size=2),
    favoured=st.frozensets(kinds, max_size=2),
    home=homes,
)
def test_a_seeker_reads_the_postings_that_can_score_well_and_no_others(
    category: str,
    kind: str,
    posting_skills: frozenset[str],
    place: tuple[str, ...],
    public: bool,
    skills: list[str],
    wanted: frozenset[str],
    favoured: frozenset[str],
    home: tuple[str, ...],
) -> None:
    stored = posting_keys(category, kind, posting_skills, place, public=public)
    read = postings_wanted_by(skills, wanted, favoured, home)
    district, street = district_of(place), street_of(place)
    in_reach = district in (district_of(home), home[-1])
    skill_read = bool(posting_skills & set(skills[:SKILLS_READ]))
    if posting_skills:
        trade_met = district == district_of(home) and category in wanted and skill_read
        in_street = street is not None and street == street_of(home)
        anywhere = skill_read and ((public and in_reach) or in_street)
        should_meet = trade_met or anywhere
    elif wanted:
        should_meet = in_reach and category in wanted
    else:
        should_meet = (in_reach and kind in favoured) or (street is not None and street == street_of(home))
    assert bool(set(stored) & set(read)) == should_meet
