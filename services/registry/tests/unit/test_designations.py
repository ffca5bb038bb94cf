"""Designations: granting and validity dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_registry.domain.designations import check_validity
from qingchun_registry.domain.errors import DomainError

TODAY = date(2024, 6, 1)


def test_check_validity_examples() -> None:
    check_validity(TODAY, None, TODAY)
    check_validity(date(2020, 1, 1), date(2020, 1, 1), TODAY)
    check_validity(date(2020, 1, 1), date(2019, 12, 31) + timedelta(days=400), TODAY)
    with pytest.raises(DomainError) as excinfo:
        check_validity(TODAY + timedelta(days=1), None, TODAY)
    assert (excinfo.value.code, excinfo.value.field) == ("granted_in_future", "granted_on")
    with pytest.raises(DomainError) as excinfo:
        check_validity(date(2020, 1, 2), date(2020, 1, 1), TODAY)
    assert (excinfo.value.code, excinfo.value.field) == ("date_order", "valid_until")


@given(st.dates(), st.none() | st.dates())
def test_check_validity_accepts_exactly_ordered_past_grants(
    granted_on: date, valid_until: date | None
) -> None:
    valid = granted_on <= TODAY and (valid_until is None or valid_until >= granted_on)
    try:
        check_validity(granted_on, valid_until, TODAY)
    except DomainError:
        assert not valid
    else:
        assert valid
