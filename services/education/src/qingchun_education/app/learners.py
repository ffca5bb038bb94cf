"""Learners: registering yourself or a child, guardian consent, and who may see personal details."""

from __future__ import annotations

from datetime import date

from qingchun_education.app.context import EducationContext
from qingchun_education.app.learning_commands import LearnerAccountLink, LearnerCreate
from qingchun_education.domain.learners import check_birth_date, holders, learner_band
from qingchun_plumbing.ages import AgeBand
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput


def band_of(ctx: EducationContext, learner: Document, on: date | None = None) -> AgeBand:
    """The learner's age band on ``on`` (today by default), under the configured thresholds."""
    settings = ctx.settings
    birth = date.fromisoformat(learner["birth_date"])
    return learner_band(birth, on or ctx.now().date(), settings.consent_from_age, settings.adult_from_age)


async def register(ctx: EducationContext, caller: Caller, command: LearnerCreate) -> Document:
    check_birth_date(command.birth_date, ctx.now().date())
    subject_id, guardians = holders(
        caller.subject, command.for_child, command.child_subject_id, command.guardian_subject_id
    )
    if command.home_community_id is not None:
        await ctx.active_organization(command.home_community_id, "home_community_id")
    if subject_id is not None and await ctx.learning.learner_of(subject_id) is not None:
        raise Conflict("this account already has a learner", field="subject_id", code="already_registered")
    now = ctx.now()
    document: Document = {
        "_id": new_id("lrn"),
        "subject_id": subject_id,
        "display_name": command.display_name,
        "birth_date": command.birth_date.isoformat(),
        "guardian_subject_ids": guardians,
        "consent": None,
        "home_community_id": command.home_community_id,
        "registered_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.learning.insert_learner(document)
    return document | {"version": 1}


async def _as_guardian(ctx: EducationContext, caller: Caller, learner_id: str) -> Document:
    learner = await ctx.learner(learner_id)
    if caller.subject not in learner["guardian_subject_ids"]:
        raise Forbidden("only a guardian of the learner may do this", code="not_a_guardian")
    return learner


async def record_consent(ctx: EducationContext, caller: Caller, learner_id: str) -> Document:
    """A guardian records consent (监护人同意); recording again renews it."""
    learner = await _as_guardian(ctx, caller, learner_id)
    consent = {"guardian_subject_id": caller.subject, "recorded_at": ctx.now()}
    return await ctx.learning.update_learner(learner, {"consent": consent})


async def link_account(
    ctx: EducationContext, caller: Caller, learner_id: str, command: LearnerAccountLink
) -> Document:
    """A guardian links the child's own account once the child has one; it cannot be moved after."""
    learner = await _as_guardian(ctx, caller, learner_id)
    if learner["subject_id"] is not None:
        raise Conflict("the learner already has an account", field="child_subject_id", code="account_linked")
    if command.child_subject_id in learner["guardian_subject_ids"]:
        raise InvalidInput(
            "a guardian's own account cannot be the child's",
            field="child_subject_id",
            code="guardian_invalid",
        )
    if await ctx.learning.learner_of(command.child_subject_id) is not None:
        raise Conflict(
            "this account already has a learner", field="child_subject_id", code="already_registered"
        )
    return await ctx.learning.update_learner(learner, {"subject_id": command.child_subject_id})


async def mine(
    ctx: EducationContext, caller: Caller, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    found = await ctx.learning.learners_of(caller.subject, cursor_after(cursor), limit + 1)
    return split_page(found, limit)


async def batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.learning.learners(ids)}
    return [found[i] for i in ids if i in found]
