"""content: news categories as codes, HTML bodies, summaries, feeds, read marks, news in the change log

The news table gains a summary, a cover image, its source (admin, feed, seed), its feed and GUID (unique per
feed), updated_at and the seq of the change that announces it. Categories become codes (campus_common/content.py);
the plain-text bodies become HTML paragraphs; every existing item is announced once as a public "news" change, so
terminals pull what was there before. New tables: news_feeds (the feeds imported on a schedule) and news_reads
(who has read what). Downgrade drops what was added and puts the category names back; bodies stay HTML.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The codes as of this revision (campus_common/content.py may grow; a migration must not change with it).
_CODES = {
    "通知公告": "notice",
    "学校新闻": "school_news",
    "科研动态": "research",
    "学工动态": "student_affairs",
    "门户通知": "portal",
    "院系动态": "department",
    "学术讲座": "lecture",
    "教学科研": "teaching",
}
_BIGINT = sa.BigInteger()


def _html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def _summary(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def upgrade() -> None:
    op.create_table(
        "news_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=1024), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("etag", sa.String(length=256), nullable=True),
        sa.Column("modified", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    with op.batch_alter_table("news", schema=None) as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("cover", sa.String(length=1024), nullable=True))
        batch.add_column(sa.Column("source", sa.String(length=8), nullable=False, server_default="admin"))
        batch.add_column(sa.Column("feed_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("guid", sa.String(length=512), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("change_seq", _BIGINT, nullable=True))
        batch.create_foreign_key("fk_news_feed_id", "news_feeds", ["feed_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_news_category_published", ["category", "published_at", "id"], unique=False)
        batch.create_index("ux_news_feed_guid", ["feed_id", "guid"], unique=True)
    op.create_table(
        "news_reads",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("news_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_seq", _BIGINT, nullable=True),
        sa.ForeignKeyConstraint(["news_id"], ["news.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "news_id"),
    )
    op.create_index("ix_news_reads_news_id", "news_reads", ["news_id"], unique=False)

    news = sa.table(
        "news",
        sa.column("id", sa.Integer()),
        sa.column("category", sa.String()),
        sa.column("title", sa.String()),
        sa.column("author", sa.String()),
        sa.column("body", sa.Text()),
        sa.column("published_at", sa.DateTime(timezone=True)),
        sa.column("summary", sa.Text()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("change_seq", sa.Integer()),
    )
    change_log = sa.table(
        "change_log",
        sa.column("seq", sa.Integer()),
        sa.column("scope", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("op", sa.String()),
        sa.column("data", sa.JSON()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("SELECT pg_advisory_xact_lock(7270001)"))  # the change log's writer lock
    now = datetime.now(UTC)
    rows = bind.execute(
        sa.select(news.c.id, news.c.category, news.c.title, news.c.author, news.c.body, news.c.published_at).order_by(
            news.c.published_at, news.c.id
        )
    ).all()
    for news_id, category, title, author, body, published in rows:
        code = _CODES.get(category, category if category in _CODES.values() else "school_news")
        body_html = body if body.lstrip().startswith("<") else _html(body)
        # text: its own words; HTML already: the text between the tags, then its entities
        summary = _summary(body if body_html != body else html.unescape(re.sub(r"<[^>]+>", " ", body_html)))
        published = published if published.tzinfo else published.replace(tzinfo=UTC)
        data = {
            "id": news_id,
            "category": code,
            "title": title,
            "summary": summary,
            "author": author,
            "cover": None,
            "published_at": published.isoformat(),
            "updated_at": published.isoformat(),
            "body": body_html,
        }
        seq = bind.execute(
            sa.insert(change_log)
            .values(scope="public", entity="news", entity_id=str(news_id), op="upsert", data=data, created_at=now)
            .returning(change_log.c.seq)
        ).scalar_one()
        bind.execute(
            sa.update(news)
            .where(news.c.id == news_id)
            .values(category=code, body=body_html, summary=summary, updated_at=published, change_seq=seq)
        )
    if bind.dialect.name == "postgresql" and rows:  # the seed gave ids explicitly: new items must not collide
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('news', 'id'), (SELECT max(id) FROM news))"))


def downgrade() -> None:
    bind = op.get_bind()
    names = {code: name for name, code in _CODES.items()}
    news = sa.table("news", sa.column("id", sa.Integer()), sa.column("category", sa.String()))
    for code, name in names.items():
        bind.execute(sa.update(news).where(news.c.category == code).values(category=name))
    bind.execute(sa.text("DELETE FROM change_log WHERE entity IN ('news', 'news_read')"))
    op.drop_index("ix_news_reads_news_id", table_name="news_reads")
    op.drop_table("news_reads")
    with op.batch_alter_table("news", schema=None) as batch:
        batch.drop_index("ux_news_feed_guid")
        batch.drop_index("ix_news_category_published")
        batch.drop_constraint("fk_news_feed_id", type_="foreignkey")
        for column in ("change_seq", "updated_at", "guid", "feed_id", "source", "cover", "summary"):
            batch.drop_column(column)
    op.drop_table("news_feeds")
