"""Qingchun event contracts.

Partner agencies install this package alone (it depends on pydantic only) to read the
platform's event streams: every message is a CloudEvents 1.0 envelope whose ``data`` is one
of the models registered in :mod:`qingchun_contracts.catalog`.
"""

from qingchun_contracts.base import Audience, EventData, event_contract
from qingchun_contracts.catalog import all_contracts, contract_for
from qingchun_contracts.envelope import Envelope

__all__ = ["Audience", "Envelope", "EventData", "all_contracts", "contract_for", "event_contract"]
