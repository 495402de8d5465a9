"""The form widgets a person uses with their hands, through the real QML against a real server: the date picker
popup (open it, step to another month, tap a day, 确定) and the signature pad (strokes drawn with a finger on a
kiosk and with the mouse on a desk, as real press/move/release events; 清除; a PNG of the ink), then 提交; on a
kiosk the attachment field only says to use an office PC."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from tests.helpers import (
    LIU,
    LIU_PW,
    NEW_PW,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    bearer,
    copy_sqlite,
    new_applications,
)
from tests.qml.harness import _touch_device
from tests.qml.steps import current_page, in_view, log_in, open_form

CODE = "jw-xiuxue"  # 休学审批申请: a date range, a signature (本人签名) and attachments


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def value_of(controller: Any, name: str) -> Any:
    return next(r.value for r in controller.property("fields").rows() if r.name == name)


def month_ahead(months: int, day: int) -> str:
    today = date.today()
    index = today.month - 1 + months
    return date(today.year + index // 12, index % 12 + 1, day).isoformat()


def pick_date(ui: Any, button: str, months_ahead: int, day: int) -> str:
    """Open the picker from `button`, step forward by month, tap the day, 确定. Returns the date picked."""
    wanted = month_ahead(months_ahead, day)
    ui.tap(in_view(ui, button))
    ui.wait_for(lambda: any(i.objectName() == "datePickerOk" and i.isVisible() for i in ui.items()))
    for _ in range(months_ahead):
        ui.tap("nextMonth")
    ui.wait_for(lambda: ui.find_visible("shownMonth").property("text") == f"{wanted[:4]}年{int(wanted[5:7])}月")
    ui.tap("day_" + wanted)
    ui.tap("datePickerOk")
    ui.wait_for(lambda: not any(i.objectName() == "datePickerOk" and i.isVisible() for i in ui.items()))
    return wanted


def ink(png_data_url: str) -> int:
    """How many dark pixels the signature's PNG has."""
    assert png_data_url.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(png_data_url.split(",", 1)[1]))).convert("LA")
    raw = image.tobytes()  # luminance, alpha, luminance, alpha, …
    return sum(1 for lum, alpha in zip(raw[0::2], raw[1::2], strict=True) if alpha > 128 and lum < 128)


