"""The hot path: the two requests that are most of all traffic, answered without FastAPI's machinery.

An idle fleet sends up-to-date pulls (`GET /api/v1/sync/pull?cursor=C&limit=L` with a token, or none), and a
working one pushes with its token. Under wrk, about 40 % of a pull's server CPU was the ASGI stack around the
route (four middlewares, FastAPI's request and dependency machinery, a thread hop through anyio) and most of the
rest SQLAlchemy around three small statements (bench/README.md, "bench_load.py"). This middleware, outermost,
answers exactly those requests itself: the same checks and the same answer as the routes in routes/sync.py,
the statements of core/sync_hot.py on a plain DB-API connection, one hop onto a thread of its own, and what
the middlewares it skips would have done (the admission gate, the access log line with its request id, the
metrics).

A pull with `wait` (long poll, core/live.py) is answered here too: the first look as above, then the wait on the
hub like the route's, woken pulls looked for together; 2,000 clients woken by one change were answered one by one
through the stack (bench/README.md, "bench_live.py"). Nothing of the wait holds a thread or a connection.

It answers only what it is sure of. Anything else goes to the app unchanged, and the routes answer it as before:
a parameter it does not take (`count_remaining`, anything unknown or malformed), a body that is chunked,
too large or does not fit PushRequest, a push without a token, a token or device the routes would refuse (so
every refusal keeps its route's code and message), and a database error while looking (the route then meets it
and answers as it does). A push's own refusals (idempotency_conflict, an overloaded database) are answered here
the way api/errors.py answers them, since the push has run by then.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError

from sync_server.api.errors import is_overload, refusal_body, status_of
from sync_server.api.middleware import (
    Admission,
    ASGIApp,
    Receive,
    Scope,
    Send,
    busy_answer,
    log_access,
    replaying,
    request_id_of,
    send_json_bytes,
    until_disconnected,
)
from sync_server.api.routes import metrics
from sync_server.api.routes.sync import LIVE_HEADER, PushRequest, PushResponse
from sync_server.core import live, stored_text, sync, sync_hot
from sync_server.core.errors import DomainError
from sync_server.db import Database

log = logging.getLogger(__name__)

PULL_PATH = "/api/v1/sync/pull"
PUSH_PATH = "/api/v1/sync/push"
_PULL_KEYS = frozenset(("cursor", "limit", "wait"))
_MAX_CURSOR = 2**62
_WAIT = re.compile(r"[0-9]{1,2}(\.[0-9]{1,3})?")  # seconds, as plain as a client sends them (the route takes more)


class _Fallback(Exception):
    """Raised on the worker thread: this request is for the ordinary route."""


def pull_query(query_string: bytes) -> tuple[int, int, float] | None:
    """(cursor, limit, wait) when the query is only those, each once, in plain digits within the route's
    bounds (wait 0 when absent)."""
    try:
        pairs = parse_qsl(query_string.decode("ascii"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return None
    values = dict(pairs)
    if len(values) != len(pairs) or not values.keys() <= _PULL_KEYS:
        return None
    cursor, limit = values.get("cursor", "0"), values.get("limit", "500")
    if not (cursor.isascii() and cursor.isdigit() and limit.isascii() and limit.isdigit()):
        return None
    if len(cursor) > 19 or len(limit) > 5:
        return None
    wait = values.get("wait", "0")
    if not _WAIT.fullmatch(wait):
        return None
    c, n, w = int(cursor), int(limit), float(wait)
    if c > _MAX_CURSOR or not 1 <= n <= sync.MAX_PULL or w > live.MAX_WAIT_S:
        return None
    return c, n, w


def bearer(value: bytes | None) -> str | None:
    """The token of `Authorization: Bearer <token>` when the routes would take it as one (api/deps._bearer)."""
    if value is None:
        return None
    scheme, _, token = value.decode("latin-1").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(value) > 256 + 7:
        return None
    return token


class HotSyncPaths:
    def __init__(
        self,
        app: ASGIApp,
        *,
        db: Database,
        gate: Admission,
        hub: live.LiveHub,
        live_wait: float,
        max_body_bytes: int,
        enforce_devices: bool,
        readers: ThreadPoolExecutor,
        writers: ThreadPoolExecutor,
    ) -> None:
        self.app = app
        self.db = db
        self.gate = gate
        self.hub, self.live_wait = hub, live_wait
        self.live_header = (LIVE_HEADER.lower().encode(), str(live_wait).encode())
        self.max_body_bytes = max_body_bytes
        self.enforce_devices = enforce_devices
        self.statements = sync_hot.Statements(db.engine.dialect.name)
        self.readers, self.writers = readers, writers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            if path == PULL_PATH and method == "GET":
                query = pull_query(scope.get("query_string", b""))
                if query is not None:
                    await self._answer(scope, receive, send, PULL_PATH, self._pull, query)
                    return
            elif path == PUSH_PATH and method == "POST":
                await self._answer(scope, receive, send, PUSH_PATH, self._push, None)
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, route: str, handler: Any, arg: Any) -> None:
        """Run `handler`; if it answers (status, body, headers), send that with what the skipped middlewares add."""
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        answered = await handler(scope, receive, send, headers, arg)
        if answered is None:
            return  # handed to the app, which logs and counts it itself
        status, body, extra = answered
        request_id = request_id_of(headers.get(b"x-request-id"))
        try:
            await send_json_bytes(send, status, body, [*extra, (b"x-request-id", request_id.encode())])
        finally:
            metrics.RECORDER.observe(scope["method"], route, status, time.perf_counter() - started)
            log_access(scope, status, started, request_id)

    @staticmethod
    async def _run(threads: ThreadPoolExecutor, work: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(threads, work, *args)

    # -- pull ----------------------------------------------------------------------------------------------------
    async def _pull(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[bytes, bytes],
        query: tuple[int, int, float],
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        cursor, limit, wait = query
        authorization = headers.get(b"authorization")
        token = bearer(authorization)
        if authorization and token is None:
            await self.app(scope, receive, send)
            return None
        header = headers.get(b"x-device-credential")
        credential = header.decode("latin-1") if header else None
        found: dict[str, Any] = {}

        async def look() -> bool:
            looked = await self._run(self.readers, self._look, token, credential, cursor, limit)
            if looked is None:
                raise _Fallback()
            found["answer"], found["user_id"] = looked
            return bool(looked[0]["changes"])

        try:
            if wait > 0:
                # Not through the gate, as the route's waiting pull (AdmissionMiddleware): its looks are one hop
                # each, on threads of their own, and it holds nothing while it waits.
                wakes = self.hub.wakes  # before the first look (core/live.py LiveHub.wait)
                if not await look() and self.live_wait > 0 and not self.hub.full():
                    page = await self.hub.wait(
                        sync.pulled_scopes(found["user_id"]),
                        min(wait, self.live_wait),
                        look,
                        partial(until_disconnected, receive),
                        wakes,
                        (found["user_id"], cursor, limit),
                    )
                    if page is not None:
                        found["answer"] = page
            else:
                if not await self.gate.enter():
                    return busy_answer()
                try:
                    await look()
                finally:
                    self.gate.leave()
        except _Fallback:  # nothing was sent: the route answers, from the start
            await self.app(scope, receive, send)
            return None
        return 200, sync.pull_json(found["answer"]), [self.live_header]

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """A DB-API cursor on one read snapshot of the hot pool. A database error while reading hands the
        request to the route, which meets the same database and answers as it does (a 503 when it is busy, a
        stale pooled connection retried through its pinging pool, …)."""
        try:
            with sync_hot.snapshot(self.db.hot_reads, self.statements) as dbapi:
                yield dbapi
        except Exception:
            log.debug("hot request handed to the route", exc_info=True)
            raise _Fallback() from None

    def _caller(self, dbapi: Any, token: str, credential: str | None) -> sync_hot.Caller | None:
        return sync_hot.caller(
            self.statements, dbapi, token, device_credential=credential, enforce_devices=self.enforce_devices
        )

    def _look(
        self, token: str | None, credential: str | None, cursor: int, limit: int
    ) -> tuple[dict[str, Any], str | None] | None:
        """The page after `cursor` and whose it is (None: a token the route would refuse)."""
        with self._snapshot() as dbapi:
            who = self._caller(dbapi, token, credential) if token is not None else None
            if token is not None and who is None:
                return None
            return sync_hot.pull_answer(self.statements, dbapi, who, cursor, limit), who.user_id if who else None

    # -- push --------------------------------------------------------------------------------------------------
    async def _push(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], _: None
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        token = bearer(headers.get(b"authorization"))
        declared = headers.get(b"content-length", b"")
        if token is None or not declared.isdigit() or int(declared) > self.max_body_bytes:
            await self.app(scope, receive, send)
            return None
        body = await _read_body(receive, int(declared))
        replay = replaying(body, receive)
        try:
            request = PushRequest.model_validate_json(body)
        except ValidationError:
            request = None
        ids = [op.id for op in request.ops] if request is not None else []
        if request is None or len(set(ids)) != len(ids):
            await self.app(scope, replay, send)
            return None
        credential = headers.get(b"x-device-credential")
        if not await self.gate.enter():
            return busy_answer()
        try:
            results = await self._run(
                self.writers, self._apply, token, credential.decode("latin-1") if credential else None, request
            )
        except _Fallback:
            results = None
        except DomainError as exc:
            return status_of(exc), stored_text.encode(refusal_body(exc)), []
        except Exception as exc:
            if not is_overload(exc):
                raise
            log.warning("overloaded on POST %s: %s", PUSH_PATH, exc)
            return busy_answer()
        finally:
            self.gate.leave()
        if results is None:
            await self.app(scope, replay, send)
            return None
        answer = {
            "results": [
                {"id": r["id"], "status": r["status"], "result": r.get("result"), "error": r.get("error")}
                for r in results
            ]
        }
        encoded = stored_text.json_bytes(answer)
        if encoded is None:  # text JSON cannot carry: the model's way, as the route
            encoded = PushResponse.model_validate(answer).model_dump_json().encode()
        return 200, encoded, []

    def _apply(self, token: str, credential: str | None, request: PushRequest) -> list[dict[str, Any]]:
        with self._snapshot() as dbapi:
            who = self._caller(dbapi, token, credential)
        if who is None:
            raise _Fallback()
        record_use = sync_hot.use_recorder(who.session_id, who.last_seen_at)
        device = request.device_id or who.device_id or ""
        ops = [op.model_dump() for op in request.ops]
        return sync.push(self.db.sessions, who.user_id, device, ops, in_transaction=record_use)


async def _read_body(receive: Receive, declared: int) -> bytes:
    """The request's body (`declared` bytes are expected; a client that leaves early leaves it short)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size >= declared or not message.get("more_body", False):
            return b"".join(chunks)
