"""Submitting a hall process's form through the sync push: validated by the server with the same code the
kiosk uses offline, read-only profile fields taken from the server's records, 流水号 and 单号 assigned."""

from __future__ import annotations

import uuid
from datetime import datetime

import requests

from sync_server.core.clock import CAMPUS_TZ
from tests.helpers import LIU, LIU_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer, new_applications
from tests.server.workflow_helpers import submit

REPAIR = {
    "repair_date": "2022-08-25",
    "department": "随便写的部门",  # read-only: the server puts the applicant's own department
    "applicant": "张三",  # read-only: the server puts the applicant's own name
    "phone": "13303857660",
    "asset_type": "打印机",
    "location": "综合实验楼101",
    "asset_code": "101007",
    "problem": "打印机无法共享打印!",
}


def test_the_manual_repair_form_submitted_and_numbered(live_server: LiveServer) -> None:
    token = activated(live_server, LIU, LIU_PW)["access_token"]
    form = requests.get(live_server.url + "/api/v1/hall/processes/xj-diannao-weixiu/form", timeout=10).json()
    assert [s["title"] for s in form["ui"]["sections"]] == ["基本信息", "报修信息", "审核信息"]

    first = submit(live_server, token, "xj-diannao-weixiu", REPAIR)
    assert first["status"] == "applied", first
    second = submit(live_server, token, "xj-diannao-weixiu", REPAIR)
    assert second["result"]["serial"] == first["result"]["serial"] + 1
    month = datetime.now(CAMPUS_TZ).strftime("%Y%m")  # the campus's month
    assert (first["result"]["doc_no"], second["result"]["doc_no"]) == (f"{month}-001", f"{month}-002")

    changes = requests.get(live_server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    apps = new_applications(changes, "xj-diannao-weixiu")  # not the demo's own past ones, which reach him too
    assert [a["id"] for a in apps] == [first["result"]["application_id"], second["result"]["application_id"]]
    stored = apps[0]["data"]
    assert stored["applicant"] == "刘诗宏" and stored["department"] == "现代教育技术中心"
    assert stored["doc_no"] == f"{month}-001" and stored["repair_date"] == "2022-08-25"
    assert any(c["entity"] == "form" and c["id"] == "xj-diannao-weixiu" for c in changes)  # forms are public


def test_invalid_forms_are_refused_with_the_field_and_reason(live_server: LiveServer) -> None:
    token = activated(live_server, LIU, LIU_PW)["access_token"]
    cases = [
        ({**REPAIR, "phone": "12303857660"}, "phone", "请输入 11 位手机号码"),
        ({**REPAIR, "asset_type": "冰箱"}, "asset_type", "请从选项中选择资产名称"),
        ({k: v for k, v in REPAIR.items() if k != "problem"}, "problem", "请填写需维修问题"),
        ({**REPAIR, "location": "   "}, "location", "请填写存放地点"),
        ({**REPAIR, "problem": "坏" * 501}, "problem", "需维修问题最多 500 个字"),
        ({**REPAIR, "repair_result": "已修好"}, "", "表单中有未定义的内容"),  # a later step's field
    ]
    for data, field, message in cases:
        result = submit(live_server, token, "xj-diannao-weixiu", data)
        assert result["status"] == "rejected", (field, result)
        assert result["error"]["code"] == "invalid_form"
        assert result["error"]["fields"][field] == message, result["error"]

    student = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    forbidden = submit(live_server, student, "xj-diannao-weixiu", REPAIR)
    assert forbidden["error"]["code"] == "forbidden"
    for payload_data, code in (("not a dict", "invalid_form"), ({}, "invalid_form")):
        assert submit(live_server, token, "xj-diannao-weixiu", payload_data)["error"]["code"] == code  # type: ignore[arg-type]
    same_id = str(uuid.uuid4())
    assert submit(live_server, token, "xj-diannao-weixiu", REPAIR, same_id)["status"] == "applied"
    again = submit(live_server, token, "xj-diannao-weixiu", REPAIR, same_id)  # a new op, the same application
    assert again["error"]["code"] == "duplicate_application"
    missing = requests.get(live_server.url + "/api/v1/hall/processes/none/form", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "form_not_found"


def test_what_the_school_holds_is_final(live_server: LiveServer) -> None:
    """身份证号 comes from the school's records (`"locked": true`): /me hands the applicant their own, and a forged
    one does not stick. 证明语种 and 份数 reach the terminal with their defaults in the schema."""
    login = activated(live_server, STUDENT, STUDENT_PW)
    assert login["user"]["id_card"] == "410105200403150311"
    me = requests.get(live_server.url + "/api/v1/me", headers=bearer(login["access_token"]), timeout=10).json()
    assert me["id_card"] == "410105200403150311"
    form = requests.get(live_server.url + "/api/v1/hall/processes/jw-zaidu-zhengming/form", timeout=10).json()
    props = form["schema"]["properties"]
    assert (props["cert_language"]["default"], props["copies"]["default"]) == ("中文", 1)
    assert form["ui"]["fields"]["id_card"]["locked"] is True
    data = {
        "phone": "13303721458",
        "id_card": "11010519491231002X",  # a valid number, but not hers
        "apply_date": datetime.now(CAMPUS_TZ).date().isoformat(),
        "cert_language": "英文",
        "purpose": "办理签证",
        "copies": 2,
    }
    result = submit(live_server, login["access_token"], "jw-zaidu-zhengming", data)
    assert result["status"] == "applied", result
    pulled = requests.get(live_server.url + "/api/v1/sync/pull", headers=bearer(login["access_token"]), timeout=10)
    stored = new_applications(pulled.json()["changes"], "jw-zaidu-zhengming")[-1]["data"]
    assert stored["id_card"] == "410105200403150311"
    assert (stored["cert_language"], stored["copies"], stored["class_name"]) == ("英文", 2, "2022级计算机科学与技术1班")


def test_the_major_is_the_schools_and_the_phone_the_applicants(live_server: LiveServer) -> None:
    """专业 (users.major) reaches the terminal with the profile and is final on the forms that ask for it; 联系电话
    is prefilled from the records, yet the applicant may give another mobile for one application."""
    login = activated(live_server, STUDENT, STUDENT_PW)
    assert (login["user"]["major"], login["user"]["phone"]) == ("计算机科学与技术", "13303721458")
    form = requests.get(live_server.url + "/api/v1/hall/processes/jy-baodaozheng/form", timeout=10).json()
    assert form["ui"]["fields"]["major"] == {**form["ui"]["fields"]["major"], "source": "profile.major", "locked": True}
    data = {
        "phone": "13912345678",  # not the one on record: this application's
        "apply_type": "首次办理",
        "major": "临床医学",  # not hers: the school's record stands
        "education": "本科",
        "graduation_year": 2026,
        "receiver_org": "郑州市人力资源和社会保障局",
        "report_address": "郑州市金水区花园路 21 号",
        "archive_address": "郑州市人才交流中心",
        "hukou": "不迁移",
    }
    result = submit(live_server, login["access_token"], "jy-baodaozheng", data)
    assert result["status"] == "applied", result
    pulled = requests.get(live_server.url + "/api/v1/sync/pull", headers=bearer(login["access_token"]), timeout=10)
    stored = new_applications(pulled.json()["changes"], "jy-baodaozheng")[-1]["data"]
    assert (stored["major"], stored["phone"], stored["id_card"]) == (
        "计算机科学与技术",
        "13912345678",
        "410105200403150311",
    )
