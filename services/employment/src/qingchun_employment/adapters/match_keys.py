"""The ``match_keys`` field of postings and seekers, derived from the stored document.

Every write that changes what the keys are made of writes the keys in the same update: a posting's
terms (app/postings.py), a seeker's skills, wishes, certificates, residence or status (the seeker
store), and the area chains when the registry moves an organisation (adapters/area_chains.py).
Records written before the keys existed get them from the backfill job (adapters/matching.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from qingchun_employment.domain.match_keys import posting_keys, seeker_keys
from qingchun_employment.domain.matching import normalise_skill, seeker_looking, seeker_skills
from qingchun_plumbing.mongo import Document

MATCH_KEYS = "match_keys"
POSTING_KEY_FIELDS = (
    "category",
    "kind",
    "skills",
    "area_ids",
    "place_organization_id",
    "employer_organization_id",
)
SEEKER_KEY_FIELDS = ("skills", "certificates", "wanted_categories", "wanted_kinds", "area_ids", "status")


def posting_match_keys(posting: Document) -> list[str]:
    return posting_keys(
        posting.get("category") or "",
        posting.get("kind") or "",
        (normalise_skill(s) for s in posting.get("skills") or ()),
        posting.get("area_ids") or (),
        public=posting.get("place_organization_id") != posting.get("employer_organization_id"),
    )


def seeker_match_keys(seeker: Document) -> list[str]:
    certificates: Iterable[Document] = seeker.get("certificates") or ()
    declared, certified = seeker_skills(
        seeker.get("skills") or (), (c.get("category") or "" for c in certificates)
    )
    return seeker_keys(
        certified,
        declared,
        seeker.get("wanted_categories") or (),
        seeker.get("wanted_kinds") or (),
        seeker.get("area_ids") or (),
        seeker_looking(seeker.get("status") or ""),
    )
