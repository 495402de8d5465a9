"""Identity through the real QML against a real server: ID + password with the forced change, wrong
passwords and lockout, QR login decoded from the screen and confirmed on the phone page, the idle
countdown, logout that forgets, desk remember-me, and 我的登录设备."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import zxingcpp
from PIL import Image
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import assert_forgotten, current_page, log_in


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh server per test: these tests change passwords and lock accounts."""
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def test_first_login_forces_a_password_change_then_logout_forgets(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, STUDENT_PW)
    ui.wait_for(lambda: bool(ui.state.session.property("loggedIn") or ui.state.session.property("error")))
    assert ui.state.session.property("error") == ""
    ui.wait_for(lambda: current_page(ui) == "changePasswordPage")
    assert ui.find_visible("forcedNotice").property("text") == "您是第一次登录，须要修改密码才能使用。"
    assert ui.find("userName").property("text") == "王子涵"
    # The other sections are closed until the password is changed.
    ui.tap("nav_hall")
    assert current_page(ui) == "changePasswordPage"
    ui.screenshot("kiosk-change-password-zh")

    ui.type_into("oldPasswordField", STUDENT_PW)
    ui.type_into("newPasswordField", "abc")
    hint = ui.find("newPasswordField").property("hint")
    assert "至少 8 位" in hint and "数字" in hint
    assert ui.find("strengthText").property("text") == "弱"
    ui.find("newPasswordFieldInput").setProperty("text", "")
    ui.type_into("newPasswordField", NEW_PW)
    assert ui.find("newPasswordField").property("hint") == ""
    ui.type_into("confirmPasswordField", NEW_PW + "x")
    ui.tap("submitPasswordButton")
    assert ui.find("confirmPasswordField").property("errorText") == "两次输入的新密码不一致"
    ui.screenshot("kiosk-change-password-errors")
    ui.find("confirmPasswordFieldInput").setProperty("text", "")
    ui.type_into("confirmPasswordField", NEW_PW)
    ui.tap("submitPasswordButton")
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.wait_for(lambda: ui.state.store.profile() is not None)
    assert ui.state.store.profile()["name"] == "王子涵"
    ui.screenshot("kiosk-home-logged-in")
    # What the virtual keyboard learned from this user (its user dictionary lives in this directory).
    keyboard_dir = ui.state.keyboard_dir
    learned = keyboard_dir / "pinyin" / "usr_dict.dat"
    learned.parent.mkdir(parents=True, exist_ok=True)
    learned.write_bytes("王子涵".encode())
    token = ui.state.auth.current.access_token

    ui.tap("logoutButton")
    ui.wait_for(lambda: current_page(ui) == "loginPage")
    assert ui.find_visible("userFieldInput").property("text") == ""
    assert_forgotten(ui, "王子涵", STUDENT, NEW_PW, "计算机科学与技术")
    assert keyboard_dir.is_dir() and not any(keyboard_dir.iterdir())
    # The server session is gone too (revoked in the background, so the screen did not wait for it).
    me = requests.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 401


def test_wrong_password_and_lockout_messages(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    log_in(ui, LIU, "wrong-pass-1")
    ui.wait_for(lambda: ui.find("loginMessage").property("text") == "学号/工号或密码错误")
    assert ui.find("passwordFieldInput").property("text") == ""  # typed again from scratch
    ui.screenshot("desk-login-wrong-password")
    for _ in range(4):
        ui.type_into("passwordField", "wrong-pass-1")
        ui.tap("loginButton")
        ui.wait_for(lambda: not ui.state.session.property("busy"))
    ui.type_into("passwordField", LIU_PW)
    ui.tap("loginButton")
    ui.wait_for(lambda: "账号已临时锁定" in ui.find("loginMessage").property("text"))
    assert "15 分钟" in ui.find("loginMessage").property("text")
    ui.screenshot("desk-login-locked")
    # Nonsense never leaves the terminal, and gets the same answer.
    ui.find("userFieldInput").setProperty("text", "")
    log_in(ui, "😀' OR 1=1", "x")
    ui.wait_for(lambda: ui.find("loginMessage").property("text") == "学号/工号或密码错误")


def _decode_qr(path: Path) -> str:
    results = zxingcpp.read_barcodes(Image.open(path))
    assert results, f"no QR code found in {path}"
    return results[0].text


@pytest.mark.parametrize("language", ["zh_CN", "en_US"])
def test_qr_login_decoded_from_the_screen(server: LiveServer, launch_ui: Any, language: str) -> None:
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url, language=language)
    ui.tap("tabQr")
    ui.wait_for(lambda: ui.state.qr_login.property("state") == "pending")
    ui.wait_for(lambda: ui.find("qrImage").property("progress") == 1.0 and ui.find("qrImage").isVisible())
    suffix = "zh" if language == "zh_CN" else "en"
    shot = ui.screenshot(f"kiosk-qr-{suffix}")
    url = _decode_qr(shot)
    assert url.startswith(server.url + "/m/qr/")
    assert ui.state.qr_login.property("secondsLeft") > 100

    phone = requests.Session()
    page = phone.get(url, timeout=10)
    assert "测试终端" in page.text  # the kiosk's device name, so the user knows what they are confirming
    page = phone.post(url + "/login", data={"user_id": LIU, "password": NEW_PW}, timeout=10).text
    ui.wait_for(lambda: ui.state.qr_login.property("state") == "scanned", timeout=5_000)
    assert ui.state.qr_login.property("message") == "刘诗宏"
    ui.screenshot(f"kiosk-qr-scanned-{suffix}")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    phone.post(url + "/confirm", data={"csrf": csrf}, timeout=10)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=3_000)
    assert ui.find("userName").property("text") == "刘诗宏"
    # Used: the same code cannot log anyone in again.
    assert "二维码已使用" in phone.get(url, timeout=10).text


