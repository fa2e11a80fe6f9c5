"""Keeping `survey_tally` in step with the answers: recounted for one building on each save
(cheap: a building's sheets), or for a whole survey after a bulk load."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, func, insert, literal, null, select
from sqlalchemy.orm import Session

from db.models.surveys import SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTally

COLUMNS = ("question_id", "building_id", "choice", "n", "total", "low", "high")


def recount(s: Session, survey_id: int, building_id: int | None = None) -> None:
    """Recount a survey's tallies (one building's, or all); part of the caller's transaction."""
    questions = select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey_id)
    stale = delete(SurveyTally).where(SurveyTally.question_id.in_(questions))
    where: list[ColumnElement[bool]] = [SurveyResponse.survey_id == survey_id]
    if building_id is not None:
        stale = stale.where(SurveyTally.building_id == building_id)
        where.append(SurveyResponse.building_id == building_id)
    s.execute(stale)
    joined = (
        select()
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(*where)
    )
    per_choice = joined.add_columns(
        SurveyAnswer.question_id,
        SurveyResponse.building_id,
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
                SurveyAnswer.question_id, SurveyResponse.building_id, SurveyAnswer.choice
            ),
        )
    )
    per_question = joined.add_columns(
        SurveyAnswer.question_id,
        SurveyResponse.building_id,
        literal(-1),
        func.count(func.distinct(SurveyAnswer.response_id)),
        func.sum(SurveyAnswer.number),
        func.min(SurveyAnswer.number),
        func.max(SurveyAnswer.number),
    )
    s.execute(
        insert(SurveyTally).from_select(
            COLUMNS, per_question.group_by(SurveyAnswer.question_id, SurveyResponse.building_id)
        )
    )
