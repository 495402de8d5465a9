"""Tables of the kiosk's local store. Personal rows carry `user_id` so logout can delete them all."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, Index, Integer, String, Text
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
    # For 办事指南 offline (migration 6): materials to prepare, expected days, the window's contact, the steps.
    guide: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


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
    # The login session the operation was made in and its signature with that session's operation key, so it
    # can be delivered after the user has left (campus_common/op_signing.py). Added by migration 4.
    session_id: Mapped[str | None] = mapped_column(String(32), default=None)
    signature: Mapped[str | None] = mapped_column(String(64), default=None)
    # What the operation is about ("favorite:<code>"), for the 待同步 / 已同步 / 被拒绝 badge on that item.
    entity: Mapped[str | None] = mapped_column(String(96), default=None, index=True)


class LocalFavorite(Base):
    """★ on a hall process, as this terminal knows it (optimistic until the server confirms)."""

    __tablename__ = "favorites"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    process_code: Mapped[str] = mapped_column(String(64), primary_key=True)


class CachedForm(Base):
    """A process's form definition as pulled from the server (public; kept across logouts, for offline use)."""

    __tablename__ = "forms"
    process_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)


class LocalApplication(Base):
    """An application of the logged-in user: queued here when submitted (流水号 待分配), then as the server
    has it. Personal: wiped at logout (the outbox keeps what is still on its way)."""

    __tablename__ = "applications"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    process_code: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # queued (not yet on the server) | the server's status
    serial: Mapped[int | None] = mapped_column(Integer, default=None)
    doc_no: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[str | None] = mapped_column(String(40), default=None)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class CachedWorkflow(Base):
    """A process's workflow definition as the server announces it (public): its steps, for 选择审核人's
    "流程将转到" and the progress bar. Staff names are not in it (see LocalWorkflowHandlers)."""

    __tablename__ = "workflows"
    process_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)


class LocalTask(Base):
    """One of the user's tasks (待办 while open, 已办 once done) as the server last described it, with the
    application it belongs to. Personal: wiped at logout."""

    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    process_code: Mapped[str] = mapped_column(String(64))
    box: Mapped[str] = mapped_column(String(8))  # todo | done
    created_at: Mapped[str] = mapped_column(String(40))
    acted_at: Mapped[str | None] = mapped_column(String(40), default=None)
    view: Mapped[dict[str, Any]] = mapped_column(JSON)


class LocalNotification(Base):
    """An in-app notification of the user (new task, return, urge, completion). Personal: wiped at logout."""

    __tablename__ = "notifications"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    read: Mapped[int] = mapped_column(Integer)
    view: Mapped[dict[str, Any]] = mapped_column(JSON)


class LocalWorkflowHandlers(Base):
    """Who holds each post-assigned step of a process ("workflow_handlers", announced to signed-in users only),
    so 选择审核人 works offline. Staff names are personal data: wiped at logout like the user's own rows."""

    __tablename__ = "workflow_handlers"
    process_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    steps: Mapped[dict[str, Any]] = mapped_column(JSON)  # step key → [{user_id, name, department, post}]


class LocalDraft(Base):
    """A form being filled in, saved with 存草稿 (desk mode only; a kiosk never writes one). One per user and
    process; `sealed` holds the values as typed, valid or not, encrypted with the terminal's draft key
    (kiosk/services/drafts.py, migration 10), never in plain text. Kept across logout and restart on the desk
    client, shown only to its user; deleted in the transaction that queues the submission."""

    __tablename__ = "drafts"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    process_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_version: Mapped[int] = mapped_column(Integer)
    sealed: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[str] = mapped_column(String(40))


class CachedNews(Base):
    """A news item of 消息中心 and 首页 as last pulled (public: kept across logouts, shown offline). Listed
    newest first per category or all together, hence the two indexes (migration 11)."""

    __tablename__ = "news"
    __table_args__ = (
        Index("ix_news_category_published", "category", "published_at", "id"),
        Index("ix_news_published", "published_at", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    cover: Mapped[str] = mapped_column(Text)
    published_at: Mapped[str] = mapped_column(String(40))  # UTC, RFC 3339: sorts as text
    updated_at: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)  # sanitized HTML, as the server stores it


class LocalNewsRead(Base):
    """The signed-in user's read mark on a news item. `sent` 0: made on this terminal and not yet acknowledged by
    POST /api/v1/me/news/read (retried after the next sync round). Personal: wiped at logout."""

    __tablename__ = "news_reads"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    news_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    read_at: Mapped[str] = mapped_column(String(40))
    sent: Mapped[int] = mapped_column(Integer)


# Every table holding one person's data; logout deletes all their rows. Later features add theirs here.
# The outbox is handled apart: its pending operations are delivered after logout (sync guarantee 7).
class LocalCalendarEvent(Base):
    """A calendar event of the signed-in user as pulled (`calendar_event`, docs/calendar.md): the whole change's
    data, for the detail and for editing a personal one. Personal: wiped at logout."""

    __tablename__ = "calendar_events"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class LocalCalendarOccurrence(Base):
    """One dated occurrence of an event (the server expands rules, holidays and exceptions). Times are campus
    RFC 3339 text, or dates for an all-day event (`end` inclusive). Personal: wiped at logout."""

    __tablename__ = "calendar_occurrences"
    __table_args__ = (Index("ix_calendar_occurrences_time", "user_id", "start"),)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    start: Mapped[str] = mapped_column(String(40), primary_key=True)
    end: Mapped[str] = mapped_column(String(40))
    all_day: Mapped[int] = mapped_column(Integer)


PERSONAL_TABLES: list[type[Base]] = [
    UserProfile,
    LocalFavorite,
    LocalApplication,
    LocalTask,
    LocalNotification,
    LocalWorkflowHandlers,
    LocalNewsRead,
    LocalCalendarOccurrence,
    LocalCalendarEvent,
]
