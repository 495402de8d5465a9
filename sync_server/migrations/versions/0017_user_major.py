"""A student's 专业 (major), which `import-users` takes with 班级 and 学院

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("major", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # Not a batch (copy-and-move) on SQLite: many tables refer to users, and dropping it breaks their keys;
    # SQLite drops a plain column in place (3.35+).
    op.drop_column("users", "major")
