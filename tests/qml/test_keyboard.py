"""The virtual keyboard as a phone manages it, through the real QML against a real server: the layout follows
the field (digits for 学号 and numbers, the digit pad and an X key for a 身份证号, English with Shift for the
password, Pinyin for Chinese text), ↵ in the search puts the keyboard away, a choice closes it, and an unfinished
Pinyin composition typed on the keyboard's own keys is dropped, not committed, when the page changes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.keyboard_keys import key, layout_of
from tests.qml.steps import current_page, find_in_hall, in_view, log_in, open_form_of

CODE = "jw-zaidu-zhengming"  # 在读学籍证明申请: 身份证号, 联系电话, 份数, text, choices


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    # A student whose 身份证号 and mobile the school's records lack types them (for everyone else they are filled,
    # read-only): a landline on record is no 手机号码 either, and leaves the field to be typed.
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE users SET national_id = NULL, phone = '0371-63801234' WHERE user_id = ?", (STUDENT,))
    live = LiveServer(db_url=db_url, workdir=tmp_path).start()
    yield live
    live.stop()


def hints(ui: Any, name: str) -> Qt.InputMethodHint:
    return Qt.InputMethodHint(ui.find_visible(name).property("inputMethodHints"))


def test_login_keyboards(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    ui.wait_for(lambda: any(i.objectName() == "inputPanel" for i in ui.items()))
    ui.click("userFieldInput")
    assert hints(ui, "userFieldInput") & Qt.InputMethodHint.ImhPreferNumbers
    ui.wait_for(lambda: layout_of(ui) == ("symbols", "en_US"))  # the digits row first, letters one tap away
    ui.screenshot("kiosk-keyboard-userid")
    ui.click("passwordFieldInput")
    assert hints(ui, "passwordFieldInput") & Qt.InputMethodHint.ImhHiddenText
    ui.wait_for(lambda: layout_of(ui) == ("main", "en_US"))  # English: it has a Shift key
    ui.screenshot("kiosk-keyboard-password")
    # A capital by the keyboard's own keys: ⇧ then A.
    shift = next(i for i in ui.items(ui.find("inputPanel")) if "ShiftKey" in i.metaObject().className())
    assert shift.isVisible() and shift.isEnabled()
    ui.tap(shift)
    ui.tap(key(ui, "a"))
    assert ui.find_visible("passwordFieldInput").property("text") == "A"


def test_form_keyboards_follow_the_field(server: LiveServer, launch_ui: Any) -> None:
    activated(server, STUDENT, STUDENT_PW)
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.tap(find_in_hall(ui, CODE))
    ui.wait_for(lambda: current_page(ui) == "formPage")
    page = ui.find("pageStack").property("currentItem")
    form = next(c for c in page.children() if type(c).__name__ == "FormController")
    ui.wait_for(lambda: form.property("state") == "ready")

    expected = {
        "input_phone": ("digits", Qt.InputMethodHint.ImhDigitsOnly),
        "input_id_card": ("digits", Qt.InputMethodHint.ImhDigitsOnly),
        "input_copies": ("digits", Qt.InputMethodHint.ImhDigitsOnly),
        "input_receiver_org": ("main", Qt.InputMethodHint.ImhNone),
    }
    for name, (layout, hint) in expected.items():
        field = ui.find_visible(name + "Input")
        assert (Qt.InputMethodHint(field.property("inputMethodHints")) & hint) == hint, name
        in_view(ui, name)
        ui.click(field)
        ui.wait_for(lambda layout=layout: layout_of(ui)[0] == layout)
        if layout == "main":
            assert layout_of(ui)[1] == "zh_CN"  # Chinese text: Pinyin
    # 身份证号: the digit pad, and the X it lacks beside the field.
    in_view(ui, "input_id_card")
    field = ui.find_visible("input_id_cardInput")
    field.setProperty("text", "")
    ui.click(field)
    for digit in "11010519491231002":
        ui.tap(key(ui, digit))
    ui.tap(ui.find_visible("input_id_cardExtraKey"))
    assert field.property("text") == "11010519491231002X"
    ui.wait_for(lambda: ui.find("fieldError", ui.find("field_id_card")).property("text") == "")
    ui.screenshot("kiosk-keyboard-idcard")
    # A choice puts the keyboard away.
    assert QGuiApplication.inputMethod().isVisible()
    ui.tap(in_view(ui, "choice_中文"))
    ui.wait_for(lambda: not QGuiApplication.inputMethod().isVisible())
    ui.screenshot("kiosk-form-after-choice")
    # 查看未填项: the next missing field — 联系电话, which the records hold only as a landline — is scrolled to and
    # takes the focus with its keyboard up; once it is typed, the next — 证明用途, a choice — is scrolled into view
    # with the keyboard put away.
    ui.tap(ui.find_visible("checkButton"))
    assert form.firstErrorField() == "phone"

    def focused_on(name: str) -> bool:
        item = ui.window.activeFocusItem()
        return item is not None and item.objectName() == name

    ui.wait_for(lambda: focused_on("input_phoneInput") and QGuiApplication.inputMethod().isVisible())
    ui.wait_for(lambda: layout_of(ui)[0] == "digits")
    for digit in "13912345678":
        ui.tap(key(ui, digit))
    ui.wait_for(lambda: ui.find("fieldError", ui.find("field_phone")).property("text") == "")
    ui.tap(ui.find_visible("checkButton"))
    assert form.firstErrorField() == "purpose"
    ui.wait_for(lambda: not QGuiApplication.inputMethod().isVisible())
    scroller = ui.find_visible("formScroller")
    top = scroller.mapToScene(QPointF(0, 0)).y()
    chip = ui.find_visible("choice_办理签证")
    ui.wait_for(lambda: top <= chip.mapToScene(QPointF(0, 0)).y() <= top + scroller.height() - chip.height())
    ui.screenshot("kiosk-form-next-missing-choice")


def test_the_other_field_kinds_keyboards(server: LiveServer, launch_ui: Any) -> None:
    """A staff member's forms: a 工号 opens digits first (letters a tap away, upper-case), a time the digit pad with
    the ":" beside the field, an amount the number pad, a text area Pinyin."""
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url)
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    expected = {
        "jw-jiaoxue-chacuo": {
            "input_teacher_id": ("symbols", "en_US"),
            "input_incident_time": ("digits", None),
            "input_facts": ("main", "zh_CN"),
        },
        "jw-jiaoxue-jingfei": {"input_amount": ("numbers", None)},
    }
    for code, fields in expected.items():
        form = open_form_of(ui, code)
        for name, (layout, locale) in fields.items():
            field = in_view(ui, name + "Input")
            ui.click(field)
            ui.wait_for(lambda layout=layout: layout_of(ui)[0] == layout)
            assert locale is None or layout_of(ui)[1] == locale, name
            ui.screenshot(f"kiosk-keyboard-{name.removeprefix('input_')}")
            if name == "input_incident_time":
                for k in ("1", "4"):
                    ui.tap(key(ui, k))
                ui.tap(ui.find_visible("input_incident_timeExtraKey"))
                for k in ("3", "0"):
                    ui.tap(key(ui, k))
                assert field.property("text") == "14:30"
                ui.wait_for(lambda: ui.find("fieldError", ui.find("field_incident_time")).property("text") == "")
                field.setProperty("text", "")
                for k in "0915":
                    ui.tap(key(ui, k))
                rows = {r.name: r for r in form.property("fields").rows()}
                assert rows["incident_time"].value == "0915"  # sent as 09:15 (tests/kiosk/test_form_profile.py)


def test_enter_hides_the_keyboard_and_pinyin_is_dropped_on_back(server: LiveServer, launch_ui: Any) -> None:
    activated(server, STUDENT, STUDENT_PW)
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    card = find_in_hall(ui, CODE)
    search = ui.find_visible("hallSearchInput")
    # ↵ on the search: the keyboard goes, the results stay.
    ui.click(search)
    ui.wait_for(lambda: QGuiApplication.inputMethod().isVisible())
    QTest.keyClick(ui.window, Qt.Key.Key_Return)
    ui.wait_for(lambda: not QGuiApplication.inputMethod().isVisible())
    assert ui.find_visible("process_" + CODE) is not None
    assert not any(t.startswith("共 ") and t.endswith(" 项服务") for t in ui.texts())  # no total beside results
    ui.screenshot("kiosk-hall-search-enter")

    # Pinyin on the keyboard's own keys: a composition (pre-edit) that is not a word yet, which the results
    # follow …
    search.setProperty("text", "")
    ui.click(search)
    ui.wait_for(lambda: layout_of(ui) == ("main", "zh_CN"))
    for letter in "zaidu":
        ui.tap(key(ui, letter))
    ui.wait_for(lambda: search.property("preeditText") != "")
    ui.wait_for(lambda: ui.find_visible("process_" + CODE) is not None)
    # … then a result is opened and 返回 tapped: the composition is gone, never committed as a word.
    card = ui.find_visible("process_" + CODE)
    ui.screenshot("kiosk-hall-search-pinyin")
    ui.tap(card)
    ui.wait_for(lambda: current_page(ui) == "formPage")
    ui.tap(ui.find_visible("backButton"))
    ui.wait_for(lambda: current_page(ui) == "hallPage")
    search = ui.find_visible("hallSearchInput")
    assert search.property("text") == "", search.property("text")
