"""Notifications reach the mail dispatcher when the outermost transaction commits, not when a SAVEPOINT inside it
is released (each pushed operation runs in one): handed over early, the dispatcher's claim on PostgreSQL saw no
committed row and the mail was never sent."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from sync_server.core import notification_delivery


class Recorder:
    def __init__(self) -> None:
        self.submitted: list[list[int]] = []

    def submit(self, ids: list[int]) -> None:
        self.submitted.append(list(ids))


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(notification_delivery, "DISPATCHER", recorder)
    return recorder


def _session() -> Any:
    return Session(create_engine("sqlite://"))


def test_handed_over_at_the_outer_commit_not_at_a_savepoint(recorder: Recorder) -> None:
    session = _session()
    with session.begin():
        with session.begin_nested():
            session.execute(text("SELECT 1"))
            notification_delivery.deliver_after_commit(session, 1)
        assert recorder.submitted == []  # the SAVEPOINT is released; nothing is committed yet
        try:
            with session.begin_nested():  # a later operation rejected: its SAVEPOINT rolls back
                notification_delivery.deliver_after_commit(session, 2)
                raise ValueError("rejected")
        except ValueError:
            pass
        assert recorder.submitted == []
    # Both ids: the rejected one names no pending row, and the dispatcher's claim skips it.
    assert recorder.submitted == [[1, 2]]


def test_forgotten_when_the_outer_transaction_rolls_back(recorder: Recorder) -> None:
    session = _session()
    session.begin()
    with session.begin_nested():
        notification_delivery.deliver_after_commit(session, 1)
    session.rollback()
    session.begin()
    session.commit()
    assert recorder.submitted == []
