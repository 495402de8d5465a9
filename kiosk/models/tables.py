"""Tables of the kiosk's local store. Personal rows carry `user_id` so logout can delete them all."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {list[str]: JSON, dict[str, Any]: JSON}


class Meta(Base):
    """Key/value facts of this terminal: server URL and epoch, sync cursors, school name."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CachedProcess(Base):
    """The hall catalog as last received from the server (public data, kept across logouts)."""

    __tablename__ = "processes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(32))
    department_name: Mapped[str] = mapped_column(String(64))
    audience: Mapped[list[str]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    recommended: Mapped[int] = mapped_column(Integer)
    popular_rank: Mapped[int | None] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer)


class UserProfile(Base):
    """The logged-in user, for the top bar and offline start of a desk client. Personal: wiped at logout."""

    __tablename__ = "user_profile"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    department_name: Mapped[str | None] = mapped_column(String(64))
    class_name: Mapped[str | None] = mapped_column(String(64))


class OutboxOp(Base):
    """A user's write, waiting for the server: written in the same transaction as its optimistic local effect.
    `id` is the idempotency key; `seq` orders one (device, user) stream."""

    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(48))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | applied | rejected
    error_code: Mapped[str | None] = mapped_column(String(48), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class LocalFavorite(Base):
    """★ on a hall process, as this terminal knows it (optimistic until the server confirms)."""

    __tablename__ = "favorites"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    process_code: Mapped[str] = mapped_column(String(64), primary_key=True)


# Every table holding one person's data; logout deletes all their rows. Later features add theirs here.
# The outbox is handled apart: its pending operations are delivered after logout (sync guarantee 7).
PERSONAL_TABLES: list[type[Base]] = [UserProfile, LocalFavorite]
