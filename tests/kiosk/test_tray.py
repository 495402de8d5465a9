"""Desk mode's tray messages: each new unread 办事通知 is shown once; ones already there when the user's
notifications were first read, and read ones, are not announced again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.backend import Backend
from kiosk.services.config import KioskConfig
from kiosk.services.inbox import InboxSnapshot
from kiosk.views.inbox import Inbox
from kiosk.views.tray import DeskTray
from tests.helpers import ROOT


@pytest.fixture
def inbox(qapp: Any, tmp_path: Any) -> Inbox:
    """The desk client's Inbox as the application builds it (no server, no store: nothing is read)."""
    backend = Backend(KioskConfig(server_url="http://127.0.0.1:9", mode="desk", data_dir=str(tmp_path)))
    return backend.inbox


def _note(n: int, read: bool = False) -> dict[str, Any]:
    return {
        "id": n,
        "kind": "task",
        "title": f"新的待办 {n}",
        "body": "…",
        "created_at": "2026-11-29T09:00",
        "read": read,
    }


def test_new_unread_notifications_reach_the_tray_once(inbox: Inbox) -> None:
    tray = DeskTray(inbox)
    inbox.present(InboxSnapshot(notifications=[_note(1), _note(2, read=True)]))  # there at login: no burst of old news
    assert tray.shown == []
    later = [_note(3), _note(1), _note(2, read=True), _note(4, read=True)]
    inbox.present(InboxSnapshot(notifications=later))
    assert tray.shown == [("新的待办 3", "…")]
    inbox.present(InboxSnapshot(notifications=later))
    assert tray.shown == [("新的待办 3", "…")]  # not again
    assert inbox.notifications.rowCount() == 4  # the bell and 消息 show them all


def test_a_refused_action_reaches_the_tray_once(inbox: Inbox) -> None:
    tray = DeskTray(inbox)
    todo = [{"application_id": "a1", "process_code": "jw-chengjidan", "box": "todo"}]
    pending = {"application:a1": {"status": "pending", "error": ""}}
    refused = {"application:a1": {"status": "rejected", "error": "该待办已由袁丽萍处理，无需再办理"}}
    inbox.present(InboxSnapshot(todo=todo, states=refused))  # refused before this session's action: not news
    assert tray.shown == []
    inbox.present(InboxSnapshot(todo=todo, states=pending))
    inbox.present(InboxSnapshot(states=refused))  # someone else took the task: it left 待办
    assert tray.shown == [("未能办理", "该待办已由袁丽萍处理，无需再办理")]  # no catalog here: no process name
    inbox.present(InboxSnapshot(states=refused))
    assert len(tray.shown) == 1


def _task(app_id: str, applicant: str) -> dict[str, Any]:
    return {"application_id": app_id, "box": "todo", "application": {"applicant": {"name": applicant}}}


def _new_task(n: int, app_id: str) -> dict[str, Any]:
    return {**_note(n), "title": "新的待办：在读学籍证明申请", "application_id": app_id}


def test_one_message_a_batch_says_how_many_and_from_whom(inbox: Inbox) -> None:
    tray = DeskTray(inbox)
    inbox.present(InboxSnapshot())
    people = ["王子涵", "陈雨桐", "李思思", "张伟"]
    todo = [_task(f"a{i}", name) for i, name in enumerate(people)]
    inbox.present(InboxSnapshot(todo=todo[:3], notifications=[_new_task(i, f"a{i}") for i in range(3)]))
    assert tray.shown == [("3 件新待办", "王子涵、陈雨桐、李思思")]
    inbox.present(InboxSnapshot(todo=todo, notifications=[_new_task(i, f"a{i}") for i in range(3, 8)]))
    assert tray.shown[-1] == ("5 件新待办", "张伟、在读学籍证明申请")  # a task no longer in 待办: its process
    five = [_task(f"b{i}", f"学生{i}") for i in range(5)]
    inbox.present(InboxSnapshot(todo=five, notifications=[_new_task(10 + i, f"b{i}") for i in range(5)]))
    assert tray.shown[-1] == ("5 件新待办", "学生0、学生1、学生2 等")


