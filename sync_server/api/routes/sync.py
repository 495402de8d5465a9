from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from sync_server.api.deps import (
    DatabaseDep,
    check_departed_session_device,
    get_optional_principal_read,
    get_principal_for_write,
)
from sync_server.api.errors import error_responses
from sync_server.api.middleware import until_disconnected
from sync_server.core import live, stored_text, sync
from sync_server.core.errors import Invalid
from sync_server.db import Database
from sync_server.schemas import ScalarText

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])
_ERRORS = error_responses(401, 409, 422)


class Change(BaseModel):
    seq: int
    entity: str
    id: str
    op: str
    data: dict[str, Any] | None
    scope: str


class PullResponse(BaseModel):
    changes: list[Change]
    cursor: int
    has_more: bool
    epoch: str
    remaining: int = Field(default=0, description="with count_remaining: the changes after this page, else 0")


class PushOp(BaseModel):
    id: str = Field(pattern=r"^[0-9a-fA-F-]{32,36}$", description="a UUID chosen by the client: the idempotency key")
    seq: int = Field(ge=0, le=2**31 - 1)
    type: ScalarText = Field(min_length=1, max_length=48)
    payload: dict[str, Any] = Field(
        description="checked against the type's schema (campus_common/op_payloads.py) before it is applied: "
        "a payload that does not fit is rejected as `invalid_payload`"
    )
    created_at: ScalarText = Field(max_length=40)
    signature: ScalarText | None = Field(
        default=None, max_length=64, description="HMAC of the operation with its session's op_key (token-less push)"
    )


class PushRequest(BaseModel):
    device_id: ScalarText = Field(default="", max_length=64)
    session_id: ScalarText | None = Field(
        default=None,
        max_length=32,
        description="without a token: the session the operations were made in; each op then needs `signature`",
    )
    ops: list[PushOp] = Field(max_length=sync.MAX_PUSH)


class OpResult(BaseModel):
    id: str
    status: str  # applied | duplicate | rejected
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class PushResponse(BaseModel):
    results: list[OpResult]


LIVE_HEADER = "X-Sync-Live-Wait"  # on every pull: the longest `wait` this server honours (0: it answers at once)


@router.get("/pull", response_model=PullResponse, responses=_ERRORS)
async def pull(
    request: Request,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=sync.MAX_PULL)] = 500,
    count_remaining: Annotated[
        bool, Query(description="also count the changes after this page (for a progress bar; costs a range scan)")
    ] = False,
    wait: Annotated[
        float,
        Query(
            ge=0,
            le=live.MAX_WAIT_S,
            description="long poll: when there is nothing after `cursor`, wait up to this many seconds for a change "
            "in the caller's scopes (answered within a second of its commit), else answer empty",
        ),
    ] = 0,
) -> Response:
    """Public changes for anyone; with a token, also the token's user's own.

    Each look happens in one call on a worker thread, on one read snapshot: no connection is held across
    FastAPI's thread hops, and none while waiting (a waiting pull is a future on the event loop,
    core/live.py). The page is serialised here rather than through the response model: validating 1,000
    changes one by one took a fifth of a first pull's time (bench/README.md); the shape is still PullResponse.
    A stored change whose text no client can take is sent with U+FFFD in its place and logged (core/sync.py
    `pull_json`), never a 500."""
    db: Database = request.app.state.db
    hub: live.LiveHub = request.app.state.live
    max_wait = request.app.state.live_wait
    answer: dict[str, Any] = {}

    def look() -> int | None:
        with db.read_sessions() as session:
            principal = get_optional_principal_read(request, session)
            user_id = principal.user.user_id if principal else None
            answer["body"] = sync.pull_answer(
                session, user_id=user_id, cursor=cursor, limit=limit, count_remaining=count_remaining
            )
            answer["scopes"], answer["user_id"] = sync.pulled_scopes(user_id), user_id
        return len(answer["body"]["changes"])

    async def found() -> bool:
        return bool(await run_in_threadpool(look))

    wakes = hub.wakes
    if not await found() and wait > 0 and max_wait > 0 and not hub.full():
        # Woken, it is looked for with the others woken by the same change (core/live.py), unless it also
        # asked for the count of what remains.
        query = None if count_remaining else (answer["user_id"], cursor, limit)
        page = await hub.wait(
            answer["scopes"], min(wait, max_wait), found, partial(until_disconnected, request.receive), wakes, query
        )
        if page is not None:
            answer["body"] = page
    return Response(sync.pull_json(answer["body"]), media_type="application/json", headers={LIVE_HEADER: str(max_wait)})


def look_many(db: Database, queries: list[tuple[str | None, int, int]]) -> list[dict[str, Any] | None]:
    """The hub's shared look after a wake (core/live.py), on one read snapshot."""
    with db.read_sessions() as session:
        return sync.pull_many(session, queries)


@router.post("/push", response_model=PushResponse, responses=_ERRORS)
def push(body: PushRequest, request: Request, db: DatabaseDep) -> Response | PushResponse:
    """With a token: the token's user's operations. Without one (the user has logged out of the terminal):
    `session_id` and `device_id` name the session the operations were queued in, and every operation carries
    its signature (see campus_common/op_signing.py)."""
    ids = [op.id for op in body.ops]
    if len(set(ids)) != len(ids):
        raise Invalid("duplicate_op_id", "同一批次中有重复的操作编号")
    ops = [op.model_dump() for op in body.ops]
    if request.headers.get("authorization") or not body.session_id:
        principal, record_use = get_principal_for_write(request, db)
        device = body.device_id or principal.session.device_id or ""
        results = sync.push(db.sessions, principal.user.user_id, device, ops, in_transaction=record_use)
    else:
        if not body.device_id:
            raise Invalid("validation_error", "缺少终端编号", field="device_id")
        check_departed_session_device(request, db, body.session_id)
        results = sync.push_granted(db.sessions, body.session_id, body.device_id, ops)
    # Serialised here, as the pull is, in PushResponse's shape: building and validating the models cost a
    # tenth of a push's CPU (bench/README.md). A stored result with text JSON cannot carry goes the model's way.
    answer = {
        "results": [
            {"id": r["id"], "status": r["status"], "result": r.get("result"), "error": r.get("error")} for r in results
        ]
    }
    encoded = stored_text.json_bytes(answer)
    if encoded is None:
        return PushResponse(results=[OpResult(**r) for r in results])
    return Response(encoded, media_type="application/json")
