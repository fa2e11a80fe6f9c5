"""row versions for stale-write checks

Revision ID: 0014
Revises: 0006

Compounds, households, residents and fee schemes get a version counter that every save bumps;
a form saves only over the version it showed, checked in the UPDATE's WHERE clause, so a
change made meanwhile (another window, another colleague) is never silently overwritten.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("compound", "household", "resident", "fee_scheme")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
