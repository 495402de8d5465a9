"""QR login through the real QML when someone else scans first: the person at the terminal is refused on their
phone, the terminal says the code was scanned by someone else and offers a fresh one, and the fresh code logs them
in — against a real server, with the codes read off the screen as a phone would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import zxingcpp
from PIL import Image

from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import current_page

TAKEN = {
    "zh_CN": ("二维码已被他人扫描", "另一个账号也扫描了此二维码，已被拒绝。只有 刘诗宏 能在手机上确认登录。"),
    "en_US": (
        "Someone else scanned this code",
        "Another account also scanned this code and was refused. Only 刘诗宏 can confirm on their phone.",
    ),
}


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def _code_on_screen(ui: Any, name: str) -> str:
    """Wait for a fresh code to be drawn, and read it from a screenshot as a phone camera would."""
    ui.wait_for(lambda: ui.state.qr_login.property("state") == "pending")
    ui.wait_for(lambda: ui.find("qrImage").property("progress") == 1.0 and ui.find("qrImage").isVisible())
    results = zxingcpp.read_barcodes(Image.open(ui.screenshot(name)))
    assert results, f"no QR code on the screen ({name})"
    return results[0].text


def _phone_signs_in(url: str, user_id: str) -> tuple[requests.Session, requests.Response]:
    phone = requests.Session()
    return phone, phone.post(url + "/login", data={"user_id": user_id, "password": NEW_PW}, timeout=10)


@pytest.mark.parametrize("language", ["zh_CN", "en_US"])
def test_someone_else_scanned_first_then_a_fresh_code(server: LiveServer, launch_ui: Any, language: str) -> None:
    activated(server, LIU, LIU_PW)
    activated(server, STUDENT, STUDENT_PW)
    suffix = "zh" if language == "zh_CN" else "en"
    ui = launch_ui(server.url, language=language)
    ui.tap("tabQr")
    url = _code_on_screen(ui, f"kiosk-qr-before-taken-{suffix}")

    # A bystander (刘诗宏) who saw the code scans it first; the student at the terminal is refused on the phone.
    _phone_signs_in(url, LIU)
    ui.wait_for(lambda: ui.state.qr_login.property("state") == "scanned", timeout=5_000)
    _, refused = _phone_signs_in(url, STUDENT)
    assert refused.status_code == 409 and "该二维码已被他人扫描" in refused.text
    ui.wait_for(lambda: ui.state.qr_login.property("state") == "contested", timeout=5_000)
    title, detail = TAKEN[language]
    shown = ui.texts(ui.find("qrPanel"))
    assert title in shown and detail in shown
    refresh = ui.find_visible("qrRefresh")
    assert refresh.property("kind") == "primary"  # the way out is the obvious button
    state = ui.find_visible("qrState")
    square = state.parentItem()
    assert state.y() >= 0 and state.y() + state.height() <= square.height()  # the message fits the code's square
    ui.screenshot(f"kiosk-qr-taken-{suffix}")

    # 刷新二维码: a new code, which the student scans and confirms.
    old_source = ui.state.qr_login.property("source")
    ui.tap(refresh)
    ui.wait_for(lambda: ui.state.qr_login.property("source") not in ("", old_source), timeout=5_000)
    fresh = _code_on_screen(ui, f"kiosk-qr-fresh-{suffix}")
    assert fresh != url
    phone, page = _phone_signs_in(fresh, STUDENT)
    ui.wait_for(lambda: ui.state.qr_login.property("state") == "scanned", timeout=5_000)
    assert ui.state.qr_login.property("message") == "王子涵"
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf, page.text
    phone.post(fresh + "/confirm", data={"csrf": csrf.group(1)}, timeout=10)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=5_000)
    assert ui.find("userName").property("text") == "王子涵"
