"""结对/共建协议: life cycle, parties and dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_registry.domain.agreements import (
    AgreementAction,
    AgreementStatus,
    apply_action,
    check_dates,
    check_parties,
)
from qingchun_registry.domain.errors import DomainError, InvalidTransition

A = AgreementAction
S = AgreementStatus
# The life cycle, written out independently of the module under test.
TABLE = {
    (S.DRAFT, A.SIGN): S.SIGNED,
    (S.SIGNED, A.ACTIVATE): S.ACTIVE,
    (S.ACTIVE, A.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, A.RESUME): S.ACTIVE,
    (S.DRAFT, A.END): S.ENDED,
    (S.SIGNED, A.END): S.ENDED,
    (S.ACTIVE, A.END): S.ENDED,
    (S.SUSPENDED, A.END): S.ENDED,
}
SIGNED_ON = date(2024, 3, 1)


@pytest.mark.parametrize("status", list(AgreementStatus))
@pytest.mark.parametrize("action", list(AgreementAction))
def test_apply_action_matches_the_table(status: AgreementStatus, action: AgreementAction) -> None:
    if (status, action) in TABLE:
        assert apply_action(status, action) is TABLE[(status, action)]
    else:
        with pytest.raises(InvalidTransition) as excinfo:
            apply_action(status, action)
        assert excinfo.value.code == "invalid_transition"
        assert status.label in excinfo.value.message
        assert action.label in excinfo.value.message


@given(st.lists(st.sampled_from(AgreementAction), max_size=30))
def test_random_action_sequences(actions: list[AgreementAction]) -> None:
    status = S.DRAFT
    signed = False
    for action in actions:
        try:
            after = apply_action(status, action)
        except InvalidTransition:
            assert (status, action) not in TABLE
            continue
        if status is S.ENDED:
            pytest.fail("ENDED must be terminal")
        signed = signed or after is S.SIGNED
        if after in (S.ACTIVE, S.SUSPENDED):
            assert signed, "an agreement is carried out only after it was signed"
        status = after
    if A.END in actions:
        assert status is S.ENDED


def test_check_parties() -> None:
    check_parties(["community-1", "school-2"])
    check_parties(["a", "b", "c"])
    for bad in ([], ["a"], ["a", "a"], ["a", "b", "a"]):
        with pytest.raises(DomainError) as excinfo:
            check_parties(bad)
        assert (excinfo.value.code, excinfo.value.field) == ("parties_invalid", "party_ids")


@given(st.lists(st.sampled_from("abcde"), max_size=6))
def test_check_parties_accepts_exactly_two_or_more_distinct(ids: list[str]) -> None:
    valid = len(ids) >= 2 and len(set(ids)) == len(ids)
    try:
        check_parties(ids)
    except DomainError:
        assert not valid
    else:
        assert valid


def test_check_dates() -> None:
    before = SIGNED_ON - timedelta(days=1)
    check_dates(SIGNED_ON, SIGNED_ON, SIGNED_ON + timedelta(days=365))
    check_dates(None, before, before)
    check_dates(SIGNED_ON, None, None)
    for plaque_on, ends_on, field in [(before, None, "plaque_on"), (None, before, "ends_on")]:
        with pytest.raises(DomainError) as excinfo:
            check_dates(SIGNED_ON, plaque_on, ends_on)
        assert (excinfo.value.code, excinfo.value.field) == ("date_order", field)
