"""Domain errors keep their code, message and field for the API's problem details."""

from __future__ import annotations

from qingchun_volunteering.domain.errors import DomainError, InvalidTransition


def test_domain_error_keeps_its_parts() -> None:
    error = DomainError("shift_overlap", "与已报名的场次时间冲突", field="shift_id")
    assert (error.code, error.message, error.field) == ("shift_overlap", "与已报名的场次时间冲突", "shift_id")
    assert str(error) == "与已报名的场次时间冲突"
    assert DomainError("x", "y").field is None


def test_invalid_transition_has_a_fixed_code() -> None:
    error = InvalidTransition("“已报送”的活动不能执行“取消”", field="action")
    assert isinstance(error, DomainError)
    assert (error.code, error.message, error.field) == (
        "invalid_transition",
        "“已报送”的活动不能执行“取消”",
        "action",
    )
    assert InvalidTransition("m").field is None
