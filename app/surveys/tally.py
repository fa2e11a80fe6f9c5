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
