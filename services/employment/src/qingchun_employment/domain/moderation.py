"""Moderation of job postings: spotting the ones that ask applicants for money.

Charging job seekers a deposit, a guarantee, or fees for training, registration, uniforms or the
medical check is the commonest job scam young people meet, and it is unlawful for an employer.
Such postings are held (暂扣) for league staff on submission instead of reaching the platform.
A table of patterns finds the demand; a demand that is denied (不收取任何费用, 免押金, 体检费由公司
承担) is not one.
"""

from __future__ import annotations

import re

from qingchun_plumbing.labels import LabelledEnum


class HoldReason(LabelledEnum):
    """Why a posting waits for a moderator: a fee demand of one kind, or readers' reports."""

    DEPOSIT = ("deposit", "收取押金")
    GUARANTEE_MONEY = ("guarantee_money", "收取保证金")
    TRAINING_FEE = ("training_fee", "收取培训费")
    REGISTRATION_FEE = ("registration_fee", "收取报名费")
    UNIFORM_FEE = ("uniform_fee", "收取服装费")
    MEDICAL_CHECK_FEE = ("medical_check_fee", "体检费由求职者承担")
    AGENCY_FEE = ("agency_fee", "收取中介费")
    FEE_COLLECTED = ("fee_collected", "向求职者收取费用")
    PAY_FIRST = ("pay_first", "要求先交钱")
    REPORTED = ("reported", "多人举报")


_CLAUSE_BREAK = "，。；！？,.;!?\n"
_WITHIN = rf"[^{_CLAUSE_BREAK}]"
_PAYER = "(求职者|应聘者|应聘人员|本人|个人|员工|学员|自己)"

PATTERNS: tuple[tuple[HoldReason, re.Pattern[str]], ...] = (
    (HoldReason.DEPOSIT, re.compile("押金")),
    (HoldReason.GUARANTEE_MONEY, re.compile("保证金|风险金|抵押金")),
    (HoldReason.TRAINING_FEE, re.compile("培训费|岗前培训.{0,2}费")),
    (HoldReason.REGISTRATION_FEE, re.compile("报名费|建档费|资料费|考试费")),
    (HoldReason.UNIFORM_FEE, re.compile("服装费|工装费|制服费|工服费")),
    (
        HoldReason.MEDICAL_CHECK_FEE,
        re.compile(rf"体检费{_WITHIN}{{0,4}}({_PAYER}|自理|自付|自费)|(自付|自理|自费|先交|缴纳|交纳)体检费"),
    ),
    (HoldReason.AGENCY_FEE, re.compile("中介费|介绍费|信息费")),
    (HoldReason.FEE_COLLECTED, re.compile(rf"收取{_WITHIN}{{0,8}}?(费|钱)")),
    (HoldReason.PAY_FIRST, re.compile(rf"先(交|缴|付|打){_WITHIN}{{0,4}}?(钱|费|款|元)")),
)
"""Each reason with the wording that shows it; checked clause by clause."""

# A demand is denied when a negation stands right before it, with only verbs and quantifiers
# between: 不收取任何费用, 无需缴纳押金, 免押金, 零押金, 不交钱.
_DENIED_BEFORE = re.compile(
    "(不|无|免|零|没有|拒绝|严禁|禁止|杜绝|谢绝)"
    "(需要?|须|用|必|得|会|可|收|收取|取|交|缴|缴纳|交纳|支付|付|任何|额外|一切|其他|其它|的|分文|半分)*$"
)
# …or when the employer is said to bear it: 培训费由公司承担, 体检费全免, 培训费用报销.
_DENIED_AFTER = re.compile(
    rf"^{_WITHIN}{{0,2}}(由(公司|单位|企业|我司|厂方|厂里|用人单位|老板|政府|财政){_WITHIN}{{0,3}}"
    "(承担|负责|支付|出|报销|补贴)|全免|免收|免除|全额报销|报销|全包)"
)


def _denied(clause: str, start: int, end: int) -> bool:
    return bool(_DENIED_BEFORE.search(clause[:start]) or _DENIED_AFTER.search(clause[end:]))


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(f"[{_CLAUSE_BREAK}]", text) if c.strip()]


def fee_demands(*texts: str) -> list[HoldReason]:
    """The kinds of payment the texts ask of applicants, each once, in table order."""
    found: set[HoldReason] = set()
    for clause in (c for text in texts for c in _clauses(text)):
        for reason, pattern in PATTERNS:
            if any(not _denied(clause, m.start(), m.end()) for m in pattern.finditer(clause)):
                found.add(reason)
    return [reason for reason, _ in PATTERNS if reason in found]
