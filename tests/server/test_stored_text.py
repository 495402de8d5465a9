"""A stored value no client can take (a lone UTF-16 surrogate, NUL) never makes a read fail: the pull, the
application's view, the lists and the notifications answer 200 with U+FFFD in its place and log which row held
it; migration 0008 replaces such values already stored (issue 13)."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, select, text, update

from sync_server.core import stored_text
from sync_server.migrate import alembic_config, upgrade
from sync_server.models import Application, ApplicationEvent, AppliedOp, ChangeLog, Notification
from tests.helpers import LiveServer
from tests.server.workflow_helpers import JIA, LIU, REPAIR, REPAIR_CODE, Client

SURROGATE = "\ud800"
BAD = f"打印机{SURROGATE}坏了"  # what the probe stored: a lone surrogate between ordinary characters
FIXED = "打印机\ufffd坏了"
# Text a user may really type: a backslash sequence that only looks like an escaped NUL. It must survive as is.
LOOKALIKE = "路径 C:\\u0000\\temp"


# -- the replacement -----------------------------------------------------------------------------------------------
def test_clean_replaces_lone_surrogates_and_nul_in_keys_and_values() -> None:
    value = {"a": [BAD, {"k\x00": "x\x00y"}], "n": 3, "ok": "好", "pair": "\U0001f600"}
    cleaned, replaced = stored_text.clean(value)
    assert cleaned == {"a": [FIXED, {"k\ufffd": "x\ufffdy"}], "n": 3, "ok": "好", "pair": "\U0001f600"}
    assert replaced == 3
    sound = {"a": ["好", LOOKALIKE], "n": None}
    assert stored_text.clean(sound) == (sound, 0)


def test_safe_returns_a_sound_value_itself_and_reports_a_bad_one(caplog: pytest.LogCaptureFixture) -> None:
    sound = {"t": LOOKALIKE, "list": ["好", 1, None, True]}
    with caplog.at_level(logging.WARNING, logger="sync_server.stored_text"):
        assert stored_text.safe(sound, what="application", application_id="a1") is sound
        assert not caplog.records
        assert stored_text.safe({"t": BAD}, what="application", application_id="a1") == {"t": FIXED}
    [record] = caplog.records
    assert (record.stored, record.replaced, record.application_id) == ("application", 1, "a1")  # type: ignore[attr-defined]
    assert SURROGATE not in record.getMessage()  # the log names the row, it does not copy the text


def test_json_bytes_is_none_only_for_unsound_text() -> None:
    assert (
        stored_text.json_bytes({"t": "好", "l": LOOKALIKE})
        == json.dumps({"t": "好", "l": LOOKALIKE}, ensure_ascii=False, separators=(",", ":")).encode()
    )
    assert stored_text.json_bytes({"t": BAD}) is None
    assert stored_text.json_bytes({"t": "a\x00"}) is None


# -- reads over a bad row --------------------------------------------------------------------------------------------
def _server_warnings(server: LiveServer) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in server.log_path.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if "stored" in line]


def test_a_bad_stored_row_never_breaks_a_read(live_server: LiveServer) -> None:
    """Form data, an event and the applicant's logged change hold a lone surrogate, as the probe left them; then
    more changes follow. Every read the applicant and the handler make still answers 200, with U+FFFD in place
    of the bad character and everything after it delivered."""
    liu, jia = Client(live_server, LIU), Client(live_server, JIA)
    app_id = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    assert jia.act(app_id, "comment", comment="已收到").status_code == 200
    sqlite = live_server.db_url.startswith("sqlite")
    engine = create_engine(live_server.db_url)
    with engine.begin() as conn:
        data = conn.execute(select(Application.data).where(Application.id == app_id)).scalar_one()
        conn.execute(update(Application).where(Application.id == app_id).values(data={**data, "problem": BAD}))
        conn.execute(
            update(ApplicationEvent)
            .where(ApplicationEvent.application_id == app_id, ApplicationEvent.action == "comment")
            .values(data={f"备注{SURROGATE}": [BAD]})
        )
        seq = conn.execute(
            select(ChangeLog.seq)
            .where(ChangeLog.entity == "application", ChangeLog.entity_id == app_id)
            .order_by(ChangeLog.seq.desc())
            .limit(1)
        ).scalar_one()
        logged = conn.execute(select(ChangeLog.data).where(ChangeLog.seq == seq)).scalar_one()
        bad_view = {**logged, "data": {**logged["data"], "problem": BAD}}
        conn.execute(update(ChangeLog).where(ChangeLog.seq == seq).values(data=bad_view))
        if sqlite:  # PostgreSQL's text columns cannot hold NUL or a surrogate at all
            conn.execute(text("UPDATE notifications SET body = body || char(0) || '!' WHERE user_id = :u"), {"u": JIA})
            conn.execute(text("UPDATE users SET name = name || char(0) WHERE user_id = :u"), {"u": LIU})
    engine.dispose()
    # A change after the bad one: the pull must get past it.
    assert liu.act(app_id, "comment", comment="请尽快").status_code == 200

    changes = liu.pull()  # asserts nothing by itself: a 500 page has no "changes"
    bad = next(c for c in changes if c["seq"] == seq)
    assert bad["data"]["data"]["problem"] == FIXED
    later = [c for c in changes if c["seq"] > seq and c["entity"] == "application" and c["id"] == app_id]
    assert later and later[-1]["data"]["events"][-1]["comment"] == "请尽快"
    assert later[-1]["data"]["data"]["problem"] == FIXED
    assert jia.pull()  # the handler's task changes carry the application's view too

    for client in (liu, jia):
        view = client.application(app_id)
        assert view["data"]["problem"] == FIXED
        assert {"备注\ufffd": [FIXED]} in [e["data"] for e in view["events"]]
    todo = jia.box("todo")["items"]
    assert [i["application_id"] for i in todo] == [app_id]
    assert liu.box("mine")["total"] >= 1
    notes = jia.get("/api/v1/me/notifications")
    assert notes.status_code == 200, notes.text
    if sqlite:
        assert todo[0]["applicant_name"] == "刘诗宏\ufffd"
        assert all(n["body"].endswith("\ufffd!") for n in notes.json()["items"])

    warnings = _server_warnings(live_server)
    assert {"stored": "change", "seq": seq, "entity": "application", "entity_id": app_id} in [
        {k: w.get(k) for k in ("stored", "seq", "entity", "entity_id")} for w in warnings
    ]
    assert any(w["stored"] == "application" and w["application_id"] == app_id for w in warnings)
    assert not any(SURROGATE in json.dumps(w) or "\\ud800" in json.dumps(w) for w in warnings)


# -- the migration ---------------------------------------------------------------------------------------------------
def test_migration_0008_replaces_bad_text_already_stored(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Rows written straight into a database at revision 0007, bypassing the API, as the probe's pushes left
    them; after the upgrade each holds U+FFFD where the bad character was, and the sound rows are untouched."""
    command.downgrade(alembic_config(db_url), "0007")  # 0008 changes no schema: this is the database before it
    sqlite = db_url.startswith("sqlite")
    now = datetime.now(UTC)
    app_id, op_id = uuid.uuid4().hex, str(uuid.uuid4())
    engine = create_engine(db_url)
    with engine.begin() as conn:
        bad_seq, sound_seq = (
            conn.execute(
                insert(ChangeLog)
                .values(
                    scope="user:101203", entity="application", entity_id=app_id, op="upsert", data=data, created_at=now
                )
                .returning(ChangeLog.seq)
            ).scalar_one()
            for data in ({"problem": BAD, f"k{SURROGATE}": ["a\x00b", 1, None]}, {"problem": "好", "p": LOOKALIKE})
        )
        conn.execute(
            insert(Application).values(
                id=app_id,
                serial=990001,
                process_code=REPAIR_CODE,
                applicant_id=LIU,
                form_version=1,
                data={**REPAIR, "problem": BAD},
                status="submitted",
                created_at=now,
                updated_at=now,
                visit=0,
            )
        )
        event_id = conn.execute(
            insert(ApplicationEvent)
            .values(
                application_id=app_id,
                visit=0,
                action="comment",
                actor_id=JIA,
                actor_name="贾孟杰",
                comment="a\x00b" if sqlite else "ok",
                data={"note": BAD},
                created_at=now,
            )
            .returning(ApplicationEvent.id)
        ).scalar_one()
        conn.execute(
            insert(AppliedOp).values(
                op_id=op_id,
                user_id=LIU,
                device_id="kiosk",
                seq=1,
                type="workflow.comment",
                payload_hash="0" * 64,
                status="rejected",
                error={"code": "unknown_type", "message": f"未知的操作类型：{SURROGATE}"},
                created_at=now,
            )
        )
        if sqlite:
            note_id = conn.execute(
                insert(Notification)
                .values(user_id=JIA, kind="task", title="t", body="意见\x00", created_at=now)
                .returning(Notification.id)
            ).scalar_one()
            # An encoded surrogate (ED A0 80), which the driver itself refuses to read back.
            conn.execute(
                text("UPDATE notifications SET title = CAST(X'41EDA08042' AS TEXT) WHERE id = :id"), {"id": note_id}
            )
    with caplog.at_level(logging.INFO, logger="sync_server.migrations"):
        upgrade(db_url)
    with engine.connect() as conn:
        logged = dict(
            conn.execute(select(ChangeLog.seq, ChangeLog.data).where(ChangeLog.seq.in_([bad_seq, sound_seq]))).all()
        )
        app_data = conn.execute(select(Application.data).where(Application.id == app_id)).scalar_one()
        event = conn.execute(
            select(ApplicationEvent.comment, ApplicationEvent.data).where(ApplicationEvent.id == event_id)
        ).one()
        error = conn.execute(select(AppliedOp.error).where(AppliedOp.op_id == op_id)).scalar_one()
        note = (
            conn.execute(select(Notification.title, Notification.body).where(Notification.id == note_id)).one()
            if sqlite
            else None
        )
    engine.dispose()

    assert logged[bad_seq] == {"problem": FIXED, "k\ufffd": ["a\ufffdb", 1, None]}
    assert logged[sound_seq] == {"problem": "好", "p": LOOKALIKE}
    assert app_data == {**REPAIR, "problem": FIXED}
    assert tuple(event) == ("a\ufffdb" if sqlite else "ok", {"note": FIXED})
    assert error == {"code": "unknown_type", "message": "未知的操作类型：\ufffd"}
    if sqlite:
        assert tuple(note) == ("A\ufffdB", "意见\ufffd")
    [record] = [r for r in caplog.records if r.getMessage().startswith("0008")]
    expected = {"change_log.data": 1, "applications.data": 1, "application_events.data": 1, "applied_ops.error": 1}
    if sqlite:
        expected |= {"application_events.comment": 1, "notifications.title": 1, "notifications.body": 1}
    assert record.rows_changed == expected  # type: ignore[attr-defined]
