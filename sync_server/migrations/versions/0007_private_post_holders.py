"""post holders are no longer public: strip `candidates` from the public "workflow" changes already logged

Until now each public "workflow" change carried, per step assigned to a post, the names and user ids of its
holders, and an anonymous pull from cursor 0 still delivers every such change in the log. Signed-in users now
get the holders as "workflow_handlers" changes (scope "members", announced by the next seeding or user import);
the definitions themselves stay as they were. No index is needed: pulls read `scope IN (...) AND seq > ?` off
ix_change_log_scope_seq, as before. Nothing to undo on downgrade: the names are not put back.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_change_log = sa.table(
    "change_log",
    sa.column("seq", sa.Integer()),
    sa.column("scope", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("data", sa.JSON()),
)


def _without_candidates(data: dict[str, Any]) -> dict[str, Any] | None:
    steps = data.get("steps")
    if not isinstance(steps, list) or not any(isinstance(s, dict) and "candidates" in s for s in steps):
        return None
    return {**data, "steps": [{k: v for k, v in s.items() if k != "candidates"} for s in steps]}


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_change_log.c.seq, _change_log.c.data).where(
            _change_log.c.scope == "public", _change_log.c.entity == "workflow"
        )
    ).all()
    for seq, data in rows:
        cleaned = _without_candidates(data) if isinstance(data, dict) else None
        if cleaned is not None:
            bind.execute(sa.update(_change_log).where(_change_log.c.seq == seq).values(data=cleaned))


def downgrade() -> None:
    pass
