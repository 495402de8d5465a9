"""日程中心: timetable slots with a stable key and their audience, term holidays and make-up days, meetings'
audience, personal events, iCalendar feed tokens

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("courses") as batch:
        batch.add_column(sa.Column("key", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("term_name", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("students", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("delivered_to", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("digest", sa.String(length=64), nullable=False, server_default=""))
        batch.create_unique_constraint("uq_courses_key", ["key"])
        batch.create_index("ix_courses_term_name", ["term_name"])
    with op.batch_alter_table("terms") as batch:
        batch.add_column(sa.Column("holidays", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("makeup_days", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("host", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("departments", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("reminder_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("created_by", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("delivered_to", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "personal_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reminder_minutes", sa.Integer(), nullable=True),
        sa.Column("repeat", sa.JSON(), nullable=True),
        sa.Column("exceptions", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_personal_events_user_id", "personal_events", ["user_id"])
    op.create_table(
        "calendar_feed_tokens",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("calendar_feed_tokens")
    op.drop_index("ix_personal_events_user_id", table_name="personal_events")
    op.drop_table("personal_events")
    with op.batch_alter_table("meetings") as batch:
        for column in ("delivered_to", "created_by", "reminder_minutes", "note", "departments", "host"):
            batch.drop_column(column)
    with op.batch_alter_table("terms") as batch:
        batch.drop_column("makeup_days")
        batch.drop_column("holidays")
    with op.batch_alter_table("courses") as batch:
        batch.drop_index("ix_courses_term_name")
        batch.drop_constraint("uq_courses_key", type_="unique")
        for column in ("digest", "delivered_to", "students", "term_name", "key"):
            batch.drop_column(column)
