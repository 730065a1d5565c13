"""review uid: a stable identifier for exchanging reviews between databases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:10:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uid', sa.String(length=36), nullable=True))
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM review")).scalars().all()
    if ids:
        connection.execute(sa.text("UPDATE review SET uid = :uid WHERE id = :id"),
                           [{"uid": str(uuid.uuid4()), "id": review_id} for review_id in ids])
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.alter_column('uid', existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_review_uid'), ['uid'])


def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_review_uid'), type_='unique')
        batch_op.drop_column('uid')
