"""The domain stays pure: no storage, bus, web or validation framework, nor another service, in it."""

from __future__ import annotations

from pathlib import Path

from qingchun_plumbing.testing.quality import domain_offenders

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "qingchun_partners" / "domain"


def test_domain_imports_no_infrastructure_and_no_other_service() -> None:
    offenders = domain_offenders(DOMAIN)
    assert offenders == [], "the domain imports what it must not:\n" + "\n".join(offenders)
