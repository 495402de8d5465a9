"""The kiosk's sync engine, without Qt: push the outbox in order and in batches, pull changes by cursor a
page per transaction, and the retry schedule. The view layer drives it from a timer and connectivity events.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from campus_common import op_signing
from kiosk.services.api_client import ApiClient, ApiError

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore

BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 60.0
PUSH_BATCH = 50
PULL_PAGE = 1000
# An operation the server fails on (500) this many times in a row, sent alone, is parked: the ones behind it go
# on, and it waits for a retry (the user's, or the next start) instead of jamming the queue forever.
PARK_AFTER = 5
PARKED_MESSAGE = "服务器多次处理失败"


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds before retry number `attempt` (0-based): exponential, capped at 60 s, with "equal jitter" so a
    fleet that lost the server together does not come back in lockstep."""
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * (2 ** min(attempt, 16)))
    return ceiling * (rng or random).uniform(0.5, 1.0)


def op_signer(op_key: str, session_id: str, device_id: str) -> Callable[[dict[str, Any]], str]:
    """What LocalStore.enqueue calls to sign an operation with the session's key (held in memory only)."""
    return lambda op: op_signing.sign(op_key, session_id, device_id, op)


@dataclass
class PushReport:
    sent: int = 0
    applied: int = 0
    rejected: int = 0
    parked: int = 0


