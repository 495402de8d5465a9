"""Group commit: the write transactions of concurrent requests share one transaction and one commit.

Why: SQLite runs one writer at a time and every commit waits for its fsync (synchronous=FULL), so a push cost
one fsync however small it was, and 32 pushes under way queued for the write lock one fsync after another
(bench/README.md, "the write path"). PostgreSQL runs writers side by side, but a push alone was a dozen round
trips, a third of them the transaction's own (BEGIN, the pool's ping, the change log's lock, the NOTIFY, the
COMMIT), each with its share of the driver's and SQLAlchemy's CPU (bench/README.md, "A campus push on
PostgreSQL").

How (leader/follower, no thread of its own): a request adds its work to the queue. If nobody is leading, it
leads: it takes the queue (up to `max_weight`), runs the pieces in one transaction, commits, and hands every
piece its outcome. If a piece fails, the transaction is rolled back and the batch run again (`_all_at_once`:
pieces seldom fail): on SQLite in one transaction, each piece in a savepoint of its own; on PostgreSQL (a
`prelude` is given) each piece alone, in a transaction of its own, as without the group commit. Work that
arrived meanwhile forms the next batch, led by its oldest request, so no request leads for longer than its own
batch. A request gets its answer only after the commit that holds its effect: a 200 still means durable.

What a piece sees: the effects of the pieces before it in the batch (they are one transaction), never a
rollback of another's: a piece that raises is run again without it, and gets the exception; the others
commit. If the commit itself fails, every piece of the batch gets that error (nothing of it was written), as
each would have alone.

Locks on PostgreSQL: the batch's prelude takes the row locks its pieces need (core/sync.py: their users), all
of them sorted, before any piece runs; another worker's batch takes its own in the same order, so two batches
never wait for each other in a circle. The change log's writer lock is taken at the commit (core/change_log.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


# Set in the session's info while a batch runs the careful way, each piece in its savepoint: a piece may then
# take savepoints of its own where it needs them (core/sync.py `_apply_in`).
CAREFUL = "group_commit_careful"


class RunCarefully(Exception):
    """Raised by a piece that cannot finish without savepoints of its own (an operation refused halfway): the
    batch is rolled back and run again the careful way."""


@dataclass
class _Piece(Generic[T]):
    work: Callable[[Session], T]
    weight: int
    key: Any = None
    alone: Callable[[], T] | None = None
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    result: Any = None
    error: BaseException | None = None


class GroupCommit:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        max_weight: int = 256,
        prelude: Callable[[Session, list[Any]], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.max_weight = max_weight
        # PostgreSQL (`prelude` given): before the batch, `prelude(session, keys)` takes the pieces' locks in
        # one order (their keys sorted), so two batches never wait for each other in a circle; and a batch that
        # fails is run again piece by piece, each alone in its own transaction (`_Piece.alone`), as without
        # the group commit: a savepoint per piece would keep a deadlock a deadlock.
        self.prelude = prelude
        self._lock = threading.Lock()
        self._queue: list[_Piece[Any]] = []
        self._leading = False
        self.batches = 0  # for tests and the bench: how many commits served how many pieces
        self.pieces = 0
        self.retried = 0  # batches run again piece by piece after one of them failed

    def run(
        self, work: Callable[[Session], T], weight: int = 1, key: Any = None, alone: Callable[[], T] | None = None
    ) -> T:
        """Run `work(session)` in a shared write transaction; return its result once committed. With a
        prelude, `key` is what it locks for the piece and `alone()` runs the piece in a transaction of its own."""
        piece: _Piece[T] = _Piece(work, max(1, weight), key, alone)
        with self._lock:
            self._queue.append(piece)
            if not self._leading:
                self._leading = piece.lead = True
        if not piece.lead:
            piece.done.wait()  # set when our batch committed, or when we are to lead the next one
        if piece.lead:
            self._lead()
        if piece.error is not None:
            raise piece.error
        result: T = piece.result
        return result

    def _lead(self) -> None:
        with self._lock:
            batch: list[_Piece[Any]] = []
            weight = 0
            while self._queue and (not batch or weight + self._queue[0].weight <= self.max_weight):
                weight += self._queue[0].weight
                batch.append(self._queue.pop(0))
        try:
            self._commit(batch)
        finally:
            with self._lock:
                if self._queue:  # the oldest waiting request leads the next batch
                    successor = self._queue[0]
                    successor.lead = True
                    successor.done.set()
                else:
                    self._leading = False
            for piece in batch:
                if not piece.lead:
                    piece.done.set()

    def _commit(self, batch: list[_Piece[Any]]) -> None:
        self.batches += 1
        self.pieces += len(batch)
        if self._all_at_once(batch):
            return
        self.retried += 1
        if self.prelude is not None:
            for piece in batch:
                try:
                    assert piece.alone is not None
                    piece.result, piece.error = piece.alone(), None
                except Exception as exc:  # the piece's own error, raised in its thread
                    piece.result, piece.error = None, exc
            return
        try:
            with self.sessions.begin() as session:
                session.info[CAREFUL] = True
                for piece in batch:
                    try:
                        with session.begin_nested():
                            piece.result = piece.work(session)
                    except Exception as exc:  # this piece's error; its savepoint is rolled back
                        piece.error = exc
        except Exception as exc:  # the commit (or a savepoint's rollback) failed: none of the batch was written
            for piece in batch:
                piece.result, piece.error = None, exc

    def _all_at_once(self, batch: list[_Piece[Any]]) -> bool:
        """First the whole batch without savepoints: a savepoint and its release per piece were a tenth of a
        push's CPU (bench/README.md, "the write path"), and a piece seldom fails. True when every piece ran and
        the batch committed. Otherwise nothing of it was written, and `_commit` runs it again the careful way,
        each piece in its savepoint, so that a failing piece fails alone. A piece alone needs no second run (its
        error is its own) unless it asks for one (RunCarefully)."""
        results: list[Any] = []
        try:
            with self.sessions.begin() as session:
                if self.prelude is not None:
                    self.prelude(session, sorted({piece.key for piece in batch}))
                for piece in batch:
                    results.append(piece.work(session))
        except Exception as exc:
            if len(batch) > 1 or isinstance(exc, RunCarefully):
                return False
            batch[0].result, batch[0].error = None, exc
            return True
        for piece, result in zip(batch, results, strict=True):
            piece.result, piece.error = result, None
        return True


_committers: WeakKeyDictionary[sessionmaker[Session], GroupCommit] = WeakKeyDictionary()
_committers_lock = threading.Lock()


def committer_for(
    sessions: sessionmaker[Session], prelude: Callable[[Session, list[Any]], None] | None = None
) -> GroupCommit:
    """The one GroupCommit of these sessions (made on first use, with `prelude`). Each uvicorn worker has its
    own Database and so its own; on SQLite the workers' batches then queue for the write lock as single pushes
    did, on PostgreSQL they run side by side."""
    with _committers_lock:
        found = _committers.get(sessions)
        if found is None:
            found = _committers[sessions] = GroupCommit(sessions, prelude=prelude)
        elif found.prelude is not prelude:
            raise ValueError("these sessions' group commit was made with another prelude")
        return found
