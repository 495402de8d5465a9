"""个人中心 › 通知设置 on the server: the `settings.notify.set` operation (one's own settings only, partial updates),
synced back to the user's devices, and honoured by the e-mail dispatcher against a real local SMTP server
(aiosmtpd) — a user who turned mail off gets none, while the in-app notification still arrives."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from sync_server.db import Database
from sync_server.models import Notification
from tests.helpers import LiveServer
from tests.server.smtp_capture import Mailbox, subject
from tests.server.workflow_helpers import JIA, LIU, PEOPLE, REPAIR, REPAIR_CODE, Client, latest


def _statuses(db_url: str) -> dict[str, list[tuple[str, str]]]:
    db = Database(db_url)
    try:
        with db.sessions() as s:
            out: dict[str, list[tuple[str, str]]] = {}
            for row in s.scalars(select(Notification).order_by(Notification.id)):
                out.setdefault(row.user_id, []).append((row.kind, row.email_status))
            return out
    finally:
        db.dispose()


def test_mail_follows_each_users_settings_and_the_in_app_message_still_arrives(
    db_url: str, tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    server = LiveServer(
        db_url=db_url,
        workdir=tmp_path,
        extra_env={"CAMPUS_SYNC_SMTP_HOST": "127.0.0.1", "CAMPUS_SYNC_SMTP_PORT": str(port)},
    ).start()
    try:
        liu, jia = Client(server, LIU), Client(server, JIA)
        # Before any change the settings are the defaults, and nothing about them is in the pull.
        assert latest(jia.pull(), "notify_settings") == {}

        turned = jia.push("settings.notify.set", {"email_todo": False})
        assert turned["status"] == "applied", turned
        assert turned["result"] == {"email_todo": False, "email_result": True}
        # Partial updates: LIU's second switch does not undo the first one (two devices, each one switch).
        assert liu.push("settings.notify.set", {"email_result": False})["status"] == "applied"
        assert liu.push("settings.notify.set", {"email_todo": True})["result"] == {
            "email_todo": True,
            "email_result": False,
        }

        # Another device of JIA's learns the choice by the pull; LIU's pull holds only LIU's.
        assert latest(jia.pull(), "notify_settings") == {"email": {"email_todo": False, "email_result": True}}
        assert latest(liu.pull(), "notify_settings") == {"email": {"email_todo": True, "email_result": False}}

        app_id = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)  # JIA: a new 待办, mail off
        assert jia.act(app_id, "approve", data={"acceptor": "刘诗宏", "repair_result": "已修好"}).status_code == 200
        assert liu.act(app_id, "approve").status_code == 200  # LIU: 待确认 (a 待办, mailed), then 办结 (off)

        expected = {JIA: [("task", "off")], LIU: [("task", "sent"), ("completed", "off")]}
        deadline = time.monotonic() + 15
        while _statuses(db_url) != expected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _statuses(db_url) == expected
        assert [(to, subject(m)) for to, m in box.messages] == [
            ([PEOPLE[LIU]["email"]], "待确认：教职工办公电脑维修申请")
        ]
        # The in-app 消息 arrive whatever the mail settings say.
        jia_messages = jia.get("/api/v1/me/notifications").json()["items"]
        assert [m["title"] for m in jia_messages] == ["新的待办：教职工办公电脑维修申请"]
        assert len(liu.get("/api/v1/me/notifications").json()["items"]) == 2
    finally:
        server.stop()


def test_a_user_changes_only_their_own_settings_with_a_well_formed_payload(shared_server: LiveServer) -> None:
    jia, liu = Client(shared_server, JIA), Client(shared_server, LIU)
    before = latest(liu.pull(), "notify_settings")
    for payload in (
        {"email_todo": False, "user_id": LIU},  # no way to name another user
        {},
        {"email_todo": "off"},
        {"email_result": None},
        {"sms": False},
    ):
        result = jia.push("settings.notify.set", payload)
        assert result["status"] == "rejected", (payload, result)
        assert result["error"]["code"] == "invalid_payload", result
    assert latest(liu.pull(), "notify_settings") == before
    assert latest(jia.pull(), "notify_settings") == {}


def test_the_migration_makes_the_settings_tables_of_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from sync_server.migrate import upgrade
    from sync_server.models import Base

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    tables = ("notification_settings", "mail_app_passwords")
    assert [d for d in diff if any(t in repr(d) for t in tables)] == []
