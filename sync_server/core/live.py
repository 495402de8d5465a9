"""Live changes: a pull that is up to date may wait (`GET /api/v1/sync/pull?cursor=C&wait=25`) and is answered
as soon as a change is committed in one of its scopes, or empty at the timeout.

How a waiter is woken:

- Every change-log write notes its scope in the session (`change_log.append_change`). After the transaction
  commits, the scopes are published to this process's hubs (`after_commit`: the change is durable and visible
  before anyone is woken). On SQLite (one worker) that is all.
- On PostgreSQL the transaction also sends `pg_notify('campus_changes', <scopes>)` just before it commits; the
  database delivers it at the commit, to every process that listens: each server process has one listener
  connection (a thread, `PgListener`) that publishes what it hears to its hub. So a change made through
  another worker, another host or a command-line tool wakes the waiters here.
- A waiter holds no thread and no database connection: it is a future on the event loop, registered under the
  scopes it reads (public, members, its user's). When woken it pulls again (one hop to a worker thread); a wake
  that brings nothing (a change of a rolled-back savepoint, a scope shared with others) just waits again.
- Shutdown wakes every waiter (`close`), which answers at once: the server stops promptly.

A missed wake-up can only delay a change to the waiter's timeout (it is then pulled as before), never lose it:
the pull after the wake reads the database, not the notification.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL = "campus_changes"
ALL = "*"  # wakes every waiter (a payload too long for NOTIFY, or a listener that reconnected)
MAX_WAIT_S = 25  # the longest wait a client may ask: below the usual 30-60 s idle timeout of proxies
MAX_WAITERS = 20_000  # per process; beyond, a pull answers at once (the client then polls)
_NOTIFY_MAX_BYTES = 7_000  # PostgreSQL's limit is 8,000

SCOPES_KEY = "live_changed_scopes"


class Subscription:
    """One waiting pull: a future on the loop, resolved by a change in one of its scopes."""

    __slots__ = ("future", "hub", "scopes")

    def __init__(self, hub: LiveHub, scopes: tuple[str, ...]) -> None:
        self.hub, self.scopes = hub, scopes
        self.future: asyncio.Future[None] = hub.loop.create_future()

    def rearm(self) -> None:
        if self.future.done():
            self.future = self.hub.loop.create_future()

    def fire(self) -> None:
        if not self.future.done():
            self.future.set_result(None)


class LiveHub:
    """The waiters of one server process (one event loop), by scope."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]  # set by start()
        self._subs: dict[str, set[Subscription]] = {}
        self.waiting = 0
        self.closing = False
        self.wakes = 0  # publishes handled: a pull compares it across its first look (see `wait`)
        # Looks after a wake, for many waiters at once (on a worker thread): their pages, or None for a waiter
        # that must look for itself. Set by the app (api/routes/sync.py); without it each waiter looks alone.
        self.look_many: Callable[[list[Any]], list[Any | None]] | None = None
        self._batch: list[tuple[Any, asyncio.Future[Any]]] = []
        self._batch_tasks: set[asyncio.Future[None]] = set()  # held: the loop keeps only weak references
        self.batches = 0  # for the bench: how many looks served the woken waiters
        _HUBS.add(self)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop, self.closing = loop, False

    def publish(self, scopes: Iterable[str]) -> None:
        """Wake the waiters of `scopes` (from any thread)."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._wake, frozenset(scopes))

    def _wake(self, scopes: frozenset[str]) -> None:
        self.wakes += 1
        if ALL in scopes:
            targets: set[Subscription] = set().union(*self._subs.values()) if self._subs else set()
        else:
            targets = set()
            for scope in scopes:
                targets |= self._subs.get(scope, set())
        for sub in targets:
            sub.fire()

    def close(self) -> None:
        """Shutting down: every waiter answers now, and no new one waits."""
        self.closing = True
        self._wake(frozenset({ALL}))

    def close_threadsafe(self) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self.close)

    def full(self) -> bool:
        return self.closing or self.waiting >= MAX_WAITERS

    def subscribe(self, scopes: Iterable[str]) -> Subscription:
        sub = Subscription(self, tuple(scopes))
        for scope in sub.scopes:
            self._subs.setdefault(scope, set()).add(sub)
        self.waiting += 1
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        for scope in sub.scopes:
            subs = self._subs.get(scope)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[scope]
        self.waiting -= 1
        sub.fire()

    async def wait(
        self,
        scopes: Iterable[str],
        timeout: float,
        check: Callable[[], Awaitable[bool]],
        disconnected: Callable[[], Awaitable[Any]],
        wakes_before: int,
        query: Any = None,
    ) -> Any:
        """Wait until `check()` (a pull, true when it found something) is true, the client has gone, the server
        shuts down or `timeout` seconds have passed (then `check()` runs once more). `wakes_before` is
        `self.wakes` read before the caller's first look at the database: a change published since then is
        looked for again (it may have committed after that look but before this subscription).

        After a wake, a waiter with a `query` is looked for together with the others woken at the same time
        (`look_many`: one database look for them all instead of one each; 2,000 waiters woken by a news item
        took 3–5 s to answer one look at a time, bench/README.md). Returns the page such a look found, or None
        when the answer is whatever `check()` last stored."""
        if self.loop is None:  # no lifespan ran (an ASGI server without one): this loop is the one
            self.start(asyncio.get_running_loop())
        deadline = self.loop.time() + timeout
        sub = self.subscribe(scopes)
        gone = asyncio.ensure_future(disconnected())
        try:
            if self.wakes != wakes_before and await check():
                return None
            while not self.closing and not gone.done():
                remaining = deadline - self.loop.time()
                if remaining <= 0:
                    await check()
                    return None
                await asyncio.wait((sub.future, gone), timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
                if self.closing or gone.done():
                    return None
                if not sub.future.done():  # the timeout
                    await check()  # a last look: a change no notification announced (SQLite, another process)
                    return None
                sub.rearm()  # before the look, so that a change committed during it wakes us again
                page = await self._look_together(query)
                if page is None:
                    if await check():
                        return None
                elif page["changes"] or page["has_more"]:
                    return page
        finally:
            gone.cancel()
            self.unsubscribe(sub)
        return None

    async def _look_together(self, query: Any) -> Any:
        if self.look_many is None or query is None:
            return None
        answer: asyncio.Future[Any] = self.loop.create_future()
        self._batch.append((query, answer))
        if len(self._batch) == 1:
            task = asyncio.ensure_future(self._run_batch())
            self._batch_tasks.add(task)
            task.add_done_callback(self._batch_tasks.discard)
        return await answer

    async def _run_batch(self) -> None:
        from starlette.concurrency import run_in_threadpool

        await asyncio.sleep(0.005)  # the waiters woken by the same commit join this look
        batch, self._batch = self._batch, []
        self.batches += 1
        try:
            assert self.look_many is not None
            pages = await run_in_threadpool(self.look_many, [query for query, _ in batch])
        except Exception:  # each looks for itself: an error then answers that request as any pull's would
            log.warning("a shared look for woken pulls failed", exc_info=True)
            pages = [None] * len(batch)
        for (_, answer), page in zip(batch, pages, strict=True):
            if not answer.done():
                answer.set_result(page)


_HUBS: weakref.WeakSet[LiveHub] = weakref.WeakSet()


def publish(scopes: Iterable[str]) -> None:
    """Wake the waiters of `scopes` in this process (every hub: the tests run several apps in one)."""
    scopes = frozenset(scopes)
    for hub in list(_HUBS):
        hub.publish(scopes)


# -- the change log's side: note the scopes, notify after commit ---------------------------------------------
def note_change(session: Session, scope: str) -> None:
    session.info.setdefault(SCOPES_KEY, set()).add(scope)


@event.listens_for(Session, "before_commit")
def _notify_postgres(session: Session) -> None:
    scopes = session.info.get(SCOPES_KEY)
    if not scopes or session.in_nested_transaction():  # a savepoint's release: not yet
        return
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    payload = "\n".join(sorted(scopes))
    if len(payload.encode()) > _NOTIFY_MAX_BYTES:
        payload = ALL
    # Delivered by PostgreSQL when (and only if) this transaction commits.
    session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    if session.in_nested_transaction():  # SQLAlchemy calls this at a savepoint's release too: not yet durable
        return
    scopes = session.info.pop(SCOPES_KEY, None)
    if scopes:
        publish(scopes)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    # A savepoint's rollback too (a refused operation run the careful way, core/sync.py): the scopes the rest of
    # the transaction changed must still be published when it commits. A scope noted only inside the rolled-back
    # savepoint may wake its waiters for nothing: they look, find nothing new, and wait again.
    if not session.in_nested_transaction():
        session.info.pop(SCOPES_KEY, None)


# -- PostgreSQL: one listener connection per process ---------------------------------------------------------
class PgListener:
    """LISTEN campus_changes on a connection of its own, in a thread, publishing what it hears to this process's
    hubs. If the connection breaks it reconnects (1 s, doubling to 30 s) and then wakes every waiter, since
    notifications sent meanwhile are lost (each waiter pulls once; most find nothing and wait again)."""

    def __init__(self, db_url: str) -> None:
        self.conninfo = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()  # for tests: LISTEN is in place

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="live-listener", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        import psycopg

        delay = 1.0
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.connected.set()
                    if not first:
                        publish({ALL})  # what was sent while we were away
                    first, delay = False, 1.0
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            publish(note.payload.split("\n") if note.payload else {ALL})
            except Exception as exc:  # the database went away: try again, never die
                self.connected.clear()
                if self._stop.is_set():
                    return
                log.warning("live listener lost its connection (%s); reconnecting in %.0f s", exc, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, 30.0)
