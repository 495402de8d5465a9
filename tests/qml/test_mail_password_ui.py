"""个人中心 › 邮箱授权码 on the real QML against a real dovecot: a user types their app password on the kiosk's
keyboard, 首页's 未读邮件 then says 授权码无效 for a wrong one ("—", never a number) and the count for the right
one; the password is never in the terminal's store; removing it says so again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from PySide6.QtCore import QPointF

from tests.helpers import NEW_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import current_page, log_in, store_bytes
from tests.server.counter_sources import APP_PW, DOVECOT, Dovecot
from tests.server.workflow_helpers import JIA, password

pytestmark = pytest.mark.skipif(DOVECOT is None, reason="no dovecot (./run test installs dovecot-imapd)")


@pytest.fixture
def mail_server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[tuple[LiveServer, Dovecot]]:
    dovecot = Dovecot([JIA], passwords={JIA: APP_PW}).start()
    env = {
        "CAMPUS_SYNC_IMAP_HOST": "127.0.0.1",
        "CAMPUS_SYNC_IMAP_PORT": str(dovecot.port),
        "CAMPUS_SYNC_IMAP_SECURITY": "plain",
        "CAMPUS_SYNC_IMAP_AUTH": "app_password",
        "CAMPUS_SYNC_MAIL_SECRET_KEYS": Fernet.generate_key().decode(),
    }
    server = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path, extra_env=env).start()
    try:
        yield server, dovecot
    finally:
        server.stop()
        dovecot.remove()


def _mail_counter(ui: Any) -> list[str]:
    return ui.texts(ui.find_visible("counter_unreadMail"))


def _home(ui: Any) -> None:
    ui.tap("nav_home")
    ui.wait_for(lambda: current_page(ui) == "homePage")


def _profile_field(ui: Any) -> Any:
    (ui.tap if ui.state.config.mode == "kiosk" else ui.click)("nav_profile")
    ui.wait_for(lambda: current_page(ui) == "profilePage")
    ui.wait_for(lambda: ui.find("mailPasswordCard").isVisible())
    flick = ui.find("profileScroll")
    card = ui.find_visible("mailPasswordCard")
    flick.setProperty("contentY", card.mapToItem(flick.property("contentItem"), QPointF(0, 0)).y())  # a finger's drag
    ui.settle(60)
    return card


def _give(ui: Any, text: str, screenshot: str | None = None) -> None:
    _profile_field(ui)
    field = ui.type_into("mailPasswordField", text)
    ui.settle(300)  # the keyboard slides in; the page keeps the field and its button above it
    panel_top = ui.find("inputPanel").mapToScene(QPointF(0, 0)).y()
    save = ui.find_visible("mailPasswordSave")
    assert ui.center(field).y() < panel_top and ui.center(save).y() < panel_top, "hidden under the keyboard"
    if screenshot:
        ui.screenshot(screenshot)
    ui.tap(save)
    ui.wait_for(lambda: ui.state.mail_password.message == "已保存授权码" and not ui.state.mail_password.busy)
    assert field.property("text") == ""  # nothing of it stays in the page


def test_app_password_on_the_kiosk_and_the_desk(
    mail_server: tuple[LiveServer, Dovecot], launch_ui: Any, tmp_path: Path
) -> None:
    server, dovecot = mail_server
    dovecot.deliver(JIA, "实验室安全检查")
    dovecot.deliver(JIA, "设备报修")
    activated(server, JIA, password(JIA))
    ui = launch_ui(server.url)
    log_in(ui, JIA, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.wait_for(lambda: "未填写邮箱授权码" in _mail_counter(ui))
    assert "—" in _mail_counter(ui)
    # The reason comes ready from the Portal view, in the interface's language, and follows a switch at once.
    ui.tap("languageToggle")
    ui.wait_for(lambda: "No mail app password given" in _mail_counter(ui))
    ui.screenshot("kiosk-home-en-no-app-password")
    ui.tap("languageToggle")
    ui.wait_for(lambda: "未填写邮箱授权码" in _mail_counter(ui))

    _give(ui, "wrong-" + APP_PW)
    assert ui.state.mail_password.isSet
    _home(ui)
    ui.wait_for(lambda: "授权码无效" in _mail_counter(ui))
    assert "—" in _mail_counter(ui) and not any(t.isdigit() for t in _mail_counter(ui))
    ui.screenshot("kiosk-home-app-password-invalid")

    _give(ui, APP_PW, screenshot="kiosk-profile-app-password-keyboard")
    _home(ui)
    ui.wait_for(lambda: "2" in _mail_counter(ui))
    assert APP_PW.encode() not in store_bytes(ui)  # not in the store's file or its WAL, not in the outbox

    card = _profile_field(ui)
    assert any(t.startswith("已填写") for t in ui.texts(card))
    ui.tap(ui.find_visible("mailPasswordRemove"))
    ui.wait_for(lambda: not ui.state.mail_password.isSet)
    ui.screenshot("kiosk-profile-app-password-removed")
    _home(ui)
    ui.wait_for(lambda: "未填写邮箱授权码" in _mail_counter(ui))

    # At a desk: the same card, with the mouse and the system keyboard.
    desk = launch_ui(server.url, mode="desk", size=(1366, 768), data_dir=str(tmp_path / "desk"))
    log_in(desk, JIA, NEW_PW)
    desk.wait_for(lambda: current_page(desk) == "homePage")
    _profile_field(desk)
    desk.type_into("mailPasswordField", APP_PW)
    desk.click("mailPasswordSave")
    desk.wait_for(lambda: desk.state.mail_password.isSet and not desk.state.mail_password.busy)
    desk.screenshot("desk-profile-app-password")
    desk.click("nav_home")
    desk.wait_for(lambda: "2" in _mail_counter(desk))
