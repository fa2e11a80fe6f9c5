"""Keeping the tallies in step with the answers: recounted for one compound on each save
(a compound's sheets), or for a whole survey after a bulk load.

`survey_tally` holds counts per question, compound and option (choice -1: respondents and
number figures); `survey_building_tally` the satisfaction answers per building and level,
pooled over the survey's satisfaction questions (choice 0-4), and the sheets per building by
outcome (choice -1 answered, -2 refused, -3 nobody home).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, delete, func, insert, literal, null, select
from sqlalchemy.orm import Session

from db.models import Building
from db.models.surveys import (
    SurveyAnswer,
    SurveyBuildingTally,
    SurveyQuestion,
    SurveyResponse,
    SurveyTally,
)

COLUMNS = ("question_id", "compound_id", "choice", "n", "total", "low", "high")
# Sheets per building by outcome live in survey_building_tally under negative choices.
OUTCOME_CODES = {"answered": -1, "refused": -2, "nobody_home": -3}


def recount(s: Session, survey_id: int, compound_id: int | None = None) -> None:
    """Recount a survey's tallies (one compound's, or all); part of the caller's transaction."""
    questions = select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey_id)
    stale = delete(SurveyTally).where(SurveyTally.question_id.in_(questions))
    stale_b = delete(SurveyBuildingTally).where(SurveyBuildingTally.survey_id == survey_id)
    where: list[ColumnElement[bool]] = [SurveyResponse.survey_id == survey_id]
    if compound_id is not None:
        stale = stale.where(SurveyTally.compound_id == compound_id)
        buildings = select(Building.id).where(Building.compound_id == compound_id)
        stale_b = stale_b.where(SurveyBuildingTally.building_id.in_(buildings))
        where.append(SurveyResponse.compound_id == compound_id)
    s.execute(stale)
    s.execute(stale_b)
    joined = (
        select()
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(*where)
    )
    per_choice = joined.add_columns(
        SurveyAnswer.question_id,
        SurveyResponse.compound_id,
        SurveyAnswer.choice,
        func.count(),
        null(),
        null(),
        null(),
    ).where(SurveyAnswer.choice.is_not(None))
    s.execute(
        insert(SurveyTally).from_select(
            COLUMNS,
            per_choice.group_by(
                SurveyAnswer.question_id, SurveyResponse.compound_id, SurveyAnswer.choice
            ),
        )
    )
    per_question = joined.add_columns(
        SurveyAnswer.question_id,
        SurveyResponse.compound_id,
        literal(-1),
        func.count(func.distinct(SurveyAnswer.response_id)),
        func.sum(SurveyAnswer.number),
        func.min(SurveyAnswer.number),
        func.max(SurveyAnswer.number),
    )
    s.execute(
        insert(SurveyTally).from_select(
            COLUMNS, per_question.group_by(SurveyAnswer.question_id, SurveyResponse.compound_id)
        )
    )
    satisfaction = select(SurveyQuestion.id).where(
        SurveyQuestion.survey_id == survey_id, SurveyQuestion.kind == "satisfaction5"
    )
    per_building = joined.add_columns(
        literal(survey_id), SurveyResponse.building_id, SurveyAnswer.choice, func.count()
    ).where(SurveyAnswer.question_id.in_(satisfaction), SurveyAnswer.choice.is_not(None))
    s.execute(
        insert(SurveyBuildingTally).from_select(
            ("survey_id", "building_id", "choice", "n"),
            per_building.group_by(SurveyResponse.building_id, SurveyAnswer.choice),
        )
    )
    code = case(
        *((SurveyResponse.outcome == o, literal(c)) for o, c in OUTCOME_CODES.items()),
        else_=literal(-9),
    )
    per_outcome = (
        select(literal(survey_id), SurveyResponse.building_id, code, func.count())
        .where(*where)
        .group_by(SurveyResponse.building_id, SurveyResponse.outcome)
    )
    s.execute(
        insert(SurveyBuildingTally).from_select(
            ("survey_id", "building_id", "choice", "n"), per_outcome
        )
    )


# ---------------------------------------------------------------- kept by increment
#
# A save changes its own sheet's counts only: the old sheet's contribution is taken out and
# the new one's put in, so a save costs the same in a compound of 50 sheets as of 5,000.
# Number questions' respondents/sum/min/max row (choice -1) is recounted for that question
# and compound alone (a minimum cannot be decremented).

Sheet = tuple[int, int, str, tuple[tuple[int, int | None, object], ...]]
"""(compound id, building id, outcome, answer rows (question id, choice, number))."""


def sheet_of(s: Session, response: SurveyResponse) -> Sheet:
    """A saved sheet's contribution to the tallies, read before it changes."""
    rows = s.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.choice, SurveyAnswer.number).where(
            SurveyAnswer.response_id == response.id
        )
    ).all()
    return (
        response.compound_id,
        response.building_id,
        response.outcome,
        tuple((q, c, n) for q, c, n in rows),
    )


