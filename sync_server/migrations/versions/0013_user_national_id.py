"""users.national_id and users.join_date: the 身份证号 and 入职日期 the school holds, which fill the forms that
ask for them; processes.english: the process in English for English mode

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 06:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("national_id", sa.String(length=18), nullable=True))
        batch.add_column(sa.Column("join_date", sa.String(length=10), nullable=True))
    with op.batch_alter_table("processes") as batch:
        batch.add_column(sa.Column("english", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processes") as batch:
        batch.drop_column("english")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("join_date")
        batch.drop_column("national_id")
