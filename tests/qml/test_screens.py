"""The real QML against a real server on loopback: every screen, both languages, kiosk and desk, touch and
keys. Each test saves the screens it shows under test-artifacts/screens/."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from tests.helpers import LiveServer

PAGES = ["home", "hall", "calendar", "messages", "profile"]


def test_kiosk_login_screen_zh_and_en(shared_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(shared_server.url)
    assert ui.window.visibility() != 0
    texts = ui.texts()
    for expected in ("统一身份认证平台", "请输入工号/学号", "请输入密码", "登录", "扫码登录"):
        assert expected in texts, expected
    assert any(t.startswith("账号规则") for t in texts)
    assert any(t.startswith("密码规则") for t in texts)
    assert ui.find("schoolName").property("text") == "郑州工商学院"
    # Online; a first sync of the public data (the forms) may still be running at first.
    ui.wait_for(lambda: ui.find("statusText").property("text") == "在线")
    ui.screenshot("kiosk-login-zh")

    ui.click("languageToggle")
    ui.wait_for(lambda: ui.state.display.language == "en_US")
    texts = ui.texts()
    assert "Unified Identity Authentication" in texts
    assert ui.find("schoolName").property("text") == "Zhengzhou Technology and Business University"
    assert ui.find("statusText").property("text") == "Online"
    ui.screenshot("kiosk-login-en")

    ui.click("languageToggle")
    ui.wait_for(lambda: ui.state.display.language == "zh_CN")
    assert "统一身份认证平台" in ui.texts()


def test_login_form_validates_and_uppercases(shared_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(shared_server.url, mode="desk", size=(1366, 768))
    ui.click("loginButton")
    assert ui.find("userField").property("errorText") == "请输入工号/学号"
    assert ui.find("passwordField").property("errorText") == "请输入密码"
    ui.screenshot("desk-login-errors")

    field = ui.type_into("userField", "z2023030107")
    assert field.property("text") == "Z2023030107"
    assert ui.find("userField").property("errorText") == ""
    ui.type_into("passwordField", "secret1")
    password = ui.find("passwordFieldInput")
    assert password.property("displayText") != "secret1"  # masked
    ui.click(ui.find("revealButton", ui.find("passwordField")))
    assert password.property("displayText") == "secret1"  # shown after the eye is tapped


def test_virtual_keyboard_keeps_focused_field_visible(shared_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(shared_server.url, mode="kiosk")
    ui.tap(ui.find("userFieldInput"))
    ui.wait_for(lambda: QGuiApplication.inputMethod().isVisible(), timeout=5_000)
    panel = ui.find("inputPanel")
    ui.wait_for(lambda: panel.isVisible() and panel.height() > 100)
    ui.settle(300)
    field = ui.find("userFieldInput")
    field_bottom = field.mapToScene(QPointF(0, field.height())).y()
    panel_top = panel.mapToScene(QPointF(0, 0)).y()
    assert field_bottom <= panel_top, f"field bottom {field_bottom} hidden under keyboard top {panel_top}"
    assert not ui.find("navBar").isVisible() or ui.find_visible("navBar").property("vertical")
    ui.screenshot("kiosk-login-keyboard")
    # Hide it again: the navigation comes back.
    QGuiApplication.inputMethod().hide()
    ui.wait_for(lambda: not QGuiApplication.inputMethod().isVisible())


def test_kiosk_navigation_by_touch(shared_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(shared_server.url, mode="kiosk")
    for page in PAGES:
        ui.tap(f"nav_{page}")
        ui.wait_for(lambda page=page: _current_page(ui) == f"{page}Page")
        ui.screenshot(f"kiosk-{page}")
    # The hall has all 64 processes from the server (nobody logged in: every audience's), 服务首页 first.
    ui.tap("nav_hall")
    ui.wait_for(lambda: ui.find_visible("hallHome") is not None)
    assert ui.state.hall.property("count") == 64
    ui.tap("nav_home")
    ui.tap("homeLoginButton")
    ui.wait_for(lambda: _current_page(ui) == "loginPage")


def test_desk_mode_side_navigation(shared_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(shared_server.url, mode="desk", size=(1366, 768))
    nav = ui.find_visible("navBar")
    assert nav.property("vertical") is True
    ui.screenshot("desk-login")
    ui.click("nav_hall")
    ui.wait_for(lambda: _current_page(ui) == "hallPage")
    ui.screenshot("desk-hall")


def test_portrait_totem_reflows(shared_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(shared_server.url, mode="kiosk", size=(1080, 1920))
    card = ui.find("loginCard")
    assert card.width() <= 1080
    ui.screenshot("kiosk-portrait-login")
    ui.tap("nav_hall")
    ui.wait_for(lambda: _current_page(ui) == "hallPage")
    ui.screenshot("kiosk-portrait-hall")


def test_offline_shows_reason_not_numbers(tmp_path: Any, launch_ui: Any) -> None:
    import socket

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ui = launch_ui(f"http://127.0.0.1:{port}", wait_online=False)
    ui.wait_for(lambda: ui.state.state.connection == "offline")
    assert ui.find("statusText").property("text") == "离线"
    ui.tap("nav_hall")
    ui.wait_for(lambda: _current_page(ui) == "hallPage")
    empty = ui.find_visible("hallEmpty")
    assert "无法连接服务器" in empty.property("detail")
    ui.screenshot("kiosk-hall-offline")
    ui.tap("nav_home")
    counter = ui.find_visible("counter_unreadMail")
    assert "—" in ui.texts(counter)


def _current_page(ui: Any) -> str:
    stack = ui.find("pageStack")
    item = stack.property("currentItem")
    return item.objectName() if item is not None else ""


def test_keyboard_tab_order_on_desk(shared_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(shared_server.url, mode="desk", size=(1366, 768))
    ui.type_into("userField", "2022010101")
    QTest.keyClick(ui.window, Qt.Key.Key_Return)
    ui.settle()
    assert ui.find("passwordFieldInput").hasActiveFocus()


def test_kiosk_text_and_touch_sizes(shared_server: LiveServer, launch_ui: Any) -> None:
    """On a kiosk: body text ≥ 20 px, every button ≥ 48 px high, on every screen (UI.md's touch rules)."""
    from PySide6.QtQuick import QQuickItem

    ui = launch_ui(shared_server.url, mode="kiosk")
    problems = []
    checked_texts = checked_buttons = 0
    for page in ["login", *PAGES]:
        if page != "login":
            QGuiApplication.inputMethod().hide()  # the keyboard's ⌄ key: the navigation bar comes back
            ui.wait_for(lambda page=page: ui.find_visible(f"nav_{page}") is not None)
            ui.tap(f"nav_{page}")
        for item in ui.items():
            if not item.isVisible() or item.opacity() == 0:
                continue
            font = item.property("font")
            text = item.property("text")
            is_text = type(item).__name__ in ("QQuickText", "QQuickTextInput") or item.metaObject().className() in (
                "QQuickText",
                "QQuickTextField",
                "QQuickTextInput",
            )
            if is_text and isinstance(text, str) and text and font is not None and font.pixelSize() > 0:
                checked_texts += 1
                if font.pixelSize() < 20:
                    problems.append(f"{page}: text {text[:20]!r} is {font.pixelSize()} px")
            if item.metaObject().className().startswith(("QQuickButton", "AppButton")):
                checked_buttons += 1
            if item.metaObject().className().startswith(("QQuickButton", "AppButton")) and item.height() < 48:
                problems.append(f"{page}: button {item.objectName() or text!r} is {item.height()} px high")
        assert isinstance(ui.window.contentItem(), QQuickItem)
    assert checked_texts > 50 and checked_buttons > 10, (checked_texts, checked_buttons)
    assert not problems, "\n".join(problems)


def test_a_broken_local_store_does_not_stop_the_terminal(
    shared_server: LiveServer, launch_ui: Any, tmp_path: Any
) -> None:
    data_dir = tmp_path / "broken"
    (data_dir / "kiosk.db").mkdir(parents=True)  # a directory where the database file should be
    ui = launch_ui(shared_server.url, data_dir=str(data_dir))  # waits for online and a 64-process catalog
    assert ui.state.store is None
    assert ui.state.catalog.property("source") == "server"