def apply(s: Session, survey_id: int, old: Sheet | None, new: Sheet | None) -> None:
    """Move the tallies from `old` (None: no sheet before) to `new` (None: deleted).

    The rows touched are loaded in two queries, changed in memory and written in one flush.
    """
    questions = dict(
        s.execute(
            select(SurveyQuestion.id, SurveyQuestion.kind).where(
                SurveyQuestion.survey_id == survey_id
            )
        ).all()
    )
    delta: dict[tuple[int, int, int], int] = {}
    delta_b: dict[tuple[int, int], int] = {}
    numbers: set[tuple[int, int]] = set()
    for sheet, sign in ((old, -1), (new, 1)):
        if sheet is None:
            continue
        compound, building, outcome, rows = sheet
        key_b = (building, OUTCOME_CODES.get(outcome, -9))
        delta_b[key_b] = delta_b.get(key_b, 0) + sign
        answered: set[int] = set()
        for qid, choice, number in rows:
            if choice is not None:
                delta[(qid, compound, choice)] = delta.get((qid, compound, choice), 0) + sign
                if questions.get(qid) == "satisfaction5":
                    delta_b[(building, choice)] = delta_b.get((building, choice), 0) + sign
            if number is not None:
                numbers.add((qid, compound))
            answered.add(qid)
        for qid in answered - {q for q, _c in numbers}:
            delta[(qid, compound, -1)] = delta.get((qid, compound, -1), 0) + sign
    _apply_tally(s, {k: v for k, v in delta.items() if v})
    _apply_building(s, survey_id, {k: v for k, v in delta_b.items() if v})
    s.flush()
    for qid, compound in numbers:
        _recount_number(s, qid, compound)


def _apply_tally(s: Session, delta: dict[tuple[int, int, int], int]) -> None:
    if not delta:
        return
    compounds = {k[1] for k in delta}
    qids = {k[0] for k in delta}
    rows = {
        (r.question_id, r.compound_id, r.choice): r
        for r in s.scalars(
            select(SurveyTally).where(
                SurveyTally.compound_id.in_(compounds), SurveyTally.question_id.in_(qids)
            )
        )
    }
    for key, change in delta.items():
        row = rows.get(key)
        if row is None:
            s.add(SurveyTally(question_id=key[0], compound_id=key[1], choice=key[2], n=change))
        elif row.n + change == 0 and row.total is None:
            s.delete(row)
        else:
            row.n += change


def _apply_building(s: Session, survey_id: int, delta: dict[tuple[int, int], int]) -> None:
    if not delta:
        return
    rows = {
        (r.building_id, r.choice): r
        for r in s.scalars(
            select(SurveyBuildingTally).where(
                SurveyBuildingTally.survey_id == survey_id,
                SurveyBuildingTally.building_id.in_({k[0] for k in delta}),
            )
        )
    }
    for (building, choice), change in delta.items():
        row = rows.get((building, choice))
        if row is None:
            s.add(
                SurveyBuildingTally(
                    survey_id=survey_id, building_id=building, choice=choice, n=change
                )
            )
        elif row.n + change == 0:
            s.delete(row)
        else:
            row.n += change


def _recount_number(s: Session, qid: int, compound: int) -> None:
    n, total, low, high = s.execute(
        select(
            func.count(func.distinct(SurveyAnswer.response_id)),
            func.sum(SurveyAnswer.number),
            func.min(SurveyAnswer.number),
            func.max(SurveyAnswer.number),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyAnswer.question_id == qid, SurveyResponse.compound_id == compound)
    ).one()
    row = s.get(SurveyTally, (qid, compound, -1))
    if not n:
        if row is not None:
            s.delete(row)
        return
    if row is None:
        row = SurveyTally(question_id=qid, compound_id=compound, choice=-1, n=n)
        s.add(row)
    row.n, row.total, row.low, row.high = n, total, low, high


def check(s: Session, survey_id: int) -> list[str]:
    """Differences between the kept tallies and a full recount (empty when they agree).
    The recount runs in a savepoint that is rolled back: nothing changes."""

    def snapshot() -> set[tuple[object, ...]]:
        questions = select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey_id)
        rows: set[tuple[object, ...]] = {
            ("q", *tuple(r))
            for r in s.execute(
                select(
                    SurveyTally.question_id,
                    SurveyTally.compound_id,
                    SurveyTally.choice,
                    SurveyTally.n,
                    SurveyTally.total,
                    SurveyTally.low,
                    SurveyTally.high,
                ).where(SurveyTally.question_id.in_(questions))
            ).all()
        }
        rows |= {
            ("b", *tuple(r))
            for r in s.execute(
                select(
                    SurveyBuildingTally.building_id,
                    SurveyBuildingTally.choice,
                    SurveyBuildingTally.n,
                ).where(SurveyBuildingTally.survey_id == survey_id)
            ).all()
        }
        return rows

    s.flush()
    kept = snapshot()
    nested = s.begin_nested()
    try:
        recount(s, survey_id)
        rebuilt = snapshot()
    finally:
        nested.rollback()
    return [f"kept {r}" for r in sorted(kept - rebuilt, key=str)] + [
        f"recounted {r}" for r in sorted(rebuilt - kept, key=str)
    ]
