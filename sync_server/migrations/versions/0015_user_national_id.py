"""users.national_id and users.join_date: the 身份证号 and 入职日期 the school holds, which fill the forms that
ask for them; processes.english: the process in English for English mode

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 06:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default): SQLite does it in place. A batch would rebuild the tables, and
    # dropping `processes` to rebuild it fails on the foreign keys that point at it.
    op.add_column("users", sa.Column("national_id", sa.String(length=18), nullable=True))
    op.add_column("users", sa.Column("join_date", sa.String(length=10), nullable=True))
    op.add_column("processes", sa.Column("english", sa.JSON(), nullable=True))


def downgrade() -> None:
    # DROP COLUMN in place too (SQLite 3.35+), for the same reason.
    op.drop_column("processes", "english")
    op.drop_column("users", "join_date")
    op.drop_column("users", "national_id")
