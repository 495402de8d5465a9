"""The server's tables (SQLAlchemy 2 declarative). Alembic migrations in migrations/ create them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}


class ServerMeta(Base):
    """Key/value facts about this server's data, e.g. its epoch (changes when data is restored)."""

    __tablename__ = "server_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(32), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), default=None)
    kind: Mapped[str] = mapped_column(String(16), default="admin")
    phone: Mapped[str | None] = mapped_column(String(32), default=None)  # the service window's, for 办事指南
    office: Mapped[str | None] = mapped_column(String(64), default=None)


class Post(Base):
    """A handling post in a department (岗位), e.g. 现教中心实验室管理科接收人; workflow steps assign to posts."""

    __tablename__ = "posts"
    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))


class User(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # 学号/工号, letters upper-case
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # student | staff | approver | external | admin
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), default=None)
    post_code: Mapped[str | None] = mapped_column(ForeignKey("posts.code"), default=None)
    class_name: Mapped[str | None] = mapped_column(String(64), default=None)  # 班级 (students)
    major: Mapped[str | None] = mapped_column(String(64), default=None)  # 专业 (students; import-users)
    email: Mapped[str | None] = mapped_column(String(128), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    # 身份证号, as the school's records hold it: fills (and is final on) the forms that ask for it.
    national_id: Mapped[str | None] = mapped_column(String(18), default=None)
    join_date: Mapped[str | None] = mapped_column(String(10), default=None)  # 入职日期 (staff), YYYY-MM-DD
    password_hash: Mapped[str] = mapped_column(String(256))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """Failed logins per user name as typed (normalised), for known and unknown names alike, so a lockout
    answer says nothing about whether an account exists."""

    __tablename__ = "login_failures"
    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class AddressThrottle(Base):
    """Failed logins per client address in a sliding window (guessing across many accounts)."""

    __tablename__ = "address_throttle"
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuthSession(Base):
    """A login: opaque tokens stored only as SHA-256 hashes; revoking it ends both tokens."""

    __tablename__ = "auth_sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # kiosk | desk | phone
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    previous_refresh_hash: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    device_id: Mapped[str | None] = mapped_column(String(64), default=None)
    device_name: Mapped[str | None] = mapped_column(String(64), default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    access_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    refresh_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoke_reason: Mapped[str | None] = mapped_column(String(32), default=None)
    # The session's operation key (campus_common/op_signing.py): the server must know it to check signatures.
    op_key: Mapped[str | None] = mapped_column(String(64), default=None)
    # A kiosk session opened on an enrolled device (devices.id): only that device's credential goes with it.
    device_ref: Mapped[str | None] = mapped_column(String(16), default=None)


class QrTicket(Base):
    """A QR login ticket shown on one terminal; stored by hash, single use, short-lived."""

    __tablename__ = "qr_tickets"
    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    device_name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))  # pending | scanned | confirmed | denied | consumed
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.user_id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # The enrolled device (devices.id) that asked for it, when it showed a valid credential: the phone then names
    # that device as IT registered it, not as the terminal calls itself.
    enrolled_device: Mapped[str | None] = mapped_column(String(16), default=None)


class Process(Base):
    """A hall process (流程) of the catalog."""

    __tablename__ = "processes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    audience: Mapped[list[str]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    expected_days: Mapped[int] = mapped_column(Integer, default=3)
    recommended: Mapped[bool] = mapped_column(Boolean, default=False)
    popular_rank: Mapped[int | None] = mapped_column(Integer, default=None)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The process in English for English mode (seed/english.json): name, description, materials, department_name,
    # category, audience, and `terms` for its guide's steps.
    english: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class NewsItem(Base):
    """A news item of 消息中心 and 首页 (campus_common/content.py names the categories). `body` is HTML, stored
    sanitized (core/content_html.py); `summary` is plain text. Feed items carry their feed and GUID."""

    __tablename__ = "news"
    __table_args__ = (
        Index("ix_news_category_published", "category", "published_at", "id"),
        Index("ux_news_feed_guid", "feed_id", "guid", unique=True),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(16), index=True)  # a code: notice, school_news, …
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(64), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    cover: Mapped[str | None] = mapped_column(String(1024), default=None)  # the body's first image, for lists
    source: Mapped[str] = mapped_column(String(8), default="admin")  # admin | feed | seed
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("news_feeds.id", ondelete="SET NULL"), default=None)
    guid: Mapped[str | None] = mapped_column(String(512), default=None)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # The change-log row that announces this item's current version: replaced by the next one, so the log holds
    # one row per item, not one per edit (core/content.py).
    change_seq: Mapped[int | None] = mapped_column(BigInteger, default=None)


