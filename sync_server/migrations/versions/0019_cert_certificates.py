"""Certificates issued at 办结 and the grades transcripts are printed from (docs/certificates.md)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 23:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grades",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("term", sa.String(length=16), nullable=False),
        sa.Column("course_code", sa.String(length=32), nullable=False),
        sa.Column("course_name", sa.String(length=128), nullable=False),
        sa.Column("course_name_en", sa.String(length=128), nullable=True),
        sa.Column("credits", sa.String(length=8), nullable=False),
        sa.Column("score", sa.String(length=16), nullable=False),
        sa.Column("grade_point", sa.String(length=8), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_grades_user_term_course", "grades", ["user_id", "term", "course_code"], unique=True)
    op.create_table(
        "certificates",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("process_code", sa.String(length=64), nullable=False),
        sa.Column("holder_id", sa.String(length=32), nullable=False),
        sa.Column("issuer_code", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("issued_on", sa.String(length=10), nullable=False),
        sa.Column("valid_until", sa.String(length=10), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=32), nullable=True),
        sa.Column("revoke_reason", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("application_id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_certificates_holder_id", "certificates", ["holder_id"])


def downgrade() -> None:
    op.drop_index("ix_certificates_holder_id", table_name="certificates")
    op.drop_table("certificates")
    op.drop_index("ix_grades_user_term_course", table_name="grades")
    op.drop_table("grades")
