"""Where an external price comes from, and why a sign-off overrode the readiness check.

``option.price_source`` (quote, tender, soft market test or estimate) and
``option.price_source_note`` (who, when) let the submission say where each external price came
from; ``signoff.override_reason`` keeps the approver's reason for signing off with readiness
items outstanding (the audit log records it with the sign-off).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("option") as batch:
        batch.add_column(sa.Column("price_source", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("price_source_note", sa.Text(), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("signoff") as batch:
        batch.add_column(sa.Column("override_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signoff") as batch:
        batch.drop_column("override_reason")
    with op.batch_alter_table("option") as batch:
        batch.drop_column("price_source_note")
        batch.drop_column("price_source")