class NewsFeed(Base):
    """An RSS/Atom feed of the school's site, imported on a schedule into one category (core/feeds.py)."""

    __tablename__ = "news_feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(1024), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    etag: Mapped[str | None] = mapped_column(String(256), default=None)
    modified: Mapped[str | None] = mapped_column(String(64), default=None)
    # A campus-internal feed: its articles' images may be fetched from the campus's private networks
    # (core/content_images.py); an ordinary feed's only from public addresses.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)


class ContentImage(Base):
    """An article image the server fetched and keeps, known by the SHA-256 of its bytes and served to terminals
    at /api/v1/content/images/{sha256} (core/content_images.py)."""

    __tablename__ = "content_images"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContentImageSource(Base):
    """What fetching one remote image URL gave: the image (sha256), or why not (error) and when to try again."""

    __tablename__ = "content_image_sources"
    # SHA-256 of the policy (public or internal) and the URL: URLs are long, and each policy fetches for itself
    url_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("content_images.sha256", ondelete="SET NULL"), default=None)
    error: Mapped[str | None] = mapped_column(String(200), default=None)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retry_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class NewsRead(Base):
    """That a user has read a news item (消息中心's unread marks), and the change that told their terminals."""

    __tablename__ = "news_reads"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), primary_key=True)
    news_id: Mapped[int] = mapped_column(ForeignKey("news.id", ondelete="CASCADE"), primary_key=True, index=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    change_seq: Mapped[int | None] = mapped_column(BigInteger, default=None)


class Resource(Base):
    """资源中心 entries (e-resources such as 中国知网)."""

    __tablename__ = "resources"
    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(256))
    trial: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class App(Base):
    """应用中心 entries (教务系统, OA …); `sso` marks the systems the portal signs users into."""

    __tablename__ = "apps"
    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(256))
    sso: Mapped[bool] = mapped_column(Boolean, default=False)
    icon: Mapped[str] = mapped_column(String(48), default="apps")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Course(Base):
    """One weekly slot of a term's timetable (我的课表), as `import-timetable` read it (core/calendar_timetable.py).
    `key` names the slot across imports (a digest of term, course, group, weekday and periods): its terminals'
    "calendar_event" change is `course:<key>`, so re-importing an unchanged timetable announces nothing."""

    __tablename__ = "courses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str | None] = mapped_column(String(32), default=None, unique=True)
    term_name: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    teacher: Mapped[str] = mapped_column(String(64))
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("users.user_id"), default=None)
    class_name: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    students: Mapped[list[str]] = mapped_column(JSON, default=list)  # named students, instead of or besides a class
    location: Mapped[str] = mapped_column(String(64))
    weekday: Mapped[int] = mapped_column(Integer)
    start_period: Mapped[int] = mapped_column(Integer)
    end_period: Mapped[int] = mapped_column(Integer)
    weeks: Mapped[str] = mapped_column(String(32))
    # Who was sent this slot's change (students and the teacher), so a re-import tells exactly those who lose it.
    delivered_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    digest: Mapped[str] = mapped_column(String(64), default="")  # of the change's data: unchanged → not resent


class Term(Base):
    """A term calendar: week 1 begins on `start_date` (a Monday); `holidays` are dates without classes;
    `makeup_days` are {"date", "follows"}: on `date` the timetable of `follows` is held (调休)."""

    __tablename__ = "terms"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    start_date: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)
    periods: Mapped[list[Any]] = mapped_column(JSON)
    holidays: Mapped[list[Any]] = mapped_column(JSON, default=list)
    makeup_days: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Meeting(Base):
    """每周会议 entries, published by a department to its staff (`departments`) and/or named `attendees`."""

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(128))
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    location: Mapped[str] = mapped_column(String(64))
    organizer_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), default=None)
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    host: Mapped[str] = mapped_column(String(64), default="")
    departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=15)
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)
    delivered_to: Mapped[list[str]] = mapped_column(JSON, default=list)


