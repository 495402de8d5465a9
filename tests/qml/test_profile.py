"""个人中心 on the real QML: 字号 and 高对比度 applied live to every screen, forgotten by a kiosk at logout and kept
by a desk between runs; the shortcuts to 我的申请 and 我的收藏."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated
from tests.qml.steps import current_page, log_in


def _title_size(ui: Any) -> int:
    header = next(i for i in ui.items() if i.objectName() == "profilePage")
    sizes = [i.property("font").pixelSize() for i in ui.items(header) if i.property("text") == "我的"]
    return max(sizes)


def _to_profile(ui: Any) -> None:
    if ui.state.config.mode == "kiosk":
        ui.tap("nav_profile")
    else:
        ui.click("nav_profile")
    ui.wait_for(lambda: current_page(ui) == "profilePage")


def test_text_size_and_contrast_apply_live_and_a_kiosk_forgets_them(shared_server: LiveServer, launch_ui: Any) -> None:
    activated(shared_server, STUDENT, STUDENT_PW)
    ui = launch_ui(shared_server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    _to_profile(ui)
    standard = _title_size(ui)
    ui.tap(ui.find_visible("textScale_1.5"))
    ui.wait_for(lambda: ui.state.display.textScale == 1.5)
    assert _title_size(ui) >= round(standard * 1.5) - 1  # every Theme size follows, on this page at once
    ui.tap(ui.find_visible("highContrast"))
    ui.wait_for(lambda: ui.state.display.highContrast)
    ui.screenshot("kiosk-profile-large-contrast")
    ui.tap("nav_home")
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.screenshot("kiosk-home-large-contrast")

    ui.tap("nav_profile")
    ui.wait_for(lambda: current_page(ui) == "profilePage")
    ui.state.session.logout()
    ui.wait_for(lambda: ui.state.display.textScale == 1.0 and not ui.state.display.highContrast)


def test_a_desk_keeps_its_display_choices(shared_server: LiveServer, launch_ui: Any, tmp_path: Path) -> None:
    desk = launch_ui(shared_server.url, mode="desk", size=(1366, 768), data_dir=str(tmp_path / "desk"))
    _to_profile(desk)
    desk.click(desk.find_visible("textScale_1.25"))
    desk.click(desk.find_visible("language_en"))
    desk.wait_for(lambda: desk.state.display.textScale == 1.25 and desk.state.display.language == "en_US")
    desk.screenshot("desk-profile-large-en")
    desk.state.shutdown()
    desk.window.close()
    again = launch_ui(shared_server.url, mode="desk", size=(1366, 768), data_dir=str(tmp_path / "desk"))
    assert again.state.display.textScale == 1.25 and again.state.display.language == "en_US"
