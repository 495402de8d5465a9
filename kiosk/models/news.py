"""消息中心's news in the local store: pulled `news` / `news_read` changes written (apply.py calls apply_news in
the page's transaction), pages of a category or a search newest first with the user's unread flag, an article,
and the user's read marks with which of them the server does not have yet.

Plain SQL over the engine's connection: a page of 50 out of 10,000 rows is one indexed read of ≈ 1 ms, and the
list never loads a body (only the article does)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection

from kiosk.models.base import StoreBase

# What a list row needs (never the body: a list of 10,000 would carry megabytes).
_ROW_COLUMNS = "n.id, n.category, n.title, n.summary, n.author, n.cover, n.published_at"
_ROW_KEYS = ("id", "category", "title", "summary", "author", "cover", "published_at")


def utc_text(value: Any) -> str:
    """A server timestamp as UTC RFC 3339 text, so that rows sort as text; "" when it is not one."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _news_row(change: dict[str, Any]) -> dict[str, Any]:
    data = change["data"] or {}
    published = utc_text(data.get("published_at"))
    return {
        "id": int(change["id"]),
        "category": str(data.get("category") or ""),
        "title": str(data.get("title") or ""),
        "summary": str(data.get("summary") or ""),
        "author": str(data.get("author") or ""),
        "cover": str(data.get("cover") or ""),
        "published_at": published,
        "updated_at": utc_text(data.get("updated_at")) or published,
        "body": str(data.get("body") or ""),
    }


def apply_news(conn: Connection, user_id: str | None, changes: Iterable[dict[str, Any]]) -> bool:
    """Write a page's news and read-mark changes in page order, each run of alike changes in one executemany.
    A deleted item takes everyone's read mark of it along. Returns whether anything was written."""
    wanted = [c for c in changes if c["entity"] == "news" or (c["entity"] == "news_read" and user_id is not None)]
    for (entity, op), run_ in groupby(wanted, key=lambda c: (c["entity"], c["op"])):
        run = list(run_)
        ids = [(int(c["id"]),) for c in run]
        if entity == "news" and op == "delete":
            conn.exec_driver_sql("DELETE FROM news WHERE id = ?", ids)
            conn.exec_driver_sql("DELETE FROM news_reads WHERE news_id = ?", ids)
        elif entity == "news":
            conn.exec_driver_sql(
                "INSERT OR REPLACE INTO news (id, category, title, summary, author, cover, published_at, updated_at, "
                "body) VALUES (:id, :category, :title, :summary, :author, :cover, :published_at, :updated_at, :body)",
                [_news_row(c) for c in run],
            )
        elif op == "delete":
            conn.exec_driver_sql(
                "DELETE FROM news_reads WHERE user_id = ? AND news_id = ?", [(user_id, i) for (i,) in ids]
            )
        else:  # the server has the mark: sent, whatever this terminal knew of it
            conn.exec_driver_sql(
                "INSERT OR REPLACE INTO news_reads (user_id, news_id, read_at, sent) VALUES (?, ?, ?, 1)",
                [(user_id, int(c["id"]), utc_text((c["data"] or {}).get("read_at"))) for c in run],
            )
    return bool(wanted)


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(category: str | None, words: list[str]) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if category:
        clauses.append("n.category = ?")
        params.append(category)
    for word in words:  # every word, in the title or the summary (as the server's q=)
        clauses.append("(n.title LIKE ? ESCAPE '\\' OR n.summary LIKE ? ESCAPE '\\')")
        params += [_like(word), _like(word)]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class NewsMixin(StoreBase):
    def news_page(
        self, user_id: str | None, category: str | None, words: list[str], offset: int, limit: int
    ) -> list[dict[str, Any]]:
        """Rows `offset`… of a category (None: all) or a search, newest first; `unread` is None without a user."""
        where, params = _where(category, words)
        read = "r.news_id IS NULL" if user_id is not None else "NULL"
        sql = (
            f"SELECT {_ROW_COLUMNS}, {read} FROM news n "
            + ("LEFT JOIN news_reads r ON r.news_id = n.id AND r.user_id = ?" if user_id is not None else "")
            + f"{where} ORDER BY n.published_at DESC, n.id DESC LIMIT ? OFFSET ?"
        )
        args = ([user_id] if user_id is not None else []) + params + [limit, offset]
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(sql, tuple(args)).all()
        return [
            {**dict(zip(_ROW_KEYS, row[:-1], strict=True)), "unread": None if row[-1] is None else bool(row[-1])}
            for row in rows
        ]

    def news_count(self, category: str | None, words: list[str]) -> int:
        where, params = _where(category, words)
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM news n{where}", tuple(params)).scalar() or 0)

    def news_article(self, user_id: str | None, news_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                f"SELECT {_ROW_COLUMNS}, n.updated_at, n.body FROM news n WHERE n.id = ?", (news_id,)
            ).first()
            if row is None:
                return None
            read = user_id is not None and (
                conn.exec_driver_sql(
                    "SELECT 1 FROM news_reads WHERE user_id = ? AND news_id = ?", (user_id, news_id)
                ).first()
                is not None
            )
        article = dict(zip((*_ROW_KEYS, "updated_at", "body"), row, strict=True))
        article["unread"] = None if user_id is None else not read
        return article

    def latest_news(self, categories: Iterable[str], per: int) -> dict[str, list[dict[str, Any]]]:
        """The newest `per` rows of each category (首页's lists), unread unknown."""
        return {code: self.news_page(None, code, [], 0, per) for code in categories}

    def mark_news_read(self, user_id: str, news_id: int, read_at: str) -> bool:
        """The user read an item here: marked at once, unsent. False when it was read already or is unknown."""
        with self.transaction() as session:
            result = session.connection().exec_driver_sql(
                "INSERT OR IGNORE INTO news_reads (user_id, news_id, read_at, sent) "
                "SELECT ?, id, ?, 0 FROM news WHERE id = ?",
                (user_id, read_at, news_id),
            )
            return bool(result.rowcount)

    def unsent_news_reads(self, user_id: str, limit: int = 500) -> list[int]:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT news_id FROM news_reads WHERE user_id = ? AND sent = 0 ORDER BY read_at LIMIT ?",
                (user_id, limit),
            ).all()
        return [int(r[0]) for r in rows]

    def news_reads_sent(self, user_id: str, news_ids: list[int]) -> None:
        with self.transaction() as session:
            session.connection().exec_driver_sql(
                "UPDATE news_reads SET sent = 1 WHERE user_id = ? AND news_id = ?", [(user_id, i) for i in news_ids]
            )
