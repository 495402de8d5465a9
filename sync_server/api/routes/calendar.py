"""日程中心 over HTTP: the user's calendar between two times, the iCalendar feed and its token, .ics import, and
the admin API of 每周会议 (docs/calendar.md). Logic in core/calendar*.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request, Response
from pydantic import BaseModel, Field

from sync_server.api.deps import CurrentPrincipal, ReadSessionDep, SessionDep
from sync_server.api.errors import error_responses
from sync_server.core import calendar as calendar_read
from sync_server.core import calendar_ical as ical
from sync_server.core import calendar_meetings as meetings
from sync_server.core.errors import Forbidden, Invalid
from sync_server.schemas import Ok, ScalarText

router = APIRouter(tags=["calendar"])

MAX_ICS_BYTES = 1_000_000


class CalendarPage(BaseModel):
    events: list[dict[str, Any]] = Field(
        description="occurrences in time order: the event's data as terminals pull it (docs/calendar.md), "
        "with this occurrence's start and end"
    )


class FeedToken(BaseModel):
    token: str = Field(description="the secret; shown once")
    path: str = Field(description="the feed's path on this server: /api/v1/calendar/feed/{token}.ics")
    url: str = Field(description="the feed's URL as this request reached the server")


class ImportResult(BaseModel):
    created: int
    updated: int
    skipped: list[dict[str, str]] = Field(description='events not imported: {"uid", "reason"}')


class MeetingBody(BaseModel):
    title: ScalarText = Field(min_length=1, max_length=128)
    start: datetime = Field(description="RFC 3339 with an offset")
    end: datetime
    place: ScalarText = Field(default="", max_length=64)
    host: ScalarText = Field(default="", max_length=64)
    organizer: ScalarText | None = Field(default=None, max_length=32, description="the publishing department's code")
    departments: list[Annotated[ScalarText, Field(max_length=32)]] = Field(
        default_factory=list, max_length=50, description="departments whose staff attend"
    )
    attendees: list[Annotated[ScalarText, Field(max_length=32)]] = Field(
        default_factory=list, max_length=1000, description="named attendees (学号/工号)"
    )
    note: ScalarText = Field(default="", max_length=2000)
    reminder_minutes: int | None = Field(default=15, ge=0, le=40320)


class MeetingPublic(BaseModel):
    meeting: dict[str, Any] = Field(description="the meeting as its attendees' terminals get it")
    attendees: int = Field(description="how many people it reaches")


MeetingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _meeting_spec(body: MeetingBody) -> dict[str, Any]:
    spec = body.model_dump()
    spec["start"], spec["end"] = body.start.isoformat(), body.end.isoformat()
    return spec


@router.get("/api/v1/me/calendar", response_model=CalendarPage, responses=error_responses(401, 422))
def my_calendar(
    principal: CurrentPrincipal,
    session: ReadSessionDep,
    start: Annotated[str, Query(alias="from", max_length=40, description="RFC 3339 with an offset")],
    end: Annotated[str, Query(alias="to", max_length=40, description="RFC 3339 with an offset")],
    kind: Annotated[list[Literal["meeting", "personal", "course"]] | None, Query()] = None,
) -> CalendarPage:
    kinds = tuple(kind) if kind else ("course", "meeting", "personal")
    events = calendar_read.user_calendar(
        session,
        principal.user,
        calendar_read.parse_moment(start, "from"),
        calendar_read.parse_moment(end, "to"),
        kinds,
    )
    return CalendarPage(events=events)


@router.post("/api/v1/me/calendar/feed-token", response_model=FeedToken, responses=error_responses(401))
def create_feed_token(principal: CurrentPrincipal, session: SessionDep, request: Request) -> FeedToken:
    token = ical.create_feed_token(session, principal.user)
    path = f"/api/v1/calendar/feed/{token}.ics"
    return FeedToken(token=token, path=path, url=str(request.base_url).rstrip("/") + path)


@router.delete("/api/v1/me/calendar/feed-token", response_model=Ok, responses=error_responses(401))
def revoke_feed_token(principal: CurrentPrincipal, session: SessionDep) -> Ok:
    ical.revoke_feed_token(session, principal.user)
    return Ok()


@router.get(
    "/api/v1/calendar/feed/{token}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **error_responses(404)},
)
def calendar_feed(session: ReadSessionDep, token: Annotated[str, Path(max_length=128)]) -> Response:
    user = ical.feed_user(session, token)
    return Response(
        ical.export_calendar(session, user),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


@router.post("/api/v1/me/calendar/import", response_model=ImportResult, responses=error_responses(401, 413, 422))
def import_calendar(
    principal: CurrentPrincipal,
    session: SessionDep,
    body: Annotated[bytes, Body(media_type="text/calendar", description="the .ics file's content")],
) -> ImportResult:
    if not body.strip():
        raise Invalid("invalid_ics", "请上传 .ics 文件的内容")
    if len(body) > MAX_ICS_BYTES:
        raise Invalid("invalid_ics", "文件过大")
    report = ical.import_ics(session, principal.user, body)
    return ImportResult(created=report.created, updated=report.updated, skipped=report.skipped)


@router.get("/api/v1/admin/meetings", response_model=list[MeetingPublic], responses=error_responses(401, 403))
def list_meetings(principal: CurrentPrincipal, session: SessionDep) -> list[MeetingPublic]:
    if principal.user.role != "admin" and meetings.head_of(principal.user) is None:
        raise Forbidden("forbidden", "只有管理员或部门负责人可以管理会议")
    return [
        MeetingPublic(meeting=meetings.meeting_view(session, m), attendees=len(m.delivered_to or []))
        for m in meetings.listing(session)
    ]


@router.post("/api/v1/admin/meetings", response_model=MeetingPublic, responses=error_responses(401, 403, 422))
def publish_meeting(principal: CurrentPrincipal, session: SessionDep, body: MeetingBody) -> MeetingPublic:
    meeting = meetings.publish(session, _meeting_spec(body), actor=principal.user)
    return MeetingPublic(meeting=meetings.meeting_view(session, meeting), attendees=len(meeting.delivered_to))


@router.put(
    "/api/v1/admin/meetings/{meeting_id}", response_model=MeetingPublic, responses=error_responses(401, 403, 404, 422)
)
def update_meeting(
    principal: CurrentPrincipal, session: SessionDep, meeting_id: MeetingId, body: MeetingBody
) -> MeetingPublic:
    meeting = meetings.update(session, meeting_id, _meeting_spec(body), actor=principal.user)
    return MeetingPublic(meeting=meetings.meeting_view(session, meeting), attendees=len(meeting.delivered_to))


@router.delete("/api/v1/admin/meetings/{meeting_id}", response_model=Ok, responses=error_responses(401, 403, 404))
def remove_meeting(principal: CurrentPrincipal, session: SessionDep, meeting_id: MeetingId) -> Ok:
    meetings.remove(session, meeting_id, actor=principal.user)
    return Ok()
