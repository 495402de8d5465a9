"""SQLite's writers of one process take turns (db.WriteTurns): first come, first served, instead of SQLite's
sleeping busy handler, under which a writer outside the group commit waited seconds for a gap between batches."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync_server.core import sync
from sync_server.core.meta import get_meta, set_meta
from sync_server.db import Database, WriteTurns
from tests.helpers import copy_sqlite
from tests.server.workflow_helpers import STUDENT


@pytest.fixture
def db(seeded_sqlite: Path, tmp_path: Path) -> Iterator[Database]:
    database = Database(copy_sqlite(seeded_sqlite, tmp_path))
    yield database
    database.dispose()


def test_writers_get_the_lock_in_the_order_they_asked(db: Database) -> None:
    release = threading.Event()
    order: list[str] = []

    def holder() -> None:
        with db.transaction() as session:
            set_meta(session, "turn-first", "1")
            assert release.wait(10)

    def writer(name: str) -> None:
        with db.transaction() as session:
            order.append(name)
            set_meta(session, f"turn-{name}", name)

    first = threading.Thread(target=holder)
    first.start()
    time.sleep(0.2)
    threads = []
    for name in "abcde":  # each asks while the ones before it wait
        threads.append(threading.Thread(target=writer, args=(name,)))
        threads[-1].start()
        time.sleep(0.1)
    release.set()
    for thread in [first, *threads]:
        thread.join(10)
        assert not thread.is_alive()
    assert order == list("abcde")
    with db.read_sessions() as session:
        assert [get_meta(session, f"turn-{n}") for n in "abcde"] == list("abcde")


def test_a_writer_beside_a_stream_of_pushes_waits_for_one_batch_not_for_luck(db: Database) -> None:
    """16 threads push ★ after ★ for 3 s (group commit, batch after batch on SQLite's one write lock); another
    write transaction meanwhile gets in within a batch or two. Under SQLite's busy handler alone it found the lock
    free only between two batches, by luck: a median of 0.44 s and up to 2.4 s here (5–24 ms with turns, at
    most 112 ms; bench/README.md, "the campus morning")."""
    stop = time.monotonic() + 3.0
    waited: list[float] = []

    def pusher(n: int) -> None:
        seq = 0
        while time.monotonic() < stop:
            seq += 1
            op = {
                "id": str(uuid.uuid4()),
                "seq": seq,
                "type": "favorite.set",
                "payload": {"process_code": "jw-chengjidan", "on": seq % 2 == 0},
                "created_at": "",
            }
            assert sync.push(db.sessions, STUDENT, f"t{n}", [op])[0]["status"] == "applied"

    def other_writer() -> None:
        time.sleep(0.3)
        while time.monotonic() < stop - 0.3:
            asked = time.monotonic()
            with db.transaction() as session:
                set_meta(session, "turn-news", str(asked))
            waited.append(time.monotonic() - asked)
            time.sleep(0.05)

    threads = [threading.Thread(target=pusher, args=(n,)) for n in range(16)] + [threading.Thread(target=other_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert len(waited) >= 5
    assert statistics.median(waited) < 0.2 and max(waited) < 1.0, waited
    assert sync.committer(db.sessions).batches > 0


def test_a_turn_never_given_back_delays_the_next_writer_but_does_not_stop_it() -> None:
    turns = WriteTurns(timeout=0.2)
    assert turns.take()  # and never given back
    asked = time.monotonic()
    assert not turns.take()
    assert 0.15 < time.monotonic() - asked < 2.0
    turns.give()
    assert turns.take()  # free again once given


def test_every_way_a_transaction_ends_gives_the_turn_back(db: Database) -> None:
    outcomes: list[Any] = []
    with db.transaction() as session:  # committed
        set_meta(session, "turn-ends", "1")
    with pytest.raises(RuntimeError), db.transaction() as session:  # rolled back by an error
        set_meta(session, "turn-ends", "2")
        raise RuntimeError("refused")
    with db.sessions() as session:  # closed without a commit
        set_meta(session, "turn-ends", "3")
    asked = time.monotonic()
    with db.transaction() as session:  # would wait for its turn (10 s) if one of the above kept it
        outcomes.append(get_meta(session, "turn-ends"))
    assert time.monotonic() - asked < 1.0
    assert outcomes == ["1"]
