"""Sync on the server, over a real server on SQLite and PostgreSQL: idempotent push (replay returns the
stored result, the same id with another payload is a 409, concurrent duplicates apply once), rejected
operations recorded without blocking the rest, and pull by cursor, in pages, partitioned by the token's user."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, insert, select

from sync_server.core import sync
from sync_server.migrate import upgrade
from sync_server.models import ChangeLog
from tests.helpers import LIU, LIU_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer
from tests.server.workflow_helpers import PEOPLE


def op(seq: int, code: str, on: bool = True, op_id: str | None = None) -> dict[str, Any]:
    return {
        "id": op_id or str(uuid.uuid4()),
        "seq": seq,
        "type": "favorite.set",
        "payload": {"process_code": code, "on": on},
        "created_at": "2026-11-29T12:00:00+08:00",
    }


def push(server: LiveServer, token: str, ops: list[dict[str, Any]]) -> requests.Response:
    return requests.post(
        server.url + "/api/v1/sync/push", json={"device_id": "kiosk-1", "ops": ops}, headers=bearer(token), timeout=30
    )


def pull_all(server: LiveServer, token: str | None, limit: int = 2) -> tuple[list[dict[str, Any]], int]:
    cursor, changes = 0, []
    headers = bearer(token) if token else {}
    while True:
        page = requests.get(
            server.url + "/api/v1/sync/pull", params={"cursor": cursor, "limit": limit}, headers=headers, timeout=10
        ).json()
        changes += page["changes"]
        assert page["cursor"] >= cursor
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor


def test_push_applies_once_and_replays_return_the_stored_result(live_server: LiveServer) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    first = op(1, "jw-xiuxue")
    response = push(live_server, token, [first])
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": first["id"], "status": "applied", "result": {"process_code": "jw-xiuxue", "on": True}, "error": None}
    ]
    replay = push(live_server, token, [first]).json()["results"][0]
    assert replay["status"] == "duplicate" and replay["result"] == {"process_code": "jw-xiuxue", "on": True}
    changes, _ = pull_all(live_server, token)
    assert [c["id"] for c in changes if c["entity"] == "favorite"] == ["jw-xiuxue"]  # one effect, not two

    forged = dict(first, payload={"process_code": "jw-zhuanzhuanye", "on": True})
    conflict = push(live_server, token, [op(2, "jw-chengjidan"), forged])
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "idempotency_conflict"
    changes, _ = pull_all(live_server, token)
    assert [c["id"] for c in changes if c["entity"] == "favorite"] == ["jw-xiuxue"]  # nothing of that batch


def test_rejected_ops_are_recorded_and_do_not_block_the_rest(live_server: LiveServer) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    bad_process = op(2, "no-such-process")
    staff_only = op(3, "xj-diannao-weixiu")  # 教职工办公电脑维修申请 is not for students
    unknown = {**op(4, "x"), "type": "nonsense.do"}
    ops = [op(5, "jw-chengjidan"), bad_process, staff_only, unknown, op(1, "jw-xiuxue")]
    results = {r["id"]: r for r in push(live_server, token, ops).json()["results"]}
    assert results[bad_process["id"]]["status"] == "rejected"
    assert results[bad_process["id"]]["error"]["code"] == "process_not_found"
    assert results[staff_only["id"]]["error"]["code"] == "forbidden"
    assert results[unknown["id"]]["error"]["code"] == "unknown_type"
    assert results[ops[0]["id"]]["status"] == "applied" and results[ops[4]["id"]]["status"] == "applied"
    # A replay of a rejection is the same rejection, not a second attempt.
    again = push(live_server, token, [bad_process]).json()["results"][0]
    assert again["status"] == "duplicate" and again["error"]["code"] == "process_not_found"
    changes, _ = pull_all(live_server, token)
    assert [c["id"] for c in changes if c["entity"] == "favorite"] == ["jw-xiuxue", "jw-chengjidan"]  # seq order


def test_concurrent_duplicates_apply_exactly_once(live_server: LiveServer) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    same = op(1, "jw-xiuxue")
    statuses: list[str] = []

    def send() -> None:
        statuses.append(push(live_server, token, [same]).json()["results"][0]["status"])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(statuses) == ["applied"] + ["duplicate"] * 5
    changes, _ = pull_all(live_server, token)
    assert len([c for c in changes if c["entity"] == "favorite"]) == 1


def test_pull_is_partitioned_by_the_token_and_resumable(live_server: LiveServer) -> None:
    student = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    staff = activated(live_server, LIU, LIU_PW)["access_token"]
    push(live_server, student, [op(1, "jw-xiuxue"), op(2, "jw-chengjidan"), op(3, "jw-xiuxue", on=False)])
    push(live_server, staff, [op(1, "xj-diannao-weixiu")])
    everything, cursor = pull_all(live_server, student, limit=1)
    # Public changes (the forms and workflows) come to everyone; the rest is the token's user's own.
    assert {c["entity"] for c in everything if c["scope"] == "public"} == {"form", "workflow", "news"}
    # Signed in, also who holds the posts (for every signed-in user) and the user's own favourites.
    assert {c["entity"] for c in everything if c["scope"] == "user"} == {
        "workflow_handlers",
        "favorite",
        "calendar_event",  # the demo's timetable, meetings and personal events (docs/calendar.md)
        "application",  # the demo's past 办结 ones (我的申请)
    }
    mine = [c for c in everything if c["scope"] == "user" and c["entity"] == "favorite"]
    assert [(c["id"], c["op"]) for c in mine] == [
        ("jw-xiuxue", "upsert"),
        ("jw-chengjidan", "upsert"),
        ("jw-xiuxue", "delete"),
    ]
    theirs, _ = pull_all(live_server, staff)
    assert [c["id"] for c in theirs if c["scope"] == "user" and c["entity"] == "favorite"] == ["xj-diannao-weixiu"]
    anonymous, _ = pull_all(live_server, None)
    assert [c for c in anonymous if c["scope"] != "public"] == []  # nobody's favourites without a token
    # Resuming from the last cursor returns nothing already seen.
    page = requests.get(
        live_server.url + "/api/v1/sync/pull", params={"cursor": cursor}, headers=bearer(student), timeout=10
    ).json()
    assert page["changes"] == [] and page["cursor"] == cursor and page["epoch"]


def test_post_holders_only_for_signed_in_users(live_server: LiveServer) -> None:
    """Who holds a post (贾孟杰, 现教中心实验室管理科接收人) is not public: an anonymous pull and the anonymous
    workflow carry no staff names; a signed-in pull gets the holders as "workflow_handlers", a "user" change the
    kiosk wipes at logout, and count_remaining counts it."""
    staff = {p["user_id"]: p["name"] for p in PEOPLE.values() if p["role"] in ("staff", "approver", "admin")}
    assert staff["101207"] == "贾孟杰" and len(staff) > 40
    anonymous, _ = pull_all(live_server, None, limit=1000)
    assert {c["entity"] for c in anonymous} == {"form", "workflow", "news"}
    text = json.dumps(anonymous, ensure_ascii=False)
    assert [name for name in staff.values() if name in text] == []
    assert [user_id for user_id in staff if f'"{user_id}"' in text] == []
    workflow = requests.get(live_server.url + "/api/v1/hall/processes/xj-diannao-weixiu/workflow", timeout=10)
    assert workflow.status_code == 200 and workflow.json()["steps"][0]["key"] == "receive"
    assert "candidates" not in workflow.text and "贾孟杰" not in workflow.text

    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    signed_in, _ = pull_all(live_server, token, limit=1000)
    handlers = {c["id"]: c for c in signed_in if c["entity"] == "workflow_handlers"}
    repair = handlers["xj-diannao-weixiu"]
    assert (repair["scope"], repair["op"]) == ("user", "upsert")
    assert repair["data"] == {
        "process_code": "xj-diannao-weixiu",
        "version": 1,
        "steps": {
            "receive": [
                {
                    "user_id": "101207",
                    "name": "贾孟杰",
                    "department": "实验室管理科",
                    "post": "现教中心实验室管理科接收人",
                }
            ]
        },
    }
    assert sorted(h["name"] for h in handlers["jw-chengjidan"]["data"]["steps"]["handle"]) == ["袁丽萍", "陈晓燕"]
    # A step whose holders depend on the applicant (辅导员意见) is not listed, only the 学生处 post's.
    assert list(handlers["xs-tiaohuan-sushe"]["data"]["steps"]) == ["review"]
    first = requests.get(
        live_server.url + "/api/v1/sync/pull",
        params={"cursor": 0, "limit": 1, "count_remaining": "true"},
        headers=bearer(token),
        timeout=10,
    ).json()
    calendar = [c for c in signed_in if c["entity"] == "calendar_event"]  # the student's own timetable
    applications = [c for c in signed_in if c["entity"] == "application"]  # the demo's past 办结 ones
    assert first["remaining"] == len(signed_in) - 1
    assert len(signed_in) == len(anonymous) + len(handlers) + len(calendar) + len(applications)
    with_token = requests.get(
        live_server.url + "/api/v1/hall/processes/xj-diannao-weixiu/workflow", headers=bearer(token), timeout=10
    ).json()
    assert with_token["steps"][0]["candidates"] == repair["data"]["steps"]["receive"]
    assert "candidates" not in with_token["steps"][1]  # 申请人确认: nobody's post
    bad_token = requests.get(
        live_server.url + "/api/v1/hall/processes/xj-diannao-weixiu/workflow", headers=bearer("x" * 40), timeout=10
    )
    assert bad_token.status_code == 401


def test_push_needs_a_user_and_well_formed_ops(live_server: LiveServer) -> None:
    assert requests.post(live_server.url + "/api/v1/sync/push", json={"ops": []}, timeout=10).status_code == 401
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    same_id = str(uuid.uuid4())
    twice = push(live_server, token, [op(1, "jw-xiuxue", op_id=same_id), op(2, "jw-xiuxue", op_id=same_id)])
    assert twice.status_code == 422 and twice.json()["error"]["code"] == "duplicate_op_id"
    for bad in (
        {"id": "not-a-uuid", "seq": 1, "type": "favorite.set", "payload": {}, "created_at": ""},
        {"id": str(uuid.uuid4()), "seq": -1, "type": "favorite.set", "payload": {}, "created_at": ""},
        {"id": str(uuid.uuid4()), "seq": 1, "type": "favorite.set", "payload": [], "created_at": ""},
    ):
        response = push(live_server, token, [bad])
        assert response.status_code == 422, bad
    invalid = push(live_server, token, [{**op(1, "jw-xiuxue"), "payload": {"process_code": 5}}]).json()
    assert invalid["results"][0]["error"]["code"] == "invalid_payload"


def test_pull_with_a_bad_or_restricted_token_is_refused(live_server: LiveServer) -> None:
    url = live_server.url + "/api/v1/sync/pull"
    assert requests.get(url, headers={"Authorization": "Bearer forged"}, timeout=10).status_code == 401
    assert requests.get(url, headers={"Authorization": "Basic abc"}, timeout=10).status_code == 401
    fresh = requests.post(
        live_server.url + "/api/v1/auth/login", json={"user_id": STUDENT, "password": STUDENT_PW}, timeout=10
    ).json()["access_token"]
    restricted = requests.get(url, headers=bearer(fresh), timeout=10)
    assert restricted.status_code == 403 and restricted.json()["error"]["code"] == "password_change_required"


def test_the_migration_strips_post_holders_from_logged_workflow_changes(tmp_path: Path) -> None:
    """A database from before: its public "workflow" changes named post holders; after the upgrade an anonymous
    pull from cursor 0 no longer does, and everything else in them is kept."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0006")
    engine = create_engine(url)
    named = {"key": "handle", "name": "教务处办理", "assign": {"post": "jwc-bsy"}, "candidates": [{"name": "陈晓燕"}]}
    kept = {"key": "confirm", "name": "申请人确认", "assign": {"applicant": True}}
    with engine.begin() as conn:
        for scope, entity, data in (
            ("public", "workflow", {"process": "jw-chengjidan", "version": 1, "steps": [named, kept]}),
            ("public", "form", {"steps": [{"candidates": "not a workflow"}]}),
            ("public", "workflow", None),
        ):
            conn.execute(
                insert(ChangeLog.__table__).values(
                    scope=scope, entity=entity, entity_id="jw-chengjidan", op="upsert", data=data, created_at=sync.now()
                )
            )
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(select(ChangeLog.entity, ChangeLog.data).order_by(ChangeLog.seq)).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        (
            "workflow",
            {
                "process": "jw-chengjidan",
                "version": 1,
                "steps": [{k: v for k, v in named.items() if k != "candidates"}, kept],
            },
        ),
        ("form", {"steps": [{"candidates": "not a workflow"}]}),
        ("workflow", None),
    ]
