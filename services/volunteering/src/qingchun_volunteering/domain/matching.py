"""Matching (志愿服务匹配): how well a volunteer suits a shift, and why, in words staff can check.

"认领岗位按特长、兴趣、时间和意愿" (DOMAIN.md §2.2): each factor gives a score in [0, 1], a weight
and a reason (a Chinese label and a short detail). The total is their weighted sum. Eligibility
is a gate, not a factor: a pair that sign-up would refuse (age limits, a child without a family
shift, a minor without consent, a clash with a shift already held) scores 0 and is ranked after
every eligible pair with the refusing reason, so a volunteer learns what stands in the way.

Details carry counts and coarse labels only (never a birth date, an age or a skill list), so the
reasons of a minor's match can be shown to an organiser.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from qingchun_plumbing.labels import LabelledEnum

from .activities import Shift
from .errors import DomainError
from .signups import check_eligibility, check_no_overlap
from .volunteers import AgeBand, AgePolicy, Availability, age_band, age_on

PRIOR_ATTENDED = 4
"""Reliability prior: a newcomer counts as 4 attended of 5 (0.8), neither trusted nor punished."""
PRIOR_NO_SHOW = 1


class MatchFactor(LabelledEnum):
    """What a score is made of; the eligibility gate is listed with weight 0."""

    SKILLS = ("skills", "技能匹配")
    AVAILABILITY = ("availability", "服务时间")
    PROXIMITY = ("proximity", "就近")
    RELIABILITY = ("reliability", "守约记录")
    ELIGIBILITY = ("eligibility", "报名资格")


class Proximity(LabelledEnum):
    """The nearest organisation the volunteer's home and the host share (就近就便)."""

    SAME_COMMUNITY = ("same_community", "同社区")
    SAME_STREET = ("same_street", "同街道")
    SAME_DISTRICT = ("same_district", "同区县")
    SAME_CITY = ("same_city", "同市")
    ELSEWHERE = ("elsewhere", "不在同一辖区")
    UNKNOWN = ("unknown", "未填写所在社区")


@dataclass(frozen=True)
class Weights:
    """How much each factor counts; they sum to 1 so the total stays in [0, 1]."""

    skills: float = 0.35
    availability: float = 0.30
    proximity: float = 0.20
    reliability: float = 0.15

    def validate(self) -> None:
        parts = (self.skills, self.availability, self.proximity, self.reliability)
        if any(p < 0 for p in parts) or abs(sum(parts) - 1) > 1e-9:
            raise DomainError("match_weights_invalid", "匹配权重须为非负数且合计为1", field="weights")


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Reason:
    """One factor's part in a score; ``code`` names the rule that refused an ineligible pair."""

    factor: MatchFactor
    score: float
    weight: float
    detail: str
    code: str | None = None


@dataclass(frozen=True)
class VolunteerFacts:
    """What matching reads of a volunteer; ``home_chain`` is the home community then its ancestors."""

    id: str
    birth: date
    has_consent: bool
    specialties: frozenset[str]
    windows: tuple[Availability, ...]
    home_chain: tuple[str, ...]
    attended: int
    no_show: int


@dataclass(frozen=True)
class ShiftFacts:
    """What matching reads of a shift; ``host_chain`` is the host then its ancestors."""

    id: str
    shift: Shift
    host_chain: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    eligible: bool
    reasons: tuple[Reason, ...]


def normalise_skill(skill: str) -> str:
    """Tags are typed by hand; case and surrounding spaces must not decide a match."""
    return skill.strip().casefold()


def skills_factor(required: Iterable[str], have: frozenset[str]) -> tuple[float, str]:
    """The share of the shift's required skills the volunteer has; no requirement suits everyone."""
    wanted = {normalise_skill(s) for s in required}
    if not wanted:
        return 1.0, "该场次无技能要求"
    matched = len(wanted & have)
    return matched / len(wanted), f"具备所需技能{matched}/{len(wanted)}项"


def _seconds(moment: time | timedelta) -> int:
    if isinstance(moment, timedelta):
        return int(moment.total_seconds())
    return moment.hour * 3600 + moment.minute * 60 + moment.second


@lru_cache(maxsize=4096)
def local_segments(starts_at: datetime, ends_at: datetime, zone: tzinfo) -> tuple[tuple[int, int, int], ...]:
    """The shift cut at local midnights: (ISO weekday, start second, end second) per local day."""
    start, end = (
        starts_at.astimezone(zone).replace(tzinfo=None),
        ends_at.astimezone(zone).replace(tzinfo=None),
    )
    segments: list[tuple[int, int, int]] = []
    while start < end:
        midnight = datetime.combine(start.date() + timedelta(days=1), datetime.min.time())
        stop = min(end, midnight)
        day_start = datetime.combine(start.date(), datetime.min.time())
        segments.append((start.isoweekday(), _seconds(start - day_start), _seconds(stop - day_start)))
        start = stop
    return tuple(segments)


def shift_weekdays(starts_at: datetime, ends_at: datetime, zone: tzinfo) -> list[int]:
    """The local weekdays a shift touches (two when it crosses midnight)."""
    return sorted({weekday for weekday, _, _ in local_segments(starts_at, ends_at, zone)})


