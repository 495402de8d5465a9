"""The queue never stalls on one operation: one the server keeps failing on (500) is parked after PARK_AFTER
tries alone, the ones behind it are delivered, and it can be retried or given up; it survives logout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.models.store import LocalStore
from kiosk.models.tables import LocalFavorite
from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.sync import PARK_AFTER, SyncEngine
from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, FailingProxy, LiveServer, activated, login


@pytest.fixture
def proxy(shared_server: LiveServer) -> Iterator[FailingProxy]:
    failing = FailingProxy(shared_server.url, "notification.read")
    yield failing
    failing.stop()


def _token(server: LiveServer) -> str:
    """The student's access token on the module's shared server (activated by whichever test came first)."""
    again = login(server, STUDENT, NEW_PW)
    return str(again.json()["access_token"] if again.ok else activated(server, STUDENT, STUDENT_PW)["access_token"])


def _favorite(store: LocalStore, code: str) -> dict[str, Any]:
    def local(session: Any) -> None:
        session.merge(LocalFavorite(user_id=STUDENT, process_code=code))

    return store.enqueue(STUDENT, "favorite.set", {"process_code": code, "on": True}, local, entity=f"favorite:{code}")


def test_a_failing_operation_is_parked_and_the_queue_goes_on(
    shared_server: LiveServer, proxy: FailingProxy, tmp_path: Path
) -> None:
    client = ApiClient(proxy.url)
    client.access_token = _token(shared_server)
    store = LocalStore(tmp_path / "kiosk.db")
    engine = SyncEngine(client, store, "kiosk-parking")
    before = _favorite(store, "jw-xiuxue")
    bad = store.enqueue(STUDENT, "notification.read", {"all": True})
    after = _favorite(store, "jw-chengjidan")

    for _round in range(PARK_AFTER - 1):
        with pytest.raises(ApiError) as failed:
            engine.push(STUDENT)
        assert failed.value.status == 500
    # Until it is parked the order holds: what came before went, what came after waits.
    states = store.op_states(STUDENT, "favorite:")
    assert states["favorite:jw-xiuxue"]["status"] == "applied"
    assert states["favorite:jw-chengjidan"]["status"] == "pending"

    report = engine.push(STUDENT)  # the PARK_AFTER-th failure: parked, and the rest delivered
    assert report.parked == 1 and report.applied == 1
    assert store.op_states(STUDENT, "favorite:")["favorite:jw-chengjidan"]["status"] == "applied"
    assert [op["id"] for op in store.parked_ops(STUDENT)] == [bad["id"]]
    assert store.outbox_counts(STUDENT) == {"pending": 0, "applied": 2, "rejected": 0, "parked": 1}
    assert proxy.failed == 2 * PARK_AFTER  # each round: the batch, then the operation alone
    assert engine.push(STUDENT).sent == 0  # parked: no longer sent, nothing else waits

    # It survives the user's logout and the purge of settled operations, like a pending one.
    store.wipe_personal()
    store.purge_settled(None)
    assert [op["id"] for op in store.parked_ops()] == [bad["id"]]

    # 重试: in the queue again with a fresh count; with the server fixed, it is delivered.
    assert store.retry_parked(STUDENT) == 1
    proxy.fail_type = ""
    assert engine.push(STUDENT).applied == 1
    assert store.outbox_counts(STUDENT)["parked"] == 0
    assert before["id"] != after["id"]
    store.close()


def test_a_parked_operation_can_be_given_up(shared_server: LiveServer, proxy: FailingProxy, tmp_path: Path) -> None:
    proxy.fail_type = "favorite.set"
    client = ApiClient(proxy.url)
    client.access_token = _token(shared_server)
    store = LocalStore(tmp_path / "kiosk.db")
    engine = SyncEngine(client, store, "kiosk-parking-2")
    op = _favorite(store, "jw-fuxue")
    for _round in range(PARK_AFTER - 1):
        with pytest.raises(ApiError):
            engine.push(STUDENT)
    assert engine.push(STUDENT).parked == 1
    assert store.favorites(STUDENT) == ["jw-fuxue"]  # parked: its local effect stays, it may yet be applied
    assert not store.discard_parked("SOMEONE-ELSE", op["id"])  # only its own user may give it up
    assert store.discard_parked(STUDENT, op["id"])
    assert store.favorites(STUDENT) == []  # given up: undone here, as a refusal would be
    assert store.op_states(STUDENT, "favorite:")["favorite:jw-fuxue"] == {"status": "rejected", "error": "已放弃同步"}
    store.close()


def test_an_unavailable_server_parks_nothing(shared_server: LiveServer, tmp_path: Path) -> None:
    """503 (overloaded) and a refused connection are outages, not this operation's fault: never parked."""
    store = LocalStore(tmp_path / "kiosk.db")
    engine = SyncEngine(ApiClient("http://127.0.0.1:9"), store, "kiosk-offline")
    _favorite(store, "jw-xiuxue")
    for _round in range(PARK_AFTER + 2):
        with pytest.raises(ApiError) as failed:
            engine.push(STUDENT)
        assert failed.value.is_offline
    assert store.outbox_counts(STUDENT)["pending"] == 1 and store.parked_ops() == []
    store.close()
