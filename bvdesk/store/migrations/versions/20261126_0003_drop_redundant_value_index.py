"""Drop the index on indicator_value.organisation_id: the unique index leads with it.

One index fewer to maintain makes bulk indicator imports faster.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:25:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_value") as batch:
        batch.drop_index("ix_indicator_value_organisation_id")


def downgrade() -> None:
    with op.batch_alter_table("indicator_value") as batch:
        batch.create_index("ix_indicator_value_organisation_id", ["organisation_id"])
