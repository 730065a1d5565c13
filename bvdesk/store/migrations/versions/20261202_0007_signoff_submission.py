"""The submission as it was signed off.

``signoff.submission`` keeps the regulator submission's PDF rendered at sign-off, and
``submission_pages`` its page count, so the submission delivered later is the one signed off
whatever the report code has become since. Sign-offs made before stay without them and render
from their frozen snapshot.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signoff") as batch:
        batch.add_column(sa.Column("submission", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("submission_pages", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signoff") as batch:
        batch.drop_column("submission_pages")
        batch.drop_column("submission")
