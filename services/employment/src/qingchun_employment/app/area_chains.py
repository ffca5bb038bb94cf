"""Stored area chains follow the registry when it moves an organisation (a community to another
street, a street to another district).

Scope checks and lists run on chains stored with each record (``area_ids`` and the like), so that
one indexed key finds everything under an area. When the registry's ``organization.updated`` names
a new parent, every record whose chain passes through that organisation gets the chain the read
model now gives its own organisation. Recomputing from the read model (which keeps only the newest
state of each organisation) makes it idempotent and safe against late or repeated events: a second
delivery, or an older event, writes nothing.
"""

from __future__ import annotations

import logging

from qingchun_employment.adapters.area_chains import CHAINS, AreaChainStore
from qingchun_plumbing.directory import OrganizationDirectory

_log = logging.getLogger("qingchun.employment.area_chains")


async def follow_move(store: AreaChainStore, orgs: OrganizationDirectory, org_id: str) -> int:
    """Rewrite the chains under ``org_id``; returns how many records changed."""
    changed = 0
    chains: dict[str, list[str]] = {}
    for stored in CHAINS:
        for anchor in await store.anchors_below(stored, org_id):
            if anchor not in chains:
                chains[anchor] = [anchor, *await orgs.ancestor_ids(anchor)]
            changed += await store.set_chain(stored, anchor, chains[anchor])
    if changed:
        _log.info("area chains rewritten", extra={"organization_id": org_id, "records": changed})
    return changed
