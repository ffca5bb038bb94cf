"""Applications (求职申请) and staff referrals (职业介绍) in MongoDB.

Document shape other areas rely on (keep these fields stable): ``applications``: ``_id``
(``apl_…``), ``posting_id``, ``seeker_id``, ``employer_organization_id``, ``status``,
``via_referral``, ``contact_shared`` (true once the seeker applied or accepted a referral: only
then may the employer's staff read the seeker's contact details), ``version``.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

APPLICATIONS = "applications"
INDEXES: list[IndexSpec] = [
    IndexSpec(APPLICATIONS, [("seeker_id", 1), ("employer_organization_id", 1)], name="by_seeker_employer"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (APPLICATIONS,)


class ApplicationStore:
    def __init__(self, db: Database) -> None:
        self._applications = db[APPLICATIONS]

    async def contact_shared(self, seeker_id: str, employer_organization_ids: list[str]) -> bool:
        """Whether the seeker applied to (or accepted a referral to) one of these employers."""
        query = {
            "seeker_id": seeker_id,
            "employer_organization_id": {"$in": employer_organization_ids},
            "contact_shared": True,
        }
        return await self._applications.find_one(query, {"_id": 1}) is not None