def test_date_picker_and_signature_by_hand(server: LiveServer, launch_ui: Any) -> None:
    token = activated(server, STUDENT, STUDENT_PW)["access_token"]
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    open_form(ui, CODE)
    page = ui.find("pageStack").property("currentItem")
    form = next(c for c in page.children() if type(c).__name__ == "FormController")
    ui.wait_for(lambda: form.property("state") == "ready")

    # A kiosk keeps no files: the attachment field says where to add them, with no 选择文件.
    proofs = in_view(ui, "field_proofs")
    assert "此项需在办公电脑上传，自助终端上可不填。" in ui.texts(proofs)
    assert not any(i.objectName() == "input_proofs_choose" for i in ui.items(proofs))

    # The date range, both ends through the picker.
    start = pick_date(ui, "input_suspend_period_start", 1, 15)
    ui.screenshot("kiosk-form-date-picked")
    assert value_of(form, "suspend_period") == {"start": start, "end": ""}
    assert ui.find("fieldError", ui.find("field_suspend_period")).property("text") == ""  # not judged yet
    form.checkAll()
    assert ui.find("fieldError", ui.find("field_suspend_period")).property("text") == "请选择结束日期"
    assert ui.find_visible("input_suspend_period_start").property("text") == start
    ui.tap(in_view(ui, "input_suspend_period_end"))
    ui.wait_for(lambda: any(i.objectName() == "datePickerOk" and i.isVisible() for i in ui.items()))
    ui.screenshot("kiosk-date-picker")
    assert not ui.find_visible("datePickerOk").isEnabled()  # nothing chosen yet: 确定 waits for a day
    ui.tap("datePickerCancel")
    end = pick_date(ui, "input_suspend_period_end", 7, 1)
    assert value_of(form, "suspend_period") == {"start": start, "end": end}

    # The signature: a stroke with the mouse, 清除, then two strokes with a finger.
    pad = in_view(ui, "field_signature")
    pad = ui.find_visible("input_signature", pad)
    origin = pad.mapToScene(QPointF(0, 0)).toPoint()

    def at(fx: float, fy: float) -> QPoint:
        return origin + QPoint(int(pad.width() * fx), int(pad.height() * fy))

    window = ui.window
    device = _touch_device()

    def finger(points: list[tuple[float, float]]) -> None:
        before = pad.mapToScene(QPointF(0, 0))
        QTest.touchEvent(window, device).press(0, at(*points[0]), window).commit()
        for point in points[1:]:
            QTest.qWait(10)
            QTest.touchEvent(window, device).move(0, at(*point), window).commit()
        assert pad.mapToScene(QPointF(0, 0)) == before, "the stroke scrolled the form instead of drawing"
        QTest.touchEvent(window, device).release(0, at(*points[-1]), window).commit()
        ui.settle(50)

    # A scribble, then 清除 with the finger: the pad is empty again, and the tap left no dot.
    finger([(0.2 + 0.05 * i, 0.5) for i in range(8)])
    ui.wait_for(lambda: str(value_of(form, "signature")).startswith("data:image/png;base64,"))
    ui.tap(ui.find_visible("clearSignature", pad))
    ui.wait_for(lambda: value_of(form, "signature") == "")
    assert not pad.property("hasInk")

    for y0, y1 in ((0.3, 0.6), (0.6, 0.35)):  # two strokes, like a short name
        finger([(0.2 + 0.05 * step, y0 + (y1 - y0) * step / 12) for step in range(13)])
    ui.wait_for(lambda: str(value_of(form, "signature")).startswith("data:image/png;base64,"))
    by_finger = value_of(form, "signature")
    assert ink(by_finger) > 100
    # A touch screen with a mouse beside it: a stroke with the mouse adds to what the finger drew.
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(0.1, 0.8))
    for step in range(1, 11):
        QTest.mouseMove(window, at(0.1 + 0.07 * step, 0.8 - 0.02 * step))
        QTest.qWait(10)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(0.8, 0.6))
    ui.wait_for(lambda: value_of(form, "signature") != by_finger)

    signature = value_of(form, "signature")
    assert ink(signature) > ink(by_finger)
    assert form.property("errorCount") > 0  # the rest is still empty
    ui.screenshot("kiosk-form-signature")

    # The rest of the form (typing is test_hall_forms.py's part), then 提交 by touch.
    for name, value in (
        ("id_card", "410105200403150311"),
        ("suspend_reason", "因病"),
        ("explanation", "需住院治疗一学期"),
        ("parent_name", "王大明"),
        ("parent_phone", "13900139000"),
        ("parent_informed", "是"),
    ):
        form.setValue(name, value)
    ui.wait_for(lambda: ui.find("submitButton").isEnabled())
    ui.tap(ui.find_visible("submitButton"))
    ui.wait_for(lambda: "确认提交？" in ui.texts())
    ui.tap(ui.find_visible("confirmSubmit"))
    ui.wait_for(lambda: ui.find("savedTitle").property("text") == "提交成功", timeout=20_000)

    changes = requests.get(server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    stored = new_applications(changes, CODE)[-1]["data"]
    assert stored["signature"] == signature
    assert stored["suspend_period"] == {"start": start, "end": end}


def test_signature_with_the_mouse_on_a_desk(server: LiveServer, launch_ui: Any) -> None:
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    ui.click(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: ui.state.hall.property("indexReady"))
    ui.type_into("hallSearch", "tongxingzheng")
    ui.wait_for(lambda: ui.find_visible("process_bw-tongxingzheng") is not None)
    ui.click(ui.find_visible("process_bw-tongxingzheng"))
    ui.wait_for(lambda: current_page(ui) == "formPage")
    page = ui.find("pageStack").property("currentItem")
    form = next(c for c in page.children() if type(c).__name__ == "FormController")
    ui.wait_for(lambda: form.property("state") == "ready")
    pad = ui.find_visible("input_signature", in_view(ui, "field_signature"))

    def stroke(y0: float, y1: float) -> None:
        origin = pad.mapToScene(QPointF(0, 0)).toPoint()  # where the pad is now

        def at(fx: float, fy: float) -> QPoint:
            return origin + QPoint(int(pad.width() * fx), int(pad.height() * fy))

        QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(0.1, y0))
        for step in range(1, 11):
            QTest.mouseMove(ui.window, at(0.1 + 0.07 * step, y0 + (y1 - y0) * step / 10))
            QTest.qWait(10)
        assert pad.mapToScene(QPointF(0, 0)).toPoint() == origin, "the stroke scrolled the form instead of drawing"
        QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(0.8, y1))
        ui.settle(50)

    stroke(0.5, 0.7)
    ui.wait_for(lambda: str(value_of(form, "signature")).startswith("data:image/png;base64,"))
    first = value_of(form, "signature")
    assert ink(first) > 50
    stroke(0.7, 0.3)
    ui.wait_for(lambda: value_of(form, "signature") != first)
    assert ink(value_of(form, "signature")) > ink(first)
    ui.screenshot("desk-form-signature")
    ui.click(ui.find_visible("clearSignature", pad))
    ui.wait_for(lambda: value_of(form, "signature") == "")
    assert not pad.property("hasInk")
    assert "请在此处签名" in ui.texts(pad)
