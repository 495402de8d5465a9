"""The portal's 首页 figures over HTTP: `GET /api/v1/me/counters` (docs/portal.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from sync_server.api.deps import DatabaseDep, principal_in
from sync_server.api.errors import error_responses
from sync_server.core.counters import CounterBoard

router = APIRouter(prefix="/api/v1/me", tags=["portal"])


class CounterValue(BaseModel):
    value: int = Field(ge=0, description="the figure, as the source reported it")
    source: Literal["imap", "sip2", "workflow", "demo"]
    as_of: datetime = Field(description="when the source was read (RFC 3339, the campus's offset)")
    demo: bool = Field(description='demo data, not a live figure: the client shows "演示数据" beside it')


class CounterMissing(BaseModel):
    value: None = Field(description='no figure: the client shows "—" and the reason')
    source: Literal["imap", "sip2", "workflow", "demo"] | None = Field(
        description="the source that did not answer; null when none is configured"
    )
    reason_code: str = Field(
        description="not_configured | source_down | timeout | auth_failed | unknown_patron | protocol_error | "
        "no_demo_data | no_app_password | app_password_invalid"
    )
    reason: str = Field(description="for the user, in Chinese: 未接入数据源, 邮箱服务暂不可用, …")


Counter = CounterValue | CounterMissing


class Counters(BaseModel):
    mail_unread: Counter = Field(description="未读邮件 (IMAP: UNSEEN in the INBOX)")
    loans: Counter = Field(description="在借图书 (SIP2: charged items)")
    overdue: Counter = Field(description="逾期图书 (SIP2: overdue items; 0 when none)")
    todo: Counter = Field(description="待办 (the workflow engine's open tasks)")


@router.get("/counters", response_model=Counters, responses=error_responses(401, 403, 429))
def my_counters(request: Request, db: DatabaseDep) -> dict[str, dict[str, object]]:
    """首页's 未读邮件, 在借图书, 逾期图书 and 待办 for the signed-in user. Each is a figure with its source and time,
    or null with the reason; a source that is down or slow (each is given a few seconds) affects only its own."""
    with db.read_sessions() as session:
        user_id = principal_in(session, request, touch=False).user.user_id
    board: CounterBoard = request.app.state.counters
    return board.public(user_id)  # outside the session: no pooled connection held while a source answers
