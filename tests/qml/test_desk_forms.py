"""Desk mode's own parts of a form, through the real QML against a real server: attachments (chosen, checked
against the field's limits, uploaded with progress, refused with a reason, offline without losing anything,
submitted and readable by the handler) and drafts (存草稿, offered again after a restart, 继续填写草稿 /
重新填写, private to their user, deleted by the submission). The system file dialog is not driven: the files it
would return are handed to the controller's `addFiles`, as the dialog's `accepted` handler does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QMetaObject, QUrl
from PySide6.QtGui import QGuiApplication

from kiosk.services.attachments import OFFLINE_MESSAGE
from tests.helpers import (
    LIU,
    LIU_PW,
    NEW_PW,
    LiveServer,
    activated,
    bearer,
    copy_sqlite,
    new_applications,
    save_screenshot,
)
from tests.qml.steps import current_page, field_error, in_view, log_in, sign_out_from_profile

LIN, LIN_PW = "101390", "190418"  # 林峰, staff of 信息工程学院
HANDLER, HANDLER_PW = "100954", "300275"  # 马志强, 后勤处报修受理员: handles 后勤报修申请
DESK = (1366, 768)


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def open_form(ui: Any, code: str, search: str) -> Any:
    """办事大厅 → search → the card → 办事指南 → 开始办理, with the mouse; returns the page's FormController."""
    ui.click(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: ui.state.hall.property("indexReady"))
    ui.find_visible("hallSearchInput").setProperty("text", "")
    ui.type_into("hallSearch", search)
    ui.wait_for(lambda: ui.find_visible("process_" + code) is not None)
    ui.click(ui.find_visible("process_" + code))  # the manual: a click on the process's name opens its form
    return form_controller(ui)


def form_controller(ui: Any) -> Any:
    ui.wait_for(lambda: current_page(ui) == "formPage")
    page = ui.find("pageStack").property("currentItem")
    controller = next(c for c in page.children() if type(c).__name__ == "FormController")
    ui.wait_for(lambda: controller.property("state") == "ready")
    return controller


def value_of(controller: Any, name: str) -> Any:
    return next(r.value for r in controller.property("fields").rows() if r.name == name)


def uploads_of(controller: Any, name: str) -> list[dict[str, Any]]:
    return list(next(r.uploads for r in controller.property("fields").rows() if r.name == name))


def draft_of(ui: Any, user: str, code: str) -> dict[str, Any] | None:
    """The user's draft of a form as the desk client opens it (with the terminal's draft key)."""
    drafts = ui.state.forms.drafts()
    draft = drafts.find(user, code) if drafts is not None else None
    return draft.values if draft is not None else None


def pdf(path: Path, size: int) -> Path:
    path.write_bytes((b"%PDF-1.4\n" + os.urandom(size))[:size])
    return path


