"""scanned questionnaires: versioned paper layouts, answer images, the 纸质扫描 channel

Revision ID: 0015
Revises: 0005c
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0005c"
branch_labels = None
depends_on = None

OLD = "channel IN ('入户', '见面会', '电话', '其他')"
NEW = "channel IN ('入户', '见面会', '电话', '其他', '纸质扫描')"


def upgrade() -> None:
    op.create_table(
        "survey_layout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("layout", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_layout_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_layout")),
        sa.UniqueConstraint(
            "survey_id", "version", name=op.f("uq_survey_layout_survey_id_version")
        ),
    )
    op.create_table(
        "survey_answer_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_response.id"],
            name=op.f("fk_survey_answer_image_response_id_survey_response"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_question.id"],
            name=op.f("fk_survey_answer_image_question_id_survey_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer_image")),
        sa.UniqueConstraint(
            "response_id",
            "question_id",
            name=op.f("uq_survey_answer_image_response_id_question_id"),
        ),
    )
    op.create_index(
        op.f("ix_survey_answer_image_response_id"), "survey_answer_image", ["response_id"]
    )
    with op.batch_alter_table("survey_response") as batch:
        batch.drop_constraint(op.f("ck_survey_response_channel"), type_="check")
        batch.create_check_constraint("channel", NEW)


def downgrade() -> None:
    op.execute("UPDATE survey_response SET channel = '其他' WHERE channel = '纸质扫描'")
    with op.batch_alter_table("survey_response") as batch:
        batch.drop_constraint(op.f("ck_survey_response_channel"), type_="check")
        batch.create_check_constraint("channel", OLD)
    op.drop_index(op.f("ix_survey_answer_image_response_id"), table_name="survey_answer_image")
    op.drop_table("survey_answer_image")
    op.drop_table("survey_layout")
