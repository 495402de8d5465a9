"""Every QML file of the module loads without a single warning from our own files, in both modes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtQml import QQmlComponent, QQmlEngine

from kiosk.backend import Backend
from kiosk.resources import qml_dir
from kiosk.services.config import KioskConfig
from kiosk.views import context

MODULE_DIR = qml_dir() / "Kiosk"


def _qmldir_types() -> dict[str, Path]:
    types = {}
    for line in (MODULE_DIR / "qmldir").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].endswith(".qml"):
            types[parts[0]] = MODULE_DIR / parts[2]
        elif len(parts) == 4 and parts[0] == "singleton":
            types[parts[1]] = MODULE_DIR / parts[3]
    return types


def test_every_qml_file_is_in_the_module() -> None:
    listed = set(_qmldir_types().values())
    on_disk = set(MODULE_DIR.rglob("*.qml"))
    assert on_disk == listed, f"not in qmldir: {on_disk - listed}; missing files: {listed - on_disk}"


# Required properties of the types that have them, to create each one on its own.
REQUIRED = {
    "WorkItemRow": {
        "row": {
            "applicationId": "a",
            "name": "在读学籍证明申请",
            "applicant": "王子涵",
            "applicantId": "2022010101",
            "applicantGroup": "计科2201",
            "summary": "份数 1",
            "serial": "ZD1",
            "stepName": "教务处办理",
            "pendingAction": "",
            "submittedAt": "08:00",
            "waiting": "1 小时",
            "statusName": "办理中",
            "status": "in_progress",
            "outcome": "",
            "dueText": "12-06 08:00",
            "overdue": False,
            "syncState": "",
            "syncError": "",
            "quick": True,
        },
        "todo": True,
        "mine": False,
        "selected": False,
        "current": False,
    },
    "AppIcon": {"name": "home"},
    "TimeField": {"name": "start", "value": "09:30"},
    "ProcessDelegate": {
        "name": "教职工办公电脑维修申请",
        "departmentName": "现代教育技术中心",
        "audience": "教工",
        "code": "xj-diannao-weixiu",
    },
    "GuidePage": {"processCode": "xj-diannao-weixiu"},
    "ArticleBlock": {
        "kind": "image",
        "html": "",
        "source": "",
        "alt": "校门",
        "imageWidth": 0,
        "imageHeight": 0,
        "imageState": "failed",
    },
    "NewsRow": {
        "newsId": 7,
        "title": "校领导一行到兰考学院检查指导党建思政文化建设和防汛工作",
        "day": "12",
        "month": 7,
        "published": "2022-07-12 00:00",
        "readState": "unread",
    },
    "ApplicationPage": {"applicationId": "00000000-0000-0000-0000-000000000000"},
    "StepBar": {"steps": [{"key": "apply", "name": "申请人填写", "state": "done"}, {"key": "receive", "name": "接收"}]},
    "FormSectionCard": {
        "section": {"title": "报修信息", "step": "", "rows": [{"name": "problem", "label": "需维修问题", "value": ""}]},
        "annotating": True,
    },
    "ActionPanel": {"applicationId": "00000000-0000-0000-0000-000000000000", "detail": {}},
    "CertificateCard": {"applicationId": "00000000-0000-0000-0000-000000000000"},
    "ActionSheet": {
        "applicationId": "00000000-0000-0000-0000-000000000000",
        "returnTargets": [{"to": "applicant", "name": "申请人"}],
        "transferCandidates": [],
    },
    "EventTimeline": {"events": [{"action": "submit", "actor_name": "刘诗宏", "action_name": "提交"}]},
    "FormPage": {"processCode": "xj-diannao-weixiu"},
    "FormField": {
        "name": "asset_type",
        "widget": "radio",
        "label": "资产名称",
        "required_": True,
        "placeholder": "",
        "help": "",
        "hint": "没有条码请填写暂无",
        "options": ["打印机", "电脑主机", "电脑显示器", "其他"],
        "value": "",
        "error": "",
        "readOnly": False,
        "deskOnly": False,
        "maxLength": 0,
        "uploads": [],
        "notice": "",
        "accept": [],
        "maxCount": 0,
    },
    "ChoiceField": {"options": ["打印机", "电脑主机"], "value": "打印机"},
    "DateField": {"name": "repair_date", "value": ""},
    "DateRangeField": {"name": "suspend_period", "value": {"start": "2026-03-02", "end": ""}},
    "AttachmentField": {
        "name": "photos",
        "files": [{"id": "a1", "name": "漏水现场.pdf", "sizeText": "1.1MB"}],
        "uploads": [{"token": "t1", "name": "水管.png", "state": "uploading", "progress": 0.5, "message": ""}],
        "notice": "",
        "maxCount": 3,
    },
    "ReturnNoteCard": {"note": "贾孟杰退回了申请：型号不清楚，请补充"},
    "SubmitConfirmDialog": {
        "processName": "教职工办公电脑维修申请",
        "resubmitting": False,
        "nextStep": {
            "name": "现教中心实验室管理科接收",
            "choose": True,
            "handlers": [{"user_id": "u1", "name": "贾孟杰"}],
        },
        "nextHandler": "",
    },
    "DraftOfferDialog": {"processName": "教职工办公电脑维修申请", "savedAt": "12月5日 09:30"},
    "SubmittedCard": {
        "submitState": "applied",
        "submitError": "",
        "serial": "WB20260001",
        "docNo": "",
        "resubmitting": False,
        "info": {
            "departmentName": "教务处",
            "contactOffice": "行政楼204室",
            "expectedDays": 2,
            "materials": ["学生证"],
        },
        "nextStep": {"name": "教务处办理", "choose": True, "handlers": [{"user_id": "u1", "name": "陈晓燕"}]},
        "nextHandler": "u1",
    },
    "GuideSummaryCard": {
        "info": {"departmentName": "教务处", "contactOffice": "行政楼204室", "expectedDays": 2, "materials": ["学生证"]}
    },
}
STANDALONE = sorted(set(_qmldir_types()) - {"Theme"})


@pytest.mark.parametrize("mode", ["kiosk", "desk"])
@pytest.mark.parametrize("type_name", STANDALONE)
def test_component_loads_without_warnings(
    qapp: Any, qt_messages: Any, tmp_path: Path, mode: str, type_name: str
) -> None:
    state = Backend(KioskConfig(server_url="http://127.0.0.1:9", mode=mode, data_dir=str(tmp_path)))
    engine = QQmlEngine()
    state.attach(engine)
    engine.addImportPath(str(qml_dir()))
    warnings: list[str] = []
    engine.warnings.connect(lambda errors: warnings.extend(e.toString() for e in errors))
    component = QQmlComponent(engine)
    component.loadFromModule("Kiosk", type_name)
    assert component.isReady(), component.errorString()
    initial = dict(REQUIRED.get(type_name, {}))
    if type_name == "FormField":
        from kiosk.views.form_controller import FormController

        controller = FormController()
        initial["controller"] = controller
    obj = component.createWithInitialProperties(initial)
    assert obj is not None, component.errorString()
    from PySide6.QtTest import QTest

    QTest.qWait(50)  # let deferred bindings and Component.onCompleted run
    ours = [w for w in warnings + qt_messages.ours() if "Kiosk" in w or "qml" in w.lower()]
    assert not ours, "\n".join(ours)
    obj.deleteLater()
    engine.deleteLater()
    QTest.qWait(10)
    state.shutdown()
    context.clear()


def test_whole_window_loads_without_warnings(shared_server: Any, launch_ui: Any, qt_messages: Any) -> None:
    ui = launch_ui(shared_server.url)
    for page in ("hall", "home", "calendar", "messages", "profile"):
        ui.tap(f"nav_{page}")
    assert not qt_messages.ours(), "\n".join(qt_messages.ours())
