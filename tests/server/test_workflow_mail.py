"""Notification e-mail through SMTP, against a real local SMTP server (aiosmtpd): sent after the action commits,
to the person concerned; a mail server that does not answer neither slows nor fails the action, and the failure
is retried and logged."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from sqlalchemy import select

from sync_server.db import Database
from sync_server.models import Notification
from tests.helpers import LiveServer, copy_sqlite
from tests.server.smtp_capture import Mailbox, body, subject
from tests.server.workflow_helpers import JIA, LIU, PEOPLE, REPAIR, REPAIR_CODE, Client


def _server(db_url: str, tmp_path: Path, **env: str) -> LiveServer:
    return LiveServer(db_url=db_url, workdir=tmp_path, extra_env={f"CAMPUS_SYNC_{k}": v for k, v in env.items()})


def _statuses(db_url: str) -> dict[str, list[str]]:
    db = Database(db_url)
    try:
        with db.sessions() as s:
            out: dict[str, list[str]] = {}
            for row in s.scalars(select(Notification).order_by(Notification.id)):
                out.setdefault(row.user_id, []).append(row.email_status)
            return out
    finally:
        db.dispose()


def test_notifications_are_mailed_after_the_action(db_url: str, tmp_path: Path, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    server = _server(db_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_FROM="大厅 <hall@ztbu.example>")
    server.start()
    try:
        liu, jia = Client(server, LIU), Client(server, JIA)
        app_id = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
        (to, first), *_ = box.wait_for(1)
        assert to == [PEOPLE[JIA]["email"]]
        assert subject(first) == "新的待办：教职工办公电脑维修申请"
        assert "刘诗宏的教职工办公电脑维修申请" in body(first) and "现教中心实验室管理科接收" in body(first)
        assert "hall@ztbu.example" in first["From"]

        jia.act(app_id, "approve", data={"acceptor": "刘诗宏", "repair_result": "已修好"})
        liu.act(app_id, "approve")
        messages = box.wait_for(3)
        assert [(m[0], subject(m[1])) for m in messages[1:]] == [
            ([PEOPLE[LIU]["email"]], "待确认：教职工办公电脑维修申请"),
            ([PEOPLE[LIU]["email"]], "办结：教职工办公电脑维修申请"),
        ]
        deadline = time.monotonic() + 10
        while _statuses(db_url) != {JIA: ["sent"], LIU: ["sent", "sent"]} and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _statuses(db_url) == {JIA: ["sent"], LIU: ["sent", "sent"]}
    finally:
        server.stop()


def test_a_mail_server_that_never_answers_neither_slows_nor_fails_the_action(
    seeded_sqlite: Path, tmp_path: Path
) -> None:
    # SQLite only: what is tested is the dispatcher's thread and its retries, not the database (the other tests of
    # this module run on both); each backend spent 13 s of the suite here waiting for timeouts.
    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    # A socket that accepts connections (the kernel's backlog) and never says a word: smtplib waits for the
    # greeting until its timeout, on the dispatcher's thread.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    server = _server(
        db_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_TIMEOUT="1.5", MAIL_RETRY_DELAYS="0.2,0.2"
    )
    server.start()
    try:
        liu, jia = Client(server, LIU), Client(server, JIA)
        started = time.monotonic()
        app_id = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
        submitted = time.monotonic()
        approved = jia.act(app_id, "approve", data={"acceptor": "刘诗宏", "repair_result": "已修好"})
        done = time.monotonic()
        assert approved.status_code == 200 and approved.json()["status"] == "confirming"
        # Each mail waits 1.5 s for the greeting, per attempt: an action that waited for its mail would take at
        # least that long (the timeout was 2 s, the same bound: 2 mails x 3 attempts cost 12 s, now 9 s).
        assert max(submitted - started, done - submitted) < 1.5, (submitted - started, done - submitted)
        assert jia.box("done")["total"] == 1

        deadline = time.monotonic() + 40  # 2 mails × 3 attempts × 1.5 s, one after the other
        while _statuses(db_url) != {JIA: ["failed"], LIU: ["failed"]} and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _statuses(db_url) == {JIA: ["failed"], LIU: ["failed"]}
        log = server.log_path.read_text(encoding="utf-8")
        assert log.count("attempt 1 failed") == 2 and log.count("attempt 2 failed") == 2
        assert log.count("gave up after 3 attempts") == 2 and "timed out" in log
    finally:
        server.stop()
        silent.close()
