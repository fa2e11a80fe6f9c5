"""fee charges indexed by scheme, period and span

Revision ID: 0006
Revises: 0002

A billing run asks which households already have a charge of the scheme reaching into its
months. The plain scheme_id index made that a row lookup per charge of two years' history;
(scheme_id, period, months, household_id) answers it from the index alone, and still serves
every lookup by scheme.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ["scheme_id", "period", "months", "household_id"]


def upgrade() -> None:
    with op.batch_alter_table("fee_charge") as batch_op:
        batch_op.drop_index("ix_fee_charge_scheme_id")
        batch_op.create_index("ix_fee_charge_scheme_period", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fee_charge") as batch_op:
        batch_op.drop_index("ix_fee_charge_scheme_period")
        batch_op.create_index("ix_fee_charge_scheme_id", ["scheme_id"], unique=False)
