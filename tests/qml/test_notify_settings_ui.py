"""个人中心 › 通知设置 on the real QML: a real tap turns a switch at once, the choice goes through the outbox to the
server, another device of the same user shows it after its pull, and a kiosk forgets it at logout."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF

from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer, login
from tests.qml.steps import current_page, log_in


def _to_profile(ui: Any) -> None:
    if ui.state.config.mode == "kiosk":
        ui.tap("nav_profile")
    else:
        ui.click("nav_profile")
    ui.wait_for(lambda: current_page(ui) == "profilePage")


def _scrolled_to(ui: Any, name: str) -> Any:
    """The item, with 个人中心 scrolled so that all of it is on screen (as a finger would drag it there)."""
    item = ui.find_visible(name)
    flick = ui.find("profileScroll")
    content = flick.property("contentItem")
    y = item.mapToItem(content, QPointF(0, 0)).y()
    limit = max(0.0, flick.property("contentHeight") - flick.height())
    flick.setProperty("contentY", max(0.0, min(y - 40, limit)))
    ui.settle(60)
    top = item.mapToItem(flick, QPointF(0, 0)).y()
    assert top >= 0 and top + item.height() <= flick.height(), f"{name} is not reachable"
    return item


def _state_word(ui: Any, switch: Any) -> str:
    return next(i.property("text") for i in ui.items(switch) if i.objectName() == "switchState")


def _server_settings(server: LiveServer, token: str) -> dict[str, Any] | None:
    import requests

    found = None
    cursor = 0
    while True:
        page = requests.get(
            server.url + "/api/v1/sync/pull", params={"cursor": cursor}, headers=bearer(token), timeout=10
        ).json()
        found = next((c["data"] for c in reversed(page["changes"]) if c["entity"] == "notify_settings"), found)
        cursor = page["cursor"]
        if not page["has_more"]:
            return found


def test_a_tap_turns_mail_off_and_the_other_device_shows_it(
    shared_server: LiveServer, launch_ui: Any, tmp_path: Any
) -> None:
    activated(shared_server, STUDENT, STUDENT_PW)
    kiosk = launch_ui(shared_server.url)
    log_in(kiosk, STUDENT, NEW_PW)
    kiosk.wait_for(lambda: current_page(kiosk) == "homePage")
    _to_profile(kiosk)
    todo = _scrolled_to(kiosk, "notifyEmailTodo")
    assert todo.height() >= 64  # a kiosk's touch target
    assert _state_word(kiosk, todo) == "开" and kiosk.state.notify_settings.emailResult

    kiosk.tap(todo)
    assert _state_word(kiosk, todo) == "关"  # at once, before the server has it
    kiosk.wait_for(lambda: kiosk.state.notify_settings.syncState == "applied")
    kiosk.screenshot("kiosk-profile-notify-settings")
    token = login(shared_server, STUDENT, NEW_PW).json()["access_token"]
    assert _server_settings(shared_server, token) == {"email_todo": False, "email_result": True}

    # The same person at a desk: the pull brings the choice, the card shows it.
    desk = launch_ui(shared_server.url, mode="desk", size=(1366, 768), data_dir=str(tmp_path / "desk"))
    log_in(desk, STUDENT, NEW_PW)
    desk.wait_for(lambda: current_page(desk) == "homePage")
    _to_profile(desk)
    desk.wait_for(lambda: not desk.state.notify_settings.emailTodo)
    desk_todo = _scrolled_to(desk, "notifyEmailTodo")
    assert _state_word(desk, desk_todo) == "关"
    assert _state_word(desk, _scrolled_to(desk, "notifyEmailResult")) == "开"
    desk.click(desk.find_visible("notifyEmailResult"))
    desk.wait_for(lambda: desk.state.notify_settings.syncState == "applied")
    desk.screenshot("desk-profile-notify-settings")
    assert _server_settings(shared_server, token) == {"email_todo": False, "email_result": False}

    # A portrait totem at 特大 and high contrast: the labels wrap, the switches stay whole and on screen.
    kiosk.state.display.setTextScale(1.5)
    kiosk.state.display.setHighContrast(True)
    kiosk.window.resize(1080, 1920)
    kiosk.wait_for(lambda: not kiosk.state.notify_settings.emailTodo)
    kiosk.settle(200)
    todo = _scrolled_to(kiosk, "notifyEmailTodo")
    assert todo.width() <= 1080 and todo.height() >= 64
    kiosk.screenshot("kiosk-portrait-profile-notify-large-contrast")
    for name in ("logoutButton", "languageToggle"):  # the top bar gives way elsewhere; the way out stays whole
        corner = kiosk.find_visible(name).mapToScene(QPointF(kiosk.find_visible(name).width(), 0))
        assert corner.x() <= 1080, (name, corner.x())

    # The kiosk forgets the choice with everything else of the user's when they leave.
    kiosk.state.session.logout()
    kiosk.wait_for(lambda: kiosk.state.notify_settings.emailTodo)
    assert kiosk.state.store.get_meta(f"user.notify.{STUDENT}") is None
