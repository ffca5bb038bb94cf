"""Reading GraphQL answers in tests: the data of an answer that must have succeeded, or the one
error of a refused mutation; either way a failure prints the whole answer, errors included."""

from __future__ import annotations

from typing import Any


def data_of(answer: dict[str, Any], field: str) -> Any:
    """The root field's value of an answer without errors."""
    assert not answer.get("errors"), answer
    assert answer.get("data") is not None, answer
    return answer["data"][field]


def refusal(answer: dict[str, Any]) -> dict[str, Any]:
    """The extensions (code, field, service, status) of the one error of a refused mutation."""
    assert answer.get("data") is None, answer
    assert len(answer["errors"]) == 1, answer
    extensions: dict[str, Any] = answer["errors"][0]["extensions"]
    return extensions
