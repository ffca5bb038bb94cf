"""Domain errors keep their code, message and field for the API's problem details."""

from __future__ import annotations

from qingchun_registry.domain.errors import DomainError, InvalidTransition


def test_domain_error_keeps_its_parts() -> None:
    error = DomainError("tree_cycle", "不能移到下级组织之下", field="parent_id")
    assert (error.code, error.message, error.field) == ("tree_cycle", "不能移到下级组织之下", "parent_id")
    assert str(error) == "不能移到下级组织之下"
    assert DomainError("x", "y").field is None


def test_invalid_transition_has_a_fixed_code() -> None:
    error = InvalidTransition("不能从“草拟”执行“恢复”", field="action")
    assert isinstance(error, DomainError)
    assert (error.code, error.field) == ("invalid_transition", "action")
