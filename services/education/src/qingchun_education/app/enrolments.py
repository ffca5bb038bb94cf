"""Enrolment use cases: enrolling, the waitlist (cancel, promote, accept, decline, lapse), completion.

Placement is decided by the store's atomic writes (a place is taken only while one is free and
nobody waits for it), so concurrency can never overbook a course. Every other change is one
optimistic write of the course's roster: expired offers end, the change itself applies, and the
waitlist moves per the course's policy, all in the same write with their events; a write that
lost a race re-reads the roster and tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from qingchun_contracts import Envelope
from qingchun_contracts.base import EventData
from qingchun_contracts.education import (
    CourseCompleted,
    EnrolmentCancelled,
    EnrolmentCreated,
    EnrolmentPromoted,
)
from qingchun_education.app.context import STAFF_ROLES, EducationContext
from qingchun_education.app.enrolment_commands import CompletionRecord, EnrolmentCreate
from qingchun_education.domain.enrolments import (
    LIVE,
    Applicant,
    Audience,
    CancelReason,
    EnrolmentStatus,
    Entry,
    Exam,
    Promotion,
    Terms,
    check_cancellable,
    check_completion,
    check_eligibility,
    check_offered,
    counts,
    lapsed,
    promote,
    promote_by_hand,
)
from qingchun_plumbing.ages import AgeBand, age_on, band
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, NotFound, StaleWrite
from qingchun_plumbing.service import PeriodicJob
from qingchun_plumbing.waitlist import WaitlistPolicy

MAX_ATTEMPTS = 20
OPEN_COURSE = "scheduled"
Change = Callable[[Document, list[Document], datetime], list[Envelope]]
"""Applies one change to a roster's entries (in place), returning its events; raises to refuse."""


