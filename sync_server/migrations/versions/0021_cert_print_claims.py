"""Copies claimed by online kiosks while their print jobs run (certificate_claims)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 03:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certificate_claims",
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("certificate_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job_id"),
    )
    op.create_index("ix_certificate_claims_certificate_id", "certificate_claims", ["certificate_id"])


def downgrade() -> None:
    op.drop_index("ix_certificate_claims_certificate_id", table_name="certificate_claims")
    op.drop_table("certificate_claims")
