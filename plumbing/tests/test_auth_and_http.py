"""Token verification, cursors and log lines: the pieces every service's edge relies on."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from qingchun_plumbing.auth import Role, TokenVerifier
from qingchun_plumbing.devtoken import DevIssuer
from qingchun_plumbing.logs import JsonFormatter, correlation_id
from qingchun_plumbing.pagination import cursor_after, decode_cursor, encode_cursor, split_page
from qingchun_plumbing.problems import InvalidInput, Unauthorized
from qingchun_plumbing.settings import ServiceSettings


def _verifier(issuer: DevIssuer) -> TokenVerifier:
    return TokenVerifier(ServiceSettings(jwt_public_key_file=issuer.public_path))


def test_a_valid_token_gives_roles_and_scope(dev_issuer: DevIssuer) -> None:
    token = dev_issuer.issue(roles=["district_admin", "mentor"], scope_orgs=["org_a"], subject="u-1")
    caller = _verifier(dev_issuer).verify(token)
    assert caller.subject == "u-1"
    assert caller.roles == {Role.DISTRICT_ADMIN, Role.MENTOR}
    assert caller.scope == {"org_a"}


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda i, _: i.issue(roles=["city_admin"], ttl=timedelta(seconds=-5)), "token_expired"),
        (lambda _, other: other.issue(roles=["city_admin"]), "token_invalid"),
        (lambda i, _: i.issue(roles=["superuser"]), "token_invalid"),
        (lambda i, _: i.issue(roles=["city_admin"])[:-4] + "AAAA", "token_invalid"),
    ],
    ids=["expired", "foreign-issuer", "unknown-role", "tampered"],
)
def test_bad_tokens_are_refused(dev_issuer: DevIssuer, tmp_path: Path, make: object, code: str) -> None:
    other = DevIssuer(tmp_path).ensure_keys()
    token = make(dev_issuer, other)  # type: ignore[operator]
    with pytest.raises(Unauthorized) as refused:
        _verifier(dev_issuer).verify(token)
    assert refused.value.code == code


def test_no_issuer_configured_is_an_explicit_refusal(dev_issuer: DevIssuer) -> None:
    with pytest.raises(Unauthorized) as refused:
        TokenVerifier(ServiceSettings()).verify(dev_issuer.issue(roles=["city_admin"]))
    assert refused.value.code == "issuer_not_configured"


def test_cursors_round_trip_and_forgeries_are_named() -> None:
    assert decode_cursor(encode_cursor({"after": "org_1"})) == {"after": "org_1"}
    assert cursor_after(None) is None
    for forged in ("%%%", encode_cursor({"after": 5}), "WzFd"):
        with pytest.raises(InvalidInput) as refused:
            cursor_after(forged)
        assert refused.value.field == "cursor"
    page, cursor = split_page([{"_id": "a"}, {"_id": "b"}, {"_id": "c"}], 2)
    assert [d["_id"] for d in page] == ["a", "b"]
    assert cursor_after(cursor) == "b"
    assert split_page([{"_id": "a"}], 2) == ([{"_id": "a"}], None)


def test_log_lines_are_json_with_the_correlation_id() -> None:
    record = logging.LogRecord(
        "qingchun.test", logging.INFO, __file__, 1, "term notices announced", None, None
    )
    record.count = 2
    token = correlation_id.set("corr-7")
    try:
        line = json.loads(JsonFormatter("registry").format(record))
    finally:
        correlation_id.reset(token)
    assert line["message"] == "term notices announced"
    assert (line["service"], line["correlation_id"], line["count"]) == ("registry", "corr-7", 2)
