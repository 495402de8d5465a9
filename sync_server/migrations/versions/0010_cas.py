"""CAS single sign-on: the registry of allowed services and the tickets (hand-offs, service tickets, SSO sessions)

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cas_services",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("url_prefix", sa.String(length=512), nullable=False),
        sa.Column("app_code", sa.String(length=48), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url_prefix"),
    )
    op.create_table(
        "cas_tickets",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.Text(), nullable=True),
        sa.Column("from_new_login", sa.Boolean(), nullable=False),
        sa.Column("authenticated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index("ix_cas_tickets_user_id", "cas_tickets", ["user_id"])
    op.create_index("ix_cas_tickets_expires_at", "cas_tickets", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_cas_tickets_expires_at", table_name="cas_tickets")
    op.drop_index("ix_cas_tickets_user_id", table_name="cas_tickets")
    op.drop_table("cas_tickets")
    op.drop_table("cas_services")