def test_attachments_on_a_desk(server: LiveServer, launch_ui: Any, tmp_path: Path) -> None:
    token = activated(server, LIU, LIU_PW)["access_token"]
    ui = launch_ui(server.url, mode="desk", size=DESK)
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    form = open_form(ui, "hq-baoxiu", "houqin")
    for name, value in (
        ("repair_type", "水电"),
        ("area", "办公楼"),
        ("building", "行政楼"),
        ("room", "305 卫生间"),
        ("description", "洗手池下水管漏水"),
        ("visit_time", "工作日上午"),
    ):
        form.setValue(name, value)
    in_view(ui, "field_photos")
    assert ui.find_visible("input_photos_choose").isEnabled()
    assert "已上传 0 / 3 个" in ui.texts()
    # 选择文件 opens the file dialog (a window of its own, for this window), limited to the field's types.
    ui.click(ui.find_visible("input_photos_choose"))
    loader = ui.find("fileDialogLoader", ui.find("field_photos"))
    ui.wait_for(lambda: loader.property("item") is not None and loader.property("item").property("visible"))
    dialog = loader.property("item")
    assert dialog.property("title") == "选择要上传的文件"
    assert dialog.property("nameFilters") == ["附件 (*.pdf *.PDF *.jpg *.JPG *.jpeg *.JPEG *.png *.PNG)"]
    dialog_window = next(w for w in QGuiApplication.topLevelWindows() if w.title() == "选择要上传的文件")
    assert dialog_window.transientParent() is ui.window
    ui.settle(300)
    save_screenshot(dialog_window, "desk-file-dialog")
    # What the person picks there reaches addFiles (below, with the files the dialog would return); cancelled,
    # the dialog goes and the form is as it was.
    QMetaObject.invokeMethod(dialog, "reject")
    ui.wait_for(lambda: not loader.property("active"))
    ui.window.requestActivate()
    ui.wait_for(ui.window.isActive)
    assert value_of(form, "photos") == [] and uploads_of(form, "photos") == []

    files = tmp_path / "files"
    files.mkdir()
    scan = pdf(files / "漏水现场.pdf", 1_200_000)  # three chunks
    photo = files / "水管.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(3000))
    form.addFiles("photos", [QUrl.fromLocalFile(str(scan)), QUrl.fromLocalFile(str(photo))])
    # On their way: shown at once, and the form cannot be submitted until they are up.
    assert form.property("uploading") == 2 and not form.property("valid")
    assert {u["name"] for u in uploads_of(form, "photos")} == {"漏水现场.pdf", "水管.png"}
    ui.wait_for(lambda: len(value_of(form, "photos")) == 2, timeout=20_000)
    assert form.property("uploading") == 0 and form.property("valid")
    assert {f["name"] for f in value_of(form, "photos")} == {"漏水现场.pdf", "水管.png"}
    row = ui.find_visible("attachment_漏水现场.pdf")
    assert ui.find("fileDetail", row).property("text") == "1.1MB · 已上传"

    # Refused with its reason, on the field; nothing of it reaches the server.
    word = files / "说明.docx"
    word.write_bytes(b"PK\x03\x04 a word file")
    form.addFiles("photos", [str(word)])  # a path as text works as well as a file URL
    ui.wait_for(lambda: [u["state"] for u in uploads_of(form, "photos")] == ["failed"])
    assert uploads_of(form, "photos")[0]["message"] == "只能上传 PDF、JPG 或 PNG 文件"
    in_view(ui, "field_photos")
    ui.screenshot("desk-form-attachments")
    renamed = files / "照片.jpg"
    renamed.write_bytes(b"%PDF-1.4 this is no photo")
    form.addFiles("photos", [QUrl.fromLocalFile(str(renamed)).toString()])  # a new choice: the old refusal goes
    ui.wait_for(lambda: [u["state"] for u in uploads_of(form, "photos")] == ["failed"])
    assert [(u["name"], u["message"]) for u in uploads_of(form, "photos")] == [
        ("照片.jpg", "文件内容不是有效的 JPG 文件")
    ]
    assert len(value_of(form, "photos")) == 2

    # No more than the field takes: one place left of three.
    more = [pdf(files / f"补充{i}.pdf", 2000) for i in (1, 2)]
    form.addFiles("photos", [QUrl.fromLocalFile(str(p)) for p in more])
    ui.wait_for(lambda: len(value_of(form, "photos")) == 3)
    assert ui.find_visible("attachmentNotice").property("text") == "最多上传 3 个文件，未添加：补充2.pdf"
    assert not ui.find_visible("input_photos_choose").isEnabled()
    # ✕ takes one out again.
    in_view(ui, "field_photos")
    ui.click(ui.find_visible("removeFile", ui.find_visible("attachment_补充1.pdf")))
    ui.wait_for(lambda: {f["name"] for f in value_of(form, "photos")} == {"漏水现场.pdf", "水管.png"})

    # The server is out of reach: the file is not attached, the reason is said, everything typed stays.
    server.stop()
    form.addFiles("photos", [QUrl.fromLocalFile(str(more[1]))])
    ui.wait_for(lambda: any(u["state"] == "failed" and u["name"] == "补充2.pdf" for u in uploads_of(form, "photos")))
    failed = next(u for u in uploads_of(form, "photos") if u["name"] == "补充2.pdf")
    assert failed["message"] == OFFLINE_MESSAGE
    assert value_of(form, "building") == "行政楼" and len(value_of(form, "photos")) == 2
    ui.wait_for(lambda: ui.state.state.connection == "offline")
    in_view(ui, "field_photos")
    ui.screenshot("desk-form-attachment-offline")
    server.start(port=server.port)
    ui.click(ui.find_visible("removeFile", ui.find_visible("upload_补充2.pdf")))  # ✕ on a refusal clears it
    assert uploads_of(form, "photos") == []

    ui.wait_for(lambda: ui.find("submitButton").isEnabled())
    ui.click(ui.find_visible("submitButton"))
    ui.wait_for(lambda: "确认提交？" in ui.texts())
    ui.click(ui.find_visible("confirmSubmit"))
    ui.wait_for(lambda: ui.find("savedTitle").property("text") == "提交成功", timeout=40_000)

    changes = requests.get(server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    stored = new_applications(changes, "hq-baoxiu")[-1]["data"]
    assert stored["photos"] == value_of(form, "photos")
    # The handler of 后勤报修 opens the scan the applicant attached.
    handler = activated(server, HANDLER, HANDLER_PW)["access_token"]
    scan_id = next(f["id"] for f in stored["photos"] if f["name"] == "漏水现场.pdf")
    got = requests.get(f"{server.url}/api/v1/attachments/{scan_id}/content", headers=bearer(handler), timeout=10)
    assert got.status_code == 200 and got.content == scan.read_bytes()


def test_drafts_on_a_desk(server: LiveServer, launch_ui: Any) -> None:
    activated(server, LIU, LIU_PW)
    activated(server, LIN, LIN_PW)
    code = "xj-diannao-weixiu"
    ui = launch_ui(server.url, mode="desk", size=DESK)
    ui.click("rememberMe")
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    form = open_form(ui, code, "diannao")
    ui.type_into("input_location", "综合实验楼101")
    ui.click(in_view(ui, "choice_打印机"))
    in_view(ui, "field_problem")
    ui.type_into("input_problem", "打印机无法共享打印!")
    ui.click(ui.find_visible("saveDraftButton"))
    ui.wait_for(lambda: ui.find_visible("draftStatus").property("text").startswith("草稿已保存 "))
    draft = draft_of(ui, LIU, code)
    assert draft is not None and draft["location"] == "综合实验楼101" and draft["asset_type"] == "打印机"
    assert "applicant" not in draft  # read-only fields are filled from the profile again
    # Sealed at rest: what was typed is in neither the store file nor its WAL (as UTF-8 or as JSON's escapes;
    # 综合实验楼101 would not do: it is the form's own placeholder, cached with the form).
    on_disk = b"".join(p.read_bytes() for p in ui.state.config.data_path.glob("kiosk.db*"))
    typed = "打印机无法共享打印!"
    assert typed.encode() not in on_disk and typed.encode("unicode_escape") not in on_disk
    ui.screenshot("desk-form-repair-draft-saved")
    ui.click(ui.find_visible("nav_hall"))
    ui.find_visible("hallSearchInput").setProperty("text", "")
    ui.click("hallTab_home")
    ui.wait_for(lambda: ui.find_visible("process_" + code, ui.find_visible("draftList")) is not None)
    assert "我的草稿" in ui.texts()
    ui.screenshot("desk-hall-home-drafts")

    # Someone else at the same PC sees none of it; their own draft is theirs.
    ui.click("nav_profile")
    sign_out_from_profile(ui)
    ui.wait_for(lambda: current_page(ui) == "loginPage")
    log_in(ui, LIN, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.click(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: ui.find_visible("hallHome") is not None)
    assert not ui.find("draftList").isVisible() and ui.state.hall.drafts.rowCount() == 0
    lin_form = open_form(ui, code, "diannao")
    ui.settle(500)  # the look for a draft runs on a worker: give it time to (not) find one
    assert not lin_form.property("hasDraft") and "有未提交的草稿" not in ui.texts()
    assert value_of(lin_form, "location") == ""
    ui.type_into("input_location", "林峰的办公室")
    ui.click(ui.find_visible("saveDraftButton"))
    ui.wait_for(lambda: draft_of(ui, LIN, code) is not None)
    # Opened again: 重新填写 deletes the draft and starts empty.
    ui.click(ui.find_visible("backButton"))
    ui.click(ui.find_visible("process_" + code))
    lin_form = form_controller(ui)
    ui.wait_for(lambda: "有未提交的草稿" in ui.texts())
    ui.click(ui.find_visible("draftDiscard"))
    ui.wait_for(lambda: draft_of(ui, LIN, code) is None)
    assert value_of(lin_form, "location") == ""
    ui.type_into("input_location", "林峰的第二份")
    ui.click(ui.find_visible("saveDraftButton"))
    ui.wait_for(lambda: draft_of(ui, LIN, code) is not None)
    ui.click(ui.find_visible("backButton"))  # the form opened from the hall: one step back
    ui.click("nav_profile")
    sign_out_from_profile(ui)
    ui.wait_for(lambda: current_page(ui) == "loginPage")

    # 刘诗宏 again, 记住我: the desk client restarts and the draft is offered where it was left.
    ui.click("rememberMe")
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    data_dir = ui.state.config.data_dir
    ui.state.shutdown()
    ui.window.close()
    again = launch_ui(server.url, mode="desk", size=DESK, data_dir=data_dir)
    again.wait_for(lambda: again.state.session.property("loggedIn") and current_page(again) == "homePage")
    again.click(again.find_visible("nav_hall"))
    again.wait_for(lambda: again.find_visible("process_" + code, again.find_visible("draftList")) is not None)
    again.click(again.find_visible("process_" + code, again.find_visible("draftList")))
    form = form_controller(again)
    again.wait_for(lambda: "有未提交的草稿" in again.texts())
    again.screenshot("desk-form-repair-draft-offer")
    again.click(again.find_visible("draftResume"))
    again.wait_for(lambda: value_of(form, "location") == "综合实验楼101")
    assert value_of(form, "asset_type") == "打印机" and value_of(form, "problem") == "打印机无法共享打印!"
    assert value_of(form, "applicant") == "刘诗宏"
    assert again.find("input_locationInput").property("text") == "综合实验楼101"
    # asset_code was left empty: after resuming, the form says what is still missing.
    assert field_error(again, "asset_code") == ""
    again.click(again.find_visible("checkButton"))
    again.wait_for(lambda: field_error(again, "asset_code") == "请填写资产编码")
    in_view(again, "field_asset_code")
    again.type_into("input_asset_code", "101007")
    again.wait_for(lambda: again.find("submitButton").isEnabled())
    again.click(again.find_visible("submitButton"))
    again.click(again.find_visible("confirmSubmit"))
    again.wait_for(lambda: again.find_visible("formSaved") is not None)
    # Submitted: the draft went in the same transaction; the other user's draft is untouched.
    assert draft_of(again, LIU, code) is None
    assert (draft_of(again, LIN, code) or {}).get("location") == "林峰的第二份"
    again.wait_for(lambda: again.state.hall.drafts.rowCount() == 0)
    again.wait_for(lambda: again.find("savedTitle").property("text") == "提交成功", timeout=20_000)
