"""Hour-crediting rules (时长认定规则): how raw minutes on site become credited service minutes.

Every organisation may set its own rules, as configuration rather than code: a minimum duration
(below it nothing is credited: a drop-in is not service), rounding bands, an optional maximum
per session and a daily cap per volunteer.

Rounding is expressed as ordered bands, each with a unit and a mode, rather than one unit for
all durations, because the seeds' practice differs by length: short help is counted by the
quarter hour, a long day by the half hour. A band starts at a multiple of its own unit and of
the previous band's unit; with that (checked by :meth:`RuleSet.validate`) crediting can never go
down when a volunteer stays longer, which is the one property volunteers rely on.
"""

from __future__ import annotations

from dataclasses import dataclass

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError

MAX_MINUTES = 24 * 60
MAX_BANDS = 20
MAX_UNIT = 240


class Rounding(LabelledEnum):
    """How minutes inside a band are rounded to the band's unit."""

    DOWN = ("down", "向下取整")
    NEAREST = ("nearest", "四舍五入")
    UP = ("up", "向上取整")


@dataclass(frozen=True)
class Band:
    """From ``from_minutes`` raw minutes on (until the next band), round to ``unit_minutes``."""

    from_minutes: int
    unit_minutes: int
    rounding: Rounding = Rounding.DOWN

    def apply(self, raw: int) -> int:
        whole, rest = divmod(raw, self.unit_minutes)
        if rest and (
            self.rounding is Rounding.UP
            or (self.rounding is Rounding.NEAREST and 2 * rest >= self.unit_minutes)
        ):
            whole += 1
        return whole * self.unit_minutes


@dataclass(frozen=True)
class RuleSet:
    min_minutes: int
    bands: tuple[Band, ...]
    daily_cap_minutes: int
    session_max_minutes: int | None = None

    def validate(self) -> None:
        """Refuse rule sets that could credit nonsense or go down as raw minutes go up."""
        if not 0 <= self.min_minutes <= MAX_MINUTES:
            raise DomainError("min_minutes_invalid", f"最短时长须在0至{MAX_MINUTES}分钟之间", "min_minutes")
        if not 1 <= self.daily_cap_minutes <= MAX_MINUTES:
            raise DomainError(
                "daily_cap_invalid", f"每日上限须在1至{MAX_MINUTES}分钟之间", "daily_cap_minutes"
            )
        if (
            self.session_max_minutes is not None
            and not 1 <= self.session_max_minutes <= self.daily_cap_minutes
        ):
            raise DomainError(
                "session_max_invalid", "单次上限须至少1分钟且不超过每日上限", "session_max_minutes"
            )
        if not 1 <= len(self.bands) <= MAX_BANDS:
            raise DomainError("bands_invalid", f"取整区间须有1至{MAX_BANDS}个", "bands")
        if self.bands[0].from_minutes != 0:
            raise DomainError("bands_invalid", "第一个取整区间须从0分钟开始", "bands.0.from_minutes")
        for position, band in enumerate(self.bands):
            _validate_band(band, self.bands[position - 1] if position else None, position)


def _validate_band(band: Band, previous: Band | None, position: int) -> None:
    where = f"bands.{position}"
    if not 1 <= band.unit_minutes <= MAX_UNIT:
        raise DomainError("bands_invalid", f"取整单位须在1至{MAX_UNIT}分钟之间", f"{where}.unit_minutes")
    if previous is None:
        return
    if band.from_minutes <= previous.from_minutes:
        raise DomainError("bands_unordered", "取整区间须按起点递增且互不重叠", f"{where}.from_minutes")
    if band.from_minutes > MAX_MINUTES:
        raise DomainError("bands_invalid", f"区间起点不能超过{MAX_MINUTES}分钟", f"{where}.from_minutes")
    if band.from_minutes % band.unit_minutes or band.from_minutes % previous.unit_minutes:
        raise DomainError(
            "bands_misaligned",
            "区间起点须是本区间和上一区间取整单位的整数倍（否则时长越长认定越少）",
            f"{where}.from_minutes",
        )


PLATFORM_DEFAULT = RuleSet(
    min_minutes=30,
    bands=(Band(0, 30, Rounding.DOWN),),
    daily_cap_minutes=8 * 60,
)
"""Half hours rounded down, nothing under 30 minutes, at most 8 hours a day: the cautious default
where an organisation and its ancestors have set nothing."""


def session_credit(rules: RuleSet, raw_minutes: int) -> int:
    """Minutes one session earns by the rules alone, before the daily cap."""
    if raw_minutes < max(rules.min_minutes, 1):
        return 0
    band = next(b for b in reversed(rules.bands) if b.from_minutes <= raw_minutes)
    credited = band.apply(raw_minutes)
    if rules.session_max_minutes is not None:
        credited = min(credited, rules.session_max_minutes)
    return credited


def cap_left(rules: RuleSet, credited_today: int) -> int:
    """What the daily cap still allows, given what is already credited that local day."""
    return max(0, rules.daily_cap_minutes - credited_today)


def credit(rules: RuleSet, raw_minutes: int, credited_today: int) -> int:
    """Automatic credit of a session: the rules' result, clipped to what the daily cap leaves."""
    return min(session_credit(rules, raw_minutes), cap_left(rules, credited_today))


def check_within_cap(rules: RuleSet, minutes: int, credited_today: int) -> None:
    """Hours claimed by hand (补录) are never clipped silently: over the cap is refused."""
    if minutes > cap_left(rules, credited_today):
        raise DomainError(
            "daily_cap_exceeded",
            f"超出每日认定上限（{rules.daily_cap_minutes}分钟），"
            f"当日尚可认定{cap_left(rules, credited_today)}分钟",
            field="minutes",
        )
