"""Matching (职业介绍): how well a job seeker suits a posting, and why, in words staff can check.

A score in [0, 1] is the weighted sum of six factors, each with a reason: a code and its Chinese
label, a sentence, and the facts it was judged on. Skills weigh most; a skill certified by an
education course (``cert:<category>`` on the seeker, or a certificate) counts more than one the
seeker only declares, and a certificate in the posting's own category raises the skill match
("certificates from education events raise the skill match"). Eligibility is a gate, not a
factor: only open postings and seekers still looking are matched at all.

The facts of a seeker-for-posting match reach the employer's staff: they name the posting's own
skills and categories, a proximity level and a day count, never a name, phone or address.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from typing import TypeVar

from qingchun_employment.domain.postings import PostingKind, PostingStatus
from qingchun_employment.domain.seekers import CERTIFIED_PREFIX, SeekerCategory, SeekerStatus
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

OPEN_POSTING = PostingStatus.PUBLISHED.value
LOOKING_STATUSES = tuple(
    s.value for s in (SeekerStatus.REGISTERED, SeekerStatus.ASSESSED, SeekerStatus.SERVICED)
)
"""Seekers still looking for work; employed, started_business and inactive ones are not matched."""
CERTIFIED_CREDIT = 1.0
DECLARED_CREDIT = 0.6
CATEGORY_CERTIFICATE_BONUS = 0.3
NO_REQUIREMENT_SCORE = 0.5
"""A posting listing no skills suits everyone equally, neither well nor badly."""
NO_WISH_SCORE = 0.5
"""A seeker who states no wanted category (or kind) takes any: half, below one who wants this one."""
NEUTRAL_PRIORITY = 0.5
AVAILABILITY_HORIZON_DAYS = 90
SOON_DAYS = 30
SCORE_DIGITS = 6
"""Scores are rounded before ranking, so equal sums reached in another order tie exactly."""


class MatchFactor(LabelledEnum):
    SKILLS = ("skills", "技能匹配")
    CATEGORY = ("category", "求职意向行业")
    KIND = ("kind", "用工形式")
    PROXIMITY = ("proximity", "就近")
    AVAILABILITY = ("availability", "到岗时间")
    PRIORITY = ("priority", "重点群体优先")


class ReasonCode(LabelledEnum):
    """What each factor found; the code clients key on, the label staff read."""

    SKILLS_ALL = ("skills_all", "具备全部所需技能")
    SKILLS_SOME = ("skills_some", "具备部分所需技能")
    SKILLS_NONE = ("skills_none", "不具备所需技能")
    NO_SKILLS_REQUIRED = ("no_skills_required", "岗位未列技能要求")
    WANTED_CATEGORY = ("wanted_category", "符合求职意向行业")
    OTHER_CATEGORY = ("other_category", "不在求职意向行业内")
    ANY_CATEGORY = ("any_category", "未填写意向行业")
    WANTED_KIND = ("wanted_kind", "符合意向用工形式")
    OTHER_KIND = ("other_kind", "不是意向用工形式")
    ANY_KIND = ("any_kind", "未填写意向用工形式")
    SAME_COMMUNITY = ("same_community", "同社区")
    SAME_STREET = ("same_street", "同街道")
    SAME_DISTRICT = ("same_district", "同区县")
    SAME_CITY = ("same_city", "同市")
    ELSEWHERE = ("elsewhere", "不在同一辖区")
    UNKNOWN_PLACE = ("unknown_place", "未填写居住社区")
    AVAILABLE_NOW = ("available_now", "可立即到岗")
    AVAILABLE_SOON = ("available_soon", "一个月内可到岗")
    AVAILABLE_LATER = ("available_later", "到岗时间较晚")
    PRIORITY_GROUP = ("priority_group", "属岗位优先安置群体")
    NOT_PRIORITY_GROUP = ("not_priority_group", "非岗位优先安置群体")
    NO_PRIORITY = ("no_priority", "岗位不设优先群体")


PRIORITIES: Mapping[PostingKind, Mapping[SeekerCategory, float]] = {
    # 公益性岗位 are for those the market serves worst.
    PostingKind.PUBLIC_WELFARE: {SeekerCategory.HARD_TO_EMPLOY: 1.0, SeekerCategory.LAID_OFF: 0.8},
    # 就业见习 and 大学生返家乡 placements are for students and recent graduates.
    PostingKind.TRAINEESHIP: {SeekerCategory.GRADUATE: 1.0, SeekerCategory.RETURNING_STUDENT: 1.0},
    PostingKind.HOMECOMING_INTERNSHIP: {SeekerCategory.RETURNING_STUDENT: 1.0, SeekerCategory.GRADUATE: 0.8},
}
"""Posting kind → the seeker categories it favours, with how strongly. Other kinds favour nobody."""
_PROXIMITY_SCORES = {
    ReasonCode.SAME_COMMUNITY: 1.0,
    ReasonCode.SAME_STREET: 0.7,
    ReasonCode.SAME_DISTRICT: 0.4,
    ReasonCode.SAME_CITY: 0.15,
}

E = TypeVar("E", bound=LabelledEnum)
Fact = str | int | float | bool | list[str] | None


@dataclass(frozen=True)
class Weights:
    """How much each factor counts; they sum to 1 so the total stays in [0, 1]."""

    skills: float = 0.35
    category: float = 0.15
    kind: float = 0.10
    proximity: float = 0.20
    availability: float = 0.10
    priority: float = 0.10

    def validate(self) -> None:
        parts = (self.skills, self.category, self.kind, self.proximity, self.availability, self.priority)
        if any(p < 0 for p in parts) or abs(sum(parts) - 1) > 1e-9:
            raise DomainError("match_weights_invalid", "匹配权重须为非负数且合计为1", field="weights")


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Reason:
    factor: MatchFactor
    code: ReasonCode
    score: float
    weight: float
    detail: str
    facts: Mapping[str, Fact] = field(default_factory=dict)


@dataclass(frozen=True)
class SeekerFacts:
    """What matching reads of a seeker; ``home_chain`` is the residence community then its ancestors."""

    id: str
    declared: frozenset[str]
    certified: frozenset[str]
    wanted_categories: frozenset[str]
    wanted_kinds: frozenset[str]
    home_chain: tuple[str, ...]
    category: str | None
    available_from: date | None


@dataclass(frozen=True)
class PostingFacts:
    """What matching reads of a posting; ``place_chain`` is its place then the place's ancestors."""

    id: str
    category: str
    kind: str
    skills: frozenset[str]
    place_chain: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    reasons: tuple[Reason, ...]


