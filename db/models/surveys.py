"""Resident surveys: survey → scope and questions; response (one per household) → answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

SURVEY_STATUSES = ("draft", "open", "closed")
QUESTION_KINDS = ("single", "multiple", "satisfaction5", "yesno", "number", "text")
CHANNELS = ("入户", "见面会", "电话", "其他", "纸质扫描")
# The channels a visitor ticks on paper; 纸质扫描 is set by the scan reader.
PAPER_CHANNELS = CHANNELS[:4]
SCAN_CHANNEL = "纸质扫描"
OUTCOMES = ("answered", "refused", "nobody_home")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Survey(Base):
    """调查问卷: what is asked, of whom (the scope), and whether answers are being taken."""

    __tablename__ = "survey"
    __table_args__ = (CheckConstraint(_in("status", SURVEY_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(64))
    intro: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class SurveyScope(Base):
    """One compound of a survey's scope; `building_id` narrows it to one building."""

    __tablename__ = "survey_scope"
    __table_args__ = (UniqueConstraint("survey_id", "compound_id", "building_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), index=True
    )
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )


class SurveyQuestion(Base):
    """A question. `options` holds the choices of single/multiple questions, one per line;
    the fixed kinds (satisfaction5, yesno) take theirs from the code."""

    __tablename__ = "survey_question"
    __table_args__ = (
        CheckConstraint(_in("kind", QUESTION_KINDS), name="kind"),
        UniqueConstraint("survey_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(200))
    required: Mapped[bool] = mapped_column(default=True)
    options: Mapped[str] = mapped_column(Text, default="")


class SurveyResponse(Base):
    """答卷: the one visit record of a household for a survey (answered, refused, nobody home).

    `compound_id` and `building_id` repeat the household's place at entry time, so that
    coverage and results by building need no join over the whole household table.
    """

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("survey_id", "household_id"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
        Index("ix_survey_response_survey_building", "survey_id", "building_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id", ondelete="CASCADE"))
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(12), default="answered")
    channel: Mapped[str] = mapped_column(String(4), default="入户")
    collected_by: Mapped[str] = mapped_column(String(32), default="")
    collected_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(32), default="")
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SurveyAnswer(Base):
    """One answer: a chosen option (`choice`, 0-based; a multiple-choice question has one row
    per ticked option), a number, or a text."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        # Tallies count (question, choice) straight off this index.
        Index("ix_survey_answer_question_choice", "question_id", "choice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"))
    choice: Mapped[int | None]
    number: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    text: Mapped[str | None] = mapped_column(Text)


class SurveyTally(Base):
    """Answer counts per question, compound and option, kept in step with the answers.

    Recounted for one compound on every save of a sheet there (same transaction), so results
    over 200,000 sheets sum a few thousand rows instead of scanning every answer.
    `choice` -1 is the question's own row: respondents, and for numbers sum/min/max.
    """

    __tablename__ = "survey_tally"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), primary_key=True
    )
    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    choice: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int]
    total: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    low: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    high: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))


class SurveyBuildingTally(Base):
    """Satisfaction answers per building and level, pooled over a survey's satisfaction
    questions (the by-building rate); recounted with `SurveyTally`."""

    __tablename__ = "survey_building_tally"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True
    )
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    choice: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int]


class SurveyLayout(Base):
    """Where a printed questionnaire's boxes are: one row per version of a survey's paper.

    `layout` is JSON (see app.surveys.layout): per page the boxes of each option, the answer
    areas of number and text questions, and each question's wording digest, so a sheet printed
    before an edit is read with its own geometry, or refused when its questions changed.
    """

    __tablename__ = "survey_layout"
    __table_args__ = (UniqueConstraint("survey_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    version: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    layout: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SurveyAnswerImage(Base):
    """A handwritten answer (text or number question) kept as the scanned crop (PNG)."""

    __tablename__ = "survey_answer_image"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"))
    png: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[str] = mapped_column(String(64))
