"""A student in a queue finishes 在读学籍证明申请 in ten taps, and a staff member 在职证明申请: the real kiosk at
1920×1080 against a real server, driven from the login screen with real touch taps and real key presses, every
tap counted and every step saved as a screenshot (test-artifacts/kiosk-taps-*). The school's records fill what
they know (身份证号, 入职日期), the form's defaults stand (1 份), the manual's flow starts a process from its name
and confirms with the next step's 办理人 already settled (好); the server then holds exactly what was chosen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtTest import QTest

from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer, copy_sqlite
from tests.qml.keyboard_keys import key, layout_of
from tests.qml.steps import current_page

MAX_TAPS = 10


@pytest.fixture(scope="module")
def server(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    work = tmp_path_factory.mktemp("taps")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, work / "db"), workdir=work).start()
    yield live
    live.stop()


def _inside(item: Any, ancestor: Any) -> bool:
    while item is not None:
        if item is ancestor:
            return True
        item = item.parentItem()
    return False


class Person:
    """A person at the kiosk: every touch counted and photographed, keys typed as on a keyboard."""

    def __init__(self, ui: Any, name: str) -> None:
        self.ui, self.name, self.taps, self.keys = ui, name, 0, 0

    def tap(self, item: Any, step: str) -> None:
        window = self.ui.window
        point = self.ui.center(item)
        bottom = window.height()
        panel = next((i for i in self.ui.items() if i.objectName() == "inputPanel" and i.isVisible()), None)
        if panel is not None and panel.property("active"):
            bottom = panel.mapToScene(QPointF(0, 0)).y()
        assert 0 <= point.x() < window.width() and 0 <= point.y() < bottom, f"{step}: not on screen for a finger"
        scroller = next((i for i in self.ui.items() if i.objectName() == "formScroller" and i.isVisible()), None)
        if scroller is not None and _inside(item, scroller):  # not scrolled away under the page's edges
            top = scroller.mapToScene(QPointF(0, 0)).y()
            assert top <= point.y() <= top + scroller.height(), f"{step}: scrolled out of the form's view"
        self.ui.tap(item)
        self.taps += 1
        self.ui.screenshot(f"kiosk-taps-{self.name}-{self.taps:02d}-{step}")

    def type(self, text: str, enter: bool = False) -> None:
        """Keys as the keyboard sends them: ASCII as key presses, Chinese as the Pinyin keyboard's commit."""
        for char in text:
            if char.isascii():
                QTest.keyClick(self.ui.window, char)
            else:
                event = QInputMethodEvent()
                event.setCommitString(char)
                QGuiApplication.sendEvent(self.ui.window.activeFocusItem(), event)
            self.keys += 1
        if enter:
            QTest.keyClick(self.ui.window, Qt.Key.Key_Return)
            self.keys += 1
        self.ui.settle(50)

    def on_screen(self, name: str) -> Any:
        """The item by its name, once it is shown within the window."""
        self.ui.wait_for(lambda: self.ui.find_visible(name) is not None)
        return self.ui.find_visible(name)

    def log_in(self, user_id: str, password: str) -> None:
        """One tap on the ID field; ↵ goes on to the password, ↵ logs in."""
        self.ui.screenshot(f"kiosk-taps-{self.name}-00-login")
        self.tap(self.on_screen("userFieldInput"), "user-field")
        self.type(user_id, enter=True)
        assert self.ui.find_visible("passwordFieldInput").hasActiveFocus()
        self.type(password, enter=True)
        self.ui.wait_for(lambda: current_page(self.ui) == "homePage")
        self.ui.screenshot(f"kiosk-taps-{self.name}-{self.taps:02d}-home")

    def open_process(self, code: str, letter: str) -> None:
        """办事大厅, then the process's card: on the hall home when it is there, else through A–Z."""
        self.tap(self.on_screen("nav_hall"), "hall")
        self.ui.wait_for(lambda: self.ui.state.hall.property("indexReady"))
        self.ui.settle(200)
        home = self.ui.find_visible("hallHome")
        card = next((i for i in self.ui.items(home) if i.objectName() == "process_" + code and i.isVisible()), None)
        if card is None:
            self.tap(self.on_screen("hallTab_az"), "az")
            self.tap(self.on_screen("azKey_" + letter), "az-" + letter)
            self.ui.settle(300)
            grid = self.on_screen("azGrid_" + letter)
            card = next(i for i in self.ui.items(grid) if i.objectName() == "process_" + code and i.isVisible())
        self.tap(card, "process")
        self.ui.wait_for(lambda: current_page(self.ui) == "formPage")
        page = self.ui.find("pageStack").property("currentItem")
        form = next(c for c in page.children() if type(c).__name__ == "FormController")
        self.ui.wait_for(lambda: form.property("state") == "ready")
        self.ui.screenshot(f"kiosk-taps-{self.name}-{self.taps:02d}-form")

    def submit(self) -> None:
        """提交, then 好 in the manual's dialog (the next step's 办理人 already settled)."""
        self.ui.wait_for(lambda: self.ui.find_visible("submitButton").isEnabled())
        self.tap(self.on_screen("submitButton"), "submit")
        self.ui.wait_for(lambda: self.ui.find_visible("confirmSubmit") is not None)
        assert str(self.ui.find_visible("nextStep").property("text"))  # 完成本操作后，流程将转到 the next step
        chips = [i for i in self.ui.items() if i.objectName().startswith("handler_") and i.isVisible()]
        assert [c for c in chips if c.property("checked")], "the 办理人 is not settled"
        self.tap(self.on_screen("confirmSubmit"), "ok")
        self.ui.wait_for(lambda: self.ui.find_visible("formSaved") is not None)


