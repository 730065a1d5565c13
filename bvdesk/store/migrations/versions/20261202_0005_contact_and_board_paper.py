"""The landlord's contact details and how tenants get involved; the board paper's meeting.

``organisation.contact_address``, ``contact_phone``, ``contact_email``, ``website`` and
``get_involved`` are printed in the tenant summary; ``review.board_meeting_date``,
``board_paper_author`` and ``board_agenda_ref`` head the board paper.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("contact_address", sa.Text(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("contact_phone", sa.String(length=40), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("contact_email", sa.String(length=120), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("website", sa.String(length=200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("get_involved", sa.Text(), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("review") as batch:
        batch.add_column(sa.Column("board_meeting_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("board_paper_author", sa.String(length=120), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("board_agenda_ref", sa.String(length=40), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("review") as batch:
        batch.drop_column("board_agenda_ref")
        batch.drop_column("board_paper_author")
        batch.drop_column("board_meeting_date")
    with op.batch_alter_table("organisation") as batch:
        for column in ("get_involved", "website", "contact_email", "contact_phone",
                       "contact_address"):
            batch.drop_column(column)
