"""A version on every editable record, for many writers on a team server.

Each editable table gets ``row_version`` (1 for every existing row). SQLAlchemy's
``version_id_col`` adds it to every UPDATE's WHERE clause and increments it, so a save based on a
row a colleague has changed since is refused instead of overwriting their change; bulk writers
increment it themselves.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: Every table whose rows a user edits (not the import log, peer-group membership or the audit
#: log, which are only added to or removed).
VERSIONED = ("organisation", "service", "indicator", "indicator_value", "import_profile",
             "peer_group", "setting", "review", "team_member", "review_indicator",
             "challenge_item", "consultation", "appraisal_settings", "option", "cost_line", "risk",
             "quality_criterion", "quality_score", "action", "judgement", "evidence", "signoff")


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("row_version", sa.Integer(), nullable=False,
                                       server_default="1"))


def downgrade() -> None:
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("row_version")
