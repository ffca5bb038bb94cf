"""Applications and referrals: every step allowed and refused, who takes it, and when postings take them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qingchun_employment.domain.applications import (
    OPEN,
    ApplicationAction,
    ApplicationStatus,
    ReferralAnswer,
    ReferralStatus,
    accepts_applications,
    answer_referral,
    apply_action,
    is_seeker_action,
    shares_contact,
)
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import InvalidTransition
from qingchun_plumbing.testing.quality import label_problems

S, A = ApplicationStatus, ApplicationAction
ALLOWED = {
    (S.APPLIED, A.REVIEW): S.REVIEWED,
    (S.REVIEWED, A.INVITE): S.INTERVIEW,
    (S.INTERVIEW, A.OFFER): S.OFFERED,
    (S.OFFERED, A.HIRE): S.HIRED,
    (S.APPLIED, A.REJECT): S.REJECTED,
    (S.REVIEWED, A.REJECT): S.REJECTED,
    (S.INTERVIEW, A.REJECT): S.REJECTED,
    (S.OFFERED, A.REJECT): S.REJECTED,
    (S.APPLIED, A.WITHDRAW): S.WITHDRAWN,
    (S.REVIEWED, A.WITHDRAW): S.WITHDRAWN,
    (S.INTERVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.OFFERED, A.WITHDRAW): S.WITHDRAWN,
}
SHARING = {S.APPLIED, S.REVIEWED, S.INTERVIEW, S.OFFERED, S.HIRED}
REFUSED = [(status, action) for status in S for action in A if (status, action) not in ALLOWED]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_each_allowed_step_leads_where_the_workflow_says(status: S, action: A) -> None:
    assert apply_action(status, action) is ALLOWED[(status, action)]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_every_other_step_is_an_invalid_transition_naming_the_status(status: S, action: A) -> None:
    with pytest.raises(InvalidTransition) as raised:
        apply_action(status, action)
    assert (raised.value.code, raised.value.field) == ("invalid_transition", "status")
    assert status.label in raised.value.message
    assert action.label in raised.value.message


def test_the_table_covers_every_pair_once() -> None:
    assert len(ALLOWED) + len(REFUSED) == len(S) * len(A)
    assert len(REFUSED) == 7 * 6 - 12


@pytest.mark.parametrize("closed", [S.HIRED, S.REJECTED, S.WITHDRAWN])
def test_a_closed_application_never_changes(closed: S) -> None:
    assert closed not in OPEN
    for action in A:
        with pytest.raises(InvalidTransition):
            apply_action(closed, action)


def test_only_withdrawing_is_the_seekers_step() -> None:
    assert [a for a in A if is_seeker_action(a)] == [A.WITHDRAW]


NOW = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "expires_at", "accepted"),
    [
        ("published", NOW + timedelta(days=1), True),
        ("published", None, True),
        ("published", NOW, False),
        ("published", NOW - timedelta(seconds=1), False),
        ("draft", NOW + timedelta(days=1), False),
        ("submitted", NOW + timedelta(days=1), False),
        ("held", NOW + timedelta(days=1), False),
        ("filled", NOW + timedelta(days=1), False),
        ("expired", NOW + timedelta(days=1), False),
        ("withdrawn", NOW + timedelta(days=1), False),
    ],
)
def test_only_a_published_posting_not_yet_run_out_takes_applications(
    status: str, expires_at: datetime | None, accepted: bool
) -> None:
    assert accepts_applications(status, expires_at, NOW) is accepted


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [(ReferralAnswer.ACCEPT, ReferralStatus.ACCEPTED), (ReferralAnswer.DECLINE, ReferralStatus.DECLINED)],
)
def test_a_proposed_referral_is_answered_once(answer: ReferralAnswer, outcome: ReferralStatus) -> None:
    assert answer_referral(ReferralStatus.PROPOSED, answer) is outcome


@pytest.mark.parametrize("answered", [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED])
@pytest.mark.parametrize("answer", list(ReferralAnswer))
def test_an_answered_referral_stays_answered(answered: ReferralStatus, answer: ReferralAnswer) -> None:
    with pytest.raises(InvalidTransition):
        answer_referral(answered, answer)


@pytest.mark.parametrize("enum", [ApplicationStatus, ApplicationAction, ReferralStatus, ReferralAnswer])
def test_every_code_has_its_own_chinese_label(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


@pytest.mark.parametrize("status", list(S))
def test_the_employer_sees_the_seeker_while_the_application_is_open_or_hired(
    status: ApplicationStatus,
) -> None:
    assert shares_contact(status) is (status in SHARING)
