"""ASGI middleware: request ids with an access log line, a request body size limit, and admission control."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sync_server.api.errors import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("sync_server.access")


async def _send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    import json

    await send_json_bytes(send, status, json.dumps(body, ensure_ascii=False).encode(), headers or [])


async def send_json_bytes(send: Send, status: int, payload: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    """A whole JSON answer, already encoded."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` with 413 before the route reads them, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = error_body("payload_too_large", f"Request body exceeds {self.max_bytes} bytes.")
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_bytes:
                    await _send_json(send, 413, too_large)
                    return
            except ValueError:
                await _send_json(send, 400, error_body("bad_request", "Invalid Content-Length."))
                return
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read up to the limit, then replay the body to the app.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _send_json(send, 413, too_large)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, replaying(b"".join(chunks), receive), send)


async def until_disconnected(receive: Receive) -> None:
    """Returns when the client has closed the connection (nothing else arrives on a GET's receive channel): what a
    waiting request watches (a long-poll pull, api/routes/sync.py and api/hot_sync.py)."""
    while (await receive())["type"] != "http.disconnect":
        pass


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives the app a body already read, then whatever follows."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class AccessLogMiddleware:
    """Give each request an id (X-Request-ID, echoed back) and log one structured line when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(dict(scope.get("headers") or []).get(b"x-request-id"))
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log_access(scope, status, started, request_id)


def request_id_of(incoming: bytes | None) -> str:
    """The client's X-Request-ID when it is a sensible one, else a new id."""
    text = (incoming or b"").decode("latin-1")
    return text if 0 < len(text) <= 64 and text.isprintable() else secrets.token_hex(8)


def log_access(scope: Scope, status: int, started: float, request_id: str) -> None:
    """The request's one access log line (also written by api/hot_sync.py for what it answers itself)."""
    access_log.info(
        "%s %s %s",
        scope.get("method"),
        scope.get("path"),
        status,
        extra={
            "request_id": request_id,
            "method": scope.get("method"),
            "path": scope.get("path"),
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "client": (scope.get("client") or ("?",))[0],
        },
    )


class Admission:
    """At most `limit` requests inside at once; a request waits at most `queue_timeout` for a place."""

    def __init__(self, limit: int, queue_timeout: float) -> None:
        import asyncio

        self.limit = limit
        self.queue_timeout = queue_timeout
        self._slots = asyncio.Semaphore(limit)

    async def enter(self) -> bool:
        """True once admitted (then call `leave`), False after waiting `queue_timeout` in vain."""
        import asyncio

        if not self._slots.locked():
            # A free place is taken at once; asyncio.wait_for would make a task for it (a few % of a pull's CPU).
            await self._slots.acquire()
            return True
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_timeout)
        except TimeoutError:
            return False
        return True

    def leave(self) -> None:
        self._slots.release()

    @staticmethod
    async def refuse(send: Send) -> None:
        await send_json_bytes(send, *busy_answer())


def busy_answer() -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    """503 server_busy with Retry-After: the answer to a request that could not be let in, or whose database
    wait timed out; nothing was done, so the client may send it again."""
    import json

    body = json.dumps(error_body("server_busy", "服务器繁忙，请稍后再试"), ensure_ascii=False).encode()
    return 503, body, [(b"retry-after", b"2")]


class AdmissionMiddleware:
    """Let at most `limit` requests into the app at once; the rest wait here, on the event loop, holding no
    thread and no database connection, and get 503 `server_busy` if they wait longer than `queue_timeout`.

    Why: FastAPI runs each synchronous dependency and route in its own hop onto anyio's 40 worker threads,
    and a request keeps its database connection (on SQLite, the write lock) between hops. With more requests
    under way than threads or pooled connections, the holders of the connections could wait for a thread that
    the waiters for a connection hold, and everything stalled until the pool and busy timeouts failed them
    (bench/README.md, "500 kiosks at once"). Below both limits, every admitted request can always finish.

    Paths that wait on purpose without holding a thread (the QR long poll, a pull with `wait`: core/live.py) and
    the health check bypass it. A waiting pull's looks at the database are each one hop onto a thread that holds
    its connection only within that hop, so they cannot take part in the stall described above."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int = 24,
        queue_timeout: float = 20.0,
        exempt: tuple[str, ...] = ("/healthz",),
        gate: Admission | None = None,
    ) -> None:
        self.app = app
        # The gate is shared with api/hot_sync.py, which admits the requests it answers itself.
        self.gate = gate or Admission(limit, queue_timeout)
        self.exempt = exempt

    def _bypasses(self, scope: Scope) -> bool:
        path = scope.get("path", "")
        if path == "/api/v1/sync/pull":
            return b"wait=" in scope.get("query_string", b"")
        return path in self.exempt or (path.startswith("/api/v1/auth/qr/") and path.count("/") == 5)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._bypasses(scope):
            await self.app(scope, receive, send)
            return
        if not await self.gate.enter():
            await self.gate.refuse(send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.leave()