class PersonalEvent(Base):
    """个人日程: a user's own event, a single one or a daily/weekly series with its exceptions
    (core/calendar_personal.py). `id` is chosen by the terminal (an offline create has an identity);
    `version` goes up by one with each applied save, the base of the conflict rule."""

    __tablename__ = "personal_events"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(128))
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # all day: the first day's campus midnight
    end: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # exclusive
    place: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    repeat: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    exceptions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarFeedToken(Base):
    """A user's iCalendar subscription secret, stored as its SHA-256 (one per user; a new one replaces it)."""

    __tablename__ = "calendar_feed_tokens"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ExternalCounter(Base):
    """Figures from systems the portal does not own (mail, library), as their connectors last reported them."""

    __tablename__ = "external_counters"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)  # unread_mail | books_borrowed | books_overdue
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChangeLog(Base):
    """Every change a client must learn of, in one monotonic order: what /sync/pull pages through.
    `scope` partitions it: "public" for everyone, "user:<id>" for one person (taken from the token)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_scope_seq", "scope", "seq"),)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(48))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(96))
    op: Mapped[str] = mapped_column(String(8))  # upsert | delete
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The pushed operation whose effect this is (None for changes made otherwise): lets an audit, and the
    # fault harness, prove each operation took effect exactly once.
    op_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)


class AppliedOp(Base):
    """The idempotency record of a pushed operation, written in the same transaction as its effect:
    a replay returns the stored result; the same id with another payload is refused."""

    __tablename__ = "applied_ops"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(48))
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))  # applied | rejected
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Favorite(Base):
    """★ on a hall process, per user."""

    __tablename__ = "favorites"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True)
    process_code: Mapped[str] = mapped_column(ForeignKey("processes.code"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FormDefinition(Base):
    """The form of a hall process (campus_common/forms.py describes the format); synced to terminals as public
    "form" changes, so they can render and validate it offline."""

    __tablename__ = "form_definitions"
    process_code: Mapped[str] = mapped_column(ForeignKey("processes.code"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Application(Base):
    """A submitted application (办件). `id` is chosen by the terminal (so an offline submission has an
    identity before the server sees it); `serial` is the campus-wide 流水号 the server assigns."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_process_doc_no", "process_code", "doc_no", unique=True),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    serial: Mapped[int] = mapped_column(Integer, unique=True)
    process_code: Mapped[str] = mapped_column(ForeignKey("processes.code"), index=True)
    applicant_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    doc_no: Mapped[str | None] = mapped_column(String(16), default=None)
    form_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # submitted | in_progress | returned | withdrawn | confirming | completed | rejected | terminated
    # (core/workflow.py); submitted means no handler has acted since the applicant (re)submitted.
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The workflow: the definition version it runs on, the step it waits at ("apply" when it is back with the
    # applicant, None once final), and a counter of step entries that tells one visit of a step from the next.
    workflow_version: Mapped[int | None] = mapped_column(Integer, default=None)
    current_step: Mapped[str | None] = mapped_column(String(32), default=None)
    visit: Mapped[int] = mapped_column(Integer, default=0)
    step_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class WorkflowDefinition(Base):
    """A process's workflow (core/workflow_defs.py describes the format), every version kept: an application
    runs to its end on the version it was submitted under. Synced to terminals as public "workflow" changes."""

    __tablename__ = "workflow_definitions"
    process_code: Mapped[str] = mapped_column(ForeignKey("processes.code"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# The workflow tables name users without a foreign key on purpose: on PostgreSQL an insert that references a
# user takes a KEY SHARE lock on that user's row, and a push holds its own user's row FOR UPDATE while it waits
# for an application's lock — an approver notifying that user while holding the application would deadlock.


class WorkflowTask(Base):
    """One person's share of one visit of a step (待办 while open). A step assigned to a post gives each holder a
    task; the first to act takes it and the others' are cancelled. A countersign step completes on its rule."""

    __tablename__ = "workflow_tasks"
    __table_args__ = (
        # 待办 and 已办: one user's open (resp. done) tasks, newest first — the hot queries (bench/bench_todo.py).
        Index("ix_workflow_tasks_todo", "assignee_id", "status", "created_at"),
        Index("ix_workflow_tasks_done", "assignee_id", "status", "acted_at"),
        Index("ix_workflow_tasks_application_visit", "application_id", "visit"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    process_code: Mapped[str] = mapped_column(String(64))  # the application's, for the lists' filter
    step: Mapped[str] = mapped_column(String(32))  # a step key of the definition, or "apply" (back with the applicant)
    visit: Mapped[int] = mapped_column(Integer)
    assignee_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12))  # open | done | cancelled
    # approved | returned | rejected | transferred | resubmitted | terminated (done); the reason when cancelled
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    data: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, default=None
    )  # the step's section as this person filled it
    transferred_from: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    acted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class ApplicationEvent(Base):
    """The audit trail of an application: every action, who, when, at which step, with the comment."""

    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_application", "application_id", "id"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    visit: Mapped[int] = mapped_column(Integer)
    step: Mapped[str | None] = mapped_column(String(32), default=None)
    action: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(32), default=None)
    actor_name: Mapped[str] = mapped_column(String(64), default="")
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    field: Mapped[str | None] = mapped_column(String(64), default=None)  # 批注 on one field of the form
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """An in-app notification (new task, return, urge, completion), synced to its user; e-mailed after the
    commit when SMTP is configured (core/notifications.py, core/notification_delivery.py)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user", "user_id", "id"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_email_status", "email_status"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # task | returned | urged | completed | rejected
    application_id: Mapped[str | None] = mapped_column(String(36), default=None)
    title: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    email_status: Mapped[str] = mapped_column(String(12), default="none")  # none|off|pending|sending|sent|failed


class Attachment(Base):
    """A file uploaded for an attachment field of a process's form (desk mode). It is created with what the
    client declares (name, size, SHA-256) and filled by chunks in order; `complete` once every byte is in and
    the hash matched. A form's value names it by `id`. Who may read it: core/attachments.py."""

    __tablename__ = "attachments"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: unguessable
    uploader_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    process_code: Mapped[str] = mapped_column(ForeignKey("processes.code"))
    field: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    received: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class AttachmentChunk(Base):
    """One piece of an attachment's content, at its byte offset. Pieces (each under the request body limit)
    let a 20 MB file arrive in requests the server's 1 MiB body limit allows, and an interrupted upload go on
    from the last piece stored; in the database, so several workers and a backup need no shared disk."""

    __tablename__ = "attachment_chunks"
    attachment_id: Mapped[str] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True)
    offset: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CasService(Base):
    """A campus system the portal may sign users into over CAS (core/cas.py): a service URL is allowed when it
    has this entry's scheme and host and its path starts at `url_prefix`'s path. Managed with
    `campus-sync-server cas-service add|list|remove`; the demo's entries follow 应用中心's SSO apps."""

    __tablename__ = "cas_services"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    url_prefix: Mapped[str] = mapped_column(String(512), unique=True)  # normalised: scheme://host[:port]/path
    app_code: Mapped[str | None] = mapped_column(String(48), default=None)  # the 应用中心 entry, if any
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CasTicket(Base):
    """A CAS ticket, stored by the SHA-256 of its value (a copy of the table opens nothing): a login hand-off
    from the desk client (HO), a service ticket (ST) or a single sign-on session behind the browser's cookie
    (TGT). In the database, so a ticket issued by one worker is redeemed on another; one-time tickets are
    claimed by setting `used_at` where it is still empty, which only one of two racing workers can do."""

    __tablename__ = "cas_tickets"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))  # HO | ST | TGT
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    service: Mapped[str | None] = mapped_column(Text, default=None)  # HO and ST: the service it is bound to
    from_new_login: Mapped[bool] = mapped_column(Boolean, default=False)  # credentials typed for it (renew)
    authenticated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class NotificationSettings(Base):
    """Which notifications a user wants by e-mail (core/notification_settings.py); no row: all of them. In-app
    notifications (消息) are always stored: these settings only choose what is also mailed."""

    __tablename__ = "notification_settings"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), primary_key=True)
    email_todo: Mapped[bool] = mapped_column(Boolean, default=True)  # 待办: a new task, an urge
    email_result: Mapped[bool] = mapped_column(Boolean, default=True)  # 办理结果: completed, rejected, returned
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MailAppPassword(Base):
    """A user's mail app password (授权码) for 未读邮件 when the IMAP connector logs in per user
    (core/counters/app_passwords.py): Fernet-encrypted with the server's key, never stored or logged in clear."""

    __tablename__ = "mail_app_passwords"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(Text)  # the Fernet token (it carries the time it was made)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Device(Base):
    """An enrolled terminal (core/devices.py): created by IT with a one-time enrollment code, which the terminal
    exchanges once for its credential. Both are stored only as SHA-256 digests. The last heartbeat's figures are
    kept for `campus-sync-server devices list`."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(128), default="")
    group_name: Mapped[str] = mapped_column(String(64), default="")
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)  # until exchanged
    code_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    credential_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)
    version: Mapped[str | None] = mapped_column(String(64), default=None)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    outbox_depth: Mapped[int | None] = mapped_column(Integer, default=None)
    oldest_pending_s: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(String(256), default=None)
    free_disk_bytes: Mapped[int | None] = mapped_column(BigInteger, default=None)


class Release(Base):
    """A client bundle IT registered (core/releases.py): where terminals download it and its SHA-256."""

    __tablename__ = "releases"
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Rollout(Base):
    """The release a group of devices is meant to run (group_name "*": every group without its own rollout)."""

    __tablename__ = "rollouts"
    group_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(ForeignKey("releases.version"))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Grade(Base):
    """One course result of a student, as 教务处 imported it (`campus-sync-server import-grades`, core/
    certificates_grades.py); the transcript (成绩单) is printed from these."""

    __tablename__ = "grades"
    __table_args__ = (Index("ix_grades_user_term_course", "user_id", "term", "course_code", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(32))
    term: Mapped[str] = mapped_column(String(16))  # 学年学期, e.g. 2023-2024-1
    course_code: Mapped[str] = mapped_column(String(32))
    course_name: Mapped[str] = mapped_column(String(128))
    course_name_en: Mapped[str | None] = mapped_column(String(128), default=None)
    credits: Mapped[str] = mapped_column(String(8))  # decimal text, e.g. "3.5": summed exactly (Decimal)
    score: Mapped[str] = mapped_column(String(16))  # 92, 优秀, 合格 …
    grade_point: Mapped[str] = mapped_column(String(8))  # 0.0–5.0, decimal text
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Certificate(Base):
    """A signed certificate issued at an application's 办结 (core/certificates.py): the PDF as issued, its
    SHA-256, the signed facts and the verification code behind /v/{code}."""

    __tablename__ = "certificates"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(36), unique=True)
    process_code: Mapped[str] = mapped_column(String(64))
    holder_id: Mapped[str] = mapped_column(String(32), index=True)
    issuer_code: Mapped[str] = mapped_column(String(32))  # the issuing department: it may revoke
    code: Mapped[str] = mapped_column(String(16), unique=True)  # verification code, without dashes
    language: Mapped[str] = mapped_column(String(8))  # zh | en | both
    issued_on: Mapped[str] = mapped_column(String(10))
    valid_until: Mapped[str] = mapped_column(String(10))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    signature: Mapped[str] = mapped_column(String(128))  # Ed25519 over the facts, base64url
    sha256: Mapped[str] = mapped_column(String(64))  # of the PDF as served
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_by: Mapped[str | None] = mapped_column(String(32), default=None)
    revoke_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    # Printed copies (docs/certificates.md#printing): at most the form's 份数, counted by certificate.print ops.
    copies_allowed: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    copies_printed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CertificatePrint(Base):
    """One printed copy of a certificate, recorded by a kiosk's certificate.print op after its job completed."""

    __tablename__ = "certificate_prints"
    __table_args__ = (Index("ux_certificate_prints_copy", "certificate_id", "copy_no", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    certificate_id: Mapped[str] = mapped_column(String(32))
    copy_no: Mapped[int] = mapped_column(Integer)  # 1 … copies_allowed
    job_id: Mapped[str] = mapped_column(String(36), unique=True)  # the kiosk's print job: recorded once
    user_id: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str] = mapped_column(String(64))
    printed_at: Mapped[str] = mapped_column(String(40))  # the kiosk's clock, as it sent it
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CertificateClaim(Base):
    """A copy an online kiosk holds while its print job runs (core/certificate_prints.py): counted against the cap
    with the printed copies until it is confirmed (the job's certificate.print op), released (a failed job) or
    expires (a kiosk that died mid-job)."""

    __tablename__ = "certificate_claims"
    job_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the kiosk's print job, as its op names it
    certificate_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
