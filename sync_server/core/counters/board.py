"""The board: which source feeds which counter, a per-user cache in front of each, and the bounded wait."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from sync_server.core.config import Settings
from sync_server.core.counters import app_passwords
from sync_server.core.counters.imap import ImapUnread
from sync_server.core.counters.local import DemoFigures, WorkflowTodo
from sync_server.core.counters.sip2 import Sip2Library
from sync_server.core.counters.source import Reading, Source, SourceError

log = logging.getLogger(__name__)

KEYS = ("mail_unread", "loans", "overdue", "todo")
MAX_CACHED = 20_000  # users × sources kept; beyond it the expired entries are dropped


@dataclass(frozen=True)
class _Outcome:
    figures: dict[str, int] | None
    error: SourceError | None
    as_of: datetime
    expires: float  # time.monotonic()


class CounterBoard:
    """Reads a user's counters: every source at once, each answered from its cache while fresh, a failure
    remembered for `failure_ttl` so that a source that is down is not asked on every look at 首页, and no source
    allowed to hold the answer longer than `timeout` seconds."""

    def __init__(
        self,
        sources: list[Source],
        *,
        ttl: float = 60.0,
        failure_ttl: float = 15.0,
        timeout: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.by_key: dict[str, Source] = {}
        for source in sources:
            for key in source.keys:
                self.by_key.setdefault(key, source)
        self.ttl, self.failure_ttl, self.timeout = ttl, failure_ttl, timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], _Outcome] = {}
        self._pending: dict[tuple[str, str], Future[_Outcome]] = {}
        self.failures: dict[str, int] = {}  # failed reads per source name, for GET /metrics
        # Each slow source holds a thread at most its socket timeout; more sources than threads just queue.
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="counters")

    def _run(self, source: Source, user_id: str) -> _Outcome:
        try:
            figures, error = source.fetch(user_id), None
        except SourceError as exc:
            figures, error = None, exc
            log.warning("counter source %s failed for %s: %s", source.name, user_id, exc)
        except Exception as exc:  # a connector's bug must not take the other counters (or the page) with it
            figures, error = None, SourceError("source_down", repr(exc))
            log.exception("counter source %s broke for %s", source.name, user_id)
        ttl = self.ttl if error is None else self.failure_ttl
        outcome = _Outcome(figures, error, datetime.now(UTC), self._clock() + (ttl if source.cached else 0))
        with self._lock:
            if error is not None:
                self.failures[source.name] = self.failures.get(source.name, 0) + 1
            if source.cached:
                if len(self._cache) >= MAX_CACHED:
                    now = self._clock()
                    self._cache = {k: v for k, v in self._cache.items() if v.expires > now}
                self._cache[(source.name, user_id)] = outcome
            self._pending.pop((source.name, user_id), None)
        return outcome

    def _ask(self, source: Source, user_id: str) -> Future[_Outcome]:
        key = (source.name, user_id)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached.expires > self._clock():
                done: Future[_Outcome] = Future()
                done.set_result(cached)
                return done
            pending = self._pending.get(key)  # one read per source and user at a time, however many ask
            if pending is None:
                pending = self._pool.submit(self._run, source, user_id)
                self._pending[key] = pending
            return pending

    def read(self, user_id: str) -> dict[str, Reading]:
        """The four counters of `user_id`, in KEYS order."""
        deadline = self._clock() + self.timeout
        sources = {id(s): s for s in self.by_key.values()}
        asked = {sid: self._ask(source, user_id) for sid, source in sources.items()}
        outcomes: dict[int, _Outcome | None] = {}
        for sid, future in asked.items():
            try:
                outcomes[sid] = future.result(timeout=max(0.0, deadline - self._clock()))
            except FutureTimeout:
                outcomes[sid] = None
        readings: dict[str, Reading] = {}
        for key in KEYS:
            source = self.by_key.get(key)
            if source is None:
                readings[key] = Reading.missing("not_configured")
                continue
            outcome = outcomes[id(source)]
            if outcome is None:
                readings[key] = Reading.missing("timeout", source.label, source.name)
            elif outcome.error is not None:
                readings[key] = Reading.missing(outcome.error.code, source.label, source.name)
            elif outcome.figures is None or key not in outcome.figures:
                readings[key] = Reading.missing(
                    "no_demo_data" if source.demo else "protocol_error", source.label, source.name
                )
            else:
                readings[key] = Reading(outcome.figures[key], source=source.name, as_of=outcome.as_of, demo=source.demo)
        return readings

    def public(self, user_id: str) -> dict[str, dict[str, object]]:
        """read(), as the API answers it (docs/portal.md)."""
        return {key: reading.public() for key, reading in self.read(user_id).items()}

    def forget(self, user_id: str) -> None:
        """Drop what this worker cached for `user_id` (they changed their app password: the next look asks again)."""
        with self._lock:
            self._cache = {k: v for k, v in self._cache.items() if k[1] != user_id}

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def build_board(settings: Settings, sessions: sessionmaker[Session]) -> CounterBoard:
    """The board the settings describe; `sessions` reads the server's own data (待办, the demo figures)."""
    sources: list[Source] = [WorkflowTodo(sessions)]
    if settings.counters_mode == "demo":
        sources.append(DemoFigures(sessions))
    else:
        if settings.imap_host and settings.imap_auth == "app_password" and settings.mail_secret_keys:
            box = app_passwords.SecretBox(settings.mail_secret_keys)
            sources.append(
                ImapUnread(
                    host=settings.imap_host,
                    port=settings.imap_port,
                    auth="app_password",
                    app_password=app_passwords.reader(sessions, box),
                    security=settings.imap_security,
                    login_template=settings.imap_login,
                    mailbox=settings.imap_mailbox,
                    ca_file=settings.imap_ca_file,
                    timeout=settings.counters_timeout_s,
                )
            )
        elif settings.imap_host and settings.imap_master_user and settings.imap_master_password:
            sources.append(
                ImapUnread(
                    host=settings.imap_host,
                    port=settings.imap_port,
                    master_user=settings.imap_master_user,
                    master_password=settings.imap_master_password,
                    security=settings.imap_security,
                    login_template=settings.imap_login,
                    master_separator=settings.imap_master_separator,
                    mailbox=settings.imap_mailbox,
                    ca_file=settings.imap_ca_file,
                    timeout=settings.counters_timeout_s,
                )
            )
        if settings.sip2_host:
            sources.append(
                Sip2Library(
                    host=settings.sip2_host,
                    port=settings.sip2_port,
                    institution=settings.sip2_institution,
                    patron_template=settings.sip2_patron,
                    login_user=settings.sip2_login_user,
                    login_password=settings.sip2_login_password,
                    location=settings.sip2_location,
                    terminal_password=settings.sip2_terminal_password,
                    timeout=settings.counters_timeout_s,
                    encoding=settings.sip2_encoding,
                )
            )
    return CounterBoard(
        sources,
        ttl=settings.counters_ttl_s,
        failure_ttl=settings.counters_failure_ttl_s,
        timeout=settings.counters_timeout_s,
    )
