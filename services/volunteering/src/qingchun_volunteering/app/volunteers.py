"""Volunteer profiles, guardian consent for minors, and who may see a volunteer's contact."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from qingchun_contracts.volunteering import VolunteerRegistered
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.derived import DerivedField
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Forbidden, InvalidInput, NotFound
from qingchun_volunteering.adapters.matching import SKILL_SLOTS
from qingchun_volunteering.adapters.store import VOLUNTEERS
from qingchun_volunteering.app.commands import AvailabilityIn, VolunteerCreate, VolunteerUpdate
from qingchun_volunteering.app.context import ORGANIZER_ROLES, VolunteeringContext
from qingchun_volunteering.domain.matching import skill_slots, weekly_slots
from qingchun_volunteering.domain.volunteers import (
    AgeBand,
    Availability,
    age_band,
    check_availability,
    check_birth_date,
    needs_consent,
)


def stored_windows(availability: Iterable[Mapping[str, Any]]) -> list[Availability]:
    """The windows as the volunteer document keeps them (weekday, ``"HH:MM:SS"`` strings)."""
    return [
        Availability(w["weekday"], time.fromisoformat(w["starts"]), time.fromisoformat(w["ends"]))
        for w in availability
    ]


def match_fields(
    availability: Iterable[Mapping[str, Any]] | None, specialties: Iterable[str] | None
) -> Document:
    """``weekly_slots`` and ``skill_slots``, which every write of ``availability`` or ``specialties``
    sets beside them in the same write: volunteers-for-a-shift finds who is free when a shift runs
    (and who has its skills then) by indexed keys instead of reading whole communities."""
    slots = weekly_slots(stored_windows(availability or ()))
    return {"weekly_slots": slots, "skill_slots": skill_slots(specialties or (), slots)}


MATCH_FIELDS = DerivedField(
    VOLUNTEERS,
    SKILL_SLOTS,
    ("availability", "specialties"),
    lambda volunteer: match_fields(volunteer.get("availability"), volunteer.get("specialties")),
)
"""Volunteers registered before the two fields existed get them from a periodic job (service.py);
until then volunteers-for-a-shift does not find them (their own matches, sign-ups and profile
are unaffected)."""


def band_of(ctx: VolunteeringContext, volunteer: Document, on: date | None = None) -> AgeBand:
    birth = date.fromisoformat(volunteer["birth_date"])
    return age_band(birth, on or ctx.now().date(), ctx.age_policy)


async def register(ctx: VolunteeringContext, caller: Caller, command: VolunteerCreate) -> Document:
    today = ctx.now().date()
    check_birth_date(command.birth_date, today)
    band = age_band(command.birth_date, today, ctx.age_policy)
    if needs_consent(band) and command.guardian_subject_id is None:
        raise InvalidInput(
            "a volunteer under the adult age names a guardian",
            field="guardian_subject_id",
            code="guardian_required",
        )
    if command.guardian_subject_id == caller.subject:
        raise InvalidInput(
            "a volunteer cannot be their own guardian", field="guardian_subject_id", code="guardian_invalid"
        )
    if command.home_community_id is not None:
        await ctx.active_organization(command.home_community_id, "home_community_id")
    check_availability(_windows(command.availability))
    volunteer_id = new_id("vol")
    fields = command.model_dump(mode="json")
    document: Document = (
        fields
        | {
            "_id": volunteer_id,
            "subject_id": caller.subject,
            "consent": None,
            "verified_minutes": 0,
            "star_level": 0,
            "attended_count": 0,
            "no_show_count": 0,
            "created_at": datetime.now(UTC),
            "updated_at": datetime.now(UTC),
        }
        | match_fields(fields["availability"], fields["specialties"])
    )
    event = ctx.events.envelope(
        VolunteerRegistered(
            volunteer_id=volunteer_id,
            subject_id=caller.subject,
            volunteer_type=command.volunteer_type.value,
            home_community_id=command.home_community_id,
            age_band=band.value,
            talent_pool=command.talent_pool,
            teaching_opt_in=command.teaching_opt_in,
        ),
        subject=volunteer_id,
    )
    await ctx.store.insert_volunteer(document, [event])
    ctx.notify()
    return document | {"version": 1}


def _windows(given: list[AvailabilityIn]) -> list[Availability]:
    return [Availability(w.weekday, w.starts, w.ends) for w in given]


async def update_profile(ctx: VolunteeringContext, caller: Caller, command: VolunteerUpdate) -> Document:
    """The volunteer edits their own profile; the age band and guardian are not theirs to change."""
    volunteer = await ctx.store.volunteer_of(caller.subject)
    if volunteer is None:
        raise NotFound("you are not registered as a volunteer", code="not_registered")
    changes = command.model_dump(mode="json", exclude_unset=True)
    if "availability" in changes:
        check_availability(_windows(command.availability or []))
    if changes.get("home_community_id") is not None:
        await ctx.active_organization(changes["home_community_id"], "home_community_id")
    if not changes:
        return volunteer
    if "availability" in changes or "specialties" in changes:
        merged = volunteer | changes
        changes |= match_fields(merged.get("availability"), merged.get("specialties"))
    return await ctx.store.update_volunteer(volunteer, changes)


async def record_consent(ctx: VolunteeringContext, caller: Caller, volunteer_id: str) -> Document:
    """The named guardian, and only they, records consent (监护人同意)."""
    volunteer = await ctx.volunteer(volunteer_id)
    caller.require_any(Role.GUARDIAN)
    if volunteer.get("guardian_subject_id") != caller.subject:
        raise Forbidden("only the guardian named by the volunteer may consent", code="not_the_guardian")
    consent = {"guardian_subject_id": caller.subject, "recorded_on": ctx.now().date().isoformat()}
    return await ctx.store.update_volunteer(volunteer, {"consent": consent})


async def may_see_contact(ctx: VolunteeringContext, caller: Caller, volunteer: Document) -> bool:
    """Self and guardian always; for an adult, organisers over their home community; for a minor,
    only the organisers of an activity the minor joined (DESIGN.md §4)."""
    if caller.subject in {volunteer["subject_id"], volunteer.get("guardian_subject_id")}:
        return True
    if not caller.has_any(*ORGANIZER_ROLES):
        return False
    if band_of(ctx, volunteer) is AgeBand.ADULT:
        home = volunteer.get("home_community_id")
        return home is not None and await ctx.organizes(caller, home)
    for shift in await ctx.store.shifts_with_volunteer(volunteer["_id"]):
        if await ctx.organizes(caller, shift["host_organization_id"]):
            return True
    return False


async def page(
    ctx: VolunteeringContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    home_community_id: str,
    talent_pool: bool | None,
) -> tuple[list[Document], str | None]:
    """Organisers list the volunteers of one community in their scope, never the whole platform."""
    await ctx.require_organizer(caller, home_community_id, field="home_community_id")
    query: dict[str, Any] = {"home_community_id": home_community_id}
    if talent_pool is not None:
        query["talent_pool"] = talent_pool
    return split_page(await ctx.store.find_volunteers(query, cursor_after(cursor), limit + 1), limit)