def _stored_instant(when: datetime) -> datetime:
    """To the millisecond, as the store keeps it, so an offer's deadline reads the same in its event."""
    return when.replace(microsecond=when.microsecond // 1000 * 1000)


async def course_of(ctx: EducationContext, course_id: str) -> Document:
    course = await ctx.learning.course(course_id)
    if course is None:
        raise NotFound("no course has this id", field="course_id")
    return course


async def _enrolment(ctx: EducationContext, enrolment_id: str) -> Document:
    found = await ctx.enrolments.enrolment(enrolment_id)
    if found is None:
        raise NotFound("no enrolment has this id", field="enrolment_id")
    return found


def _entry(document: Document) -> Entry:
    return Entry(
        document["id"],
        EnrolmentStatus(document["status"]),
        document["position"],
        document.get("offer_expires_at"),
    )


def _entries(entries: list[Document]) -> list[Entry]:
    return [_entry(e) for e in entries]


def _terms(roster: Document) -> Terms:
    return Terms(
        roster["capacity"], WaitlistPolicy(roster["waitlist_policy"]), roster.get("offer_window_hours")
    )


def _find(entries: list[Document], enrolment_id: str) -> Document:
    return next(e for e in entries if e["id"] == enrolment_id)


def _event(
    ctx: EducationContext, kind: type[EventData], course_id: str, entry: Document, **data: object
) -> Envelope:
    fact = {"enrolment_id": entry["id"], "course_id": course_id, "learner_id": entry["learner_id"]}
    return ctx.events.envelope(kind(**fact, **data), subject=entry["id"])


def _end(ctx: EducationContext, roster: Document, entry: Document, reason: CancelReason) -> Envelope:
    entry.update(status=EnrolmentStatus.CANCELLED.value, offer_expires_at=None, cancel_reason=reason.value)
    return _event(ctx, EnrolmentCancelled, roster["_id"], entry, reason_code=reason.value)


def _promote(
    ctx: EducationContext, roster: Document, entries: list[Document], promotion: Promotion
) -> Envelope:
    entry = _find(entries, promotion.enrolment_id)
    entry.update(status=promotion.status.value, offer_expires_at=promotion.confirm_by)
    return _event(ctx, EnrolmentPromoted, roster["_id"], entry, confirm_by=promotion.confirm_by)


def _lapse(ctx: EducationContext, roster: Document, entries: list[Document], now: datetime) -> list[Envelope]:
    ended = set(lapsed(_entries(entries), now))
    return [_end(ctx, roster, e, CancelReason.OFFER_LAPSED) for e in entries if e["id"] in ended]


def _counted(entries: list[Document]) -> Document:
    """The counters the atomic enrolment writes test, recomputed from the entries themselves."""
    taken, waiting = counts(_entries(entries))
    live = [e["learner_id"] for e in entries if EnrolmentStatus(e["status"]) in LIVE]
    return {"entries": entries, "taken": taken, "waiting": waiting, "active_learner_ids": live}


async def _rewrite(ctx: EducationContext, course_id: str, change: Change) -> Document:
    """Lapse, change and let the waitlist move, as one write of the roster; nothing if nothing changed."""
    for _ in range(MAX_ATTEMPTS):
        roster = await ctx.enrolments.roster(course_id)
        if roster is None:
            raise NotFound("nobody has enrolled in this course", field="course_id")
        now = _stored_instant(ctx.now())
        entries = [dict(e) for e in roster["entries"]]
        events = [*_lapse(ctx, roster, entries, now), *change(roster, entries, now)]
        events += [_promote(ctx, roster, entries, p) for p in promote(_entries(entries), _terms(roster), now)]
        if entries == roster["entries"]:
            return roster
        try:
            result = await ctx.enrolments.update_roster(roster, _counted(entries), events)
        except StaleWrite:
            continue
        ctx.notify()
        return result
    raise StaleWrite("the course is too busy right now; try again")


def _unchanged(roster: Document, entries: list[Document], now: datetime) -> list[Envelope]:
    return []


# enrolling ---------------------------------------------------------------------------------------
def _applicant(ctx: EducationContext, caller: Caller, learner: Document, guardian_present: bool) -> Applicant:
    age = age_on(date.fromisoformat(learner["birth_date"]), ctx.local_date())
    age_band = band(age, ctx.settings.consent_from_age, ctx.settings.adult_from_age)
    by_guardian = caller.subject in learner.get("guardian_subject_ids", [])
    return Applicant(age, age_band, learner.get("consent") is not None, by_guardian, guardian_present)


def _eligible(course: Document, applicant: Applicant) -> AgeBand:
    audience = Audience(course.get("min_age"), course.get("max_age"), course.get("family", False))
    check_eligibility(applicant, audience)
    return applicant.band


def _terms_of(course: Document) -> Document:
    """What a roster copies from its course: the waitlist terms and who runs it."""
    keep = ("programme_id", "owner_organization_id", "capacity", "waitlist_policy", "offer_window_hours")
    return {k: course.get(k) for k in keep}


def _new_entry(ctx: EducationContext, caller: Caller, learner: Document) -> Document:
    guardians = learner.get("guardian_subject_ids", [])
    consent = learner.get("consent") or {}
    return {
        "id": new_id("enr"),
        "learner_id": learner["_id"],
        "offer_expires_at": None,
        "enrolled_by": caller.subject,
        "guardian_subject_id": caller.subject
        if caller.subject in guardians
        else consent.get("guardian_subject_id"),
        "created_at": ctx.now(),
        "completed_on": None,
        "exam_score": None,
        "passed_exam": None,
    }


async def enrol(ctx: EducationContext, caller: Caller, course_id: str, command: EnrolmentCreate) -> Document:
    """The learner (or their guardian, or the course's staff) enrols: a place, or the waitlist."""
    course = await course_of(ctx, course_id)
    if course.get("status") != OPEN_COURSE:
        raise InvalidInput("the course is not open for enrolment", field="course_id", code="course_not_open")
    learner = await ctx.learner(command.learner_id)
    if not ctx.acts_for(caller, learner):
        await ctx.require_staff(caller, course["owner_organization_id"], "learner_id")
    band = _eligible(course, _applicant(ctx, caller, learner, command.guardian_present))
    if await ctx.enrolments.roster(course_id) is None:
        await ctx.enrolments.open_roster(course_id, _terms_of(course))
    entry = _new_entry(ctx, caller, learner)

    def created(status: EnrolmentStatus) -> list[Envelope]:
        return [_event(ctx, EnrolmentCreated, course_id, entry, status=status.value, age_band=band.value)]

    placed = EnrolmentStatus.ENROLLED
    if await ctx.enrolments.take_place(course_id, entry | {"status": placed.value}, created(placed)) is None:
        placed = EnrolmentStatus.WAITLISTED
        if (
            await ctx.enrolments.join_waitlist(course_id, entry | {"status": placed.value}, created(placed))
            is None
        ):
            raise Conflict(
                "the learner is already on this course", field="learner_id", code="already_enrolled"
            )
        await _rewrite(ctx, course_id, _unchanged)  # a place freed meanwhile goes to the waitlist
    ctx.notify()
    return await _enrolment(ctx, entry["id"])


# the waitlist -------------------------------------------------------------------------------------
async def _for_learner_or_staff(ctx: EducationContext, caller: Caller, enrolment: Document) -> CancelReason:
    """Who withdraws: the learner's side, or (anyone else) the course's staff."""
    if ctx.acts_for(caller, await ctx.learner(enrolment["learner_id"])):
        return CancelReason.LEARNER
    await ctx.require_staff(caller, enrolment["owner_organization_id"], "enrolment_id")
    return CancelReason.ORGANIZER


async def _for_learner(ctx: EducationContext, caller: Caller, enrolment: Document) -> None:
    if not ctx.acts_for(caller, await ctx.learner(enrolment["learner_id"])):
        raise Forbidden("only the learner or their guardian answers an offer", field="enrolment_id")


async def cancel(ctx: EducationContext, caller: Caller, enrolment_id: str) -> Document:
    """Withdraw; the freed place goes as the course's waitlist policy says."""
    enrolment = await _enrolment(ctx, enrolment_id)
    reason = await _for_learner_or_staff(ctx, caller, enrolment)

    def change(roster: Document, entries: list[Document], now: datetime) -> list[Envelope]:
        entry = _find(entries, enrolment_id)
        check_cancellable(EnrolmentStatus(entry["status"]))
        return [_end(ctx, roster, entry, reason)]

    await _rewrite(ctx, enrolment["course_id"], change)
    return await _enrolment(ctx, enrolment_id)


async def accept(ctx: EducationContext, caller: Caller, enrolment_id: str) -> Document:
    """Take up an offered place before its deadline."""
    enrolment = await _enrolment(ctx, enrolment_id)
    await _for_learner(ctx, caller, enrolment)

    def change(roster: Document, entries: list[Document], now: datetime) -> list[Envelope]:
        entry = _find(entries, enrolment_id)
        if entry.get("cancel_reason") == CancelReason.OFFER_LAPSED.value:
            raise Conflict(
                "the offer lapsed before it was accepted", field="enrolment_id", code="offer_lapsed"
            )
        check_offered(EnrolmentStatus(entry["status"]))
        entry.update(status=EnrolmentStatus.ENROLLED.value, offer_expires_at=None)
        return []

    await _rewrite(ctx, enrolment["course_id"], change)
    return await _enrolment(ctx, enrolment_id)


async def decline(ctx: EducationContext, caller: Caller, enrolment_id: str) -> Document:
    """Turn an offered place down; it is offered to the next in line."""
    enrolment = await _enrolment(ctx, enrolment_id)
    await _for_learner(ctx, caller, enrolment)

    def change(roster: Document, entries: list[Document], now: datetime) -> list[Envelope]:
        entry = _find(entries, enrolment_id)
        check_offered(EnrolmentStatus(entry["status"]))
        return [_end(ctx, roster, entry, CancelReason.DECLINED)]

    await _rewrite(ctx, enrolment["course_id"], change)
    return await _enrolment(ctx, enrolment_id)


async def promote_waitlisted(ctx: EducationContext, caller: Caller, enrolment_id: str) -> Document:
    """Staff move a chosen waitlisted learner into a free place (courses that do not auto-promote)."""
    enrolment = await _enrolment(ctx, enrolment_id)
    await ctx.require_staff(caller, enrolment["owner_organization_id"], "enrolment_id")

    def change(roster: Document, entries: list[Document], now: datetime) -> list[Envelope]:
        promotion = promote_by_hand(_entries(entries), enrolment_id, _terms(roster), now)
        return [_promote(ctx, roster, entries, promotion)]

    await _rewrite(ctx, enrolment["course_id"], change)
    return await _enrolment(ctx, enrolment_id)


async def lapse_offers(ctx: EducationContext) -> int:
    """End every offer past its deadline and offer its place to the next in line; idempotent.

    Returns the number of courses whose offers lapsed; a course too busy to write now is left
    for the next run.
    """
    moved = 0
    for course_id in await ctx.enrolments.rosters_with_lapsed_offers(ctx.now()):
        try:
            await _rewrite(ctx, course_id, _unchanged)
        except StaleWrite:
            continue
        moved += 1
    return moved


def jobs(ctx: EducationContext) -> list[PeriodicJob]:
    return [PeriodicJob("enrolment-offer-expiry", 60, lambda: lapse_offers(ctx))]


# completion ---------------------------------------------------------------------------------------
async def complete(
    ctx: EducationContext, caller: Caller, enrolment_id: str, command: CompletionRecord
) -> Document:
    """Staff record completion (结业), after the course's exam where it has one."""
    enrolment = await _enrolment(ctx, enrolment_id)
    await ctx.require_staff(caller, enrolment["owner_organization_id"], "enrolment_id")
    course = await course_of(ctx, enrolment["course_id"])
    learner = await ctx.learner(enrolment["learner_id"])
    exam = Exam(course.get("has_exam", False), course.get("pass_mark"))

    def change(roster: Document, entries: list[Document], now: datetime) -> list[Envelope]:
        entry = _find(entries, enrolment_id)
        passed = check_completion(EnrolmentStatus(entry["status"]), exam, command.exam_score)
        completed_on = ctx.local_date(now).isoformat()
        entry.update(
            status=EnrolmentStatus.COMPLETED.value,
            completed_on=completed_on,
            exam_score=command.exam_score,
            passed_exam=passed,
        )
        return [
            _event(
                ctx,
                CourseCompleted,
                roster["_id"],
                entry,
                subject_id=learner.get("subject_id"),
                category=course["category"],
                passed_exam=passed,
                completed_on=completed_on,
            )
        ]

    await _rewrite(ctx, enrolment["course_id"], change)
    return await _enrolment(ctx, enrolment_id)


# reads --------------------------------------------------------------------------------------------
async def may_see(ctx: EducationContext, caller: Caller, enrolment: Document) -> bool:
    """The course's staff, the learner and their guardians; nobody else learns who enrolled."""
    if await ctx.manages(caller, enrolment["owner_organization_id"]):
        return True
    learner = await ctx.learning.learner(enrolment["learner_id"])
    return learner is not None and ctx.acts_for(caller, learner)


async def enrolment(ctx: EducationContext, caller: Caller, enrolment_id: str) -> Document:
    found = await ctx.enrolments.enrolment(enrolment_id)
    if found is None or not await may_see(ctx, caller, found):
        raise NotFound("no enrolment visible to you has this id", field="enrolment_id")
    return found


async def batch(ctx: EducationContext, caller: Caller, ids: list[str]) -> list[Document]:
    """The ones the caller may see, in the order asked; the others are left out as if unknown."""
    found = {d["_id"]: d for d in await ctx.enrolments.enrolments(ids)}
    return [found[i] for i in ids if i in found and await may_see(ctx, caller, found[i])]


async def course_page(
    ctx: EducationContext,
    caller: Caller,
    course_id: str,
    statuses: list[EnrolmentStatus],
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """The course's roster for its staff, in order of enrolment."""
    course = await course_of(ctx, course_id)
    await ctx.require_staff(caller, course["owner_organization_id"], "course_id")
    codes = [s.value for s in statuses]
    return split_page(
        await ctx.enrolments.enrolments_of_course(course_id, codes, cursor_after(cursor), limit + 1), limit
    )


async def learner_page(
    ctx: EducationContext, caller: Caller, learner_id: str, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """All of a learner's enrolments for them and their guardians; staff see those on their courses."""
    learner = await ctx.learner(learner_id)
    found = await ctx.enrolments.enrolments_of_learner(learner_id, cursor_after(cursor), limit + 1)
    items, next_cursor = split_page(found, limit)
    if ctx.acts_for(caller, learner):
        return items, next_cursor
    caller.require_any(*STAFF_ROLES)
    return [i for i in items if await ctx.manages(caller, i["owner_organization_id"])], next_cursor
