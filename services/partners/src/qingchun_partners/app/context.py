"""What every partner use case needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from qingchun_partners.adapters.deliveries import DeliveryStore
from qingchun_partners.adapters.feeds import PartnerFeeds
from qingchun_partners.adapters.partners import PartnerStore
from qingchun_partners.adapters.webhooks import WebhookClient
from qingchun_partners.app.outside import BrokerAdmin
from qingchun_partners.domain.names import PartnerNames
from qingchun_partners.settings import PartnersSettings
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import NotFound


@dataclass(frozen=True)
class PartnersContext:
    orgs: OrganizationDirectory
    partners: PartnerStore
    deliveries: DeliveryStore
    feeds: PartnerFeeds
    admin: BrokerAdmin
    webhooks: WebhookClient
    settings: PartnersSettings
    now: Callable[[], datetime]

    def names(self, partner_id: str) -> PartnerNames:
        return PartnerNames(self.settings.bus_prefix, partner_id)

    async def chain(self, org_id: str) -> list[str]:
        """The organisation, then its ancestors."""
        return [org_id, *await self.orgs.ancestor_ids(org_id)]

    async def partner(self, partner_id: str) -> Document:
        document = await self.partners.partner(partner_id)
        if document is None:
            raise NotFound("no partner has this id", field="partner_id")
        return document
