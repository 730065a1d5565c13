"""Drop the index on indicator_value.import_id: nothing looks values up by their import run.

An import run is never deleted (its ``ON DELETE SET NULL`` never fires), and no query selects
values by run, so the index was only upkeep: one index fewer makes bulk indicator imports
faster and their commit smaller.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_value") as batch:
        batch.drop_index("ix_indicator_value_import_id")


def downgrade() -> None:
    with op.batch_alter_table("indicator_value") as batch:
        batch.create_index("ix_indicator_value_import_id", ["import_id"])
