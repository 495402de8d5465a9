"""The app factory: `create_app(settings)` builds the FastAPI application (a server process: `serving_app`)."""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from fastapi import FastAPI

from sync_server import __version__
from sync_server.api.errors import install_error_handlers
from sync_server.api.hot_sync import HotSyncPaths
from sync_server.api.middleware import AccessLogMiddleware, Admission, AdmissionMiddleware, BodyLimitMiddleware
from sync_server.api.routes import (
    admin,
    admin_content,
    attachments,
    auth,
    content,
    devices,
    hall,
    health,
    me,
    metrics,
    phone,
    portal,
    sync,
    workflow,
)
from sync_server.api.routes import calendar as calendar_routes
from sync_server.api.routes import cas as cas_routes
from sync_server.api.routes import certificates as certificate_routes
from sync_server.api.routes import mail_password as mail_password_routes
from sync_server.core import certificates, live
from sync_server.core import notification_delivery as delivery
from sync_server.core.attachment_retention import PurgeSchedule
from sync_server.core.cas import CasSettings
from sync_server.core.config import Settings
from sync_server.core.counters import build_board
from sync_server.core.feeds import FeedSchedule
from sync_server.core.logging import configure_logging
from sync_server.db import Database


class RequestMetricsMiddleware:
    """Count each request by its route template (never the raw path: ids in paths would make a series per id)
    and status, and time it, for GET /metrics."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_noting_status(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or metrics.UNMATCHED  # set by the router on a match
            metrics.RECORDER.observe(scope.get("method", ""), route, status, time.perf_counter() - started)


def _close_hub_on_exit_signal(hub: live.LiveHub) -> None:
    """uvicorn answers SIGTERM/SIGINT by waiting for the requests under way (up to its graceful timeout) before
    the lifespan ends: waiting pulls must answer at once instead, so the signal first closes the hub. uvicorn's
    handlers are installed before the lifespan starts; ours calls them after."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(signum)
        if not callable(previous):
            continue

        def closing(number: int, frame: Any, previous: Any = previous) -> None:
            hub.close_threadsafe()
            previous(number, frame)

        signal.signal(signum, closing)


def serving_app() -> FastAPI:
    """The app of a server process (`campus-sync-server serve`: uvicorn's factory, once per worker)."""
    return create_app(Settings.from_env(), freeze_startup_objects=True)


