"""Printed copies of certificates: the cap (the form's 份数), the count, and one row per printed copy

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("certificates", sa.Column("copies_allowed", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("certificates", sa.Column("copies_printed", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "certificate_prints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("certificate_id", sa.String(length=32), nullable=False),
        sa.Column("copy_no", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("printed_at", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job_id"),
    )
    op.create_index("ux_certificate_prints_copy", "certificate_prints", ["certificate_id", "copy_no"], unique=True)
    # Certificates issued before this revision: their cap is their application's 份数 (else 1).
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT c.id, a.data FROM certificates c JOIN applications a ON a.id = c.application_id")
    ).all()
    for cert_id, data in rows:
        values = json.loads(data) if isinstance(data, str) else (data or {})
        conn.execute(
            sa.text("UPDATE certificates SET copies_allowed = :n WHERE id = :id"),
            {"n": copies_of(values), "id": cert_id},
        )


def copies_of(data: object) -> int:
    value = data.get("copies") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else 1


def downgrade() -> None:
    op.drop_index("ux_certificate_prints_copy", table_name="certificate_prints")
    op.drop_table("certificate_prints")
    op.drop_column("certificates", "copies_printed")
    op.drop_column("certificates", "copies_allowed")
