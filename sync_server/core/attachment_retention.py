"""Uploads that no submitted form names are deleted once older than the retention period: the purge, and the
schedule a server process runs it on (at start, then hourly).

An upload counts from its last sign of life: completed_at when it was completed, else created_at (a partial one
that long untouched was abandoned). It is named when an application's data holds it as an attachment field's
value ({"id", "name", "size", "sha256"}, core/form_data.py); only its uploader's applications can hold it, since
a form is refused for naming anyone else's file, so only those are read. A submission that names an upload while
the purge looks at it cannot lose it: the submission holds the upload's row (FOR SHARE) until it commits, and the
purge skips rows it cannot lock (SKIP LOCKED; SQLite runs one writer at a time anyway).

The server's own purge never keeps uploads for less than an operation grant lives (core/op_grant.py GRANT_TTL,
14 days): a desk submission queued offline, naming an upload made while online, may be delivered that late, and
would then be refused ("附件不存在或未上传完成") had its upload been purged. A grant counts from its session's start,
which is before the upload, so an upload is never older than the grant that may still deliver it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from sync_server.core.op_grant import GRANT_TTL
from sync_server.models import Application, Attachment, AttachmentChunk

log = logging.getLogger("sync_server.attachments")

# Uploads looked at per transaction, and the most content one transaction deletes (a form's files are up to 20 MB
# each: a batch must not hold SQLite's write lock, or fill its WAL, for long).
BATCH = 100
BATCH_BYTES = 64 * 1024 * 1024
INTERVAL = timedelta(hours=1)
_HOUR = timedelta(hours=1)
# PostgreSQL advisory lock held by the worker that is purging (7270001 is the change log's).
PURGE_LOCK = 7270002


@dataclass
class PurgeReport:
    deleted: int = 0  # uploads deleted (in a dry run: that would be)
    deleted_bytes: int = 0  # of content received for them
    kept: int = 0  # as old, but named by an application
    busy: bool = False  # another process was purging: this one stopped


def purge_unreferenced(
    sessions: sessionmaker[Session],
    *,
    older_than: timedelta,
    dry_run: bool = False,
    now: datetime | None = None,
    batch: int = BATCH,
) -> PurgeReport:
    """Delete the uploads, complete or partial, that were last touched more than `older_than` ago and that no
    application names: their rows and content, one transaction per batch. `dry_run` counts them, deleting
    nothing."""
    cutoff = (now or datetime.now(UTC)) - older_than
    report = PurgeReport()
    after: tuple[datetime, str] | None = None
    while True:
        with sessions.begin() as session:
            if not _purge_lock(session):
                report.busy = True
                return report
            rows = _stale(session, cutoff, after, batch)
            named = _named(session, {row.uploader_id for row in rows})
            taken = list(_within_budget(rows))
            doomed = [row for row in taken if row.id not in named]
            if doomed and not dry_run:
                ids = [row.id for row in doomed]
                session.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id.in_(ids)))
                session.execute(delete(Attachment).where(Attachment.id.in_(ids)))
            report.deleted += len(doomed)
            report.deleted_bytes += sum(row.received for row in doomed)
            report.kept += len(taken) - len(doomed)
        if len(taken) == len(rows) < batch:
            return report
        after = (taken[-1].created_at, taken[-1].id)


def _purge_lock(session: Session) -> bool:
    """One purging process at a time on PostgreSQL (the lock ends with the transaction); SQLite's BEGIN
    IMMEDIATE already lets one writer in."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text(f"SELECT pg_try_advisory_xact_lock({PURGE_LOCK})")))


def _stale(session: Session, cutoff: datetime, after: tuple[datetime, str] | None, batch: int) -> list[Any]:
    """The next uploads untouched since `cutoff`, oldest first, after `after` (those already looked at)."""
    query = select(Attachment.id, Attachment.uploader_id, Attachment.received, Attachment.created_at).where(
        Attachment.created_at < cutoff,
        or_(Attachment.completed_at.is_(None), Attachment.completed_at < cutoff),
    )
    if after is not None:
        query = query.where(
            or_(Attachment.created_at > after[0], and_(Attachment.created_at == after[0], Attachment.id > after[1]))
        )
    locked = query.order_by(Attachment.created_at, Attachment.id).limit(batch).with_for_update(skip_locked=True)
    return list(session.execute(locked).all())


def _within_budget(rows: list[Any]) -> Iterator[Any]:
    """The rows in order while their content stays within BATCH_BYTES (always the first)."""
    total = 0
    for n, row in enumerate(rows):
        total += row.received
        if n and total > BATCH_BYTES:
            return
        yield row


def _named(session: Session, uploaders: set[str]) -> set[str]:
    """The upload ids the applications of `uploaders` name, in any field."""
    if not uploaders:
        return set()
    found: set[str] = set()
    for data in session.scalars(select(Application.data).where(Application.applicant_id.in_(uploaders))):
        found.update(_ids_in(data))
    return found


def _ids_in(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield value["id"]
        for item in value.values():
            yield from _ids_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_in(item)


def effective_retention(setting: timedelta) -> timedelta:
    """The retention the server's purge uses: the setting, but never less than GRANT_TTL (logged when raised)."""
    if setting >= GRANT_TTL:
        return setting
    log.info(
        "attachment retention raised from %g h to %g h: an offline desk submission may be delivered that late",
        setting / _HOUR,
        GRANT_TTL / _HOUR,
        extra={"retention_setting_hours": setting / _HOUR, "retention_hours": GRANT_TTL / _HOUR},
    )
    return GRANT_TTL


class PurgeSchedule:
    """Runs the purge on a daemon thread of this process: at start, then every INTERVAL, with `retention`
    raised to GRANT_TTL when shorter (effective_retention)."""

    def __init__(self, sessions: sessionmaker[Session], retention: timedelta, interval: timedelta = INTERVAL) -> None:
        self.sessions = sessions
        self.retention = effective_retention(retention)
        self.interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="attachment-purge", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        delay = 0.0
        while not self._stopping.wait(delay):
            delay = self.interval.total_seconds()
            try:
                report = purge_unreferenced(self.sessions, older_than=self.retention)
            except Exception:  # the database away for a moment: try again next time
                log.exception("attachment purge failed")
                continue
            if report.deleted:
                log.info("deleted %d attachments no application names (%d bytes)", report.deleted, report.deleted_bytes)
