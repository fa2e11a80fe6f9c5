"""survey tally: answer counts per question, building and option

Revision ID: 0005b
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005b"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
    # Sheets entered before this revision: count them once.
    op.execute(
        "INSERT INTO survey_tally (question_id, building_id, choice, n, total, low, high) "
        "SELECT a.question_id, r.building_id, a.choice, COUNT(*), NULL, NULL, NULL "
        "FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
        "WHERE a.choice IS NOT NULL GROUP BY a.question_id, r.building_id, a.choice"
    )
    op.execute(
        "INSERT INTO survey_tally (question_id, building_id, choice, n, total, low, high) "
        "SELECT a.question_id, r.building_id, -1, COUNT(DISTINCT a.response_id), "
        "SUM(a.number), MIN(a.number), MAX(a.number) "
        "FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
        "GROUP BY a.question_id, r.building_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("survey_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_tally_building_id"))
    op.drop_table("survey_tally")