def test_qr_code_refreshes_itself_when_it_expires(server: LiveServer, launch_ui: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from sync_server.db import Database
    from sync_server.models import QrTicket

    ui = launch_ui(server.url)
    ui.tap("tabQr")
    ui.wait_for(lambda: ui.state.qr_login.property("state") == "pending")
    first = ui.state.qr_login.property("source")  # image://qr/N: a new N for each new ticket
    db = Database(server.db_url)
    with db.transaction() as s:
        s.execute(update(QrTicket).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.dispose()
    ui.wait_for(lambda: ui.state.qr_login.property("source") not in ("", first), timeout=15_000)
    assert ui.state.qr_login.property("state") in ("loading", "pending")
    ui.tap("tabAccount")
    assert ui.state.qr_login.property("state") == "idle"


def test_idle_countdown_then_logout(server: LiveServer, launch_ui: Any) -> None:
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url)
    idle = ui.state.idle
    idle.set_quiet_ms(600)  # the minute of quiet, shortened for the test
    idle.countdown_s = 3
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.wait_for(lambda: idle.property("countdownActive"), timeout=5_000)
    dialog = ui.window.findChild(QObject, "idleDialog")
    ui.wait_for(lambda: dialog.property("opened"))
    ui.screenshot("kiosk-idle-countdown-zh")
    ui.tap(ui.find("stillHereButton"))
    assert not idle.property("countdownActive")
    assert ui.state.session.property("loggedIn")
    # This time nobody answers.
    ui.wait_for(lambda: idle.property("countdownActive"), timeout=5_000)
    ui.wait_for(lambda: current_page(ui) == "loginPage", timeout=8_000)
    assert not ui.state.session.property("loggedIn")
    assert_forgotten(ui, "刘诗宏", NEW_PW)


def test_idle_dialog_in_english(server: LiveServer, launch_ui: Any) -> None:
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url, language="en_US")
    ui.state.idle.set_quiet_ms(300)
    ui.state.idle.countdown_s = 30
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.idle.property("countdownActive"), timeout=5_000)
    ui.wait_for(lambda: ui.window.findChild(QObject, "idleDialog").property("opened"))
    assert "Still there?" in ui.texts()
    ui.screenshot("kiosk-idle-countdown-en")


def test_change_password_screen_in_english(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, language="en_US")
    log_in(ui, STUDENT, STUDENT_PW)
    ui.wait_for(lambda: current_page(ui) == "changePasswordPage")
    assert "Change your initial password" in ui.texts()
    ui.screenshot("kiosk-change-password-en")
    ui.tap("cancelChangeButton")  # 退出: the only other way out
    ui.wait_for(lambda: current_page(ui) == "loginPage")
    ui.screenshot("kiosk-login-en-after-logout")


def test_desk_remember_me_survives_a_restart(server: LiveServer, launch_ui: Any, tmp_path: Path) -> None:
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    assert ui.find("rememberMe").isVisible()
    assert ui.state.auth.credentials.name == "encrypted file"  # headless Linux: no usable keyring
    ui.click("rememberMe")
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    token = ui.state.auth.current.refresh_token
    files = list((Path(ui.state.config.data_dir) / "credentials").glob("*.token"))
    assert files and token.encode() not in files[0].read_bytes()  # encrypted at rest
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"

    # The desk client restarts with the same data dir: it signs in by itself.
    again = launch_ui(server.url, mode="desk", size=(1366, 768), data_dir=ui.state.config.data_dir)
    again.wait_for(lambda: again.state.session.property("loggedIn"), timeout=10_000)
    again.wait_for(lambda: current_page(again) == "homePage")
    assert again.find("userName").property("text") == "刘诗宏"
    again.tap("nav_profile")
    again.wait_for(lambda: again.state.session.devices.rowCount() >= 1)
    again.screenshot("desk-profile-devices")
    profile = again.find("profileScroll")  # 退出登录 ends the page: scrolled to, as with the wheel
    profile.setProperty("contentY", max(0.0, profile.property("contentHeight") - profile.height()))
    again.settle(60)
    again.click("profileLogoutButton")
    again.wait_for(lambda: current_page(again) == "loginPage")
    assert not list((Path(ui.state.config.data_dir) / "credentials").glob("*.token"))


def test_kiosk_never_writes_tokens(server: LiveServer, launch_ui: Any) -> None:
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url)
    assert ui.state.auth.credentials is None
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.state.workers.wait(5_000)
    current = ui.state.auth.current
    data_dir = Path(ui.state.config.data_dir)
    for path in data_dir.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            for secret in (current.access_token, current.refresh_token, NEW_PW):
                assert secret.encode() not in blob, f"{secret[:6]}… written to {path}"
    assert QGuiApplication.instance() is not None
