"""Delivering committed notifications outside the action's transaction (e-mail, WeCom …): the channels, and the
dispatcher thread of this worker with its retries.

When a channel is configured (SMTP settings), core/notifications.py stores a notification as `pending` and hands
its id over here; once the transaction commits, the `Dispatcher` claims each row once (pending → sending, a
conditional UPDATE, so two workers or a restart sweep never send one twice), hands it to every `Notifier`,
retries a failure after the configured delays and logs a line for each failure. A rolled-back action sends
nothing (its rows do not exist); a slow or broken mail server never holds up an action, it only delays the mail.

A channel is a `Notifier`: `name` and `send(message)`, raising on failure. `SmtpNotifier` is the e-mail one;
docs/workflows.md ("Adding a channel") shows how a 企业微信 (WeCom) app-message notifier plugs in.
"""

from __future__ import annotations

import heapq
import logging
import smtplib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any, Protocol, cast

from sqlalchemy import event, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, sessionmaker

from sync_server.models import Notification, User

log = logging.getLogger("sync_server.notify")


@dataclass(frozen=True)
class Message:
    """One notification as a channel delivers it."""

    notification_id: int
    user_id: str
    name: str
    email: str | None
    kind: str
    title: str
    body: str
    application_id: str | None


class Notifier(Protocol):
    """A delivery channel. `send` raises on failure (the dispatcher retries); a message the channel cannot
    deliver at all (no address) is skipped by returning False."""

    name: str

    def send(self, message: Message) -> bool: ...


@dataclass
class SmtpNotifier:
    host: str
    port: int = 25
    sender: str = "noreply@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0
    name: str = "smtp"

    def send(self, message: Message) -> bool:
        if not message.email:
            return False
        mail = EmailMessage()
        mail["Subject"] = message.title
        mail["From"] = self.sender
        mail["To"] = formataddr((message.name, message.email))
        mail["Message-ID"] = make_msgid(domain="campus-kiosk")
        mail.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(mail)
        return True


class Dispatcher:
    """Delivers committed notifications from a background thread, with retries (see the module's docstring)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        notifiers: Sequence[Notifier],
        retry_delays: Sequence[float] = (5.0, 30.0, 120.0),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.notifiers = list(notifiers)
        self.retry_delays = list(retry_delays)
        self._clock = clock
        self._queue: list[tuple[float, int, int]] = []  # (due, notification id, attempt), a heap
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return bool(self.notifiers)

    def start(self) -> None:
        if self._thread is None and self.active:
            self._thread = threading.Thread(target=self._run, name="notify-dispatcher", daemon=True)
            self._thread.start()
            self.sweep()

    def stop(self, timeout: float = 5.0) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def submit(self, ids: Sequence[int]) -> None:
        if not self.active or not ids:
            return
        with self._wake:
            for notification_id in ids:
                heapq.heappush(self._queue, (self._clock(), notification_id, 1))
            self._wake.notify()

    def sweep(self) -> None:
        """Queue what an earlier run committed but never sent (the process ended in between)."""
        with self.sessions() as session:
            ids = list(session.scalars(select(Notification.id).where(Notification.email_status == "pending")))
        self.submit(ids)

    # -- the thread --------------------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopping and (not self._queue or self._queue[0][0] > self._clock()):
                    self._wake.wait(None if not self._queue else max(0.0, self._queue[0][0] - self._clock()))
                if self._stopping:
                    return
                _, notification_id, attempt = heapq.heappop(self._queue)
            try:
                self._deliver(notification_id, attempt)
            except Exception:  # a bug or the database gone: log it, keep the thread alive for the next ones
                log.exception("notification %s: delivery crashed", notification_id)

    def _claim(self, notification_id: int, attempt: int) -> Message | None:
        """Take the row for this attempt: the first attempt turns pending into sending (one claimant wins)."""
        with self.sessions.begin() as session:
            if attempt == 1:
                result = session.execute(
                    update(Notification)
                    .where(Notification.id == notification_id, Notification.email_status == "pending")
                    .values(email_status="sending")
                )
                claimed = cast(CursorResult[Any], result).rowcount
                if claimed != 1:
                    return None
            row = session.get(Notification, notification_id)
            if row is None:
                return None
            user = session.get(User, row.user_id)
            return Message(
                notification_id=row.id,
                user_id=row.user_id,
                name=user.name if user else row.user_id,
                email=user.email if user else None,
                kind=row.kind,
                title=row.title,
                body=row.body,
                application_id=row.application_id,
            )

    def _finish(self, notification_id: int, status: str) -> None:
        with self.sessions.begin() as session:
            session.execute(update(Notification).where(Notification.id == notification_id).values(email_status=status))

    def _deliver(self, notification_id: int, attempt: int) -> None:
        message = self._claim(notification_id, attempt)
        if message is None:
            return
        failures: list[str] = []
        sent = False
        for notifier in self.notifiers:
            try:
                sent = notifier.send(message) or sent
            except Exception as exc:
                failures.append(f"{notifier.name}: {type(exc).__name__}: {exc}")
        if not failures:
            self._finish(notification_id, "sent" if sent else "none")
            return
        if attempt <= len(self.retry_delays):
            delay = self.retry_delays[attempt - 1]
            log.warning(
                "notification %s to %s: attempt %d failed (%s); retrying in %.1f s",
                notification_id,
                message.user_id,
                attempt,
                "; ".join(failures),
                delay,
            )
            with self._wake:
                heapq.heappush(self._queue, (self._clock() + delay, notification_id, attempt + 1))
                self._wake.notify()
            return
        self._finish(notification_id, "failed")
        log.error(
            "notification %s to %s: gave up after %d attempts (%s)",
            notification_id,
            message.user_id,
            attempt,
            "; ".join(failures),
        )


# The dispatcher of this worker process, installed by the app factory (None: store and sync only).
DISPATCHER: Dispatcher | None = None


def install(dispatcher: Dispatcher | None) -> None:
    global DISPATCHER
    if DISPATCHER is not None and DISPATCHER is not dispatcher:
        DISPATCHER.stop()
    DISPATCHER = dispatcher
    if dispatcher is not None:
        dispatcher.start()


def active() -> bool:
    """Whether notifications are delivered at all (a channel is configured in this worker)."""
    return DISPATCHER is not None and DISPATCHER.active


def deliver_after_commit(session: Session, notification_id: int) -> None:
    """Hand the notification to the dispatcher once `session`'s transaction commits (never, if it rolls back)."""
    session.info.setdefault("notification_ids", []).append(notification_id)


# Both events fire for a SAVEPOINT too (a pushed operation runs in one, core/sync.py): only the outermost
# transaction's end counts. Handed over at a SAVEPOINT's release, the ids reached the dispatcher before the rows
# were committed; on PostgreSQL its claim saw no pending row and the mail was never sent (1 run in ~10 of
# test_workflow_mail). An id whose SAVEPOINT was rolled back is kept: it names no pending row, and the claim
# skips it.
@event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    if session.in_nested_transaction():
        return
    ids = session.info.pop("notification_ids", None)
    if ids and DISPATCHER is not None:
        DISPATCHER.submit(ids)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop("notification_ids", None)