def normalise_skill(skill: str) -> str:
    """Codes are typed by hand; case, spaces and a ``cert:`` prefix on a posting must not decide."""
    code = skill.strip().casefold()
    return code.removeprefix(CERTIFIED_PREFIX).strip()


def seeker_skills(
    skills: Iterable[str], certificate_categories: Iterable[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """(declared, certified) skill codes: ``cert:x`` codes and certificates' categories are certified."""
    declared: set[str] = set()
    certified = {normalise_skill(c) for c in certificate_categories if c}
    for skill in skills:
        if skill.strip().casefold().startswith(CERTIFIED_PREFIX):
            certified.add(normalise_skill(skill))
        else:
            declared.add(normalise_skill(skill))
    return frozenset(declared - certified), frozenset(certified)


def posting_open(status: str, expires_at: datetime | None, headcount: int, hired: int, now: datetime) -> bool:
    """Published, not yet expired, a place still to fill: only such postings are matched."""
    return status == OPEN_POSTING and expires_at is not None and expires_at > now and hired < headcount


def seeker_looking(status: str) -> bool:
    return status in LOOKING_STATUSES


@dataclass(frozen=True)
class _SkillMatch:
    certified: list[str]
    declared: list[str]
    missing: list[str]
    in_category: bool
    score: float


def _skill_match(seeker: SeekerFacts, posting: PostingFacts) -> _SkillMatch:
    wanted = sorted(posting.skills)
    certified = [s for s in wanted if s in seeker.certified]
    declared = [s for s in wanted if s in seeker.declared and s not in seeker.certified]
    missing = [s for s in wanted if s not in seeker.certified and s not in seeker.declared]
    in_category = posting.category in seeker.certified
    bonus = CATEGORY_CERTIFICATE_BONUS if in_category else 0.0
    if not wanted:
        return _SkillMatch(certified, declared, missing, in_category, min(NO_REQUIREMENT_SCORE + bonus, 1.0))
    base = (len(certified) * CERTIFIED_CREDIT + len(declared) * DECLARED_CREDIT) / len(wanted)
    return _SkillMatch(certified, declared, missing, in_category, min(base + bonus, 1.0))


def skills_reason(seeker: SeekerFacts, posting: PostingFacts, weight: float) -> Reason:
    """Each required skill earns its credit (certified over declared); a certificate in the
    posting's category adds a bonus on top, capped at 1."""
    found = _skill_match(seeker, posting)
    facts: dict[str, Fact] = {
        "certified": found.certified,
        "declared": found.declared,
        "missing": found.missing,
        "category_certificate": found.in_category,
    }
    note = "，持有本行业培训证书" if found.in_category else ""
    if not posting.skills:
        return Reason(
            MatchFactor.SKILLS,
            ReasonCode.NO_SKILLS_REQUIRED,
            found.score,
            weight,
            "岗位未列技能要求" + note,
            facts,
        )
    matched = len(found.certified) + len(found.declared)
    code = (
        ReasonCode.SKILLS_ALL
        if not found.missing
        else ReasonCode.SKILLS_SOME
        if matched
        else ReasonCode.SKILLS_NONE
    )
    detail = f"具备所需技能{matched}/{len(posting.skills)}项（其中持证{len(found.certified)}项）{note}"
    return Reason(MatchFactor.SKILLS, code, found.score, weight, detail, facts)


def _wish_score(value: str, wanted: frozenset[str]) -> float:
    if not wanted:
        return NO_WISH_SCORE
    return 1.0 if value in wanted else 0.0


def _wish_reason(
    factor: MatchFactor,
    value: str,
    wanted: frozenset[str],
    codes: tuple[ReasonCode, ReasonCode, ReasonCode],
    weight: float,
) -> Reason:
    wanted_code, other_code, any_code = codes
    code = any_code if not wanted else wanted_code if value in wanted else other_code
    return Reason(factor, code, _wish_score(value, wanted), weight, code.label, {"value": value})


def category_reason(seeker: SeekerFacts, posting: PostingFacts, weight: float) -> Reason:
    codes = (ReasonCode.WANTED_CATEGORY, ReasonCode.OTHER_CATEGORY, ReasonCode.ANY_CATEGORY)
    return _wish_reason(MatchFactor.CATEGORY, posting.category, seeker.wanted_categories, codes, weight)


def kind_reason(seeker: SeekerFacts, posting: PostingFacts, weight: float) -> Reason:
    codes = (ReasonCode.WANTED_KIND, ReasonCode.OTHER_KIND, ReasonCode.ANY_KIND)
    return _wish_reason(MatchFactor.KIND, posting.kind, seeker.wanted_kinds, codes, weight)


def proximity_of(home_chain: Sequence[str], place_chain: Sequence[str]) -> ReasonCode:
    """The first organisation of the home's chain (community → street → district → city) that the
    posting's place chain also holds; the top of the chain is the city even without a district."""
    if not home_chain:
        return ReasonCode.UNKNOWN_PLACE
    places = set(place_chain)
    for position, org_id in enumerate(home_chain):
        if org_id not in places:
            continue
        if position == 0:
            return ReasonCode.SAME_COMMUNITY
        if position == len(home_chain) - 1:
            return ReasonCode.SAME_CITY
        return ReasonCode.SAME_STREET if position == 1 else ReasonCode.SAME_DISTRICT
    return ReasonCode.ELSEWHERE


def proximity_reason(seeker: SeekerFacts, posting: PostingFacts, weight: float) -> Reason:
    level = proximity_of(seeker.home_chain, posting.place_chain)
    return Reason(MatchFactor.PROXIMITY, level, _PROXIMITY_SCORES.get(level, 0.0), weight, level.label)


def _days_to_start(seeker: SeekerFacts, today: date) -> int:
    return max((seeker.available_from - today).days, 0) if seeker.available_from else 0


def _availability_score(days: int) -> float:
    return max(1 - days / AVAILABILITY_HORIZON_DAYS, 0.0)


def availability_reason(seeker: SeekerFacts, today: date, weight: float) -> Reason:
    """Available now scores 1, then less each day until ``AVAILABILITY_HORIZON_DAYS``; unstated is now."""
    days = _days_to_start(seeker, today)
    facts: dict[str, Fact] = {
        "available_from": seeker.available_from.isoformat() if seeker.available_from else None,
        "days": days,
    }
    score = _availability_score(days)
    if days == 0:
        return Reason(MatchFactor.AVAILABILITY, ReasonCode.AVAILABLE_NOW, score, weight, "可立即到岗", facts)
    code = ReasonCode.AVAILABLE_SOON if days <= SOON_DAYS else ReasonCode.AVAILABLE_LATER
    return Reason(MatchFactor.AVAILABILITY, code, score, weight, f"{days}天后可到岗", facts)


def _member(enum: type[E], code: str | None) -> E | None:
    """The member with this code, or None for a code this service does not know (yet)."""
    return _members(enum).get(code) if code is not None else None


@cache
def _members(enum: type[E]) -> Mapping[str, E]:
    """Members by code, built once per enum (scoring asks for every pair)."""
    return {member.value: member for member in enum}


def _favoured(posting: PostingFacts) -> Mapping[SeekerCategory, float] | None:
    kind = _member(PostingKind, posting.kind)
    return PRIORITIES.get(kind) if kind is not None else None


def _priority_score(seeker: SeekerFacts, posting: PostingFacts) -> float:
    favoured = _favoured(posting)
    if favoured is None:
        return NEUTRAL_PRIORITY
    group = _member(SeekerCategory, seeker.category)
    return favoured[group] if group is not None and group in favoured else 0.0


def priority_reason(seeker: SeekerFacts, posting: PostingFacts, weight: float) -> Reason:
    favoured = _favoured(posting)
    facts: dict[str, Fact] = {"kind": posting.kind}
    if favoured is None:
        return Reason(
            MatchFactor.PRIORITY, ReasonCode.NO_PRIORITY, NEUTRAL_PRIORITY, weight, "岗位不设优先群体", facts
        )
    group = _member(SeekerCategory, seeker.category)
    if group is None or group not in favoured:
        wanted = "、".join(g.label for g in favoured)
        detail = f"岗位优先安置{wanted}"
        return Reason(MatchFactor.PRIORITY, ReasonCode.NOT_PRIORITY_GROUP, 0.0, weight, detail, facts)
    facts["group"] = group.value
    detail = f"岗位优先安置{group.label}"
    return Reason(MatchFactor.PRIORITY, ReasonCode.PRIORITY_GROUP, favoured[group], weight, detail, facts)


def score_pair(
    seeker: SeekerFacts,
    posting: PostingFacts,
    *,
    today: date,
    match_id: str,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Match:
    """Score one pair; ``match_id`` is what the ranking is of (the posting's or the seeker's id)."""
    reasons = (
        skills_reason(seeker, posting, weights.skills),
        category_reason(seeker, posting, weights.category),
        kind_reason(seeker, posting, weights.kind),
        proximity_reason(seeker, posting, weights.proximity),
        availability_reason(seeker, today, weights.availability),
        priority_reason(seeker, posting, weights.priority),
    )
    total = min(max(sum(r.score * r.weight for r in reasons), 0.0), 1.0)
    return Match(match_id, round(total, SCORE_DIGITS), reasons)


def total_score(
    seeker: SeekerFacts, posting: PostingFacts, *, today: date, weights: Weights = DEFAULT_WEIGHTS
) -> float:
    """:func:`score_pair`'s score without its reasons (the same factor scores, summed in the same
    order, so the float is the same): ranking needs every candidate's score, but reasons only for
    the few that are shown."""
    parts = (
        _skill_match(seeker, posting).score * weights.skills,
        _wish_score(posting.category, seeker.wanted_categories) * weights.category,
        _wish_score(posting.kind, seeker.wanted_kinds) * weights.kind,
        _PROXIMITY_SCORES.get(proximity_of(seeker.home_chain, posting.place_chain), 0.0) * weights.proximity,
        _availability_score(_days_to_start(seeker, today)) * weights.availability,
        _priority_score(seeker, posting) * weights.priority,
    )
    return round(min(max(sum(parts), 0.0), 1.0), SCORE_DIGITS)


def rank(matches: Iterable[Match]) -> list[Match]:
    """Best score first, then by id, so equal scores always come out in one order."""
    return sorted(matches, key=lambda m: (-m.score, m.id))


def best(pairs: Iterable[tuple[str, SeekerFacts, PostingFacts]], *, today: date, limit: int) -> list[Match]:
    """The ``limit`` best of (match id, seeker, posting) pairs, ranked as :func:`rank` ranks them,
    with reasons built for those only."""
    scored = sorted(
        (
            (-total_score(seeker, posting, today=today), match_id, seeker, posting)
            for match_id, seeker, posting in pairs
        ),
        key=lambda row: (row[0], row[1]),
    )
    return [score_pair(seeker, posting, today=today, match_id=i) for _, i, seeker, posting in scored[:limit]]


def without_group(match: Match) -> Match:
    """The match as an employer reads it: the priority factor says whether the seeker is in a group
    the posting favours (a 公益性岗位's purpose), never which one, since the seeker's category
    (下岗失业, 就业困难…) never reaches an employer."""
    reasons = tuple(
        replace(r, detail=r.code.label, facts={k: v for k, v in r.facts.items() if k != "group"})
        if r.factor is MatchFactor.PRIORITY
        else r
        for r in match.reasons
    )
    return replace(match, reasons=reasons)


@dataclass(frozen=True)
class OrgTree:
    """The registry's organisations as parent links, with the communities seekers live in."""

    parents: Mapping[str, str | None]
    children: Mapping[str, tuple[str, ...]]
    homes: frozenset[str]

    @classmethod
    def of(cls, links: Iterable[tuple[str, str | None, bool]]) -> OrgTree:
        """From (id, parent id, is a community seekers live in) triples."""
        parents: dict[str, str | None] = {}
        children: dict[str, list[str]] = {}
        homes: set[str] = set()
        for org_id, parent_id, is_home in links:
            parents[org_id] = parent_id
            if parent_id is not None:
                children.setdefault(parent_id, []).append(org_id)
            if is_home:
                homes.add(org_id)
        return cls(parents, {k: tuple(sorted(v)) for k, v in children.items()}, frozenset(homes))

    def chain(self, org_id: str) -> tuple[str, ...]:
        """The organisation then its ancestors, nearest first (a cycle stops the walk)."""
        out = [org_id]
        parent = self.parents.get(org_id)
        while parent is not None and parent not in out:
            out.append(parent)
            parent = self.parents.get(parent)
        return tuple(out)

    def subtree(self, org_id: str) -> list[str]:
        """The organisation and everything below it, depth first in id order."""
        out, stack = [], [org_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.children.get(current, ())))
        return out

    def homes_near(self, org_id: str) -> Iterator[str]:
        """Communities by distance from ``org_id``: its own subtree's, then each ancestor's in turn
        (lazy: the caller stops once it has enough)."""
        seen: set[str] = set()
        for level in self.chain(org_id):
            for home in self.subtree(level):
                if home in self.homes and home not in seen:
                    seen.add(home)
                    yield home
