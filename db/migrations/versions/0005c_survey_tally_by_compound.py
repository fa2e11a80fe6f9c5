"""survey tallies by compound, and pooled satisfaction by building

Revision ID: 0005c
Revises: 0005b

The tallies are derived data: the table is rebuilt in its new shape and recounted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005c"
down_revision = "0005b"
branch_labels = None
depends_on = None

FILL = (
    "INSERT INTO survey_tally (question_id, compound_id, choice, n, total, low, high) "
    "SELECT a.question_id, r.compound_id, a.choice, COUNT(*), NULL, NULL, NULL "
    "FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
    "WHERE a.choice IS NOT NULL GROUP BY a.question_id, r.compound_id, a.choice",
    "INSERT INTO survey_tally (question_id, compound_id, choice, n, total, low, high) "
    "SELECT a.question_id, r.compound_id, -1, COUNT(DISTINCT a.response_id), "
    "SUM(a.number), MIN(a.number), MAX(a.number) "
    "FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
    "GROUP BY a.question_id, r.compound_id",
    "INSERT INTO survey_building_tally (survey_id, building_id, choice, n) "
    "SELECT r.survey_id, r.building_id, a.choice, COUNT(*) "
    "FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
    "JOIN survey_question q ON q.id = a.question_id "
    "WHERE q.kind = 'satisfaction5' AND a.choice IS NOT NULL "
    "GROUP BY r.survey_id, r.building_id, a.choice",
    "INSERT INTO survey_building_tally (survey_id, building_id, choice, n) "
    "SELECT survey_id, building_id, CASE outcome WHEN 'answered' THEN -1 "
    "WHEN 'refused' THEN -2 ELSE -3 END, COUNT(*) "
    "FROM survey_response GROUP BY survey_id, building_id, outcome",
)


def upgrade() -> None:
    with op.batch_alter_table("survey_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_tally_building_id"))
    op.drop_table("survey_tally")
    op.create_table(
        "survey_tally",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("low", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("high", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compound.id"],
            name=op.f("fk_survey_tally_compound_id_compound"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_question.id"],
            name=op.f("fk_survey_tally_question_id_survey_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "question_id", "compound_id", "choice", name=op.f("pk_survey_tally")
        ),
    )
    with op.batch_alter_table("survey_tally", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_tally_compound_id"), ["compound_id"], unique=False
        )
    op.create_table(
        "survey_building_tally",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_survey_building_tally_building_id_building"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_building_tally_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "survey_id", "building_id", "choice", name=op.f("pk_survey_building_tally")
        ),
    )
    with op.batch_alter_table("survey_building_tally", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_building_tally_building_id"), ["building_id"], unique=False
        )
    for statement in FILL:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("survey_building_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_building_tally_building_id"))
    op.drop_table("survey_building_tally")
    with op.batch_alter_table("survey_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_tally_compound_id"))
    op.drop_table("survey_tally")
    op.create_table(
        "survey_tally",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("low", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("high", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_survey_tally_building_id_building"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_question.id"],
            name=op.f("fk_survey_tally_question_id_survey_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "question_id", "building_id", "choice", name=op.f("pk_survey_tally")
        ),
    )
    with op.batch_alter_table("survey_tally", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_tally_building_id"), ["building_id"], unique=False
        )
