"""Fee demands are found in a posting's wording; denials of them are not demands."""

from __future__ import annotations

import pytest

from qingchun_employment.domain.moderation import PATTERNS, HoldReason, fee_demands
from qingchun_plumbing.testing.quality import label_problems


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        ("入职需交押金300元", [HoldReason.DEPOSIT]),
        ("包吃不包住，押金300", [HoldReason.DEPOSIT]),
        ("包吃不包住押金300", [HoldReason.DEPOSIT]),
        ("需交保证金500元", [HoldReason.GUARANTEE_MONEY]),
        ("岗前培训费800元，结业后上岗", [HoldReason.TRAINING_FEE]),
        ("报名费50元", [HoldReason.REGISTRATION_FEE]),
        ("服装费200元从首月工资扣除", [HoldReason.UNIFORM_FEE]),
        ("体检费由求职者承担", [HoldReason.MEDICAL_CHECK_FEE]),
        ("体检费自理", [HoldReason.MEDICAL_CHECK_FEE]),
        ("入职前自费体检费120元", [HoldReason.MEDICAL_CHECK_FEE]),
        ("另收取中介费", [HoldReason.AGENCY_FEE, HoldReason.FEE_COLLECTED]),
        ("面试时收取资料费100元", [HoldReason.REGISTRATION_FEE, HoldReason.FEE_COLLECTED]),
        ("面试通过后收取一定费用", [HoldReason.FEE_COLLECTED]),
        ("先交钱后上岗", [HoldReason.PAY_FIRST]),
        ("入职先交300元", [HoldReason.PAY_FIRST]),
        ("押金200元，另收服装费", [HoldReason.DEPOSIT, HoldReason.UNIFORM_FEE]),
    ],
)
def test_demands_for_money_are_found(text: str, reasons: list[HoldReason]) -> None:
    assert fee_demands(text) == reasons


@pytest.mark.parametrize(
    "text",
    [
        "不收取任何费用",
        "公司不收取任何费用，包吃包住",
        "本公司承诺不收取求职者任何费用",
        "免押金，包吃住",
        "零押金",
        "无需缴纳任何押金",
        "严禁收取押金",
        "本岗位不收费",
        "培训费由公司承担",
        "体检费由公司承担",
        "体检费报销",
        "月薪3000-5000元，五险一金，双休",
        "熟悉缝纫机操作，能吃苦耐劳",
    ],
)
def test_denials_and_ordinary_wording_are_not_demands(text: str) -> None:
    assert fee_demands(text) == []


def test_every_text_counts_and_each_reason_is_named_once() -> None:
    assert fee_demands("招聘普工", "押金300元；离职退押金") == [HoldReason.DEPOSIT]


def test_a_denial_in_one_clause_does_not_clear_a_demand_in_another() -> None:
    assert fee_demands("不收押金，但需先交钱办卡") == [HoldReason.PAY_FIRST]


def test_every_fee_reason_has_a_pattern_and_reports_have_none() -> None:
    assert {reason for reason, _ in PATTERNS} == set(HoldReason) - {HoldReason.REPORTED}


def test_hold_reasons_carry_chinese_labels() -> None:
    assert label_problems(HoldReason) == []