def create_app(settings: Settings | None = None, *, freeze_startup_objects: bool = False) -> FastAPI:
    """`freeze_startup_objects`: once started, move everything made so far out of the garbage collector's sight
    (gc.freeze). The process's long-lived objects (SQLAlchemy's and pydantic's models, FastAPI's routes, the
    modules) were scanned by every full collection, which found nothing to free and stopped every request for
    about 100 ms: the pull's p99 under wrk was those pauses (bench/README.md, "A campus push on PostgreSQL").
    Not for an app made in a test process, where it would keep whatever the earlier tests left behind."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level, settings.log_json)
    database = Database(settings.db_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)

    notifiers: list[delivery.Notifier] = []
    if settings.smtp_host:
        notifiers.append(
            delivery.SmtpNotifier(
                host=settings.smtp_host,
                port=settings.smtp_port,
                sender=settings.smtp_from,
                user=settings.smtp_user,
                password=settings.smtp_password,
                starttls=settings.smtp_starttls,
                timeout=settings.smtp_timeout,
            )
        )
    dispatcher = delivery.Dispatcher(database.sessions, notifiers, settings.mail_retry_delays)
    purge = (
        PurgeSchedule(database.sessions, timedelta(hours=settings.attachment_retention_hours))
        if settings.attachment_retention_hours > 0
        else None
    )

    counters = build_board(settings, database.read_sessions)
    feeds = (
        FeedSchedule(database.sessions, timedelta(minutes=settings.feed_interval_minutes))
        if settings.feed_interval_minutes > 0
        else None
    )

    hub = live.LiveHub()
    hub.look_many = partial(sync.look_many, database)
    # Live pulls (core/live.py): woken in this process on SQLite, across processes and hosts through
    # LISTEN/NOTIFY on PostgreSQL. SQLite with several workers would wake only the writer's own: not offered.
    postgres = database.engine.dialect.name == "postgresql"
    live_wait = live.MAX_WAIT_S if postgres or settings.workers <= 1 else 0
    listener = live.PgListener(settings.db_url) if postgres and live_wait else None
    gate = Admission(settings.max_in_flight, settings.admission_timeout_s)
    # The hot path's threads (api/hot_sync.py). Pulls: a few, since a look is a fraction of a millisecond of
    # CPU under the GIL and more threads only take turns at it. Pushes: as many as requests admitted at once,
    # since a push waits for its group's commit on its thread.
    hot_readers = ThreadPoolExecutor(max_workers=settings.hot_pull_threads, thread_name_prefix="hot-pull")
    hot_writers = ThreadPoolExecutor(max_workers=settings.max_in_flight, thread_name_prefix="hot-push")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import asyncio

        hub.start(asyncio.get_running_loop())
        _close_hub_on_exit_signal(hub)
        if listener is not None:
            listener.start()
        delivery.install(dispatcher)  # this worker's delivery thread (nothing to run without a channel)
        if purge is not None:
            purge.start()  # each worker's; one at a time purges (core/attachment_retention.py)
        if feeds is not None:
            feeds.start()  # each worker's; one run per interval across them (core/feeds.py)
        if freeze_startup_objects:
            gc.collect()
            gc.freeze()
        yield
        hub.close()
        hot_readers.shutdown(wait=True)
        hot_writers.shutdown(wait=True)
        if listener is not None:
            listener.stop()
        if feeds is not None:
            feeds.stop()
        if purge is not None:
            purge.stop()
        delivery.install(None)
        counters.close()
        database.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Campus Kiosk sync server",
        version=__version__,
        description="融合门户 · 一站式办事大厅: identity, hall catalog, content and sync for kiosks and desk clients.",
    )
    app.state.settings = settings
    app.state.db = database
    app.state.counters = counters
    app.state.live, app.state.live_wait, app.state.live_listener = hub, live_wait, listener
    metrics.RECORDER.connector_failures = lambda: dict(counters.failures)
    metrics.RECORDER.live_waiting = lambda: hub.waiting
    # The address printed in certificates' QR codes (they are made inside workflow actions, without a request).
    certificates.PUBLIC_URL = settings.public_url or f"http://{settings.host}:{settings.port}"
    app.state.cas = CasSettings.from_env()  # a bad CAMPUS_SYNC_CAS_… value stops the server here
    install_error_handlers(app)
    # First: the router tries routes in order, and sync's pull and push are most of all requests (scanning ~45
    # routes before them cost a tenth of a pull's CPU, bench/README.md "bench_load.py"). No other path starts so.
    app.include_router(sync.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(hall.router)
    app.include_router(content.router)
    app.include_router(auth.router)
    app.include_router(me.router)
    app.include_router(portal.router)
    app.include_router(mail_password_routes.router)
    app.include_router(admin.router)
    app.include_router(admin_content.router)
    app.include_router(devices.router)
    app.include_router(content.me_router)
    app.include_router(phone.router)
    app.include_router(workflow.router)
    app.include_router(attachments.router)
    app.include_router(calendar_routes.router)
    app.include_router(certificate_routes.router)
    app.include_router(cas_routes.api)
    app.include_router(cas_routes.router)
    # Added innermost first: the access log must see the 413s and 503s of the two below it.
    # /metrics is let past the gate too: a busy server is when monitoring needs an answer.
    app.add_middleware(AdmissionMiddleware, gate=gate, exempt=("/healthz", "/metrics"))
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestMetricsMiddleware)
    app.add_middleware(AccessLogMiddleware)
    # Outermost: the up-to-date pull and the push with a token, answered without the stack above (api/hot_sync.py).
    app.add_middleware(
        HotSyncPaths,
        db=database,
        gate=gate,
        hub=hub,
        live_wait=live_wait,
        max_body_bytes=settings.max_body_bytes,
        enforce_devices=bool(settings.require_enrolled_kiosks),
        readers=hot_readers,
        writers=hot_writers,
    )

    return app
