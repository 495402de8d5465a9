"""Public shapes of the API (pydantic), named <Entity>Public as in the FastAPI template."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from campus_common.op_payloads import INT64_MAX, MAX_COMMENT, MAX_NOTIFICATION_IDS
from sync_server.core.clock import as_utc

# Every time the API writes is RFC 3339 with an offset. SQLite hands back naive datetimes (stored as UTC), and
# pydantic writes a naive one without an offset: made aware here, it is written with "Z".
UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]
# A time the core has already written as text (clock.iso: "+00:00"), declared as what it is for OpenAPI.
Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


def _scalar_text(value: str) -> str:
    # A lone surrogate cannot be encoded as UTF-8 (the database driver's 500, or a pull's, later); NUL is valid
    # UTF-8, but PostgreSQL cannot store it in a text column. Both are refused here, with their own type.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("scalar_text", "Text must be Unicode scalar values without NUL") from None
    if "\x00" in value:
        raise PydanticCustomError("scalar_text", "Text must be Unicode scalar values without NUL")
    return value


# Text a client sends that may reach a column: Unicode scalar values (no surrogate) without NUL.
ScalarText = Annotated[str, AfterValidator(_scalar_text)]


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Health(BaseModel):
    status: str
    version: str
    schema_: str | None = Field(default=None, alias="schema")
    epoch: str | None = None
    campus_tz: str | None = Field(default=None, description="the campus's time zone: clients show every time in it")
    live_wait: int = Field(
        default=0, description="the longest `wait` a pull may ask (live changes, docs/sync.md); 0: answered at once"
    )

    model_config = ConfigDict(populate_by_name=True)


class SchoolPublic(BaseModel):
    name: str
    name_en: str
    portal_title: str
    hall_title: str


class DepartmentPublic(_Public):
    code: str
    name: str
    short_name: str
    parent_code: str | None
    kind: str


class ProcessPublic(_Public):
    code: str
    name: str
    department: str
    department_name: str
    audience: list[str]
    category: str
    description: str
    materials: list[str]
    expected_days: int
    recommended: bool
    popular_rank: int | None
    contact_phone: str | None = None
    contact_office: str | None = None
    steps: list[str] = Field(default_factory=list, description="the workflow's steps, for 办事指南")
    en: dict[str, Any] = Field(
        default_factory=dict,
        description="English mode: name, department_name, category, audience, description, materials, steps",
    )


class ProcessList(BaseModel):
    processes: list[ProcessPublic]
    count: int


class NewsSummary(_Public):
    id: int
    category: str = Field(description="a code of campus_common/content.py: notice, school_news, …")
    category_name: str = Field(description="the category's Chinese name, e.g. 通知公告")
    title: str
    summary: str
    author: str
    cover: str | None = Field(description="the body's first image (absolute http/https URL), for a thumbnail")
    published_at: UtcDateTime
    updated_at: UtcDateTime | None
    unread: bool | None = Field(default=None, description="for a signed-in user: not read yet; else null")


class NewsPublic(NewsSummary):
    body: str = Field(description="sanitized HTML (docs/content.md)")


class NewsList(BaseModel):
    items: list[NewsSummary]
    total: int


class CategoryPublic(BaseModel):
    code: str
    name: str
    name_en: str


class NewsCategories(BaseModel):
    categories: list[CategoryPublic]
    message_center_tabs: list[str] = Field(description="消息中心's tabs after 全部新闻, as codes")
    home_lists: list[str] = Field(description="首页's lists (5)–(9), as codes")


class NewsWrite(BaseModel):
    """A news item as an administrator writes it. `body` is HTML (sanitized on the way in) or, with
    body_format "text", plain text whose blank lines separate paragraphs."""

    category: str = Field(min_length=1, max_length=32, description="a code or a name of campus_common/content.py")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=200_000)
    body_format: Literal["html", "text"] = "html"
    summary: str | None = Field(default=None, max_length=2_000)
    author: str = Field(default="", max_length=64)
    published_at: datetime | None = Field(default=None, description="default: now")


class NewsReadRequest(BaseModel):
    ids: list[Annotated[int, Field(strict=True, ge=1, le=2**63 - 1)]] = Field(min_length=1, max_length=500)

    model_config = ConfigDict(extra="forbid")


class NewsReadResult(BaseModel):
    marked: list[int] = Field(description="the ids newly marked read (unknown and already read ones are skipped)")


class ResourcePublic(_Public):
    code: str
    name: str
    description: str
    url: str
    trial: bool


class AppPublic(_Public):
    code: str
    name: str
    description: str
    url: str
    sso: bool
    icon: str


# -- identity ------------------------------------------------------------------------------------------------
class LoginRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str | None = Field(default=None, max_length=64)
    device_name: str | None = Field(default=None, max_length=64)
    kind: str = Field(default="kiosk", pattern="^(kiosk|desk)$", description="kiosk | desk")


class UserPublic(BaseModel):
    user_id: str
    name: str
    role: str
    department: str | None
    department_name: str | None
    post: str | None
    class_name: str | None
    major: str | None = None  # 专业 (students), to fill the forms that ask for it
    phone: str | None = None  # the user's own, to prefill 联系电话
    id_card: str | None = None  # the user's own 身份证号, to fill the forms that ask for it
    join_date: str | None = None  # 入职日期 (staff), likewise
    must_change_password: bool


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str | None
    token_type: str = "bearer"
    expires_in: int
    session_id: str
    must_change_password: bool
    user: UserPublic
    op_key: str | None = Field(
        default=None, description="signs this session's queued operations (held in memory by the terminal)"
    )


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=256)


class PasswordChange(BaseModel):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class Ok(BaseModel):
    ok: bool = True


class SessionPublic(BaseModel):
    id: str
    kind: str
    device_name: str | None
    address: str | None
    created_at: UtcDateTime
    last_seen_at: UtcDateTime
    current: bool


class QrCreate(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    device_name: str = Field(min_length=1, max_length=64)


class QrCreated(BaseModel):
    ticket: str
    url: str
    expires_in: int


class QrState(BaseModel):
    status: str
    expires_in: int
    user_name: str | None = None
    tokens: TokenPair | None = None


class PasswordReset(BaseModel):
    initial_password: str = Field(
        min_length=6,
        max_length=6,
        pattern="^[0-9]{5}[0-9X]$",
        description="last 6 characters of the national ID, X upper-case",
    )


# -- workflow and approvals ------------------------------------------------------------------------------------
class ActionRequest(BaseModel):
    """An action on an application (core/workflow.py says who may do what). With `application_id`, the payload of
    the `workflow.<action>` operation: the route checks it against that schema too (campus_common/op_payloads.py),
    so `data` is held to the bounds of a push (422 invalid_payload); a field the action does not take is left out."""

    action: Literal["approve", "return", "reject", "transfer", "withdraw", "terminate", "urge", "comment", "resubmit"]
    task_id: int | None = Field(
        default=None, ge=1, le=INT64_MAX, description="the task acted on (default: my open one)"
    )
    comment: ScalarText | None = Field(
        default=None, max_length=MAX_COMMENT, description="意见 / 理由 / 备注 (at most 500 characters)"
    )
    data: dict[str, Any] | None = Field(
        default=None, description="approve/reject: the step's form section; resubmit: the applicant's part"
    )
    next_handler: ScalarText | None = Field(default=None, max_length=32, description="工号 of the chosen next handler")
    to: Literal["applicant", "previous"] | None = Field(default=None, description="return: to whom")
    transfer_to: ScalarText | None = Field(default=None, max_length=32, description="transfer: a colleague's 工号")
    field: ScalarText | None = Field(
        default=None, max_length=64, description="comment: the form field annotated (批注)"
    )


class ActionResult(BaseModel):
    model_config = ConfigDict(extra="allow")

    application_id: str
    status: str
    current_step: str | None
    current_step_name: str


class TaskRef(BaseModel):
    id: int
    step: str
    step_name: str
    status: str
    outcome: str | None
    created_at: Timestamp | None
    due_at: Timestamp | None
    acted_at: Timestamp | None
    overdue: bool


class TaskItem(BaseModel):
    application_id: str
    serial: int
    doc_no: str | None
    process_code: str
    process_name: str
    applicant_id: str
    applicant_name: str
    status: str
    status_name: str
    current_step: str | None
    current_step_name: str
    submitted_at: Timestamp | None
    updated_at: Timestamp | None
    step_started_at: Timestamp | None
    waiting_seconds: int | None = Field(description="how long it has waited where it is now (a task: since it came)")
    task: TaskRef | None


class TaskPage(BaseModel):
    box: str
    items: list[TaskItem]
    total: int
    limit: int
    offset: int


class TaskCounts(BaseModel):
    todo: int
    done: int
    mine: int
    unread_notifications: int


class Handler(BaseModel):
    user_id: str
    name: str
    department: str | None
    post: str | None


class NextStep(BaseModel):
    key: str
    name: str
    choose: bool
    depends_on: list[str] = Field(default_factory=list, description="form fields that decide who may handle it")
    handlers: list[Handler]


class NotificationPublic(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    application_id: str | None
    created_at: Timestamp
    read: bool
    read_at: Timestamp | None


class NotificationPage(BaseModel):
    items: list[NotificationPublic]
    total: int
    unread: int


class MarkRead(BaseModel):
    # notifications.id is a 64-bit integer: a larger id is refused here, not by the database with a 500.
    ids: list[Annotated[int, Field(ge=1, le=INT64_MAX)]] | None = Field(default=None, max_length=MAX_NOTIFICATION_IDS)
    all: bool = False


class MarkedRead(BaseModel):
    updated: int
    unread: int
