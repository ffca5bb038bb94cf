"""Who may see which live event: pure rules, so every case is unit tested without a broker.

Each subscription reads only the events its rule lets through for the caller: one's own sign-ups,
activities within the organisations one watches (and may watch), postings that match one's own
job-seeker profile. The services check again when the gateway loads what an event points at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qingchun_contracts import Envelope
from qingchun_contracts.employment import PostingPublished
from qingchun_contracts.volunteering import (
    ActivityPublished,
    SignupCancelled,
    SignupConfirmed,
    SignupPromoted,
    SignupWaitlisted,
)
from qingchun_plumbing.auth import Caller, Role

SIGNUP_KINDS: dict[str, tuple[str, str]] = {
    SignupConfirmed.event_type: ("confirmed", "报名成功"),
    SignupWaitlisted.event_type: ("waitlisted", "进入候补"),
    SignupPromoted.event_type: ("promoted", "候补转正"),
    SignupCancelled.event_type: ("cancelled", "已取消"),
}
"""Sign-up event type → (kind code, Chinese label)."""

ACTIVITY_EVENTS = frozenset({ActivityPublished.event_type})
POSTING_EVENTS = frozenset({PostingPublished.event_type})
LIVE_EVENTS = frozenset(SIGNUP_KINDS) | ACTIVITY_EVENTS | POSTING_EVENTS
"""Every event type the gateway's subscriptions read: the hub binds exactly these."""

STAFF_ROLES = (Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF, Role.ORG_ADMIN, Role.SCHOOL_STAFF)


@dataclass(frozen=True)
class SignupChange:
    kind: str
    label: str
    activity_id: str
    shift_id: str
    confirm_by: str | None


def signup_change_for(envelope: Envelope, caller: Caller) -> SignupChange | None:
    """The change when the event is about the caller's own sign-up, else None."""
    kind = SIGNUP_KINDS.get(envelope.type)
    if kind is None or envelope.data.get("subject_id") != caller.subject:
        return None
    data = envelope.data
    return SignupChange(kind[0], kind[1], data["activity_id"], data["shift_id"], data.get("confirm_by"))


def may_watch(caller: Caller, chain: Sequence[str]) -> bool:
    """Whether the caller may follow activities under the organisation whose chain (itself first,
    then those above it) is given: the city admin anywhere, staff within their scope, and a
    volunteer or guardian anywhere (a published activity is public, partner-audience news)."""
    if caller.has_any(Role.CITY_ADMIN, Role.VOLUNTEER, Role.GUARDIAN):
        return True
    return caller.has_any(*STAFF_ROLES) and bool(caller.scope.intersection(chain))


def watched_by_default(caller: Caller) -> frozenset[str] | None:
    """What "my organisations" means for a staff caller with no argument: their scope (None for the
    city admin, who watches everything); volunteers' home community is looked up by the resolver."""
    if caller.has_any(Role.CITY_ADMIN):
        return None
    if caller.has_any(*STAFF_ROLES):
        return caller.scope
    return frozenset()


def within(chain: Iterable[str], watched: frozenset[str] | None) -> bool:
    """An organisation (given by its chain) lies under one of the watched ones; None watches all."""
    return watched is None or not watched.isdisjoint(chain)


def posting_matches(
    envelope: Envelope, wanted_categories: Iterable[str], wanted_kinds: Iterable[str]
) -> bool:
    """A published posting in a category and of a kind the seeker wants (an empty wish is any)."""
    if envelope.type not in POSTING_EVENTS:
        return False
    categories, kinds = set(wanted_categories), set(wanted_kinds)
    category, kind = envelope.data.get("category"), envelope.data.get("kind")
    return (not categories or category in categories) and (not kinds or kind in kinds)