class SyncEngine:
    def __init__(self, client: ApiClient, store: LocalStore, device_id: str) -> None:
        self.client = client
        self.store = store
        self.device_id = device_id

    def push(self, user_id: str) -> PushReport:
        """Send every pending operation of `user_id`, oldest first. Network failures raise ApiError (offline)
        with the operations still pending; the same ids are sent again later, and the server's idempotency
        turns a lost response into a "duplicate" answer, never a second effect."""
        report = PushReport()
        while True:
            batch = self.store.pending_ops(user_id, PUSH_BATCH)
            if not batch:
                return report
            self._send(report, batch, lambda ops: self.client.push_ops(self.device_id, ops))
            if len(batch) < PUSH_BATCH:
                return report

    def deliver_departed(self, current_user: str | None) -> PushReport:
        """Push the operations of users who have logged out (or timed out) of this terminal, without a token:
        each was signed at enqueue time with its session's operation key. A session the server no longer
        honours (revoked as compromised, or too old) gets its operations settled as rejected, so nothing
        stalls. Settled operations of absent users are then deleted: their payloads are personal."""
        report = PushReport()
        for _user, session_id in self.store.departed_sessions(current_user):
            while True:
                batch = self.store.pending_ops_of_session(session_id, PUSH_BATCH)
                if not batch:
                    break
                try:
                    self._send(report, batch, functools.partial(self.client.push_granted, self.device_id, session_id))
                except ApiError as exc:
                    if exc.code != "op_grant_invalid":
                        raise
                    report.rejected += self.store.reject_session_ops(session_id, exc.code, exc.message)
                    break
                if len(batch) < PUSH_BATCH:
                    break
        self.store.purge_settled(current_user)
        return report

    def _send(
        self,
        report: PushReport,
        batch: list[dict[str, Any]],
        push: Callable[[list[dict[str, Any]]], dict[str, Any]],
    ) -> None:
        """Push a batch. If the server fails on it (500: a bug or a value it cannot store, not an outage), send
        its operations one at a time, in order, to find the one it fails on; that one is parked once it has
        failed PARK_AFTER times, and the rest go on. Any other failure raises with the operations pending."""
        try:
            body = push(batch)
        except ApiError as exc:
            if not exc.is_server_fault:
                raise
        else:
            self._count(report, batch, body["results"])
            return
        for op in batch:
            try:
                body = push([op])
            except ApiError as exc:
                if not exc.is_server_fault:
                    raise
                if self.store.note_server_failure(op["id"]) < PARK_AFTER:
                    raise  # not yet: the round ends and is retried with backoff, the order kept
                # The server's own words for a 500 are not for the person at the screen.
                self.store.park(op["id"], exc.code, PARKED_MESSAGE)
                report.parked += 1
                continue
            self._count(report, [op], body["results"])

    def _count(self, report: PushReport, batch: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
        self.store.record_results(results)
        report.sent += len(batch)
        report.rejected += sum(1 for r in results if r["status"] == "rejected" or r.get("error"))
        report.applied += sum(1 for r in results if r["status"] in ("applied", "duplicate") and not r.get("error"))

    def pull(
        self,
        user_id: str | None,
        on_progress: Callable[[int, int], None] | None = None,
        still_current: Callable[[], bool] | None = None,
    ) -> int:
        """Fetch changes after the stored cursor, applying each page in one transaction with its cursor, so an
        interrupted pull resumes from the last whole page. A new server epoch (a restored server) restarts from
        zero; pending operations are untouched. Returns the number of changes applied."""
        applied = 0
        # A user's cursor is personal ("user." keys are wiped at logout, with the rows it led to).
        key = f"user.sync.cursor.{user_id}" if user_id else "sync.cursor.public"
        cursor = int(self.store.get_meta(key, "0") or 0)
        known_epoch = self.store.get_meta("sync.epoch")
        # The total is counted once, with the first page (a count per page would make a first pull quadratic).
        total: int | None = None
        while True:
            page: dict[str, Any] = self.client.pull(cursor, PULL_PAGE, count_remaining=total is None)
            if known_epoch is not None and page["epoch"] != known_epoch and cursor != 0:
                cursor, known_epoch, total = 0, page["epoch"], None
                self.store.reset_synced_state(user_id, key)
                continue
            if not self.store.apply_changes(
                user_id, page["changes"], key, page["cursor"], page["epoch"], still_current=still_current
            ):
                return applied  # the user left meanwhile: nothing of theirs is written any more
            known_epoch = page["epoch"]
            if total is None:
                total = len(page["changes"]) + int(page.get("remaining") or 0)
            applied += len(page["changes"])
            cursor = page["cursor"]
            if on_progress is not None:
                on_progress(applied, max(0, total - applied) if page["has_more"] else 0)
            if not page["has_more"]:
                return applied


@dataclass(frozen=True)
class QueueCounts:
    """How much waits: the signed-in user's operations (pending, rejected), and the terminal's (everyone's,
    those of users who have left included: what IT must see on a terminal that cannot reach the server)."""

    pending: int = 0
    rejected: int = 0
    waiting_all: int = 0


def queue_counts(store: LocalStore, user_id: str | None) -> QueueCounts:
    mine = store.outbox_counts(user_id) if user_id is not None else {"pending": 0, "rejected": 0}
    return QueueCounts(mine["pending"], mine["rejected"], store.outbox_counts()["pending"])


def sync_round(
    client: ApiClient,
    store: LocalStore,
    device_id: str,
    user_id: str | None,
    *,
    still_current: Callable[[], bool] | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> QueueCounts:
    """One whole round, blocking (run it on a worker): the signed-in user's queue pushed and their changes
    pulled (`client` holds their token), or, with nobody signed in, the public changes for the next person;
    then the queued operations of users who have left are delivered. `on_progress(0…1)` follows a user's
    first pull on this terminal, the one that takes long."""
    engine = SyncEngine(client, store, device_id)
    if user_id is not None:
        engine.push(user_id)
        first = not store.get_meta(f"user.sync.cursor.{user_id}")
        progress = None
        if first and on_progress is not None:
            on_progress(0.0)
            progress = lambda done, remaining: on_progress(done / max(1, done + remaining))  # noqa: E731
        engine.pull(user_id, on_progress=progress, still_current=still_current)
    else:
        engine.pull(None)  # public data (forms, catalog changes) for the next person, offline too
    engine.deliver_departed(user_id)
    return queue_counts(store, user_id)


__all__ = [
    "ApiError",
    "PushReport",
    "QueueCounts",
    "SyncEngine",
    "backoff_delay",
    "op_signer",
    "queue_counts",
    "sync_round",
]