def stored_application(server: LiveServer, token: str, code: str) -> dict[str, Any]:
    changes = requests.get(server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    apps = [c["data"] for c in changes if c["entity"] == "application" and c["data"]["process_code"] == code]
    assert len(apps) == 1, apps
    return dict(apps[0]["data"])


def wait_submitted(person: Person) -> None:
    """One honest state: 已保存，待同步 until the server has it, then 提交成功 — and no toast that says otherwise."""
    ui = person.ui
    page = ui.find("pageStack").property("currentItem")
    form = next(c for c in page.children() if type(c).__name__ == "FormController")
    ui.state.sync.syncNow()
    ui.wait_for(lambda: form.property("submitState") == "applied", timeout=20_000)
    assert ui.find("savedTitle").property("text") in ("提交成功", "Submitted")
    toast = ui.find("toast")
    assert not (toast.isVisible() and "待同步" in str(ui.find("toastText").property("text")))
    ui.screenshot(f"kiosk-taps-{person.name}-{person.taps:02d}-submitted")


def test_a_student_gets_the_enrolment_certificate_in_ten_taps(server: LiveServer, launch_ui: Any) -> None:
    token = activated(server, STUDENT, STUDENT_PW)["access_token"]  # a returning student
    ui = launch_ui(server.url)
    student = Person(ui, "student")
    student.log_in(STUDENT, NEW_PW)
    student.open_process("jw-zaidu-zhengming", "Z")
    # What the school knows is there, read-only; 身份证号 and 联系电话 masked on the kiosk's screen.
    texts = ui.texts()
    assert "王子涵" in texts and "2022级计算机科学与技术1班" in texts and "4101**********0311" in texts
    assert "133****1458" in texts and ui.find_visible("change_phone").isVisible()  # 使用其他号码: one tap away
    assert "410105200403150311" not in texts and "13303721458" not in texts
    assert not any(i.objectName() == "input_phoneInput" and i.isVisible() for i in ui.items())  # nothing to type
    assert ui.find_visible("guideSummary") is not None  # the guide's essentials: 学生证, 行政楼204室, 2 days
    # She wants her certificate in English, for a visa; 1 份 is the default.
    student.tap(student.on_screen("choice_英文"), "english")
    student.tap(student.on_screen("choice_办理签证"), "visa")
    student.submit()
    wait_submitted(student)
    what_next = " ".join(ui.texts(ui.find_visible("whatNext")))
    assert "教务处办理" in what_next and "行政楼204室" in what_next and "学生证" in what_next, what_next

    assert student.taps <= MAX_TAPS, student.taps
    stored = stored_application(server, token, "jw-zaidu-zhengming")
    chosen = {
        "cert_language": "英文",
        "purpose": "办理签证",
        "copies": 1,
        "id_card": "410105200403150311",
        "phone": "13303721458",  # the number on record, not what the screen showed
    }
    assert {k: stored.get(k) for k in chosen} == chosen, stored
    assert "receiver_org" not in stored and "wanted_date" not in stored  # nothing she did not give
    print(f"student: {student.taps} taps, {student.keys} keys")


def test_a_staff_member_gets_the_employment_certificate_in_ten_taps(server: LiveServer, launch_ui: Any) -> None:
    token = activated(server, LIU, LIU_PW)["access_token"]
    ui = launch_ui(server.url)
    staff = Person(ui, "staff")
    staff.log_in(LIU, NEW_PW)
    staff.open_process("rs-zaizhi-zhengming", "Z")
    texts = ui.texts()
    assert "刘诗宏" in texts and "2015-09-01" in texts  # 入职日期 from the school's records
    # Only what only he knows: what it is for, his post as he wants it written, and who will receive it.
    staff.tap(staff.on_screen("choice_银行贷款"), "loan")
    staff.tap(staff.on_screen("input_postInput"), "post")
    staff.type("实验室管理员", enter=True)  # ↵: on to the next field to type, as a phone does
    assert ui.find_visible("input_receiver_orgInput").hasActiveFocus()
    staff.type("ICBC", enter=True)  # ↵ after the last one: the keyboard goes, 提交 is in view
    ui.screenshot(f"kiosk-taps-staff-{staff.taps:02d}-typed")
    staff.submit()
    wait_submitted(staff)

    assert staff.taps <= MAX_TAPS, staff.taps
    stored = stored_application(server, token, "rs-zaizhi-zhengming")
    chosen = {
        "post": "实验室管理员",
        "receiver_org": "ICBC",
        "purpose": "银行贷款",
        "language": "中文",
        "copies": 1,
        "join_date": "2015-09-01",
    }
    assert {k: stored.get(k) for k in chosen} == chosen, stored
    print(f"staff: {staff.taps} taps, {staff.keys} keys")


def test_another_number_for_this_application(server: LiveServer, launch_ui: Any) -> None:
    """使用其他号码: one tap opens 联系电话 empty with the digit pad up; the number typed on the keyboard's own keys
    is the one the server holds (the record stays the record)."""
    token = activated(server, "2022010115", "060173")["access_token"]  # 李浩然, a returning student
    ui = launch_ui(server.url)
    student = Person(ui, "phone")
    student.log_in("2022010115", NEW_PW)
    student.open_process("jw-zaidu-zhengming", "Z")
    assert "133****8817" in ui.texts() and "13303728817" not in ui.texts()
    student.tap(student.on_screen("change_phone"), "another-number")
    field = student.on_screen("input_phoneInput")
    ui.wait_for(lambda: field.hasActiveFocus() and QGuiApplication.inputMethod().isVisible())
    ui.wait_for(lambda: layout_of(ui)[0] == "digits")  # a phone number: the digit pad
    assert field.property("text") == "" and ui.find_visible("keepSchool_phone").isVisible()  # and a way back
    for digit in "13912345678":
        ui.tap(key(ui, digit))
        student.keys += 1
    assert field.property("text") == "13912345678"
    ui.screenshot("kiosk-taps-phone-typed")
    student.type("", enter=True)  # ↵: on to 证明用途, still unanswered: the keyboard goes and it is in view
    ui.wait_for(lambda: not QGuiApplication.inputMethod().isVisible())
    student.tap(student.on_screen("choice_实习"), "internship")
    student.submit()
    wait_submitted(student)
    assert student.taps <= MAX_TAPS, student.taps
    stored = stored_application(server, token, "jw-zaidu-zhengming")
    assert (stored["phone"], stored["purpose"]) == ("13912345678", "实习"), stored
    me = requests.get(server.url + "/api/v1/me", headers=bearer(token), timeout=10).json()
    assert me["phone"] == "13303728817"  # for this application only


def test_the_same_on_a_portrait_totem(server: LiveServer, launch_ui: Any) -> None:
    """A portrait kiosk (1080×1920): the same few taps, every step on screen for a finger and photographed."""
    token = activated(server, "Z2023030107", "09078X")["access_token"]  # 宋佳琪, 艺术学院
    ui = launch_ui(server.url, size=(1080, 1920))
    student = Person(ui, "portrait")
    student.log_in("Z2023030107", NEW_PW)
    student.open_process("jw-zaidu-zhengming", "Z")
    texts = ui.texts()
    assert "2023级视觉传达设计1班" in texts and "133****1642" in texts and "4102**********078X" in texts
    student.tap(student.on_screen("choice_中英文各一份"), "both")
    student.tap(student.on_screen("choice_办理居住证"), "residence")
    student.submit()
    wait_submitted(student)
    assert student.taps <= MAX_TAPS, student.taps
    stored = stored_application(server, token, "jw-zaidu-zhengming")
    assert (stored["cert_language"], stored["purpose"], stored["phone"]) == (
        "中英文各一份",
        "办理居住证",
        "13303731642",
    )


def test_the_same_in_english(server: LiveServer, launch_ui: Any) -> None:
    """English mode: the process, its guide line, its sections, labels and choices in English (the school's data —
    a name, a class — stays as the records hold it); the same few taps."""
    token = activated(server, "2022010102", "220520")["access_token"]  # 陈雨桐, another returning student
    ui = launch_ui(server.url, language="en_US")
    student = Person(ui, "english")
    student.log_in("2022010102", NEW_PW)
    student.open_process("jw-zaidu-zhengming", "Z")
    page = ui.find("pageStack").property("currentItem")
    shown = [
        str(i.property("text"))
        for i in ui.items(page)
        if i.isVisible() and (i.objectName() == "fieldLabel" or i.objectName().startswith(("section_", "choice_")))
    ]
    shown += [str(i.property("text")) for i in ui.items(page) if i.objectName().startswith("choice_")]
    assert "Certificate of enrolment" in ui.texts() and "Language of the certificate" in " ".join(ui.texts())
    shown.append(str(ui.find_visible("change_phone").property("text")))  # 使用其他号码
    chinese = [t for t in shown if re.search(r"[\u3400-\u9fff]", t)]
    assert not chinese, chinese
    # The guide's line: what to bring in English (the office's room is an address, as the school writes it).
    assert str(ui.find_visible("guideSummaryText").property("text")).startswith("Bring: Student card, ")
    student.tap(student.on_screen("choice_英文"), "english")  # named by its value, shows "English"
    assert ui.find_visible("choice_英文").property("text") == "English"
    student.tap(student.on_screen("choice_助学贷款"), "loan")
    student.submit()
    wait_submitted(student)
    assert student.taps <= MAX_TAPS, student.taps
    next_step = str(ui.find_visible("whatNextStep").property("text"))
    assert next_step.startswith("Next step: Handled by Academic Affairs"), next_step
    stored = stored_application(server, token, "jw-zaidu-zhengming")
    assert (stored["cert_language"], stored["purpose"], stored["copies"]) == ("英文", "助学贷款", 1)  # the values
