"""The pure rules: what may be subscribed to, which events pass a filter, broker names and their
permission, which webhook addresses are refused, and the back-off schedule."""

from __future__ import annotations

import re

import pytest

from qingchun_contracts import Audience, all_contracts
from qingchun_partners.domain.names import PartnerNames
from qingchun_partners.domain.subscriptions import check_event_types, organizations_in, passes
from qingchun_partners.domain.webhooks import (
    WebhookStatus,
    after_attempt,
    backoff_seconds,
    check_addresses,
    is_public,
    webhook_host,
)
from qingchun_plumbing.rules import DomainError


def test_every_partner_event_type_may_be_chosen_and_duplicates_collapse() -> None:
    partner_types = [c.event_type for c in all_contracts(Audience.PARTNER)]
    assert check_event_types([*partner_types, partner_types[0]]) == partner_types


def test_every_internal_event_type_is_refused_by_its_index() -> None:
    for contract in all_contracts(Audience.INTERNAL):
        with pytest.raises(DomainError) as refused:
            check_event_types([all_contracts(Audience.PARTNER)[0].event_type, contract.event_type])
        assert (refused.value.code, refused.value.field) == ("internal_event_type", "event_types.1")


def test_the_organisations_an_event_is_about() -> None:
    data = {
        "agreement_id": "agr_1",
        "party_ids": ["org_a", "org_b"],
        "host_organization_id": "org_c",
        "origin_community_id": "org_a",
        "organization_id": "org_d",
        "incubator_organization_id": None,
        "title": "org_x",
    }
    assert organizations_in(data) == ["org_a", "org_b", "org_c", "org_d"]


def test_a_filter_passes_events_under_its_roots_only() -> None:
    chains = [["org_community", "org_street", "org_city"]]
    assert passes([], chains)
    assert passes(["org_street"], chains)
    assert not passes(["org_other_street"], chains)
    assert not passes(["org_street"], [])


def test_a_partner_user_may_read_its_own_queue_and_stream_only() -> None:
    names = PartnerNames("t1_", "ptn_1")
    allowed = re.compile(names.read_pattern)
    assert allowed.match(names.queue)
    assert allowed.match(names.stream)
    for other in (
        "t1_qingchun.partner.ptn_10",
        "t1_qingchun.partner.ptn_1.x",
        "t1_qingchun.partners",
        "t1Xqingchun.partner.ptn_1",
    ):
        assert not allowed.match(other), other


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.8",
        "172.16.4.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:10.0.0.1",
        "0.0.0.0",
    ],
)
def test_private_loopback_and_link_local_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(DomainError) as refused:
        check_addresses(["203.0.113.9", address], allow_private=False)
    assert refused.value.code == "webhook_private_address"
    check_addresses([address], allow_private=True)


def test_public_addresses_pass_and_an_unresolvable_host_is_refused() -> None:
    check_addresses(["8.8.8.8", "2606:4700::1111"], allow_private=False)
    with pytest.raises(DomainError) as refused:
        check_addresses([], allow_private=True)
    assert refused.value.code == "webhook_host_unresolvable"


def test_https_is_required_unless_the_development_setting_is_on() -> None:
    with pytest.raises(DomainError) as refused:
        webhook_host("http://partner.example/hook", allow_private=False)
    assert refused.value.code == "webhook_https_required"
    assert webhook_host("http://partner.example/hook", allow_private=True) == "partner.example"
    assert webhook_host("https://Partner.Example:8443/hook", allow_private=False) == "partner.example"


def test_back_off_doubles_up_to_its_cap_and_the_last_failure_is_dead() -> None:
    assert [backoff_seconds(n, 30, 200) for n in (1, 2, 3, 4)] == [30, 60, 120, 200]
    assert after_attempt(1, ok=False, max_attempts=3) is WebhookStatus.PENDING
    assert after_attempt(3, ok=False, max_attempts=3) is WebhookStatus.DEAD
    assert after_attempt(3, ok=True, max_attempts=3) is WebhookStatus.DELIVERED