def _hour_slots(weekday: int, start_second: int, end_second: int) -> set[str]:
    return {f"{weekday}-{hour:02d}" for hour in range(start_second // 3600, (end_second - 1) // 3600 + 1)}


def weekly_slots(windows: Iterable[Availability]) -> list[str]:
    """The weekly hours the windows touch, as ``"6-09"`` (Saturday 09:00-10:00), sorted and unique.

    Kept on the volunteer so that "free when this shift runs" is one indexed key: a volunteer
    whose windows overlap a shift at all shares one of these with ``shift_slots`` of the shift.
    """
    slots: set[str] = set()
    for window in windows:
        slots |= _hour_slots(window.weekday, _seconds(window.starts), _seconds(window.ends))
    return sorted(slots)


def shift_slots(starts_at: datetime, ends_at: datetime, zone: tzinfo) -> list[str]:
    """The weekly hours a shift touches in local time (over midnight, on both weekdays)."""
    slots: set[str] = set()
    for weekday, seg_start, seg_end in local_segments(starts_at, ends_at, zone):
        slots |= _hour_slots(weekday, seg_start, seg_end)
    return sorted(slots)


DAY_PARTS = ("night", "am", "pm", "eve")
"""Quarter days (00-06, 06-12, 12-18, 18-24): coarse enough that a volunteer's specialties times
their free quarter days stay a short list (at most 28 per specialty)."""


def _day_part(weekday: int, hour: int) -> str:
    return f"{weekday}-{DAY_PARTS[hour // 6]}"


def skill_slots(specialties: Iterable[str], slots: Iterable[str]) -> list[str]:
    """``"急救@6-am"`` for each specialty and each quarter day of ``weekly_slots``: who holds a skill
    and is free around a shift's time is then one indexed key, searched over many communities."""
    parts = {_day_part(int(slot[0]), int(slot[2:])) for slot in slots}
    return sorted({f"{normalise_skill(skill)}@{part}" for skill in specialties for part in parts})


def shift_skill_slots(
    skills: Iterable[str], starts_at: datetime, ends_at: datetime, zone: tzinfo
) -> list[str]:
    """The ``skill_slots`` keys of the quarter day holding the middle of the shift, one per skill:
    those free then are the ones most of the shift can count on."""
    middle = (starts_at + (ends_at - starts_at) / 2).astimezone(zone)
    part = _day_part(middle.isoweekday(), middle.hour)
    return sorted({f"{normalise_skill(skill)}@{part}" for skill in skills})


def availability_factor(
    starts_at: datetime, ends_at: datetime, windows: Sequence[Availability], zone: tzinfo
) -> tuple[float, str]:
    """The share of the shift's minutes inside the volunteer's weekly windows (服务时间), in local time."""
    if not windows:
        return 0.0, "未填写服务时间"
    total = overlap = 0
    for weekday, seg_start, seg_end in local_segments(starts_at, ends_at, zone):
        total += seg_end - seg_start
        spans = sorted(
            (max(seg_start, _seconds(w.starts)), min(seg_end, _seconds(w.ends)))
            for w in windows
            if w.weekday == weekday
        )
        covered_to = seg_start
        for lo, hi in spans:  # windows may overlap each other: count each second once
            lo = max(lo, covered_to)
            if hi > lo:
                overlap += hi - lo
                covered_to = hi
    minutes, total_minutes = overlap // 60, max(total // 60, 1)
    return min(overlap / total, 1.0) if total else 0.0, f"可服务时间覆盖{minutes}/{total_minutes}分钟"


def proximity_of(home_chain: Sequence[str], host_chain: Sequence[str]) -> Proximity:
    """The first organisation of the home's chain that the host's chain also holds.

    Home chains run community → street → district → city; the top of the chain is the city
    even where a tree has no district level.
    """
    if not home_chain:
        return Proximity.UNKNOWN
    hosts = set(host_chain)
    for position, org_id in enumerate(home_chain):
        if org_id in hosts:
            if position == 0:
                return Proximity.SAME_COMMUNITY
            if position == len(home_chain) - 1:
                return Proximity.SAME_CITY
            return Proximity.SAME_STREET if position == 1 else Proximity.SAME_DISTRICT
    return Proximity.ELSEWHERE


_PROXIMITY_SCORES = {
    Proximity.SAME_COMMUNITY: 1.0,
    Proximity.SAME_STREET: 0.7,
    Proximity.SAME_DISTRICT: 0.4,
    Proximity.SAME_CITY: 0.15,
}


def proximity_factor(home_chain: Sequence[str], host_chain: Sequence[str]) -> tuple[float, str]:
    level = proximity_of(home_chain, host_chain)
    return _PROXIMITY_SCORES.get(level, 0.0), level.label


def reliability_factor(attended: int, no_show: int) -> tuple[float, str]:
    """Attendance with a prior, so one missed shift does not sink a newcomer (nor zero records)."""
    attended, no_show = max(attended, 0), max(no_show, 0)
    score = (attended + PRIOR_ATTENDED) / (attended + no_show + PRIOR_ATTENDED + PRIOR_NO_SHOW)
    if attended + no_show == 0:
        return score, "暂无服务记录（按新志愿者估计）"
    return score, f"到场{attended}次，缺席{no_show}次"


def eligibility_reason(
    volunteer: VolunteerFacts,
    shift: Shift,
    policy: AgePolicy,
    held: Sequence[tuple[datetime, datetime]] = (),
) -> Reason:
    """Sign-up's own rules (reused, not restated); a family shift is assumed to bring the guardian."""
    on = shift.starts_at.date()  # the day sign-up judges age by
    band = age_band(volunteer.birth, on, policy)
    try:
        check_eligibility(band, age_on(volunteer.birth, on), shift, volunteer.has_consent, shift.family_only)
        check_no_overlap(shift.starts_at, shift.ends_at, held)
    except DomainError as refusal:
        return Reason(MatchFactor.ELIGIBILITY, 0.0, 0.0, refusal.message, refusal.code)
    detail = {
        AgeBand.ADULT: "符合年龄要求",
        AgeBand.MINOR: "未成年人，已有监护人同意",
        AgeBand.CHILD: "儿童，亲子场次由监护人陪同",
    }[band]
    return Reason(MatchFactor.ELIGIBILITY, 1.0, 0.0, detail)


def score_pair(
    volunteer: VolunteerFacts,
    shift: ShiftFacts,
    *,
    policy: AgePolicy,
    zone: tzinfo,
    weights: Weights = DEFAULT_WEIGHTS,
    held: Sequence[tuple[datetime, datetime]] = (),
    match_id: str,
) -> Match:
    """Score one pair; ``match_id`` is what the ranking is of (the shift's or the volunteer's id)."""
    s = shift.shift
    parts = (
        (MatchFactor.SKILLS, weights.skills, skills_factor(s.required_skills, volunteer.specialties)),
        (
            MatchFactor.AVAILABILITY,
            weights.availability,
            availability_factor(s.starts_at, s.ends_at, volunteer.windows, zone),
        ),
        (MatchFactor.PROXIMITY, weights.proximity, proximity_factor(volunteer.home_chain, shift.host_chain)),
        (
            MatchFactor.RELIABILITY,
            weights.reliability,
            reliability_factor(volunteer.attended, volunteer.no_show),
        ),
    )
    reasons = [Reason(factor, score, weight, detail) for factor, weight, (score, detail) in parts]
    gate = eligibility_reason(volunteer, s, policy, held)
    eligible = gate.code is None
    total = min(max(sum(r.score * r.weight for r in reasons), 0.0), 1.0) if eligible else 0.0
    return Match(match_id, total, eligible, (*reasons, gate))


def rank(matches: Iterable[Match]) -> list[Match]:
    """Eligible first, best score first, then by id so equal scores always come out in one order."""
    return sorted(matches, key=lambda m: (not m.eligible, -m.score, m.id))


@dataclass(frozen=True)
class OrgTree:
    """The registry's organisations as parent links (a city holds thousands, not millions)."""

    parents: dict[str, str | None]
    children: dict[str, tuple[str, ...]]
    homes: frozenset[str]
    """Organisations volunteers live in (communities and their league branches)."""

    @classmethod
    def of(cls, links: Iterable[tuple[str, str | None, bool]]) -> OrgTree:
        """From (id, parent id, is a home) triples."""
        parents: dict[str, str | None] = {}
        children: dict[str, list[str]] = {}
        homes = set()
        for org_id, parent_id, is_home in links:
            parents[org_id] = parent_id
            if parent_id is not None:
                children.setdefault(parent_id, []).append(org_id)
            if is_home:
                homes.add(org_id)
        return cls(parents, {k: tuple(sorted(v)) for k, v in children.items()}, frozenset(homes))

    def chain(self, org_id: str, max_depth: int = 32) -> tuple[str, ...]:
        """The organisation then its ancestors, nearest first."""
        out = [org_id]
        current = self.parents.get(org_id)
        while current is not None and len(out) <= max_depth:
            out.append(current)
            current = self.parents.get(current)
        return tuple(out)

    def subtree(self, org_id: str) -> list[str]:
        """The organisation and everything below it, in a stable order."""
        out, stack = [], [org_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.children.get(current, ())))
        return out

    def neighbourhood(self, org_id: str) -> tuple[str, list[str]]:
        """Hosts near a home: everything in its street (the street's id is in their ``area_ids``),
        and the bodies above the street, each hosting in its own name."""
        chain = self.chain(org_id)
        street = chain[1] if len(chain) > 1 else chain[0]
        return street, list(chain[chain.index(street) + 1 :])

    def homes_near(self, org_id: str) -> Iterator[str]:
        """Home communities by distance from ``org_id``: its own subtree, then each ancestor's (lazy:
        the caller stops once it has enough)."""
        seen: set[str] = set()
        for level in self.chain(org_id):
            for member in self.subtree(level):
                if member in self.homes and member not in seen:
                    seen.add(member)
                    yield member
