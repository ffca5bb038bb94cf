"""The rules of job postings: who may employ, what a posting must say, and how it moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qingchun_employment.domain.postings import (
    EMPLOYER_TYPES,
    MAX_SKILLS,
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    ClosingReason,
    JobCategory,
    PostingAction,
    PostingKind,
    PostingStatus,
    ReportReason,
    apply_action,
    check_editable,
    check_employer,
    check_expires_on,
    check_kind_details,
    check_origin,
    check_pay,
    check_place,
    expiry,
    fills,
    reported_enough,
    skill_codes,
)
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition
from qingchun_plumbing.testing.quality import label_problems
from qingchun_registry.domain.organizations import OrgType

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "org_type",
    [
        "enterprise",
        "resident_unit",
        "government_agency",
        "school",
        "youth_center",
        "street_office",
        "community_workstation",
    ],
)
def test_bodies_with_a_payroll_may_post(org_type: str) -> None:
    check_employer(org_type)


@pytest.mark.parametrize(
    "org_type",
    [
        "league_city_committee",
        "league_working_committee",
        "league_branch",
        "community",
        "residential_compound",
        "young_pioneers",
        "youth_home",
        "leadership_group",
    ],
)
def test_league_bodies_communities_and_sites_are_not_employers(org_type: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_employer(org_type)
    assert (refused.value.code, refused.value.field) == ("not_an_employer", "employer_organization_id")


def test_every_employer_type_is_a_registry_type() -> None:
    assert {t.value for t in OrgType} >= EMPLOYER_TYPES


def test_places_are_areas_and_origins_are_communities() -> None:
    check_place("community")
    check_place("league_district_committee")
    check_origin("community")
    with pytest.raises(DomainError, match="工作地点") as place:
        check_place("enterprise")
    assert place.value.field == "place_organization_id"
    with pytest.raises(DomainError) as origin:
        check_origin("league_working_committee")
    assert (origin.value.code, origin.value.field) == ("not_a_community", "origin_community_id")


@pytest.mark.parametrize(
    ("low", "high"), [(None, None), (3000, None), (None, 5000), (3000, 3000), (3000, 5000)]
)
def test_pay_ranges_that_make_sense(low: int | None, high: int | None) -> None:
    check_pay(low, high)


def test_an_inverted_pay_range_is_refused_on_the_upper_bound() -> None:
    with pytest.raises(DomainError) as refused:
        check_pay(5000, 3000)
    assert (refused.value.code, refused.value.field) == ("pay_range_inverted", "pay_max")


def test_a_traineeship_states_its_allowance_and_insurance() -> None:
    check_kind_details(PostingKind.TRAINEESHIP, True)
    check_kind_details(PostingKind.FULL_TIME, False)
    with pytest.raises(DomainError) as missing:
        check_kind_details(PostingKind.TRAINEESHIP, False)
    assert (missing.value.code, missing.value.field) == ("traineeship_details_required", "traineeship")
    with pytest.raises(DomainError) as stray:
        check_kind_details(PostingKind.PART_TIME, True)
    assert stray.value.code == "traineeship_details_unexpected"


def test_skills_are_lower_case_and_each_once() -> None:
    assert skill_codes(["Sewing", " forklift", "sewing"]) == ["sewing", "forklift"]
    with pytest.raises(DomainError) as refused:
        skill_codes([f"s{i}" for i in range(MAX_SKILLS + 1)])
    assert refused.value.field == "skills"


HAPPY_PATH = [
    (PostingStatus.DRAFT, PostingAction.SUBMIT, PostingStatus.SUBMITTED),
    (PostingStatus.SUBMITTED, PostingAction.PUBLISH, PostingStatus.PUBLISHED),
    (PostingStatus.SUBMITTED, PostingAction.HOLD, PostingStatus.HELD),
    (PostingStatus.HELD, PostingAction.RELEASE, PostingStatus.SUBMITTED),
    (PostingStatus.HELD, PostingAction.REJECT, PostingStatus.REJECTED),
    (PostingStatus.SUBMITTED, PostingAction.REJECT, PostingStatus.REJECTED),
    (PostingStatus.PUBLISHED, PostingAction.HOLD, PostingStatus.HELD),
    (PostingStatus.PUBLISHED, PostingAction.FILL, PostingStatus.FILLED),
    (PostingStatus.PUBLISHED, PostingAction.EXPIRE, PostingStatus.EXPIRED),
    (PostingStatus.DRAFT, PostingAction.WITHDRAW, PostingStatus.WITHDRAWN),
    (PostingStatus.HELD, PostingAction.WITHDRAW, PostingStatus.WITHDRAWN),
    (PostingStatus.PUBLISHED, PostingAction.WITHDRAW, PostingStatus.WITHDRAWN),
]


@pytest.mark.parametrize(("before", "action", "after"), HAPPY_PATH)
def test_allowed_moves(before: PostingStatus, action: PostingAction, after: PostingStatus) -> None:
    assert apply_action(before, action) is after


@pytest.mark.parametrize(
    ("before", "action"),
    [
        (PostingStatus.HELD, PostingAction.PUBLISH),
        (PostingStatus.DRAFT, PostingAction.PUBLISH),
        (PostingStatus.PUBLISHED, PostingAction.SUBMIT),
        (PostingStatus.PUBLISHED, PostingAction.PUBLISH),
        (PostingStatus.SUBMITTED, PostingAction.FILL),
        (PostingStatus.EXPIRED, PostingAction.EXPIRE),
        (PostingStatus.FILLED, PostingAction.WITHDRAW),
        (PostingStatus.REJECTED, PostingAction.RELEASE),
        (PostingStatus.WITHDRAWN, PostingAction.SUBMIT),
    ],
)
def test_forbidden_moves(before: PostingStatus, action: PostingAction) -> None:
    with pytest.raises(InvalidTransition) as refused:
        apply_action(before, action)
    assert refused.value.code == "invalid_transition"


def test_every_move_not_in_the_table_is_refused() -> None:
    allowed = {(b, a) for b, a, _ in HAPPY_PATH} | {(PostingStatus.SUBMITTED, PostingAction.WITHDRAW)}
    for before in PostingStatus:
        for action in PostingAction:
            if (before, action) not in allowed:
                with pytest.raises(InvalidTransition):
                    apply_action(before, action)


def test_only_drafts_are_edited() -> None:
    check_editable(PostingStatus.DRAFT)
    with pytest.raises(InvalidTransition):
        check_editable(PostingStatus.SUBMITTED)


def test_public_and_open_statuses() -> None:
    assert PostingStatus.HELD not in PUBLIC_STATUSES
    assert PostingStatus.DRAFT not in OPEN_STATUSES
    assert {PostingStatus.PUBLISHED} == PUBLIC_STATUSES & OPEN_STATUSES


NOON_UTC = datetime(2025, 3, 1, 4, 0, tzinfo=UTC)  # 12:00 in 孝感


def test_default_expiry_counts_days_from_publication() -> None:
    assert expiry(NOON_UTC, None, SHANGHAI, 30, 90) == NOON_UTC + timedelta(days=30)


def test_a_stated_last_day_ends_at_local_midnight() -> None:
    ends = expiry(NOON_UTC, date(2025, 3, 10), SHANGHAI, 30, 90)
    assert ends == datetime(2025, 3, 10, 16, 0, tzinfo=UTC)


def test_a_stated_last_day_is_capped_at_the_longest_stay() -> None:
    assert expiry(NOON_UTC, date(2025, 12, 31), SHANGHAI, 30, 90) == NOON_UTC + timedelta(days=90)


def test_a_last_day_gone_by_publication_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        expiry(NOON_UTC, date(2025, 2, 28), SHANGHAI, 30, 90)
    assert (refused.value.code, refused.value.field) == ("expires_on_past", "expires_on")
    assert expiry(NOON_UTC, date(2025, 3, 1), SHANGHAI, 30, 90) == datetime(2025, 3, 1, 16, 0, tzinfo=UTC)


def test_a_stated_last_day_must_be_to_come_and_not_too_far() -> None:
    today = date(2025, 3, 1)
    check_expires_on(None, today, 90)
    check_expires_on(today, today, 90)
    check_expires_on(today + timedelta(days=90), today, 90)
    with pytest.raises(DomainError, match="早于"):
        check_expires_on(today - timedelta(days=1), today, 90)
    with pytest.raises(DomainError) as too_late:
        check_expires_on(today + timedelta(days=91), today, 90)
    assert too_late.value.code == "expires_on_too_late"


def test_filling_and_report_threshold() -> None:
    assert not fills(2, 3)
    assert fills(3, 3)
    assert not reported_enough(2)
    assert reported_enough(3)


ENUMS: list[type[LabelledEnum]] = [
    JobCategory,
    PostingKind,
    PostingStatus,
    PostingAction,
    ClosingReason,
    ReportReason,
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_enums_carry_distinct_chinese_labels(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


def test_kinds_and_categories_are_the_published_lists() -> None:
    assert [k.value for k in PostingKind] == [
        "full_time",
        "part_time",
        "public_welfare",
        "flexible",
        "traineeship",
        "homecoming_internship",
    ]
    assert len(JobCategory) == 15
    assert JobCategory("community_service").label == "社区服务/公益"
    assert [c.value for c in ClosingReason] == ["filled", "expired", "withdrawn", "employer_deactivated"]
