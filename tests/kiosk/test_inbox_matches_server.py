"""Issue 20's wrong information, tested against the server's own lists: after a sync, a desk's 我的申请 lists
what the server lists for the user (the demo's past applications included), 已办 shows where each application
is now as the server reports it (办结, back with the applicant), and handling a task marks its notifications
read on the server, so the bell of every terminal drops."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.models.store import LocalStore
from kiosk.services.api_client import ApiClient
from kiosk.services.inbox import box_items, read_inbox
from kiosk.services.sync import sync_round
from tests.helpers import LiveServer
from tests.server.workflow_helpers import JWC_A, JWC_B, STUDENT, Client, example, positive

CODE = "jw-zaidu-zhengming"  # 在读学籍证明申请: one step, 教务处办理


def _synced(server: LiveServer, person: Client, tmp_path: Path) -> LocalStore:
    store = LocalStore(tmp_path / f"desk-{person.user_id}.db")
    client = ApiClient(server.url).with_token(person.token)
    sync_round(client, store, f"desk-{person.user_id}", person.user_id)
    return store


def _server_box(person: Client, box: str) -> list[dict[str, Any]]:
    body = person.box(box, limit=100)
    assert body["total"] == len(body["items"])
    return list(body["items"])


def test_mine_lists_what_the_server_lists(shared_server: LiveServer, tmp_path: Path) -> None:
    # 陈晓燕 is staff: the demo's past 办结 applications include some of hers, made by the seed, not by an action.
    staff = Client(shared_server, JWC_A)
    server_mine = _server_box(staff, "mine")
    assert len(server_mine) >= 1
    store = _synced(shared_server, staff, tmp_path)
    snapshot = read_inbox(store, JWC_A)
    rows = box_items(snapshot, "mine", {}, datetime.now(UTC))
    assert [(r.application_id, r.status, r.serial) for r in rows] == [
        (a["application_id"], a["status"], str(a["serial"])) for a in server_mine
    ]
    assert snapshot.counts["mine"] == staff.box("mine")["total"]
    store.close()


def test_done_and_the_bell_follow_the_server(shared_server: LiveServer, tmp_path: Path) -> None:
    student, handler, colleague = (Client(shared_server, u) for u in (STUDENT, JWC_A, JWC_B))
    apps = [student.submit(CODE, example(CODE, STUDENT)) for _ in range(3)]
    handled = {
        a["application_id"]: a["task"]["id"] for a in _server_box(handler, "todo") if a["application_id"] in apps
    }
    assert len(handled) == 3
    approve = example(CODE, JWC_A, "handle", positive(CODE, "handle"))
    assert handler.act(apps[0], "approve", task_id=handled[apps[0]], data=approve).status_code == 200
    assert handler.act(apps[1], "return", task_id=handled[apps[1]], comment="请写明接收单位").status_code == 200

    # The server: 办结 and 申请人修改; what both 教务处办事员 were asked on them is read, the third still waits.
    server_done = {a["application_id"]: a for a in _server_box(handler, "done") if a["application_id"] in apps}
    assert {a: v["current_step_name"] for a, v in server_done.items()} == {apps[0]: "办结", apps[1]: "申请人修改"}
    for person in (handler, colleague):
        unread = person.get("/api/v1/me/notifications", unread="true", limit=100).json()["items"]
        assert {n["application_id"] for n in unread} & set(apps) == {apps[2]}

    store = _synced(shared_server, handler, tmp_path)
    snapshot = read_inbox(store, JWC_A)
    rows = {r.application_id: r for r in box_items(snapshot, "done", {}, datetime.now(UTC))}
    for app_id, listed in server_done.items():
        assert (rows[app_id].step_name, rows[app_id].status) == (listed["current_step_name"], listed["status"])
    local_unread = {n["application_id"] for n in snapshot.notifications if not n["read"]}
    assert local_unread & set(apps) == {apps[2]}
    assert snapshot.counts["unread"] == handler.get("/api/v1/me/tasks/counts").json()["unread_notifications"]
    store.close()

    # The applicant's 退回 asked them to revise: read once they resubmit, and 办结 stays unread (it only informs).
    def unread_kinds() -> dict[str, set[str]]:
        notes = student.get("/api/v1/me/notifications", unread="true", limit=100).json()["items"]
        return {a: {n["kind"] for n in notes if n["application_id"] == a} for a in apps[:2]}

    assert unread_kinds() == {apps[0]: {"completed"}, apps[1]: {"returned"}}
    assert student.act(apps[1], "resubmit", data=example(CODE, STUDENT)).status_code == 200
    assert unread_kinds() == {apps[0]: {"completed"}, apps[1]: set()}
