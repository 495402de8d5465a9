"""Article images kept by the server: content_images (the bytes, by SHA-256), content_image_sources (what each
remote URL gave, or why not), and news_feeds.internal (a campus-internal feed may reach private networks)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_images",
        sa.Column("sha256", sa.String(length=64), primary_key=True),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "content_image_sources",
        sa.Column("url_hash", sa.String(length=64), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column(
            "sha256",
            sa.String(length=64),
            sa.ForeignKey("content_images.sha256", name="fk_content_image_sources_sha256", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retry_after", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "news_feeds", sa.Column("internal", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("news_feeds", "internal")
    op.drop_table("content_image_sources")
    op.drop_table("content_images")
