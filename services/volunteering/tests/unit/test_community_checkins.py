"""社区报到 rules: the state machine, the documents a submission needs, deadlines, posts and wishes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.domain.community_checkins import (
    ACTORS,
    Actor,
    CheckinAction,
    CheckinStatus,
    DocumentKind,
    OverdueReason,
    apply,
    check_kinds_required,
    check_reported_on,
    check_round_dates,
    check_submission,
    checkin_rate,
    first_repeat,
    is_overdue,
    reissue_card,
    return_receipt,
)
from qingchun_volunteering.domain.community_service import (
    ServicePostType,
    WishStatus,
    claim_wish,
    fulfil_wish,
)
from qingchun_volunteering.domain.errors import DomainError, InvalidTransition

S, A, D = CheckinStatus, CheckinAction, DocumentKind
DEADLINE = date(2024, 7, 6)
LETTER_VARIANT = {D.INTRODUCTION_LETTER, D.RECEIPT}  # 硚口: 介绍信 with its 回执联
CARD_VARIANT = {D.CHECKIN_CARD, D.REGISTRATION_FORM, D.RECEIPT}  # 香雪小学: 报到卡 + 登记表

# The derived state machine of DOMAIN.md §2.2 workflow 1, written out move by move.
ALLOWED: dict[tuple[CheckinAction, CheckinStatus], CheckinStatus] = {
    (A.ISSUE_DOCUMENTS, S.INVITED): S.DOC_ISSUED,
    (A.ISSUE_DOCUMENTS, S.DOC_ISSUED): S.DOC_ISSUED,
    (A.SUBMIT, S.DOC_ISSUED): S.SUBMITTED,
    (A.SUBMIT, S.FOLLOW_UP): S.SUBMITTED,
    (A.CONFIRM, S.SUBMITTED): S.CONFIRMED,
    (A.RETURN_RECEIPT, S.CONFIRMED): S.RECEIPT_RETURNED,
    (A.RETURN_RECEIPT, S.ACTIVE): S.ACTIVE,
    (A.CLAIM, S.CONFIRMED): S.ACTIVE,
    (A.CLAIM, S.RECEIPT_RETURNED): S.ACTIVE,
    (A.CLAIM, S.ACTIVE): S.ACTIVE,
    (A.MARK_OVERDUE, S.INVITED): S.OVERDUE,
    (A.MARK_OVERDUE, S.DOC_ISSUED): S.OVERDUE,
    (A.FOLLOW_UP, S.OVERDUE): S.FOLLOW_UP,
    (A.FOLLOW_UP, S.FOLLOW_UP): S.FOLLOW_UP,
    **{(A.REISSUE_CARD, s): s for s in S if s is not S.INVITED},
}


@pytest.mark.parametrize(("action", "status"), [(a, s) for a in A for s in S], ids=str)
def test_every_move_of_the_state_machine(action: CheckinAction, status: CheckinStatus) -> None:
    expected = ALLOWED.get((action, status))
    if expected is None:
        with pytest.raises(InvalidTransition) as refused:
            apply(status, action)
        assert refused.value.field == "status"
        assert status.label in refused.value.message
    else:
        assert apply(status, action) is expected


def test_the_happy_path_and_the_late_path() -> None:
    status = S.INVITED
    for action in (A.ISSUE_DOCUMENTS, A.SUBMIT, A.CONFIRM, A.RETURN_RECEIPT, A.CLAIM):
        status = apply(status, action)
    assert status is S.ACTIVE
    late = S.DOC_ISSUED
    for action in (A.MARK_OVERDUE, A.FOLLOW_UP, A.FOLLOW_UP, A.SUBMIT, A.CONFIRM):
        late = apply(late, action)
    assert late is S.CONFIRMED


@pytest.mark.parametrize(
    ("action", "actor"),
    [
        (A.ISSUE_DOCUMENTS, Actor.BRANCH),
        (A.SUBMIT, Actor.MEMBER),
        (A.CONFIRM, Actor.COMMUNITY),
        (A.RETURN_RECEIPT, Actor.BRANCH),
        (A.FOLLOW_UP, Actor.BRANCH),
        (A.REISSUE_CARD, Actor.BRANCH),
        (A.CLAIM, Actor.MEMBER),
        (A.MARK_OVERDUE, Actor.SYSTEM),
    ],
)
def test_each_move_belongs_to_one_party(action: CheckinAction, actor: Actor) -> None:
    assert ACTORS[action] is actor


@given(st.lists(st.sampled_from(list(A)), max_size=30))
def test_no_path_skips_a_step(actions: list[CheckinAction]) -> None:
    status, taken = S.INVITED, []
    for action in actions:
        try:
            status = apply(status, action)
        except InvalidTransition:
            continue
        taken.append(action)
        if status in (S.CONFIRMED, S.RECEIPT_RETURNED, S.ACTIVE):
            assert A.CONFIRM in taken
        if status is not S.INVITED:
            assert taken[0] in (A.ISSUE_DOCUMENTS, A.MARK_OVERDUE)
        if status in (S.SUBMITTED, S.CONFIRMED, S.RECEIPT_RETURNED, S.ACTIVE):
            assert A.SUBMIT in taken


def submission_error(
    status: CheckinStatus, today: date, required: set[DocumentKind], handed_in: list[DocumentKind]
) -> tuple[str, str | None] | None:
    try:
        check_submission(status, DEADLINE, today, required, handed_in)
    except DomainError as error:
        return error.code, error.field
    return None


@pytest.mark.parametrize(
    ("status", "today", "required", "handed_in", "expected"),
    [
        (S.DOC_ISSUED, DEADLINE, LETTER_VARIANT, [D.INTRODUCTION_LETTER], None),
        (S.DOC_ISSUED, DEADLINE, CARD_VARIANT, [D.REGISTRATION_FORM, D.CHECKIN_CARD], None),
        (S.DOC_ISSUED, DEADLINE, CARD_VARIANT, [D.CHECKIN_CARD], ("documents_missing", "documents")),
        (S.DOC_ISSUED, DEADLINE, CARD_VARIANT, [D.REGISTRATION_FORM], ("documents_missing", "documents")),
        (S.DOC_ISSUED, DEADLINE, LETTER_VARIANT, [D.INTRODUCTION_LETTER, D.RECEIPT], None),
        (S.DOC_ISSUED, DEADLINE, LETTER_VARIANT, [D.ACTIVITY_CARD], ("document_not_required", "documents.0")),
        (
            S.DOC_ISSUED,
            date(2024, 7, 7),
            LETTER_VARIANT,
            [D.INTRODUCTION_LETTER],
            ("deadline_passed", "round_id"),
        ),
        (S.FOLLOW_UP, date(2024, 8, 1), LETTER_VARIANT, [D.INTRODUCTION_LETTER], None),
        (S.INVITED, DEADLINE, LETTER_VARIANT, [D.INTRODUCTION_LETTER], ("invalid_transition", "status")),
        (S.SUBMITTED, DEADLINE, LETTER_VARIANT, [D.INTRODUCTION_LETTER], ("invalid_transition", "status")),
        (S.OVERDUE, DEADLINE, LETTER_VARIANT, [D.INTRODUCTION_LETTER], ("invalid_transition", "status")),
    ],
)
def test_what_a_submission_needs(
    status: CheckinStatus,
    today: date,
    required: set[DocumentKind],
    handed_in: list[DocumentKind],
    expected: tuple[str, str] | None,
) -> None:
    assert submission_error(status, today, required, handed_in) == expected


def test_the_missing_document_is_named() -> None:
    with pytest.raises(DomainError) as missing:
        check_submission(S.DOC_ISSUED, DEADLINE, DEADLINE, CARD_VARIANT, [D.CHECKIN_CARD])
    assert "《在职党员基本情况登记表》" in missing.value.message


def test_a_late_submission_is_a_conflict_not_bad_input() -> None:
    with pytest.raises(InvalidTransition) as late:
        check_submission(S.DOC_ISSUED, DEADLINE, date(2024, 7, 7), LETTER_VARIANT, [D.INTRODUCTION_LETTER])
    assert late.value.code == "deadline_passed"


def test_only_required_documents_are_issued() -> None:
    check_kinds_required([D.CHECKIN_CARD, D.REGISTRATION_FORM], CARD_VARIANT)
    with pytest.raises(DomainError) as refused:
        check_kinds_required([D.CHECKIN_CARD, D.ACTIVITY_CARD], CARD_VARIANT)
    assert (refused.value.code, refused.value.field) == ("document_not_required", "documents.1")


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        (S.INVITED, date(2024, 7, 7), True),
        (S.DOC_ISSUED, date(2024, 7, 7), True),
        (S.DOC_ISSUED, DEADLINE, False),
        (S.INVITED, date(2024, 7, 1), False),
        (S.SUBMITTED, date(2024, 7, 7), False),
        (S.CONFIRMED, date(2024, 9, 1), False),
        (S.OVERDUE, date(2024, 7, 8), False),
        (S.FOLLOW_UP, date(2024, 7, 8), False),
    ],
)
def test_who_is_overdue(status: CheckinStatus, today: date, expected: bool) -> None:
    assert is_overdue(status, DEADLINE, today) is expected


TODAY = date(2024, 6, 10)


@pytest.mark.parametrize(
    ("checkin", "receipt", "milestones", "expected"),
    [
        (DEADLINE, date(2024, 7, 7), [date(2024, 6, 17), date(2024, 6, 30)], None),
        (TODAY, TODAY, [], None),
        (date(2024, 6, 9), date(2024, 7, 7), [], ("date_in_past", "checkin_deadline")),
        (DEADLINE, date(2024, 7, 5), [], ("receipt_before_checkin", "receipt_deadline")),
        (
            DEADLINE,
            date(2024, 7, 7),
            [date(2024, 6, 17), date(2024, 6, 1)],
            ("date_in_past", "milestones.1.due"),
        ),
    ],
)
def test_round_dates(
    checkin: date, receipt: date, milestones: list[date], expected: tuple[str, str] | None
) -> None:
    def error() -> tuple[str, str | None] | None:
        try:
            check_round_dates(checkin, receipt, milestones, TODAY)
        except DomainError as refused:
            return refused.code, refused.field
        return None

    assert error() == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), (["a", "b", "c"], None), (["a", "b", "a"], 2), (["a", "a", "b", "b"], 1)],
)
def test_first_repeated_member(values: list[str], expected: int | None) -> None:
    assert first_repeat(values) == expected


@pytest.mark.parametrize(
    ("status", "returned", "expected"),
    [
        (S.CONFIRMED, False, S.RECEIPT_RETURNED),
        (S.ACTIVE, False, S.ACTIVE),
        (S.ACTIVE, True, None),
        (S.RECEIPT_RETURNED, True, None),
        (S.SUBMITTED, False, None),
    ],
)
def test_the_receipt_comes_back_once(
    status: CheckinStatus, returned: bool, expected: CheckinStatus | None
) -> None:
    if expected is None:
        with pytest.raises(InvalidTransition):
            return_receipt(status, returned)
    else:
        assert return_receipt(status, returned) is expected


@pytest.mark.parametrize(
    ("status", "issued", "expected"),
    [
        (S.DOC_ISSUED, [D.CHECKIN_CARD], S.DOC_ISSUED),
        (S.ACTIVE, [D.ACTIVITY_CARD, D.INFORMATION_FORM], S.ACTIVE),
        (S.CONFIRMED, [D.INTRODUCTION_LETTER], "no_card_issued"),
        (S.INVITED, [], "invalid_transition"),
    ],
)
def test_only_an_issued_card_is_reissued(
    status: CheckinStatus, issued: list[DocumentKind], expected: CheckinStatus | str
) -> None:
    if isinstance(expected, CheckinStatus):
        assert reissue_card(status, issued) is expected
    else:
        with pytest.raises(DomainError) as refused:
            reissue_card(status, issued)
        assert refused.value.code == expected


@pytest.mark.parametrize(
    ("confirmed", "invited", "rate"), [(0, 0, None), (0, 5, 0.0), (3, 4, 0.75), (1, 3, 0.3333)]
)
def test_checkin_rate(confirmed: int, invited: int, rate: float | None) -> None:
    assert checkin_rate(confirmed, invited) == rate


@pytest.mark.parametrize(
    ("step", "status", "expected"),
    [
        (claim_wish, WishStatus.OPEN, WishStatus.CLAIMED),
        (claim_wish, WishStatus.CLAIMED, None),
        (claim_wish, WishStatus.FULFILLED, None),
        (fulfil_wish, WishStatus.CLAIMED, WishStatus.FULFILLED),
        (fulfil_wish, WishStatus.OPEN, None),
        (fulfil_wish, WishStatus.FULFILLED, None),
    ],
)
def test_a_wish_is_claimed_once_then_fulfilled(
    step: object, status: WishStatus, expected: WishStatus | None
) -> None:
    assert callable(step)
    if expected is None:
        with pytest.raises(InvalidTransition):
            step(status)
    else:
        assert step(status) is expected


def test_the_seed_lists() -> None:
    assert set(ServicePostType.labels().values()) == {
        "文体活动服务岗",
        "文明新风践行岗",
        "环境卫生保洁岗",
        "科普知识宣传岗",
        "党建工作指导岗",
        "学生关怀服务岗",
        "计划生育服务岗",
        "政策法规宣传岗",
        "流动人口服务岗",
    }
    assert set(OverdueReason.labels().values()) == {
        "工作繁忙",
        "居住地变更",
        "不知晓要求",
        "身体原因",
        "其他",
    }
    assert DocumentKind.INTRODUCTION_LETTER.label == "《在职党员到社区报到介绍信》"
    assert all(label.startswith("《") and label.endswith("》") for label in DocumentKind.labels().values())


def test_a_ledger_round_may_lie_in_the_past_but_keeps_its_order() -> None:
    past = date(2024, 1, 6)
    check_round_dates(past, date(2024, 1, 13), [date(2023, 12, 30)], TODAY, backfill=True)
    with pytest.raises(DomainError) as late:
        check_round_dates(past, date(2024, 1, 13), [], TODAY)
    assert late.value.code == "date_in_past"
    with pytest.raises(DomainError) as refused:
        check_round_dates(past, date(2024, 1, 5), [], TODAY, backfill=True)
    assert refused.value.code == "receipt_before_checkin"


@pytest.mark.parametrize(
    ("reported_on", "backfill", "code"),
    [
        (date(2024, 1, 2), False, "reported_on_needs_backfill"),
        (date(2999, 1, 1), True, "date_in_future"),
    ],
)
def test_reported_on_only_from_the_ledger_and_never_ahead(
    reported_on: date, backfill: bool, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        check_reported_on(reported_on, backfill, TODAY, "members.0.reported_on")
    assert (refused.value.code, refused.value.field) == (code, "members.0.reported_on")


def test_no_reported_on_is_always_fine() -> None:
    check_reported_on(None, False, TODAY, "members.0.reported_on")
    check_reported_on(TODAY, True, TODAY, "members.0.reported_on")
