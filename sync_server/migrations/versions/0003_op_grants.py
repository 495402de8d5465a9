"""operation keys on sessions, the operation behind each change

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("op_key", sa.String(length=64), nullable=True))
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("op_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_change_log_op_id"), ["op_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_op_id"))
        batch_op.drop_column("op_id")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_column("op_key")
