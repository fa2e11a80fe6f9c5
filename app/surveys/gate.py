"""The fee gate (居民满意后再缴费): a fee scheme may start billing after its transition
period only when its survey's satisfaction rate and coverage reach the agreed levels.

The fees service calls `scheme_gate_status` inside its own unit of work (activation and
the scheme's "where it stands").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.surveys.dto import SATISFIED, GateStatus, percent
from app.surveys.results import coverage
from db.models.surveys import Survey, SurveyBuildingTally

DEFAULT_THRESHOLD = Fraction(2, 3)
DEFAULT_MIN_COVERAGE = Fraction(1, 2)
Level = Fraction | Decimal


def _dec(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def gate_status(
    s: Session,
    survey_id: int,
    threshold: Level | None = None,
    min_coverage: Level | None = None,
) -> GateStatus:
    """Where the survey stands against the scheme's levels (None: the defaults, 2/3 and 1/2).

    Satisfaction is 满意+非常满意 over all valid answers to the survey's satisfaction
    questions; coverage is households reached (answered or refused) over households in scope.
    Comparisons are exact (2 of 3 satisfied meets 2/3).
    """
    need = Fraction(threshold if threshold is not None else DEFAULT_THRESHOLD)
    need_cov = Fraction(min_coverage if min_coverage is not None else DEFAULT_MIN_COVERAGE)
    sv = s.get(Survey, survey_id)
    if sv is None:
        raise NotFound("收费方案所关联的调查问卷不存在")
    per_choice = dict(
        s.execute(
            select(SurveyBuildingTally.choice, func.sum(SurveyBuildingTally.n))
            .where(SurveyBuildingTally.survey_id == survey_id, SurveyBuildingTally.choice >= 0)
            .group_by(SurveyBuildingTally.choice)
        ).all()
    )
    valid = int(sum(per_choice.values()))
    satisfied = int(sum(per_choice.get(c, 0) for c in SATISFIED))
    cov = coverage(s, survey_id).total
    rate = Fraction(satisfied, valid) if valid else None
    reached = Fraction(cov.reached, cov.households) if cov.households else Fraction(0)
    problems = []
    if rate is None:
        problems.append("尚无满意度答卷")
    elif rate < need:
        problems.append(f"满意率 {percent(_dec(rate))} 未达到 {percent(_dec(need))}")
    if reached < need_cov:
        problems.append(f"覆盖率 {percent(_dec(reached))} 未达到 {percent(_dec(need_cov))}")
    met = not problems
    if met:
        assert rate is not None
        message = (
            f"“{sv.title}”满意率 {percent(_dec(rate))}（要求 {percent(_dec(need))}），"
            f"覆盖率 {percent(_dec(reached))}（要求 {percent(_dec(need_cov))}）：已达到收费条件"
        )
    else:
        message = f"“{sv.title}”：" + "；".join(problems) + "，暂不能开始收费"
    return GateStatus(
        survey_id=survey_id,
        title=sv.title,
        satisfaction_rate=_dec(rate).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if rate is not None
        else None,
        satisfaction_valid=valid,
        threshold=_dec(need).quantize(Decimal("0.0001"), ROUND_HALF_UP),
        coverage=_dec(reached).quantize(Decimal("0.0001"), ROUND_HALF_UP),
        min_coverage=_dec(need_cov).quantize(Decimal("0.0001"), ROUND_HALF_UP),
        met=met,
        message=message,
    )


class _Scheme(Protocol):
    survey_id: int | None
    satisfaction_threshold: int | None  # percent
    min_coverage: int | None  # percent


def _level(percent_value: int | None) -> Fraction | None:
    return Fraction(percent_value, 100) if percent_value is not None else None


def scheme_gate_status(s: Session, scheme: _Scheme) -> GateStatus | None:
    """Where a fee scheme's survey condition stands; None when the scheme names no survey.

    The levels are the scheme's percents (None: 2/3 satisfied, half of the households
    reached). A survey that was deleted leaves the gate unmet, with a message saying so.
    """
    if scheme.survey_id is None:
        return None
    threshold, min_coverage = _level(scheme.satisfaction_threshold), _level(scheme.min_coverage)
    try:
        return gate_status(s, scheme.survey_id, threshold, min_coverage)
    except NotFound as exc:
        need = threshold if threshold is not None else DEFAULT_THRESHOLD
        need_cov = min_coverage if min_coverage is not None else DEFAULT_MIN_COVERAGE
        return GateStatus(
            survey_id=scheme.survey_id,
            title="",
            satisfaction_rate=None,
            satisfaction_valid=0,
            threshold=_dec(need).quantize(Decimal("0.0001"), ROUND_HALF_UP),
            coverage=Decimal(0),
            min_coverage=_dec(need_cov).quantize(Decimal("0.0001"), ROUND_HALF_UP),
            met=False,
            message=exc.message + "，暂不能开始收费",
        )