# The tray icon and its menu need a QApplication (widgets), and this process runs the suite's QGuiApplication:
# the desk client's tray is driven in a process of its own, its signals emitted as the desktop would.
TRAY_SCRIPT = r"""
import json, sys
from PySide6.QtCore import Qt
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from kiosk.backend import Backend
from kiosk.services.config import KioskConfig
from kiosk.services.inbox import InboxSnapshot
from kiosk.views.tray import DeskTray

app = QApplication([])
engine = QQmlApplicationEngine()
engine.loadData(b'''
import QtQuick
Window {
    property string opened: ""
    width: 400; height: 300; visible: true
    function openApplication(applicationId: string) { opened = "application " + applicationId }
    function openTasks(box: string) { opened = "tasks " + box }
}
''')
[window] = engine.rootObjects()
backend = Backend(KioskConfig(server_url="http://127.0.0.1:9", mode="desk", data_dir=sys.argv[1]))
inbox = backend.inbox
tray = DeskTray(inbox, window=window)
tray.follow_language(lambda: backend.display.language, backend.display.languageChanged)
out = {}
minimised = lambda: bool(window.windowStates() & Qt.WindowState.WindowMinimized)
def note(n, app_id):
    return {"id": n, "kind": "task", "title": "新的待办：在读学籍证明申请", "body": "…", "application_id": app_id,
            "created_at": "2026-11-29T09:00", "read": False}
task = {"application_id": "a1", "box": "todo", "application": {"applicant": {"name": "王子涵"}}}
inbox.present(InboxSnapshot(counts={"todo": 7, "done": 0, "mine": 0, "unread": 0}))
out["menu"] = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
backend.display.setLanguage("en_US")  # the tray's own words follow the interface's language at once
out["menu_en"] = [a.text() for a in tray.menu.actions() if not a.isSeparator()] + [tray.icon.toolTip()]
tray.show_reminder("Weekly meeting", "Starts at 16:30")
out["reminder_en"] = tray.shown[-1]
backend.display.setLanguage("zh_CN")
inbox.present(InboxSnapshot(todo=[task], notifications=[note(1, "a1")]))
window.showMinimized()
out["minimised"] = minimised()
tray.icon.messageClicked.emit()
out["after_message"] = [minimised(), window.isVisible(), window.property("opened")]
inbox.present(InboxSnapshot(notifications=[note(2, "a2"), note(3, "a3"), note(1, "a1")]))
tray.icon.messageClicked.emit()
out["after_batch"] = window.property("opened")
window.setProperty("opened", "")
window.showMinimized()
tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)
out["after_context"] = minimised()
tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
out["after_click"] = [minimised(), window.property("opened")]
window.showMinimized()
[tasks] = [a for a in tray.menu.actions() if a.objectName() == "trayTasks"]
tasks.trigger()
out["after_menu"] = [minimised(), window.property("opened")]
print(json.dumps(out, ensure_ascii=False))
"""


def test_a_click_brings_the_window_back_and_opens_what_the_message_named(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", TRAY_SCRIPT, str(tmp_path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["menu"] == ["打开", "待办 7", "退出"]
    assert out["menu_en"] == ["Open", "To do 7", "Quit", "One-stop service hall"]
    assert out["reminder_en"] == ["Reminder: Weekly meeting", "Starts at 16:30"]
    assert out["minimised"] is True
    assert out["after_message"] == [False, True, "application a1"]  # back, and the application it named open
    assert out["after_batch"] == "tasks todo"  # a batch names several: the 待办 list
    assert out["after_context"] is True  # the menu opens; the window stays down
    assert out["after_click"] == [False, ""]  # a click on the icon only brings the window back
    assert out["after_menu"] == [False, "tasks todo"]
