"""form definitions and applications, departments' contact

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("office", sa.String(length=64), nullable=True))
    op.create_table(
        "form_definitions",
        sa.Column("process_code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["process_code"], ["processes.code"]),
        sa.PrimaryKeyConstraint("process_code"),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("process_code", sa.String(length=64), nullable=False),
        sa.Column("applicant_id", sa.String(length=32), nullable=False),
        sa.Column("doc_no", sa.String(length=16), nullable=True),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["applicant_id"], ["users.user_id"]),
        sa.ForeignKeyConstraint(["process_code"], ["processes.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("serial"),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index("ix_applications_process_doc_no", ["process_code", "doc_no"], unique=True)
        batch_op.create_index(batch_op.f("ix_applications_process_code"), ["process_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("applications")
    op.drop_table("form_definitions")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("office")
        batch_op.drop_column("phone")
